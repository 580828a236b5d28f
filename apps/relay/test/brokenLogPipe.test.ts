import { assertBuilt, startChildRelay } from './childRelay.js';
import { tempDir } from './helpers.js';

// The relay logs JSON lines to stdout, synchronously. When whatever reads them goes away (a log
// shipper that died, a journald restart, a parent process gone) every write fails with EPIPE.
// pino then stops logging, but a line that failed during the exit itself was retried for ever by
// its stream's flushSync (sonic-boom 4 retried every error, not only EAGAIN, 100 ms apart): the
// relay hung at exit with its main thread asleep, and SIGTERM, SIGINT and the 10 s forced exit
// never ran. Orchestrators fall back to SIGKILL, a test harness leaves an orphan.
describe('a relay whose log reader has gone', () => {
  test('still drains and exits on SIGTERM', async () => {
    assertBuilt();
    const dir = tempDir();
    const relay = await startChildRelay({ RELAY_DATA_DIR: dir.path });
    try {
      const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
        relay.process.once('exit', (code, signal) => done({ code, signal })),
      );
      // Close the reading end of the relay's stdout: its next log line meets EPIPE.
      relay.process.stdout!.destroy();
      relay.process.kill('SIGTERM');
      // The deadline is cleared once the race is decided: left running, its 15 s timer kept jest
      // from exiting after the last test file (this one, the smallest, runs last without a cache).
      let deadline: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        exited,
        new Promise<string>((late) => {
          deadline = setTimeout(() => late('still running after 15 s'), 15_000);
        }),
      ]).finally(() => clearTimeout(deadline));
      expect(outcome).toEqual({ code: 0, signal: null });
    } finally {
      await relay.kill('SIGKILL');
      dir.remove();
    }
  });
});
