import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// npm links a package's bin at `npm ci`, before anything is built, and skips one whose file is
// missing: then `npx sync-doctor-relay` asks the registry instead. So the bin must be a committed file.
describe('the sync-doctor-relay command', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
    bin: Record<string, string>;
    files: string[];
  };

  test('is a committed file outside dist/, shipped with the package', () => {
    const target = pkg.bin['sync-doctor-relay'];
    expect(target).toMatch(/^\.\/bin\//);
    expect(existsSync(`${root}/${target}`)).toBe(true);
    expect(pkg.files).toContain('bin');
  });

  test('runs the built command (--help)', () => {
    const out = execFileSync(
      process.execPath,
      [`${root}/${pkg.bin['sync-doctor-relay']}`, '--help'],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/Usage: sync-doctor-relay/);
  });
});
