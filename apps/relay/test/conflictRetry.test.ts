import pg from 'pg';
import { createStore } from '../src/store/index.js';
import { CONFLICT_ATTEMPTS } from '../src/store/postgres.js';
import type { RelayStore } from '../src/store/types.js';
import { conflictTrigger, type ConflictTrigger } from './conflictTrigger.js';
import { POSTGRES_URL, postgresSchema, storedPortal, suspension } from './helpers.js';

// PostgreSQL ends a deadlock or a serialization failure by rolling one side back; the relay runs
// that side's transaction (or lone statement) again. Here the database itself raises the error
// (conflictTrigger.ts) for as many attempts as the test says, and counts them.
describe('a write PostgreSQL rolls back for a conflict (PostgreSQL)', () => {
  let store: RelayStore;
  let admin: pg.Client;
  let drop: () => Promise<void>;
  let schema: string;
  let conflicts: ConflictTrigger;

  beforeAll(async () => {
    ({ schema, drop } = await postgresSchema());
    store = await createStore({
      dataDir: '/nonexistent',
      databaseUrl: POSTGRES_URL,
      databaseSchema: schema,
    });
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    conflicts = await conflictTrigger(admin, schema);
  });
  afterAll(async () => {
    await admin.end();
    await store.close();
    await drop();
  });
  afterEach(async () => {
    await conflicts.stop('portals');
    await conflicts.stop('outbox');
  });

  test('a transaction rolled back by serialization failures is run again and goes through', async () => {
    await store.createPortal(storedPortal('retry1'));
    const before = store.databaseConflicts();
    await conflicts.raise('portals', '40001', 2);

    const updated = await store.updatePortal('retry1', { name: 'Renamed' });

    expect(updated?.name).toBe('Renamed');
    expect(await conflicts.attempts()).toBe(3);
    expect(store.databaseConflicts()).toEqual({
      retried: before.retried + 2,
      gaveUp: before.gaveUp,
    });
  });

  test('a deadlock on every attempt reaches the caller after the last, and nothing is kept', async () => {
    await store.createPortal(storedPortal('retry2'));
    const before = store.databaseConflicts();
    await conflicts.raise('portals', '40P01', 1_000);

    await expect(store.updatePortal('retry2', { name: 'Renamed' })).rejects.toMatchObject({
      code: '40P01',
    });

    expect(await conflicts.attempts()).toBe(CONFLICT_ATTEMPTS);
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
    await conflicts.raise('outbox', '40P01', 1);

    // One UPDATE, outside any transaction of the store.
    expect(await store.renewLeases([claimed!.id], 'relay-a#1.1', 120_000)).toBe(1);
    expect(await conflicts.attempts()).toBe(2);
  });

  test('a lock timeout is not run again: waiting longer is not what its limit asked for', async () => {
    await store.createPortal(storedPortal('retry4'));
    const before = store.databaseConflicts();
    await conflicts.raise('portals', '55P03', 1);

    await expect(store.updatePortal('retry4', { name: 'Renamed' })).rejects.toMatchObject({
      code: '55P03',
    });
    expect(await conflicts.attempts()).toBe(1);
    expect(store.databaseConflicts()).toEqual(before);
  });
});
