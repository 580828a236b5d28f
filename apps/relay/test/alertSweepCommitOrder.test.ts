import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { openPostgres, RELAY_APPLICATION_NAME } from '../src/store/postgres.js';
import { alertStoreOf } from '../src/store/alertStore.js';
import {
  addUnreachableTarget,
  postgresUrl,
  schemaClient,
  stallOutboxInserts,
  startAlertRelay,
} from './alertSweepPostgres.js';
import { admin, createPortal, POSTGRES_URL, postgresSchema, signed, waitFor } from './helpers.js';
import type { SignalsRelay } from './signalsHelpers.js';

// PostgreSQL hands out outbox ids at insert time and commits them in any order. The alert sweep's
// cursor must never pass an id below which a change may still be committed: that change would
// raise no alert, ever. The sweep used to pass rows whose request arrived 10 s ago, so a
// transaction stalled over 10 s after its insert (a database stall, a lock) was skipped.

const STALLED = '9101';
const OTHER = '9102';
/**
 * The relay's sessions' name in this file (DATABASE_URL's application_name takes precedence over
 * the default): other test files' relays share the database, and their transactions must not
 * hold this file's cursor back, nor this file's 10 s stall theirs.
 */
const APPLICATION = `sync-doctor-sweep-test-${process.pid}`;

