import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unsupportedNode } from '../src/nodeVersion.js';
import { relayTmpDir } from './childRelay.js';

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

  test('says its version (--version, -v): the package version, nothing else', () => {
    const { version } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v']) {
      const out = execFileSync(
        process.execPath,
        [`${root}/${pkg.bin['sync-doctor-relay']}`, flag],
        {
          encoding: 'utf8',
        },
      );
      expect(out).toBe(`${version}\n`);
    }
  });
});

// The system Node of many hosts is older than the one npm ci installs; on it the relay used to
// fail half-way with node:sqlite's stack trace and leave a freshly generated secret.key behind.
describe('the relay on a Node.js older than 24', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  // Preloaded before the relay: the Node version it reads is 20's.
  const asNode20 = `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'20.20.2'})`;

  test('says in one line which Node it needs and where it is, exit 2, nothing written', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-old-node-'));
    const tmp = relayTmpDir();
    try {
      const run = spawnSync(process.execPath, ['--import', asNode20, `${root}/dist/bin.js`], {
        encoding: 'utf8',
        env: {
          ...process.env,
          TMPDIR: tmp.path,
          RELAY_DATA_DIR: dataDir,
          RELAY_ADMIN_TOKEN: 'x'.repeat(32),
          PORT: '0',
        },
        timeout: 20_000,
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/needs Node\.js 24 or later; this is Node\.js 20\.20\.2/);
      expect(run.stderr).toMatch(/node_modules\/node\/bin\/node/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(readdirSync(dataDir)).toEqual([]);
      expect(readdirSync(tmp.path)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      tmp.remove();
    }
  });

  test('still says its version, which needs nothing of Node 24', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', asNode20, `${root}/dist/bin.js`, '--version'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  test('still prints --help, which needs nothing of Node 24', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', asNode20, `${root}/dist/bin.js`, '--help'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Usage: sync-doctor-relay/);
  });
});

describe('unsupportedNode', () => {
  test.each([
    ['24.0.0', false],
    ['24.21.0', false],
    ['25.1.0', false],
    ['23.11.1', true],
    ['20.20.2', true],
    ['', true],
  ])('Node %s refused: %s', (version, refused) => {
    expect(unsupportedNode(version) !== undefined).toBe(refused);
  });
});
