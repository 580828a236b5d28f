import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { PRIVATE_DIR_PREFIX } from '../src/inputs/spool.js';
import {
  POSTGRES_URL,
  captureLogs,
  postgresSchema,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.js';

// The sweep of dead relays' spool directories (spoolLeftovers.test.ts) is only worth its log line
// if the relay hands the spool its logger: an operator who finds /tmp emptied must see why.
describe('a PostgreSQL relay sweeping spool directories left behind', () => {
  it("logs each directory it removed with the app's logger", async () => {
    const data = tempDir();
    const tmp = tempDir();
    // A directory of an older relay (no lock) that nobody touched for two days.
    const left = join(tmp.path, `${PRIVATE_DIR_PREFIX}older-relay`);
    mkdirSync(left);
    writeFileSync(join(left, 'upload-1'), 'x'.repeat(100));
    const then = new Date(Date.now() - 48 * 3600_000);
    utimesSync(join(left, 'upload-1'), then, then);
    utimesSync(left, then, then);

    const { schema, drop } = await postgresSchema();
    const logs = captureLogs({ level: 'info' });
    // Where a PostgreSQL relay makes its spool: os.tmpdir() (TMPDIR in production).
    const tmpdir = jest.spyOn(os, 'tmpdir').mockReturnValue(tmp.path);
    const app = await buildApp(
      testConfig(data.path, { databaseUrl: POSTGRES_URL, databaseSchema: schema }),
      { loggerInstance: logs.logger },
    );
    try {
      await app.ready();
      await waitFor(() => !existsSync(left), 10_000, 'the directory removed');
      const line = await waitFor(() =>
        logs.entries().find((entry) => String(entry.msg).startsWith('spool: removed')),
      );
      expect(line).toMatchObject({ level: 30, dir: left, files: 1, bytes: 100 });
    } finally {
      await app.close();
      tmpdir.mockRestore();
      await drop();
      data.remove();
      tmp.remove();
    }
  });
});
