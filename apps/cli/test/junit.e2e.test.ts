/**
 * `sync-doctor check --junit FILE` as a child process against the --demo fixtures: the report a
 * CI pipeline reads, beside the normal stdout and exit code.
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { allCases, parseJunit } from './junitXml.js';

const ROOT = resolve(__dirname, '..', '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const BIN = join(ROOT, 'apps', 'cli', 'dist', 'bin.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  return new Promise((done) => {
    execFile(NODE, [BIN, ...args], { cwd: ROOT, env, timeout: 25_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-junit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (file: string) => parseJunit(readFileSync(file, 'utf8'));

describe('many findings alike', () => {
  it('the tables show a few and say how many more; --json, --junit and --report keep every one', async () => {
    // 40 mapped fields the org does not have: 40 FIELD_MAPPINGS_MISSING errors alike.
    const requirements = join(dir, 'forty-missing-fields.json');
    const missing = Array.from({ length: 40 }, (_, i) => `Contact.Missing_${i}__c`);
    writeFileSync(
      requirements,
      JSON.stringify({ fields: missing.map((name) => ({ name, access: ['read', 'edit'] })) }),
    );
    const file = join(dir, 'forty.xml');
    const base = ['check', '--demo', 'read-only-contacts', '--requirements', requirements];
    const [human, json, report] = await Promise.all([
      cli([...base, '--junit', file]),
      cli([...base, '--json']),
      cli([...base, '--report']),
    ]);
    for (const run of [human, json, report]) expect(run.code).toBe(1);

    const findings = human.stdout.slice(human.stdout.indexOf('Findings ('));
    expect(
      findings.match(/ERROR\s+Contact\.Missing_\d+__c\s+FIELD_MAPPINGS_MISSING/g),
    ).toHaveLength(5);
    expect(findings.replace(/\s+/g, ' ')).toContain(
      '… and 35 more FIELD_MAPPINGS_MISSING errors like these: run with --json or --report for all 40.',
    );

    const subjects = (JSON.parse(json.stdout).findings as { reason: string; subject: string }[])
      .filter((f) => f.reason === 'FIELD_MAPPINGS_MISSING')
      .map((f) => f.subject);
    expect(subjects).toEqual(missing);
    for (const name of missing) expect(report.stdout).toContain(`${name} `);
    const failing = allCases(read(file)).filter(
      (c) => c.failure && /Contact\.Missing_\d+__c/.test(c.name),
    );
    expect(failing).toHaveLength(40);
  });
});

describe('check --junit', () => {
  it('healthy: every testcase passes, one suite per area, and stdout is the usual tables', async () => {
    const file = join(dir, 'healthy.xml');
    const run = await cli(['check', '--demo', 'healthy', '--junit', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Verdict: HEALTHY');
    expect(run.stdout).not.toContain('<?xml');
    const report = read(file);
    expect(report.failures).toBe(0);
    expect(report.suites.map((s) => s.name)).toEqual([
      'Integration user and system permissions',
      'Object permissions',
      'Field-level security',
      'Org limits',
      "HubSpot's connected app and logins",
    ]);
    const names = allCases(report).map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Integration user hubspot.integration@acme.example: active, not frozen',
        'System permission: API Enabled',
        'Permission set: HubSpot Integration Permissions',
        'Contact: read, create, edit',
        'Contact.Email: read, edit',
        'Data storage',
        "HubSpot's logins as the integration user",
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
    // Judged together from one snapshot: no check has a time of its own.
    expect(allCases(report).every((c) => c.time === '0')).toBe(true);
    // Written by rename: no temporary file is left beside it.
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('read-only-contacts: the Contact testcase fails with the remedy; testcase names match a healthy run', async () => {
    const file = join(dir, 'read-only.xml');
    const run = await cli(['check', '--demo', 'read-only-contacts', '--json', '--junit', file]);
    expect(run.code).toBe(1);
    // --json's stdout is still the diagnosis alone.
    expect(JSON.parse(run.stdout).verdict).toBe('blocked');
    const report = read(file);
    expect(report.failures).toBe(1);
    const failed = allCases(report).filter((c) => c.failure);
    expect(failed.map((c) => [c.classname, c.name])).toEqual([
      ['Object permissions', 'Contact: read, create, edit'],
    ]);
    const { failure } = failed[0]!;
    expect(failure!.type).toBe('OBJECT_PERMISSIONS_MISSING');
    expect(failure!.message).toBe(
      "'hubspot.integration@acme.example' cannot Create and Edit Contact records (it has Read).",
    );
    expect(failure!.body).toContain(failure!.message);
    expect(failure!.body).toMatch(/Remedy: Give the user Read, Create and Edit on Contact/);
    // The rule id stays in --json; the testcase's name already says which check failed.
    expect(failure!.body).not.toMatch(/Rule:|object-permissions/);

    // Stable names: the same tests as in a healthy org, so a pipeline tracks each one over time.
    const healthy = join(dir, 'healthy-again.xml');
    await cli(['check', '--demo', 'healthy', '--junit', healthy]);
    const key = (r: ReturnType<typeof read>) =>
      allCases(r).map((c) => `${c.classname} / ${c.name}`);
    expect(key(report)).toEqual(key(read(healthy)));
  });

  it('a warning passes with the warning in <system-out>; --fail-on warning makes it a failure', async () => {
    const file = join(dir, 'warning.xml');
    const run = await cli(['check', '--demo', 'api-limit-near', '--junit', file]);
    expect(run.code).toBe(0);
    const report = read(file);
    expect(report.failures).toBe(0);
    const daily = allCases(report).find(
      (c) => c.name === 'API requests, last 24 hours (whole org)',
    )!;
    expect(daily.failure).toBeUndefined();
    expect(daily.systemOut).toContain('WARNING At risk:');
    expect(daily.systemOut).toContain('Remedy:');

    const strict = join(dir, 'warning-strict.xml');
    const strictRun = await cli([
      'check',
      '--demo',
      'api-limit-near',
      '--fail-on',
      'warning',
      '--junit',
      strict,
    ]);
    expect(strictRun.code).toBe(1);
    const strictReport = read(strict);
    const failed = allCases(strictReport).filter((c) => c.failure);
    // HubSpot's entry in this demo has the org's own maximum, so no per-app quota of its own: only
    // the org's limit is judged (the core's judgeLimits).
    expect(failed.map((c) => c.name)).toEqual(['API requests, last 24 hours (whole org)']);
    expect(failed[0]!.failure!.type).toBe('API_LIMIT_EXCEEDED');
    expect(failed[0]!.failure!.body).toContain('Remedy:');
  });

  it('escapes hostile names from a requirements file: the XML parses and gives the text back', async () => {
    // Field API names are checked by the requirements file (A-Z, 0-9, _), so '&', '<' and quotes
    // reach the report through a permission set's name and a HubSpot property, which are free text.
    const hostile = 'A&B<"x">\u0001 ]]> \'q\'';
    const requirements = join(dir, 'hostile.json');
    writeFileSync(
      requirements,
      JSON.stringify({
        permissionSets: [hostile],
        fields: [{ name: 'Contact.Hostile__c', hubspotProperty: 'p&q<"r">\u0008' }],
      }),
    );
    const file = join(dir, 'hostile.xml');
    const run = await cli([
      'check',
      '--demo',
      'healthy',
      '--requirements',
      requirements,
      '--junit',
      file,
    ]);
    expect(run.code).toBe(1);
    const report = read(file);
    const shown = 'A&B<"x">\uFFFD ]]> \'q\'';
    const set = allCases(report).find((c) => c.name === `Permission set: ${shown}`)!;
    expect(set.failure!.message).toContain(`'${shown}' is not assigned`);
    const field = allCases(report).find((c) => c.name === 'Contact.Hostile__c: read, edit')!;
    expect(field.failure!.type).toBe('FIELD_MAPPINGS_MISSING');
    expect(field.systemOut).toContain('HubSpot property: p&q<"r">\uFFFD');
  });

  it('the diagnosis cannot run (exit 75, nothing answered): the file holds one failing testcase saying why', async () => {
    const file = join(dir, 'not-diagnosed.xml');
    const run = await cli([
      'check',
      '--instance-url',
      'http://127.0.0.1:9',
      '--access-token',
      'x',
      '--user',
      'u@example.com',
      '--junit',
      file,
    ]);
    expect(run.code).toBe(75);
    const report = read(file);
    expect(report.tests).toBe(1);
    // An error (the check could not run), not a failure (a requirement not met).
    expect(report.errors).toBe(1);
    expect(report.failures).toBe(0);
    expect(report.suites[0]!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const [only] = allCases(report);
    expect(only!.name).toBe("Diagnose the HubSpot integration user's access");
    expect(only!.failure).toBeUndefined();
    expect(only!.error!.type).toBe('ECONNREFUSED');
    expect(only!.error!.message).toMatch(/^Could not diagnose: .*ECONNREFUSED/);
    expect(only!.error!.body).toContain('ORG_UNAVAILABLE');
    expect(only!.error!.body).toContain('Check --instance-url');
    expect(only!.error!.body).toContain('run again later (exit 75');

    // A mistake found once the check runs (an unknown fixture) is written too.
    const unknown = join(dir, 'unknown-fixture.xml');
    expect((await cli(['check', '--demo', 'nope', '--junit', unknown])).code).toBe(2);
    expect(allCases(read(unknown))[0]!.error!.message).toContain("Unknown demo fixture 'nope'");
  });

  it('a path that cannot be written: exit 2 at once with a clear message, and no diagnosis', async () => {
    const missing = join(dir, 'no-such-dir', 'report.xml');
    const run = await cli(['check', '--demo', 'read-only-contacts', '--junit', missing]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `sync-doctor: --junit ${missing}: the directory ${join(dir, 'no-such-dir')} does not exist (create it first)`,
    );
    expect(run.stdout).toBe('');
    expect(existsSync(missing)).toBe(false);

    const asDirectory = await cli(['check', '--demo', 'healthy', '--junit', dir]);
    expect(asDirectory.code).toBe(2);
    expect(asDirectory.stderr).toContain(`${dir} is a directory, not a file`);
  });

  it('a device, a pipe or /dev/stdout is refused at once and left as it was; a symbolic link gets the report at its target', async () => {
    // The report is renamed into place: over a FIFO (or, as root in a CI container, over
    // /dev/stdout or /dev/null) that would replace the special file with a regular one.
    const fifo = join(dir, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const piped = await cli(['check', '--demo', 'healthy', '--junit', fifo, '--json']);
    expect(piped.code).toBe(2);
    expect(piped.stderr.trim()).toBe(
      `sync-doctor: --junit ${fifo}: ${fifo} is not a regular file (a device, a pipe or a socket), which the report would replace: give the report's file name (it does not write to stdout)`,
    );
    expect(JSON.parse(piped.stdout).error.errorCode).toBe('BAD_INPUT');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    const toStdout = await cli(['check', '--demo', 'healthy', '--junit', '/dev/stdout']);
    expect(toStdout.code).toBe(2);
    expect(toStdout.stderr).toContain('is not a regular file');

    // A link kept in the workspace to a report elsewhere, before and after its first run.
    mkdirSync(join(dir, 'shared'));
    const link = join(dir, 'linked.xml');
    symlinkSync(join('shared', 'report.xml'), link);
    for (const fixture of ['read-only-contacts', 'healthy']) {
      const run = await cli(['check', '--demo', fixture, '--junit', link]);
      expect(run.code).toBe(fixture === 'healthy' ? 0 : 1);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(read(join(dir, 'shared', 'report.xml')).failures).toBe(fixture === 'healthy' ? 0 : 1);
    }
  });

  it('--junit - is refused: the report does not go to stdout', async () => {
    const dash = await cli(['check', '--demo', 'healthy', '--junit', '-']);
    expect(dash.code).toBe(2);
    expect(dash.stderr.split('\n')[0]).toBe(
      'sync-doctor: --junit needs a file name; it does not write to stdout (-)',
    );
  });
});
