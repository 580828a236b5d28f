import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { alertStoreOf } from '../src/store/alertStore.js';
import { postgresUrl, storeInOwnSchema } from './alertSweepPostgres.js';

// The alert sweep's horizon must be no later than the start of any relay transaction still open
// with a transaction id. pg_stat_activity names a session by its login role, not current_user:
// a relay logging in as one role and switching to an owner role (ALTER ROLE ... SET role, here
// -c role=) saw none of its own sessions, and passed rows above a change still uncommitted.

describe('the outbox horizon when the relay switches to another role than it logs in with', () => {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const role = `relay_owner_${suffix}`;
  const schema = `relay_test_role_${suffix}`;
  const application = `sync-doctor-horizon-role-${process.pid}`;
  const url = () => postgresUrl(application, `-c role=${role} -c search_path=${schema}`);
  const own = storeInOwnSchema(schema, url, {
    setUp: [`CREATE ROLE ${role} NOLOGIN`, `GRANT ALL ON SCHEMA ${schema} TO ${role}`],
    tearDown: [`DROP ROLE IF EXISTS ${role}`],
  });

  it('is held back by an open relay transaction with a transaction id', async () => {
    const writer = new pg.Client({ connectionString: url() });
    await writer.connect();
    try {
      const { rows: who } = await writer.query<{ current_user: string; session_user: string }>(
        'SELECT current_user, session_user',
      );
      expect(who[0]!.current_user).toBe(role);
      expect(who[0]!.current_user).not.toBe(who[0]!.session_user);
      await writer.query('BEGIN');
      await writer.query('SELECT txid_current()');
      const { rows } = await writer.query<{ start: string; pid: number }>(
        'SELECT now()::text AS start, pg_backend_pid() AS pid',
      );
      const horizon = await alertStoreOf(own.store()).outboxHorizon();
      expect(horizon).not.toBeNull();
      const { rows: compared } = await own
        .control()
        .query<{ held: boolean }>(
          'SELECT CAST($1 AS TIMESTAMPTZ) <= CAST($2 AS TIMESTAMPTZ) AS held',
          [horizon!.before, rows[0]!.start],
        );
      expect(compared[0]!.held).toBe(true);
      // The owner role may not see when the login role's transactions began: said, so an
      // operator can grant pg_read_all_stats.
      expect(horizon!.hidden).toBe(true);
      await writer.query('ROLLBACK');
    } finally {
      await writer.end();
    }
  });
});
