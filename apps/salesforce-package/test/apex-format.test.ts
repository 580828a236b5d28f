// prettier-plugin-apex formatting holds for every class (check mode; fix with
// `npx prettier --plugin=prettier-plugin-apex --write 'force-app/**/*.{cls,trigger}'`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CLASSES_DIR,
  TRIGGERS_DIR,
  WORKSPACE_ROOT,
  listFiles,
  relativeToRepo,
} from './lib/paths.js';

function uncheckedFiles(files: string[]): string[] {
  const run = spawnSync(
    process.execPath,
    [path.join(__dirname, 'lib', 'check-apex-format.mjs'), ...files],
    {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`prettier failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { checked: number; unformatted: string[] };
  expect(result.checked).toBe(files.length);
  return result.unformatted;
}

describe('Apex formatting', () => {
  it('keeps every class as prettier-plugin-apex formats it', () => {
    const classes = listFiles(CLASSES_DIR, (file) => file.endsWith('.cls'));
    expect(classes.length).toBeGreaterThan(10);
    expect(uncheckedFiles(classes).map(relativeToRepo)).toEqual([]);
  });

  it('keeps every trigger as prettier-plugin-apex formats it', () => {
    const triggers = listFiles(TRIGGERS_DIR, (file) => file.endsWith('.trigger'));
    expect(triggers.length).toBeGreaterThan(0);
    expect(uncheckedFiles(triggers).map(relativeToRepo)).toEqual([]);
  });

  it('notices a badly formatted class (the check can fail)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sync-doctor-format-'));
    try {
      const file = path.join(dir, 'Messy.cls');
      writeFileSync(
        file,
        'public   with sharing class Messy{public static Integer one( ){return 1;}}\n',
      );
      expect(uncheckedFiles([file])).toEqual([file]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
