import {
  spawn,
  spawnSync,
  type ChildProcess,
  type SpawnSyncOptions,
  type SpawnSyncReturns,
} from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

// Child-process relays run the built binary with the project's Node 24, the way production does.
const RELAY_ROOT = resolve(__dirname, '..');
export const RELAY_BIN = join(RELAY_ROOT, 'dist', 'bin.js');
export const NODE_BIN = resolve(RELAY_ROOT, '../../node_modules/.bin/node');

/**
 * A directory of its own for a relay process's TMPDIR. A PostgreSQL relay spools uploads in a private
 * directory under os.tmpdir() (sync-doctor-spool-*, holding its owner.lock), which a SIGKILL leaves
 * behind; in the machine's shared /tmp, every CI run left a few, and relays of other test files
 * could sweep each other's. Given TMPDIR=path, whatever the relay leaves goes with remove(). Those
 * not removed by the test are removed after its file (afterAll), whether its tests passed or not.
 * `owner`: the uid and gid a relay is run as (spawn's uid/gid), who must be able to write in it.
 */
export function relayTmpDir(owner: { uid?: number; gid?: number } = {}): {
  path: string;
  remove(): void;
} {
  const path = mkdtempSync(join(tmpdir(), 'sync-doctor-relay-tmp-'));
  if (owner.uid !== undefined) chownSync(path, owner.uid, owner.gid ?? -1);
  const made = {
    path,
    remove() {
      rmSync(path, { recursive: true, force: true });
      tmpDirs.delete(made);
    },
  };
  tmpDirs.add(made);
  return made;
}

const tmpDirs = new Set<{ remove(): void }>();
const running = new Set<ChildRelay>();
// Imported by a test file, this runs after its tests: a relay a failed test left running is
// stopped, and every relayTmpDir still there removed.
if (typeof afterAll === 'function')
  afterAll(async () => {
    await Promise.all([...running].map((child) => child.kill('SIGKILL')));
    for (const dir of [...tmpDirs]) dir.remove();
  });

/**
 * What a relay process gets of the test's own environment: PATH, its TMPDIR, and libfaketime's
 * variables when they are set. A run of the suite on a later date
 * (scripts/test-on-a-later-date.sh) must move the relays' clock too, or they refuse the test's
 * signatures as stale. Unset, as on CI, they add nothing.
 */
export function childEnv(tmpDir: string): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', TMPDIR: tmpDir };
  for (const name of ['LD_PRELOAD', 'FAKETIME', 'FAKETIME_DONT_FAKE_MONOTONIC']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

export function assertBuilt(): void {
  if (!existsSync(RELAY_BIN))
    throw new Error(
      `${RELAY_BIN} is missing: run "npm run build -w apps/relay" (turbo's test task builds first)`,
    );
}

/**
 * Runs `node dist/bin.js [args]` to its exit (20 s at most) with childEnv (a TMPDIR of its own,
 * removed after it) and `env` as its whole environment: for a start that must fail, with its exit
 * code, stdout and stderr. `killSignal` for a relay that might start anyway and must not outlive
 * the test; `timeout` for a start that may take longer; `uid`/`gid` to run it as another user (its
 * TMPDIR is theirs).
 */
export function runRelayBin(
  env: NodeJS.ProcessEnv,
  {
    args = [],
    ...options
  }: Pick<SpawnSyncOptions, 'killSignal' | 'timeout' | 'uid' | 'gid'> & {
    args?: string[];
  } = {},
): SpawnSyncReturns<string> {
  const tmp = relayTmpDir(options);
  try {
    return spawnSync(NODE_BIN, [RELAY_BIN, ...args], {
      encoding: 'utf8',
      env: { ...childEnv(tmp.path), ...env },
      timeout: 20_000,
      ...options,
    });
  } finally {
    tmp.remove();
  }
}

export interface ChildRelay {
  url: string;
  process: ChildProcess;
  output: string[];
  /** Its TMPDIR: where a PostgreSQL relay keeps its spool (env.TMPDIR when given). */
  tmpDir: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node dist/bin.js` on a free port and resolves once it logs that it listens. Its TMPDIR is
 * a relayTmpDir removed once it exits, however it ends (env.TMPDIR, when given, is left alone:
 * relays meant to share one).
 */
export function startChildRelay(env: Record<string, string>): Promise<ChildRelay> {
  assertBuilt();
  const tmp = env.TMPDIR === undefined ? relayTmpDir() : null;
  const tmpDir = env.TMPDIR ?? tmp!.path;
  const child = spawn(existsSync(NODE_BIN) ? NODE_BIN : process.execPath, [RELAY_BIN], {
    env: {
      ...childEnv(tmpDir),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      RELAY_MAX_EVENT_LOOP_DELAY_MS: '0',
      RELAY_ALLOW_PRIVATE_TARGETS: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      tmp?.remove();
      done();
    }),
  );
  return new Promise((resolvePromise, reject) => {
    // A relay that does not start is killed: left running, it (and its pipes) kept jest from exiting.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay did not start:\n${output.join('\n')}`));
    }, 30_000);
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${output.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const match = /"address":"(http:\/\/127\.0\.0\.1:\d+)".*sync-doctor-relay listening/.exec(
        line,
      );
      if (match) {
        clearTimeout(timer);
        const relay: ChildRelay = {
          url: match[1]!,
          process: child,
          output,
          tmpDir,
          async kill(signal: NodeJS.Signals = 'SIGKILL') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            await exited;
          },
        };
        running.add(relay);
        void exited.then(() => running.delete(relay));
        resolvePromise(relay);
      }
    });
  });
}
