import { readdirSync } from 'node:fs';
import { createSpool, PRIVATE_DIR_PREFIX } from '../src/inputs/spool.js';
import { tempDir } from './helpers.js';

// A PostgreSQL relay starts making its private spool directory as it starts, without waiting for
// it. A relay closed at once (a start that fails after the routes registered, a test) closed the
// spool before the directory existed: it was made afterwards and left under the tmp directory with
// its lock held until the process exited. CI runs left one such directory each.
describe('closing the spool while its private directory is being made', () => {
  it('leaves no directory behind', async () => {
    const tmp = tempDir();
    try {
      for (let round = 0; round < 50; round += 1) {
        const spool = createSpool({ dataDir: null, maxBytes: 1 << 20, tmpDir: tmp.path });
        const made = spool.dir();
        await spool.close();
        await made.catch(() => undefined);
      }
      expect(readdirSync(tmp.path).filter((name) => name.startsWith(PRIVATE_DIR_PREFIX))).toEqual(
        [],
      );
    } finally {
      tmp.remove();
    }
  });
});
