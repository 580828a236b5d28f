import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqlite } from '../src/store/sqlite.js';
import type { SqlDb } from '../src/store/sqlDb.js';
import { tempDir } from './helpers.js';

// Group commit must batch what arrives concurrently over the network, where each request is its
// own I/O callback with the microtask queue drained in between (not just calls made in one tick).
describe('SQLite group commit', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: SqlDb & { commits: number };
  beforeEach(async () => {
    dir = tempDir();
    db = openSqlite(dir.path) as SqlDb & { commits: number };
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  });
  afterEach(async () => {
    await db.close();
    dir.remove();
  });

  /** Starts `work` from `count` separate macrotasks, like requests read in one poll phase. */
  const fromSeparateCallbacks = <T>(count: number, work: (i: number) => Promise<T>): Promise<T[]> =>
    Promise.all(
      Array.from(
        { length: count },
        (_, i) =>
          new Promise<T>((resolve, reject) => setImmediate(() => work(i).then(resolve, reject))),
      ),
    );

  test('transactions started in separate event-loop callbacks share one COMMIT, each durable when it resolves', async () => {
    const before = db.commits;
    const other = new DatabaseSync(join(dir.path, 'relay.sqlite'));
    try {
      const seenByAnotherConnection = await fromSeparateCallbacks(20, async (i) => {
        await db.transaction(async (tx) =>
          tx.execute('INSERT INTO t (id, v) VALUES ($1, $2)', [i, `row ${i}`]),
        );
        // Resolved only after the COMMIT: another connection already sees the row.
        return (other.prepare('SELECT COUNT(*) AS n FROM t WHERE id = ?').get(i) as { n: number })
          .n;
      });
      expect(seenByAnotherConnection).toEqual(Array(20).fill(1));
    } finally {
      other.close();
    }
    expect(db.commits - before).toBeLessThanOrEqual(2);
  });

  test('a write outside a transaction joins the group commit too', async () => {
    const before = db.commits;
    const changed = await fromSeparateCallbacks(10, (i) =>
      db.execute('INSERT INTO t (id, v) VALUES ($1, $2)', [i, 'x']),
    );
    expect(changed).toEqual(Array(10).fill(1));
    expect(db.commits - before).toBeLessThanOrEqual(2);
  });

  test('one failing transaction in a batch rolls back alone', async () => {
    const results = await Promise.allSettled([
      db.transaction(async (tx) => tx.execute('INSERT INTO t (id, v) VALUES (1, $1)', ['kept'])),
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO t (id, v) VALUES (2, $1)', ['rolled back']);
        throw new Error('boom');
      }),
      db.transaction(async (tx) =>
        tx.execute('INSERT INTO t (id, v) VALUES (1, $1)', ['duplicate key']),
      ),
      db.transaction(async (tx) => tx.execute('INSERT INTO t (id, v) VALUES (3, $1)', ['kept'])),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(await db.query('SELECT id, v FROM t ORDER BY id')).toEqual([
      { id: 1, v: 'kept' },
      { id: 3, v: 'kept' },
    ]);
  });

  // A COMMIT can fail after every unit of the batch succeeded: a deferred constraint is checked
  // only then, and a full disk may refuse the WAL's last pages. No caller may hear "stored".
  test('a COMMIT that fails rejects every transaction of its batch, keeps none, and leaves the connection usable', async () => {
    await db.execute('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
    await db.execute(
      'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL ' +
        'REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)',
    );
    const before = db.commits;
    const results = await Promise.allSettled([
      db.transaction(async (tx) => tx.execute('INSERT INTO t (id, v) VALUES (1, $1)', ['a'])),
      // Passes its own statement and SAVEPOINT; the missing parent is found at COMMIT.
      db.transaction(async (tx) => tx.execute('INSERT INTO child (id, parent_id) VALUES (1, 42)')),
      db.execute('INSERT INTO t (id, v) VALUES (2, $1)', ['b']),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const result of results)
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        message: expect.stringMatching(/FOREIGN KEY constraint failed/),
      });
    expect(db.commits).toBe(before);
    expect(await db.query('SELECT id FROM t')).toEqual([]);
    expect(await db.query('SELECT id FROM child')).toEqual([]);

    // The failed COMMIT left its transaction open; the next batch must not inherit it.
    await db.execute('INSERT INTO t (id, v) VALUES (3, $1)', ['after']);
    const other = new DatabaseSync(join(dir.path, 'relay.sqlite'));
    try {
      expect(other.prepare('SELECT id, v FROM t').all()).toEqual([{ id: 3, v: 'after' }]);
    } finally {
      other.close();
    }
  });
});
