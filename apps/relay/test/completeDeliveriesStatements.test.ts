import { migrate } from '../src/store/migrations.js';
import type { SqlDb } from '../src/store/sqlDb.js';
import { openSqlite } from '../src/store/sqlite.js';
import { SqlRelayStore } from '../src/store/sqlStore.js';
import { suspension, tempDir } from './helpers.js';

/** The store's statements, counted, whether run on their own or in a transaction. */
function counting(db: SqlDb, count: { n: number }): SqlDb {
  const wrap = (inner: SqlDb): SqlDb => ({
    dialect: inner.dialect,
    schema: inner.schema,
    query: (sql, params) => {
      count.n++;
      return inner.query(sql, params);
    },
    execute: (sql, params) => {
      count.n++;
      return inner.execute(sql, params);
    },
    transaction: (work) => inner.transaction((tx) => work(wrap(tx))),
    close: () => inner.close(),
  });
  return wrap(db);
}

// The outbox records a batch of up to 200 deliveries at once. One statement per delivery (two
// each) cost enough CPU to slow the request paths while a backlog drained; the statements of a
// batch are a fixed number however long it is. The results are the store contract's.
describe('completeDeliveries', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: SqlDb;
  let store: SqlRelayStore;
  const count = { n: 0 };
  beforeAll(async () => {
    dir = tempDir();
    db = openSqlite(dir.path);
    await migrate(db);
    store = new SqlRelayStore(counting(db, count));
  });
  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  // Longer than a statement takes (COMPLETE_CHUNK, 1000): two statements per 1000.
  test.each([
    [5, 2],
    [200, 2],
    [2100, 6],
  ])('records a batch of %i deliveries in %i statements', async (size, statements) => {
    const portalId = `batch${size}`;
    await store.createPortal({
      id: portalId,
      name: null,
      signingSecretSealed: 'sealed',
      inboundTokenHash: `hash-${portalId}`,
      salesforceSealed: null,
    });
    // Two given up: the first, and one between the batch's (between its statements when it
    // takes more than two): each superseded by the first delivered after it.
    for (let n = 0; n <= size + 1; n++) await store.recordSignal(suspension(portalId, n));
    const now = Date.now() + 1000;
    const all = await store.claimDeliveries('A', {
      leaseMs: 60_000,
      limit: 50,
      perPortal: size + 2,
      now: new Date(now),
    });
    const given = [all[0]!, all[Math.min(1001, size)]!];
    for (const d of given) expect(await store.failDelivery(d.id, 'A', 'given up', null)).toBe(true);
    await store.releaseDeliveries(
      all.filter((d) => !given.includes(d)).map((d) => d.id),
      'A',
    );
    const batch = await store.claimDeliveries('A', {
      leaseMs: 60_000,
      limit: 50,
      perPortal: size,
      now: new Date(now + 1000),
    });
    expect(batch).toHaveLength(size);
    count.n = 0;
    const recorded = await store.completeDeliveries(
      'A',
      batch.map((d) => ({ id: d.id, result: { id: 'a01' } })),
    );
    expect(count.n).toBe(statements);
    expect(recorded).toEqual(batch.map((d) => d.id));
    const items = (await store.listDeliveries(portalId, { limit: size + 2 })).items;
    expect(items.every((d) => d.state === 'delivered')).toBe(true);
    for (const d of given)
      expect(items.find((i) => i.id === d.id)).toMatchObject({
        result: { supersededBy: batch.find((b) => b.id > d.id)!.changeId },
      });
  });
});
