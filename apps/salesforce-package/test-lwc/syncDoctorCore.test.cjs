/**
 * @jest-environment node
 */
// The generated LWC module c/syncDoctorCore must be exactly what the generator makes from
// packages/core today, and something Salesforce's LWC compiler accepts.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { transformSync } = require('@lwc/compiler');

const packageDir = path.resolve(__dirname, '..');
const generator = path.join(packageDir, 'scripts/generate-core-module.mjs');
const modulePath = path.resolve(
  packageDir,
  '../../force-app/main/default/lwc/syncDoctorCore/syncDoctorCore.js',
);
const source = fs.readFileSync(modulePath, 'utf8');

const repoRoot = path.resolve(packageDir, '../..');
const moduleInRepo = path.relative(repoRoot, modulePath).split(path.sep).join('/');

function runGenerator(args) {
  return spawnSync(process.execPath, [generator, ...args], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 60000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/**
 * The copy to hold against a fresh build. `npm test` builds first, and the build rewrites the
 * module, so on CI (a fresh clone) the copy that matters is the committed one: read it from git.
 * Locally it is the working copy, so a core change shows up before it is committed.
 */
function referenceCopy() {
  if (!process.env.CI) return { what: 'working copy', text: source };
  const shown = spawnSync('git', ['show', `HEAD:${moduleInRepo}`], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (shown.status !== 0)
    throw new Error(`CI is set but git cannot show the committed ${moduleInRepo}: ${shown.stderr}`);
  return { what: 'committed copy (git HEAD)', text: shown.stdout };
}

describe('c/syncDoctorCore, generated from packages/core', () => {
  it('is up to date with packages/core (run `npm run build -w apps/salesforce-package` and commit the module when this fails)', () => {
    const fresh = runGenerator(['--stdout']);
    expect(fresh.stderr).toBe('');
    expect(fresh.status).toBe(0);
    const reference = referenceCopy();
    // A plain boolean first: a 130 KB diff helps nobody; the message says what to do.
    expect({ [reference.what]: reference.text === fresh.stdout ? 'up to date' : 'stale' }).toEqual({
      [reference.what]: 'up to date',
    });
  });

  it('prints the whole module to a pipe that is read late (--stdout)', () => {
    // esbuild leaves stdout non-blocking, so a pipe whose reader falls behind (here one second;
    // on CI, a busy machine) takes only what fits before the generator exits, unless it waits.
    const counted = spawnSync(
      'sh',
      ['-c', '"$0" "$1" --stdout | (sleep 1; wc -c)', process.execPath, generator],
      { cwd: packageDir, encoding: 'utf8', timeout: 60000 },
    );
    expect(counted.status).toBe(0);
    expect(Number(counted.stdout.trim())).toBe(Buffer.byteLength(source));
  });

  it('--check accepts the module it has just written', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-doctor-core-'));
    const target = path.join(dir, 'syncDoctorCore.js');
    try {
      expect(runGenerator(['--out', target]).status).toBe(0);
      const result = runGenerator(['--check', '--out', target]);
      expect(result.stdout).toContain('is up to date');
      expect(result.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is reported out of date after a hand edit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-doctor-core-'));
    const edited = path.join(dir, 'syncDoctorCore.js');
    fs.writeFileSync(edited, source.replace('export {', 'const handEdit = 1;\nexport {'));
    try {
      const result = runGenerator(['--check', '--out', edited]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('is out of date with packages/core');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says it is generated and must not be edited', () => {
    expect(source.split('\n')[0]).toBe(
      '// generated from packages/core by apps/salesforce-package/scripts/generate-core-module.mjs — do not edit',
    );
  });

  it('is one self-contained module: no imports, no export *, no Node APIs', () => {
    expect(source).not.toMatch(/^import\s/m);
    expect(source).not.toMatch(/^export\s*\*/m);
    expect(source).not.toMatch(/\brequire\(|["']node:[a-z]|\bimport\.meta\b/);
    expect(Buffer.byteLength(source)).toBeLessThan(1000000);
  });

  it('exports the functions the components use', () => {
    const exported = /export\s*\{([^}]*)\}\s*;?\s*$/
      .exec(source)[1]
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    expect(exported).toEqual(
      expect.arrayContaining([
        'evaluateAccess',
        'mergeRequirements',
        'DEFAULT_REQUIREMENTS',
        'validateSnapshot',
        'planRemediation',
        'formatReport',
        'SUSPENSION_REASONS',
      ]),
    );
  });

  it('compiles with the LWC compiler as the service module c/syncDoctorCore', () => {
    const { code, warnings } = transformSync(source, 'syncDoctorCore.js', {
      namespace: 'c',
      name: 'syncDoctorCore',
    });
    expect(code).toContain('evaluateAccess');
    expect((warnings || []).filter((warning) => warning.level >= 1)).toEqual([]);
  });
});
