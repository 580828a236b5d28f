// force-app ships as a package: no TODO or FIXME left in it (`git grep` exits 1 when none).
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './lib/paths.js';

describe('force-app', () => {
  it('has no TODO or FIXME', () => {
    const grep = spawnSync('git', ['grep', '-n', 'TODO\\|FIXME', '--', 'force-app'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(grep.error).toBeUndefined();
    expect(grep.stdout).toBe('');
    expect(grep.status).toBe(1);
  });
});
