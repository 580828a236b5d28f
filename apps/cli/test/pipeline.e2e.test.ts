/**
 * What a pipeline owner needs of `sync-doctor check`, run as a child process (node dist/bin.js):
 * --timeout bounding the whole check (the Salesforce CLI included), --quiet, and no `sf` left
 * running when the check is cancelled or its deadline passes.
 */
import { execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { main } from '../src/main.js';
import { memoryIo } from './support.js';

const ROOT = resolve(__dirname, '..', '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const BIN = join(ROOT, 'apps', 'cli', 'dist', 'bin.js');
const TTY_STDERR = join(ROOT, 'apps', 'cli', 'test', 'ttyStderr.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function childEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
  if (!('FORCE_COLOR' in env)) delete merged.FORCE_COLOR;
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged;
}

function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
  preload: string[] = [],
): Promise<Run> {
  return new Promise((done) => {
    execFile(
      NODE,
      [...preload, BIN, ...args],
      { cwd: ROOT, env: childEnv(env), timeout: 25_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/**
 * Output without what differs between two runs of the same check: the times (judged at, the
 * simulated org's latest login) and the simulated org's port.
 */
function stable(stdout: string): string {
  return stdout
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, 'TIME')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
}

/** Whether a process with this id exists (a zombie counts: its parent has not reaped it). */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function fileAppears(path: string): Promise<string> {
  while (!existsSync(path) || readFileSync(path, 'utf8').trim() === '')
    await new Promise((r) => setTimeout(r, 20));
  return readFileSync(path, 'utf8').trim();
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}

let sim: OrgSimulator;
let dir: string;
/** A directory whose `sf` writes its pid to $SF_PID_FILE and then hangs (a prompt, a network). */
let hangingSfDir: string;
beforeAll(async () => {
  sim = await startOrgSimulator({ fixture: 'read-only-contacts', port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-pipeline-'));
  hangingSfDir = join(dir, 'bin');
  mkdirSync(hangingSfDir);
  const sf = join(hangingSfDir, 'sf');
  writeFileSync(sf, '#!/bin/sh\necho $$ > "$SF_PID_FILE"\nexec sleep 30\n');
  chmodSync(sf, 0o755);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await sim.close();
});

const withHangingSf = (pidFile: string) => ({
  PATH: `${hangingSfDir}${delimiter}${process.env.PATH}`,
  SF_PID_FILE: pidFile,
});

describe('--timeout bounds the whole check', () => {
  it('a server that never answers: exit 75, TIMED_OUT saying what had been read, in --json and --junit too', async () => {
    const silent = createHttpServer(() => undefined);
    const url = await listen(silent);
    const report = join(dir, 'silent.xml');
    try {
      const run = await cli([
        'check',
        '--instance-url',
        url,
        '--access-token',
        't',
        '--user',
        'u@acme.example',
        '--timeout',
        '1s',
        '--json',
        '--junit',
        report,
      ]);
      expect(run.code).toBe(75);
      const { error } = JSON.parse(run.stdout);
      expect(error).toEqual({
        errorCode: 'TIMED_OUT',
        message: expect.stringMatching(
          /^The check did not finish within 1 s \(--timeout\): it was reading u@acme\.example's access\. Done by then: connected to http:\/\/127\.0\.0\.1:\d+; [1-9]\d* API requests? sent\./,
        ),
        timeoutSeconds: 1,
        step: "reading u@acme.example's access",
        done: [`connected to ${url}`],
        requests: expect.any(Number),
        retryable: true,
      });
      expect(error.requests).toBeGreaterThan(0);
      expect(run.stderr).toContain('Could not diagnose: TIMED_OUT');
      expect(run.stderr).toContain('The check did not finish within 1 s (--timeout)');
      const xml = readFileSync(report, 'utf8');
      expect(xml).toContain('errors="1"');
      expect(xml).toMatch(/type="TIMED_OUT"/);
      expect(xml).toContain("it was reading u@acme.example's access");
    } finally {
      await close(silent);
    }
  });

  it('a server that sends headers and stalls the body: the deadline covers the whole answer', async () => {
    const stalling = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      res.write('{"totalSize": 1, "done": true, "records": [');
    });
    const url = await listen(stalling);
    try {
      const run = await cli([
        'check',
        '--instance-url',
        url,
        '--access-token',
        't',
        '--user',
        'u@acme.example',
        '--timeout',
        '500ms',
      ]);
      expect(run.code).toBe(75);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Could not diagnose: TIMED_OUT');
      expect(run.stderr).toContain('did not finish within 0.5 s (--timeout)');
    } finally {
      await close(stalling);
    }
  });

  it('a Salesforce CLI that hangs: TIMED_OUT, nothing read yet, and the sf process is gone when the CLI exits', async () => {
    const pidFile = join(dir, 'deadline-sf.pid');
    const report = join(dir, 'deadline-sf.xml');
    const run = await cli(
      ['check', '--target-org', 'prod', '--timeout', '1', '--json', '--junit', report],
      withHangingSf(pidFile),
    );
    expect(run.code).toBe(75);
    expect(JSON.parse(run.stdout).error).toMatchObject({
      errorCode: 'TIMED_OUT',
      step: "asking the Salesforce CLI for 'prod'",
      done: [],
      requests: 0,
      retryable: true,
      message: expect.stringContaining('Nothing had been read from the org yet.'),
    });
    expect(readFileSync(report, 'utf8')).toMatch(/type="TIMED_OUT"/);
    const sfPid = Number(readFileSync(pidFile, 'utf8'));
    expect(exists(sfPid)).toBe(false);
  });

  it('a check that finishes in time is unchanged by --timeout', async () => {
    const [plain, bounded] = await Promise.all([
      cli(['check', '--demo', 'read-only-contacts', '--json']),
      cli(['check', '--demo', 'read-only-contacts', '--json', '--timeout', '5m']),
    ]);
    expect(bounded.code).toBe(1);
    expect(JSON.parse(bounded.stdout).verdict).toBe('blocked');
    expect(stable(bounded.stdout)).toBe(stable(plain.stdout));
  });

  it.each(['soon', '0', '2h', '5x'])(
    '--timeout %s is a usage error: exit 2, the accepted forms named, BAD_USAGE with --json',
    async (value) => {
      const run = await cli(['check', '--demo', 'healthy', '--timeout', value, '--json']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `sync-doctor: --timeout takes a duration above 0 and at most 1h, such as 90s, 5m, 1m30s or plain seconds (90), not '${value}'`,
      );
      expect(JSON.parse(run.stdout).error).toMatchObject({
        errorCode: 'BAD_USAGE',
        retryable: false,
      });
    },
  );
});

describe('--timeout in-process (main)', () => {
  it('a deadline that passes mid-check: 75 and TIMED_OUT, returned to the caller', async () => {
    const run = memoryIo();
    const code = await main(
      ['check', '--demo', 'read-only-contacts', '--timeout', '1ms', '--json'],
      run.io,
    );
    expect(code).toBe(75);
    expect(JSON.parse(run.stdout()).error).toMatchObject({
      errorCode: 'TIMED_OUT',
      retryable: true,
      message: expect.stringContaining('within 0.001 s (--timeout)'),
    });
    expect(run.stderr()).toContain('Could not diagnose: TIMED_OUT');
  });
});

describe('cancelled while the Salesforce CLI runs', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    '%s stops the sf process and awaits its exit: exit %i, and its pid is gone',
    async (signal, expected) => {
      const pidFile = join(dir, `cancelled-${signal}.pid`);
      const child = spawn(NODE, [BIN, 'check', '--target-org', 'prod', '--json'], {
        cwd: ROOT,
        env: childEnv(withHangingSf(pidFile)),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | string | null>((done) =>
        child.on('close', (code, sig) => done(code ?? sig)),
      );
      const sfPid = Number(await fileAppears(pidFile));
      expect(exists(sfPid)).toBe(true);
      child.kill(signal);
      expect(await exited).toBe(expected);
      expect(exists(sfPid)).toBe(false);
      // What the check met once sf was stopped (sf gave no answer) is not printed after the
      // interruption: one JSON document, and the interruption's line last on stderr.
      expect(JSON.parse(stdout).error).toMatchObject({ errorCode: 'INTERRUPTED', signal });
      expect(stderr).toMatch(
        /sync-doctor: interrupted \(SIG\w+\) before the check finished;[^\n]*\n$/,
      );
    },
  );
});

describe('--quiet', () => {
  it('prints no progress on stderr; stdout is the same', async () => {
    const [loud, quiet] = await Promise.all([
      cli(['check', '--demo', 'read-only-contacts']),
      cli(['check', '--demo', 'read-only-contacts', '--quiet']),
    ]);
    expect(loud.stderr).toContain("sync-doctor: starting the simulated org 'read-only-contacts'");
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toBe('');
    expect(stable(quiet.stdout)).toBe(stable(loud.stdout));
  });

  it('with --json: the same JSON on stdout, nothing on stderr', async () => {
    const [loud, quiet] = await Promise.all([
      cli(['check', '--demo', 'read-only-contacts', '--json']),
      cli(['check', '--demo', 'read-only-contacts', '--json', '-q']),
    ]);
    expect(quiet.code).toBe(1);
    expect(stable(quiet.stdout)).toBe(stable(loud.stdout));
    expect(loud.stderr).not.toBe('');
    expect(quiet.stderr).toBe('');
  });

  it('on a terminal: no spinner, and an error is still printed, without colour', async () => {
    const args = [
      'check',
      '--instance-url',
      sim.url,
      '--access-token',
      'not-the-session',
      '--user',
      sim.integrationUser.Username,
    ];
    const env = { NO_COLOR: undefined, FORCE_COLOR: '1' };
    const [loud, quiet] = await Promise.all([
      cli(args, env, ['--import', TTY_STDERR]),
      cli([...args, '--quiet'], env, ['--import', TTY_STDERR]),
    ]);
    expect(loud.code).toBe(2);
    expect(loud.stderr).toMatch(/\u001b\[/);
    expect(quiet.code).toBe(2);
    expect(quiet.stderr).toContain('Could not diagnose');
    expect(quiet.stderr).toContain('INVALID_SESSION_ID');
    expect(quiet.stderr).not.toMatch(/\u001b|\r|⠋/);
  });
});
