import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { alertStoreOf } from '../src/store/alertStore.js';
import { postgresUrl, storeInOwnSchema } from './alertSweepPostgres.js';

// The alert sweep's horizon travels from one statement to the next as text. In the session's
// DateStyle and TimeZone a timestamptz may print as a zone abbreviation that reads back as
// another zone: with DateStyle SQL and Asia/Kolkata, "... IST" is read as Israel's time, 3.5 h
// later, and every row inserted in those hours counted as settled.

describe('the outbox horizon in a session whose DateStyle prints an ambiguous zone', () => {
  const schema = `relay_test_datestyle_${process.pid}_${randomBytes(4).toString('hex')}`;
  const application = `sync-doctor-horizon-datestyle-${process.pid}`;
  const url = () =>
    postgresUrl(
      application,
      `-c search_path=${schema} -c DateStyle=SQL,DMY -c TimeZone=Asia/Kolkata`,
    );
  const own = storeInOwnSchema(schema, url);

  it('reads back, in such a session, as no later than an open relay transaction began', async () => {
    const writer = new pg.Client({ connectionString: url() });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('SELECT txid_current()');
      // ISO: read unambiguously below.
      const { rows } = await own
        .control()
        .query<{ start: string }>(
          'SELECT xact_start::text AS start FROM pg_stat_activity WHERE pid = $1',
          [(writer as unknown as { processID: number }).processID],
        );
      const horizon = await alertStoreOf(own.store()).outboxHorizon();
      // As statusChangesAfter reads it: in a session of the relay's pool.
      const { rows: compared } = await writer.query<{ held: boolean }>(
        'SELECT CAST($1 AS TIMESTAMPTZ) <= CAST($2 AS TIMESTAMPTZ) AS held',
        [horizon!.before, rows[0]!.start],
      );
      expect(compared[0]!.held).toBe(true);
      await writer.query('ROLLBACK');
    } finally {
      await writer.end();
    }
  });
});
