import {
  spawn,
  spawnSync,
  type ChildProcess,
  type SpawnSyncOptions,
  type SpawnSyncReturns,
} from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

// Child-process relays run the built binary with the project's Node 24, the way production does.
const RELAY_ROOT = resolve(__dirname, '..');
export const RELAY_BIN = join(RELAY_ROOT, 'dist', 'bin.js');
export const NODE_BIN = resolve(RELAY_ROOT, '../../node_modules/.bin/node');

export function assertBuilt(): void {
  if (!existsSync(RELAY_BIN))
    throw new Error(
      `${RELAY_BIN} is missing: run "npm run build -w apps/relay" (turbo's test task builds first)`,
    );
}

/**
 * Runs `node dist/bin.js` to its exit (20 s at most) with PATH and `env` as its whole environment:
 * for a start that must fail, with its exit code, stdout and stderr. `killSignal` for a relay that
 * might start anyway and must not outlive the test.
 */
export function runRelayBin(
  env: NodeJS.ProcessEnv,
  options: Pick<SpawnSyncOptions, 'killSignal'> = {},
): SpawnSyncReturns<string> {
  return spawnSync(NODE_BIN, [RELAY_BIN], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 20_000,
    ...options,
  });
}

export interface ChildRelay {
  url: string;
  process: ChildProcess;
  output: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node dist/bin.js` on a free port and resolves once it logs that it listens. */
export function startChildRelay(env: Record<string, string>): Promise<ChildRelay> {
  assertBuilt();
  const child = spawn(existsSync(NODE_BIN) ? NODE_BIN : process.execPath, [RELAY_BIN], {
    env: {
      PATH: process.env.PATH ?? '',
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
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
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
        resolvePromise({
          url: match[1]!,
          process: child,
          output,
          async kill(signal: NodeJS.Signals = 'SIGKILL') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            await exited;
          },
        });
      }
    });
  });
}
