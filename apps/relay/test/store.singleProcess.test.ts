import { createStore, DataDirInUseError } from '../src/store/index.js';
import { ADMIN_TOKEN, suspension, tempDir } from './helpers.js';
import { startChildRelay, type ChildRelay } from './childRelay.js';

// A SQLite data directory belongs to one relay process: each keeps the statuses in memory, so a
// second process writing the same file would leave the first answering stale state. The second
// one must refuse to start, and say what to do instead.
describe('one process per SQLite data directory', () => {
  const portal = {
    id: 'solo',
    name: null,
    signingSecretSealed: 's',
    inboundTokenHash: 'h',
    salesforceSealed: null,
  };

  test('a second store on the directory is refused at once, with the directory and DATABASE_URL named; once the first closes it opens', async () => {
    const dir = tempDir();
    try {
      const first = await createStore({ dataDir: dir.path });
      await first.createPortal(portal);
      const started = Date.now();
      const second = createStore({ dataDir: dir.path });
      await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
      await expect(second).rejects.toThrow(
        new RegExp(`${dir.path}.*in use by another relay.*DATABASE_URL`),
      );
      expect(Date.now() - started).toBeLessThan(1000);
      // The first is unharmed.
      const recorded = await first.recordSignal(suspension('solo', 1));
      await first.close();

      const after = await createStore({ dataDir: dir.path });
      try {
        expect(await after.getStatus('solo')).toEqual(recorded.status);
      } finally {
        await after.close();
      }
    } finally {
      dir.remove();
    }
  });

  test('a second relay process on the directory exits non-zero with the reason on stderr; the first keeps serving', async () => {
    const dir = tempDir();
    const env = { RELAY_DATA_DIR: dir.path, RELAY_ADMIN_TOKEN: ADMIN_TOKEN };
    let first: ChildRelay | null = null;
    try {
      first = await startChildRelay(env);
      const outcome = await startChildRelay(env).then(
        async (second) => {
          await second.kill('SIGKILL');
          return 'the second relay started';
        },
        (error: Error) => error.message,
      );
      expect(outcome).toMatch(
        new RegExp(
          `exited with 1[\\s\\S]*${dir.path} is already in use by another relay[\\s\\S]*DATABASE_URL`,
        ),
      );
      // One line an operator can act on, not a stack trace.
      expect(outcome).not.toMatch(/\n\s+at /);
      expect((await fetch(`${first.url}/health/live`)).status).toBe(200);
    } finally {
      await first?.kill('SIGKILL');
      dir.remove();
    }
  }, 60_000);
});
