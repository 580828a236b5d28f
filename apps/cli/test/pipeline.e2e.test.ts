/**
 * What a pipeline owner needs of `sync-doctor check`, run as a child process (node dist/bin.js):
 * --deadline bounding the whole check (the Salesforce CLI included) beside --timeout per request,
 * --quiet, and no `sf` nor request left running when the check is cancelled or its deadline passes.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
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
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { Interrupted } from '../src/deadline.js';
import { main } from '../src/main.js';
import { allCases, parseJunit } from './junitXml.js';
import { checkAt, close, listen } from './localServer.js';
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

/** A bound on waits for what should follow an abort at once; reaching it fails the test. */
const BOUND_MS = 5000;

function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${BOUND_MS} ms`)), BOUND_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * A server that takes requests and never answers. `requested` resolves once a request came,
 * `closed` once the server saw every connection that carried one close.
 */
async function neverAnswering(): Promise<{
  server: Server;
  url: string;
  requested: Promise<void>;
  closed: Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let first!: () => void;
  const requested = new Promise<void>((resolve) => (first = resolve));
  const server = createHttpServer((req) => {
    sockets.add(req.socket);
    first();
  });
  const url = await listen(server);
  const closed = requested.then(() =>
    Promise.all(
      [...sockets].map(
        (socket) =>
          new Promise<void>((resolve) =>
            socket.destroyed ? resolve() : socket.once('close', () => resolve()),
          ),
      ),
    ).then(() => undefined),
  );
  return { server, url, requested, closed };
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

describe('--deadline bounds the whole check', () => {
  it('a server that never answers: exit 75, TIMED_OUT saying what had been read, in --json and --junit too', async () => {
    const silent = createHttpServer(() => undefined);
    const url = await listen(silent);
    const report = join(dir, 'silent.xml');
    try {
      const run = await cli([...checkAt(url), '--deadline', '1s', '--json', '--junit', report]);
      expect(run.code).toBe(75);
      const { error } = JSON.parse(run.stdout);
      expect(error).toEqual({
        errorCode: 'TIMED_OUT',
        message: expect.stringMatching(
          /^The check did not finish within 1 s \(--deadline\): it was reading u@acme\.example's access\. Done by then: connected to http:\/\/127\.0\.0\.1:\d+; [1-9]\d* API requests? sent\./,
        ),
        deadlineSeconds: 1,
        step: "reading u@acme.example's access",
        done: [`connected to ${url}`],
        requests: expect.any(Number),
        retryable: true,
      });
      expect(error.requests).toBeGreaterThan(0);
      expect(run.stderr).toContain('Could not diagnose: TIMED_OUT');
      expect(run.stderr).toContain('The check did not finish within 1 s (--deadline)');
      const xml = readFileSync(report, 'utf8');
      expect(xml).toContain('errors="1"');
      expect(xml).toMatch(/type="TIMED_OUT"/);
      expect(xml).toContain("it was reading u@acme.example's access");
      // The whole report parses: one testcase, in error, saying why.
      const parsed = parseJunit(xml);
      expect(parsed).toMatchObject({ tests: 1, failures: 0, errors: 1 });
      expect(allCases(parsed).map((c) => c.error?.type)).toEqual(['TIMED_OUT']);
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
      const run = await cli([...checkAt(url), '--deadline', '500ms']);
      expect(run.code).toBe(75);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Could not diagnose: TIMED_OUT');
      expect(run.stderr).toContain('did not finish within 0.5 s (--deadline)');
    } finally {
      await close(stalling);
    }
  });

  it('a Salesforce CLI that hangs: TIMED_OUT, nothing read yet, and the sf process is gone when the CLI exits', async () => {
    const pidFile = join(dir, 'deadline-sf.pid');
    const report = join(dir, 'deadline-sf.xml');
    const run = await cli(
      ['check', '--target-org', 'prod', '--deadline', '1', '--json', '--junit', report],
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
    expect(allCases(parseJunit(readFileSync(report, 'utf8'))).map((c) => c.error?.type)).toEqual([
      'TIMED_OUT',
    ]);
    const sfPid = Number(readFileSync(pidFile, 'utf8'));
    expect(exists(sfPid)).toBe(false);
  });

  it('a check that finishes in time is unchanged by --deadline', async () => {
    const [plain, bounded] = await Promise.all([
      cli(['check', '--demo', 'read-only-contacts', '--json']),
      cli(['check', '--demo', 'read-only-contacts', '--json', '--deadline', '5m']),
    ]);
    expect(bounded.code).toBe(1);
    expect(JSON.parse(bounded.stdout).verdict).toBe('blocked');
    expect(stable(bounded.stdout)).toBe(stable(plain.stdout));
  });

  it('--deadline 2s with --timeout 600: the deadline wins, exit 75 TIMED_OUT, and the request was aborted (the server saw its socket close)', async () => {
    const silent = await neverAnswering();
    try {
      const run = await cli([
        ...checkAt(silent.url),
        '--timeout',
        '600',
        '--deadline',
        '2s',
        '--json',
      ]);
      expect(run.code).toBe(75);
      expect(JSON.parse(run.stdout).error).toMatchObject({
        errorCode: 'TIMED_OUT',
        deadlineSeconds: 2,
        retryable: true,
      });
      expect(run.stderr).toContain('Could not diagnose: TIMED_OUT');
      await within(silent.closed, 'the server saw the socket close');
    } finally {
      await close(silent.server);
    }
  });

  it('--timeout 1 within --deadline 30s: each request still gives up after --timeout, REQUEST_TIMEOUT as before', async () => {
    const silent = await neverAnswering();
    try {
      const run = await cli([...checkAt(silent.url), '--timeout', '1', '--deadline', '30s']);
      expect(run.code).toBe(75);
      expect(run.stderr).toContain('Could not diagnose: REQUEST_TIMEOUT');
      expect(run.stderr).toMatch(
        new RegExp(`No answer from ${silent.url}/services/data/v\\d+\\.\\d/\\S+ within 1 s`),
      );
      expect(run.stderr).not.toContain('TIMED_OUT');
    } finally {
      await close(silent.server);
    }
  });

  it.each(['soon', '0', '2h', '5x'])(
    '--deadline %s is a usage error: exit 2, the accepted forms named, BAD_USAGE with --json',
    async (value) => {
      const run = await cli(['check', '--demo', 'healthy', '--deadline', value, '--json']);
      expect(run.code).toBe(2);
      // Wrapped to the width (80 columns when stderr is not a terminal).
      expect(run.stderr.replace(/\n(?!\n)/g, ' ')).toContain(
        `sync-doctor: --deadline takes a duration above 0 and at most 1h, such as 90s, 5m, 1m30s or plain seconds (90), not '${value}'`,
      );
      expect(JSON.parse(run.stdout).error).toMatchObject({
        errorCode: 'BAD_USAGE',
        retryable: false,
      });
    },
  );
});

describe('--deadline in-process (main)', () => {
  it('a deadline that passes mid-check: 75 and TIMED_OUT, returned to the caller', async () => {
    const run = memoryIo();
    const code = await main(
      ['check', '--demo', 'read-only-contacts', '--deadline', '1ms', '--json'],
      run.io,
    );
    expect(code).toBe(75);
    expect(JSON.parse(run.stdout()).error).toMatchObject({
      errorCode: 'TIMED_OUT',
      retryable: true,
      message: expect.stringContaining('within 0.001 s (--deadline)'),
    });
    expect(run.stderr()).toContain('Could not diagnose: TIMED_OUT');
  });

  it('--deadline 2s against a server that never answers: 75 TIMED_OUT, and the request is aborted, not left running (its socket closed)', async () => {
    const silent = await neverAnswering();
    try {
      const run = memoryIo();
      // --timeout 600: only the deadline can end the request within the test.
      const code = await main(
        [...checkAt(silent.url), '--timeout', '600', '--deadline', '2s', '--json'],
        run.io,
      );
      expect(code).toBe(75);
      expect(JSON.parse(run.stdout()).error).toMatchObject({
        errorCode: 'TIMED_OUT',
        step: "reading u@acme.example's access",
      });
      // In this process, a request only dropped would hold its socket open for 600 s.
      await within(silent.closed, 'the server saw the socket close');
    } finally {
      await close(silent.server);
    }
  });

  it("SIGINT's abort of the run's controller (io.cancel): 130 INTERRUPTED, and the request in flight aborted", async () => {
    const silent = await neverAnswering();
    try {
      const run = memoryIo();
      const cancel = new AbortController();
      const checked = main([...checkAt(silent.url), '--json'], { ...run.io, cancel });
      await within(silent.requested, 'a request reached the server');
      cancel.abort(new Interrupted('SIGINT', 130));
      expect(await within(checked, 'the check returned')).toBe(130);
      expect(JSON.parse(run.stdout()).error).toMatchObject({
        errorCode: 'INTERRUPTED',
        signal: 'SIGINT',
        retryable: true,
      });
      await within(silent.closed, 'the server saw the socket close');
    } finally {
      await close(silent.server);
    }
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

describe('cancelled as a terminal and a CI runner cancel', () => {
  /** Gone, or a zombie that only waits for whoever adopted it to reap it. */
  function stopped(pid: number): boolean {
    if (!exists(pid)) return true;
    try {
      const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
      return state.trim() === '' || state.trim().startsWith('Z');
    } catch {
      return true;
    }
  }

  async function stops(pid: number): Promise<void> {
    while (!stopped(pid)) await new Promise((r) => setTimeout(r, 20));
  }

  function start(args: string[], pidFile: string, detached: boolean) {
    const child = spawn(NODE, [BIN, ...args], {
      cwd: ROOT,
      env: childEnv(withHangingSf(pidFile)),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached,
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').resume();
    const exited = new Promise<number | string | null>((done) =>
      child.on('close', (code, sig) => done(code ?? sig)),
    );
    return { child, exited, stdout: () => stdout };
  }

  it("Ctrl-C at a terminal (SIGINT to the foreground process group): sf, in a group of its own, is stopped by the CLI's forwarding, exit 130", async () => {
    const pidFile = join(dir, 'ctrl-c.pid');
    // The CLI leads a process group as a shell's foreground job does; the terminal's SIGINT goes
    // to that group, which sf (started in a group of its own) is not in.
    const run = start(['check', '--target-org', 'prod', '--json'], pidFile, true);
    const sfPid = Number(await within(fileAppears(pidFile), 'sf started'));
    process.kill(-run.child.pid!, 'SIGINT');
    expect(await within(run.exited, 'the CLI exited')).toBe(130);
    expect(exists(sfPid)).toBe(false);
    expect(JSON.parse(run.stdout()).error).toMatchObject({
      errorCode: 'INTERRUPTED',
      signal: 'SIGINT',
    });
  });

  it('the terminal closed (SIGHUP, at a terminal): sf, which the hang-up does not reach, is stopped too, exit 129', async () => {
    const pidFile = join(dir, 'hangup.pid');
    const child = spawn(
      NODE,
      ['--import', TTY_STDERR, BIN, 'check', '--target-org', 'prod', '--json'],
      { cwd: ROOT, env: childEnv(withHangingSf(pidFile)), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.resume();
    const exited = new Promise<number | string | null>((done) =>
      child.on('close', (code, sig) => done(code ?? sig)),
    );
    const sfPid = Number(await within(fileAppears(pidFile), 'sf started'));
    child.kill('SIGHUP');
    expect(await within(exited, 'the CLI exited')).toBe(129);
    expect(exists(sfPid)).toBe(false);
    expect(JSON.parse(stdout).error).toMatchObject({ errorCode: 'INTERRUPTED', signal: 'SIGHUP' });
  });

  it('SIGHUP away from a terminal (a CI runner, a supervisor, cron: no TTY, stdin /dev/null) is met as SIGTERM: exit 129, sf stopped, --json and --junit say INTERRUPTED', async () => {
    const pidFile = join(dir, 'hangup-no-tty.pid');
    const junit = join(dir, 'hangup-no-tty.xml');
    const run = start(
      ['check', '--target-org', 'prod', '--json', '--junit', junit],
      pidFile,
      false,
    );
    const sfPid = Number(await within(fileAppears(pidFile), 'sf started'));
    run.child.kill('SIGHUP');
    expect(await within(run.exited, 'the CLI exited')).toBe(129);
    await within(stops(sfPid), 'sf stopped');
    expect(JSON.parse(run.stdout()).error).toMatchObject({
      errorCode: 'INTERRUPTED',
      signal: 'SIGHUP',
      retryable: true,
    });
    expect(readFileSync(junit, 'utf8')).toContain('type="INTERRUPTED"');
  });

  it('SIGTERM twice (a runner that does not wait): exit 143 at once, sf stopped, --json and --junit whole and INTERRUPTED', async () => {
    const pidFile = join(dir, 'twice.pid');
    const report = join(dir, 'twice.xml');
    const run = start(
      ['check', '--target-org', 'prod', '--json', '--junit', report],
      pidFile,
      false,
    );
    const sfPid = Number(await within(fileAppears(pidFile), 'sf started'));
    run.child.kill('SIGTERM');
    run.child.kill('SIGTERM');
    expect(await within(run.exited, 'the CLI exited')).toBe(143);
    await within(stops(sfPid), 'sf stopped');
    expect(JSON.parse(run.stdout()).error).toMatchObject({
      errorCode: 'INTERRUPTED',
      signal: 'SIGTERM',
      retryable: true,
    });
    const xml = parseJunit(readFileSync(report, 'utf8'));
    expect(allCases(xml).map((c) => c.error?.type)).toEqual(['INTERRUPTED']);
  });
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
