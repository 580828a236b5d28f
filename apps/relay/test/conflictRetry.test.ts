import pg from 'pg';
import { createStore } from '../src/store/index.js';
import { CONFLICT_ATTEMPTS } from '../src/store/postgres.js';
import type { RelayStore } from '../src/store/types.js';
import { POSTGRES_URL, postgresSchema, storedPortal, suspension } from './helpers.js';

// PostgreSQL ends a deadlock or a serialization failure by rolling one side back; the relay runs
// that side's transaction (or lone statement) again. Here the database itself raises the error,
// from a trigger the test puts on a table, for as many attempts as the test says: each attempt
// takes a number from a sequence, which no rollback gives back, so the test counts the attempts.
describe('a write PostgreSQL rolls back for a conflict (PostgreSQL)', () => {
  let store: RelayStore;
  let admin: pg.Client;
  let drop: () => Promise<void>;
  let schema: string;

  beforeAll(async () => {
    ({ schema, drop } = await postgresSchema());
    store = await createStore({
      dataDir: '/nonexistent',
      databaseUrl: POSTGRES_URL,
      databaseSchema: schema,
    });
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SEQUENCE ${schema}.conflict_attempts`);
  });
  afterAll(async () => {
    await admin.end();
    await store.close();
    await drop();
  });
  afterEach(async () => {
    await admin.query(`DROP TRIGGER IF EXISTS conflict ON ${schema}.portals`);
    await admin.query(`DROP TRIGGER IF EXISTS conflict ON ${schema}.outbox`);
  });

  /** Each UPDATE of a row of `table` fails with `code` on the first `times` attempts. */
  async function conflictOn(table: 'portals' | 'outbox', code: string, times: number) {
    await admin.query(`ALTER SEQUENCE ${schema}.conflict_attempts RESTART`);
    await admin.query(`CREATE OR REPLACE FUNCTION ${schema}.conflict() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('${schema}.conflict_attempts') <= ${times} THEN
          RAISE EXCEPTION 'conflict made by the test' USING ERRCODE = '${code}';
        END IF;
        RETURN NEW;
      END $$`);
    await admin.query(
      `CREATE TRIGGER conflict BEFORE UPDATE ON ${schema}.${table} FOR EACH ROW EXECUTE FUNCTION ${schema}.conflict()`,
    );
  }
  const attempts = async () =>
    Number(
      (
        await admin.query<{ n: string }>(
          `SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM ${schema}.conflict_attempts`,
        )
      ).rows[0]!.n,
    );

  test('a transaction rolled back by serialization failures is run again and goes through', async () => {
    await store.createPortal(storedPortal('retry1'));
    const before = store.databaseConflicts();
    await conflictOn('portals', '40001', 2);

    const updated = await store.updatePortal('retry1', { name: 'Renamed' });

    expect(updated?.name).toBe('Renamed');
    expect(await attempts()).toBe(3);
    expect(store.databaseConflicts()).toEqual({
      retried: before.retried + 2,
      gaveUp: before.gaveUp,
    });
  });

  test('a deadlock on every attempt reaches the caller after the last, and nothing is kept', async () => {
    await store.createPortal(storedPortal('retry2'));
    const before = store.databaseConflicts();
    await conflictOn('portals', '40P01', 1_000);

    await expect(store.updatePortal('retry2', { name: 'Renamed' })).rejects.toMatchObject({
      code: '40P01',
    });

    expect(await attempts()).toBe(CONFLICT_ATTEMPTS);
    expect((await store.getPortal('retry2'))?.name).toBe('Portal retry2');
    expect(store.databaseConflicts()).toEqual({
      retried: before.retried + CONFLICT_ATTEMPTS - 1,
      gaveUp: before.gaveUp + 1,
    });
  });

  test('a statement outside a transaction is run again on its own', async () => {
    await store.createPortal(storedPortal('retry3'));
    await store.recordSignal(suspension('retry3', 1));
    const [claimed] = await store.claimDeliveries('relay-a#1.1', { leaseMs: 60_000, limit: 10 });
    await conflictOn('outbox', '40P01', 1);

    // One UPDATE, outside any transaction of the store.
    expect(await store.renewLeases([claimed!.id], 'relay-a#1.1', 120_000)).toBe(1);
    expect(await attempts()).toBe(2);
  });

  test('a lock timeout is not run again: waiting longer is not what its limit asked for', async () => {
    await store.createPortal(storedPortal('retry4'));
    const before = store.databaseConflicts();
    await conflictOn('portals', '55P03', 1);

    await expect(store.updatePortal('retry4', { name: 'Renamed' })).rejects.toMatchObject({
      code: '55P03',
    });
    expect(await attempts()).toBe(1);
    expect(store.databaseConflicts()).toEqual(before);
  });
});
