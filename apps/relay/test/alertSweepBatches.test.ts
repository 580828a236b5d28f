import { alertStoreOf } from '../src/store/alertStore.js';
import type { Signal } from '../src/domain/signal.js';
import {
  addUnreachableTarget,
  schemaClient,
  stallOutboxInserts,
  startAlertRelay,
} from './alertSweepPostgres.js';
import { createPortal, postgresSchema, suspension } from './helpers.js';
import type { SignalsRelay } from './signalsHelpers.js';

// The sweep reads a portal's "before" from the change before it read in the same sweep, which is
// what statusBefore would read only within one read of the change stream: a change committed
// after a batch was read, with an id below that batch's end, is not read in this sweep at all,
// and the portal's next change, read in a later batch, came after it.

const PORTAL = '9201';
const FILLER = '9202';
/** The sweep's batch (alerts.ts SWEEP_BATCH). */
const BATCH = 200;
const APPLICATION = `sync-doctor-sweep-batches-${process.pid}`;

describe('the alert sweep on PostgreSQL over several batches', () => {
  let relay: SignalsRelay;
  let schema: string;
  let drop: () => Promise<void>;
  let n = 0;

  const client = (applicationName?: string) => schemaClient(schema, applicationName);
  // Straight to the store: a signal through the API wakes a round, which would race the one
  // the test runs.
  const record = (portalId: string, extra: Partial<Signal> = {}) =>
    relay.app.store.recordSignal(suspension(portalId, ++n, extra));

  beforeAll(async () => {
    ({ schema, drop } = await postgresSchema());
    relay = await startAlertRelay(schema, APPLICATION);
    for (const id of [PORTAL, FILLER]) await createPortal(relay.app, id);
    await addUnreachableTarget(relay.app, PORTAL);
  });
  afterAll(async () => {
    await relay?.close();
    await drop?.();
  });

  it('a change committed while a batch was read is the "before" of the portal\'s next change read in a later batch', async () => {
    const control = await client();
    // A relay transaction open throughout: the cursor stays before everything below, so every
    // sweep (the test's, and those the signals wake) reads it all again.
    const open = await client(APPLICATION);
    await open.query('BEGIN');
    await open.query('SELECT pg_current_xact_id()');
    const store = alertStoreOf(relay.app.store);
    const read = store.statusChangesAfter.bind(store);
    const spy = jest.spyOn(store, 'statusChangesAfter');
    const stall = await stallOutboxInserts(
      control,
      `NEW.portal_id = '${PORTAL}' AND NEW.payload LIKE '%"cleared"%'`,
    );
    try {
      // Suspended; then cleared, its row's id taken but not committed; then a full batch of
      // another portal's changes.
      await record(PORTAL);
      const cleared = record(PORTAL, { state: 'cleared', reason: null });
      await stall.stalled('the clearance waiting after its insert');
      for (let i = 0; i < BATCH; i++) await record(FILLER);

      // The first batch is read without the clearance; before the next is read, it commits and
      // the portal is suspended again, for another reason.
      let suspendedAgain: Awaited<ReturnType<typeof record>> | undefined;
      let injected = false;
      // (A round woken by the signals may be running too: whichever reads first.)
      spy.mockImplementation(async (...args) => {
        const first = !injected;
        injected = true;
        const rows = await read(...args);
        if (first) {
          await stall.release();
          await cleared;
          suspendedAgain = await record(PORTAL, { reason: 'ORG_LOCKED' });
        }
        return rows;
      });
      await relay.app.alerts!.runOnce();
      expect(suspendedAgain).toBeDefined();
      spy.mockRestore();
      await relay.app.alerts!.runOnce();

      const { rows } = await control.query<{ change_id: string; message: string }>(
        `SELECT change_id, message FROM alert_deliveries WHERE portal_id = $1 ORDER BY change_id`,
        [PORTAL],
      );
      const previous = Object.fromEntries(
        rows.map((r) => [
          Number(r.change_id),
          (JSON.parse(r.message) as { event?: { previousState?: unknown } }).event?.previousState,
        ]),
      );
      // The alert of the new suspension says it follows the clearance, not the first suspension.
      expect(previous[suspendedAgain!.change.id]).toBe('cleared');
    } finally {
      spy.mockRestore();
      await stall.remove();
      await open.query('ROLLBACK').catch(() => undefined);
      await open.end();
      await control.end();
    }
  }, 60_000);
});
