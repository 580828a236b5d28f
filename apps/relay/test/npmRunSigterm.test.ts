import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { assertBuilt, NODE_BIN, relayTmpDir } from './childRelay.js';
import { tempDir, waitFor } from './helpers.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The README's `npm run relay -w apps/relay`: npm runs the script through `sh -c`, and a shell
// that stays between npm and node does not pass SIGTERM on, so stopping npm (what an orchestrator
// does) left the relay running without draining, holding its port and data directory. The script
// execs node in place of the shell, so SIGTERM reaches the relay and it drains and exits.
describe('npm run relay', () => {
  test('passes SIGTERM on: the relay drains and exits with npm', async () => {
    assertBuilt();
    const dir = tempDir();
    // npm's and the relay's TMPDIR: their own, removed after the test.
    const tmp = relayTmpDir();
    const npm = spawn('npm', ['run', '--silent', 'relay'], {
      cwd: resolve(__dirname, '..'),
      env: {
        PATH: `${dirname(NODE_BIN)}:${resolve(__dirname, '../../../node_modules/node/bin')}:${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? dir.path,
        TMPDIR: tmp.path,
        HOST: '127.0.0.1',
        PORT: '0',
        RELAY_DATA_DIR: dir.path,
        RELAY_MAX_EVENT_LOOP_DELAY_MS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let relayPid = 0;
    npm.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    try {
      relayPid = await new Promise<number>((resolvePid, reject) => {
        npm.once('exit', (code) =>
          reject(new Error(`npm exited with ${code}:\n${lines.join('')}`)),
        );
        createInterface({ input: npm.stdout! }).on('line', (line) => {
          lines.push(line);
          const match = /"pid":(\d+).*sync-doctor-relay listening/.exec(line);
          if (match) resolvePid(Number(match[1]));
        });
      });
      const npmExited = new Promise<void>((done) => npm.once('exit', () => done()));
      npm.kill('SIGTERM');
      await npmExited;
      // The relay heard it (it logs "closing" when it starts draining) and is gone.
      await waitFor(() => !alive(relayPid), 15_000, 'the relay to exit after npm');
      expect(lines.some((line) => line.includes('"signal":"SIGTERM"'))).toBe(true);
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
      if (relayPid && alive(relayPid)) process.kill(relayPid, 'SIGKILL');
      dir.remove();
      tmp.remove();
    }
  });
});