describe('the alert sweep on PostgreSQL waits for changes still being committed', () => {
  let relay: SignalsRelay;
  let schema: string;
  let drop: () => Promise<void>;
  const secrets = new Map<string, string>();
  let event = 0;

  const client = (applicationName?: string) => schemaClient(schema, applicationName);

  const suspend = (portalId: string, reason: string) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secrets.get(portalId)!, {
        reason,
        occurredAt: new Date(Date.now() + ++event * 1000).toISOString(),
        eventId: `sweep-${event}`,
      }),
    });

  const alertsOf = async (portalId: string) =>
    (
      await relay.app.inject({
        method: 'GET',
        url: `/v1/portals/${portalId}/alerts`,
        headers: admin,
      })
    ).json().items as { headline: string }[];

  const cursorAndNewest = async (c: pg.Client) => {
    const { rows } = await c.query<{ cursor: string; newest: string }>(
      `SELECT (SELECT last_change_id FROM alert_cursor WHERE name = 'alerts') AS cursor, (SELECT MAX(id) FROM outbox) AS newest`,
    );
    return { cursor: Number(rows[0]!.cursor), newest: Number(rows[0]!.newest) };
  };

  /**
   * Sweeps until the cursor reaches the newest change. Other test files share the database, and
   * a nameless session of theirs (counted, as relays before schema 12 set no name) may hold the
   * cursor back for a moment; what counts is that it gets there.
   */
  const sweepThrough = (c: pg.Client) =>
    waitFor(
      async () => {
        await relay.app.alerts!.runOnce();
        const { cursor, newest } = await cursorAndNewest(c);
        return cursor === newest;
      },
      20_000,
      'the cursor at the newest change',
    );

  beforeAll(async () => {
    ({ schema, drop } = await postgresSchema());
    relay = await startAlertRelay(schema, APPLICATION);
    for (const id of [STALLED, OTHER]) {
      secrets.set(id, (await createPortal(relay.app, id)).signingSecret);
      await addUnreachableTarget(relay.app, id);
    }
  });
  afterAll(async () => {
    await relay?.close();
    await drop?.();
  });

  it('alerts a change whose transaction stalled over 10 s after its insert, while a later one was alerted', async () => {
    const control = await client();
    // The stalled portal's transaction inserts its outbox row (its id is taken), then waits for a
    // lock the test holds: a database stall between insert and commit.
    const stall = await stallOutboxInserts(control, `NEW.portal_id = '${STALLED}'`);
    try {
      const stalled = suspend(STALLED, 'ORG_LOCKED');
      await stall.stalled("the stalled portal's transaction waiting after its insert");

      // A later change of another portal commits with a higher id and is alerted meanwhile.
      expect((await suspend(OTHER, 'API_LIMIT_EXCEEDED')).statusCode).toBe(202);
      await relay.app.alerts!.runOnce();
      expect(await alertsOf(OTHER)).toHaveLength(1);

      // The stall outlasts the 10 s the old sweep allowed a commit; it then passed the later row.
      await new Promise((r) => setTimeout(r, 10_500));
      await relay.app.alerts!.runOnce();
      const during = await cursorAndNewest(control);
      expect(during.cursor).toBeLessThan(during.newest);

      await stall.release();
      expect((await stalled).statusCode).toBe(202);
      await relay.app.alerts!.runOnce();
      const items = await alertsOf(STALLED);
      expect(items).toHaveLength(1);
      // Settled now: the cursor passes everything.
      await sweepThrough(control);
      expect(await alertsOf(OTHER)).toHaveLength(1);
    } finally {
      await stall.remove();
      await control.end();
    }
  });

  it("waits for the relay's open transactions (and nameless ones, as older relays'), not for a session of another application", async () => {
    const control = await client();
    const psql = await client('psql');
    const relayLike = await client(APPLICATION);
    // A relay before schema 12 names its sessions nothing; during a rolling upgrade it writes too.
    const olderRelay = new pg.Client({
      connectionString: POSTGRES_URL,
      options: `-c search_path=${schema}`,
    });
    await olderRelay.connect();
    // The sweeps of rounds woken by a signal, held at will: while `gate` is set they wait for it to
    // open, and one that starts while runOnce runs waits 1.5 s more. Such a round used to start a
    // tick after runOnce's own, beside it: under load it could outlast it (here it always did),
    // read the changes after the statusBefore spy below was set, and be counted with it.
    const store = alertStoreOf(relay.app.store);
    const horizonOf = store.outboxHorizon.bind(store);
    const runOnce = new AsyncLocalStorage<true>();
    let running = false;
    let gate: Promise<void> | null = null;
    const lagging = jest.spyOn(store, 'outboxHorizon').mockImplementation(async () => {
      if (!runOnce.getStore()) {
        if (running) await new Promise((r) => setTimeout(r, 1500));
        await gate;
      }
      return horizonOf();
    });
    const held = async () => {
      running = true;
      try {
        await runOnce.run(true, () => relay.app.alerts!.runOnce());
      } finally {
        running = false;
      }
      const { cursor, newest } = await cursorAndNewest(control);
      expect(cursor).toBeLessThan(newest);
    };
    try {
      // Each holds a transaction id (it wrote) and stays open, as a forgotten session would.
      for (const open of [psql, relayLike, olderRelay]) {
        await open.query('BEGIN');
        await open.query(`SELECT pg_current_xact_id()`);
      }
      expect((await suspend(OTHER, 'ORG_UNAVAILABLE')).statusCode).toBe(202);
      await held();
      // Held back, every round reads every change since the cursor again: the status before each
      // comes from the change before it, one query per portal, not one per change. The first of
      // these signals' round is held (gate), so the next two wake one more after it.
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      for (const reason of ['ORG_LOCKED', 'STORAGE_LIMIT_EXCEEDED', 'ORG_UNAVAILABLE'])
        expect((await suspend(OTHER, reason)).statusCode).toBe(202);
      gate = null;
      open();
      await held(); // the rounds these signals woke are over: runOnce waits for them
      const statusBefore = jest.spyOn(store, 'statusBefore');
      try {
        await held();
        expect(statusBefore).toHaveBeenCalledTimes(1);
      } finally {
        statusBefore.mockRestore();
      }
      await relayLike.query('ROLLBACK');
      await held();

      // Both relay sessions ended: the psql one, still open, holds nothing back.
      await olderRelay.query('ROLLBACK');
      await sweepThrough(control);
      expect(await alertsOf(OTHER)).toHaveLength(5);
    } finally {
      lagging.mockRestore();
      await psql.query('ROLLBACK').catch(() => undefined);
      for (const c of [control, psql, relayLike, olderRelay]) await c.end();
    }
  });

  it("names the relay's sessions sync-doctor-relay unless DATABASE_URL names them", async () => {
    for (const [url, expected] of [
      [POSTGRES_URL, RELAY_APPLICATION_NAME],
      [postgresUrl(APPLICATION), APPLICATION],
    ] as const) {
      const db = await openPostgres(url, null);
      try {
        const [row] = await db.query<{ name: string }>(
          `SELECT current_setting('application_name') AS name`,
        );
        expect(row!.name).toBe(expected);
      } finally {
        await db.close();
      }
    }
  });
});
