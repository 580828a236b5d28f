import type { RelayStore } from '../src/store/types.js';
import { suspension } from './helpers.js';
import { openRowHolder, type StoreRowHolder } from './rowHolder.js';

// PostgreSQL: a delivery parked for want of a connection while another instance sets one. The
// statement that parks reads the portal and writes the delivery at once, but it reads with the
// snapshot it started with: when it has to wait for the delivery's row (another transaction has
// it), a connection set and the re-queue that follows (which finds the delivery still pending)
// both pass it by, and it parks the delivery for a portal that has a connection. Its later
// changes are then the portal's head and go first, and the parked one, resumed later, puts the
// older status over them.
describe('parking a delivery while a connection is set (PostgreSQL)', () => {
  let rows: StoreRowHolder;
  let store: RelayStore;

  beforeAll(async () => {
    rows = await openRowHolder();
    ({ store } = rows);
  });
  afterAll(() => rows.close());

  test('leaves the delivery pending, so the change goes before the ones after it', async () => {
    await store.createPortal({
      id: 'race1',
      name: 'race1',
      signingSecretSealed: 'sealed-secret',
      inboundTokenHash: 'hash-race1',
      salesforceSealed: null,
    });
    await store.recordSignal(suspension('race1', 1));
    await store.recordSignal(suspension('race1', 2));
    const claimed = await store.claimDeliveries('relay-a#1.1', {
      leaseMs: 60_000,
      limit: 10,
      perPortal: 1,
    });
    expect(claimed).toHaveLength(1);
    const head = claimed[0]!;

    // Something else holds the head's row for a moment (here: this test)...
    await rows.hold(head.id);
    // ...while the run parks it (the portal has no connection as it starts)...
    const parking = store.awaitConnection(
      head.id,
      'relay-a#1.1',
      'NOT_CONFIGURED',
      new Date(Date.now() + 2000),
    );
    await rows.waitedFor('the parking statement waiting for the row');
    // ...and another instance sets a connection and re-queues what waits for one (the admin API).
    const connected = store
      .updatePortal('race1', { salesforceSealed: 'sealed-sf' })
      .then(() => store.resumeWaitingDeliveries('race1'));
    // (Parking may as well hold the connection back until it is done: then this waits no longer.)
    await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 1000))]);
    await rows.release();
    await parking;
    await connected;

    // The portal has a connection, so its head must not wait for one: it is the next claimed.
    const head1 = (await store.listDeliveries('race1', { limit: 10, cursor: null })).items.find(
      (d) => d.id === head.id,
    );
    expect(head1?.state).toBe('pending');
    const next = await store.claimDeliveries('relay-b#1.1', {
      leaseMs: 60_000,
      limit: 10,
      perPortal: 5,
      now: new Date(Date.now() + 5000),
    });
    expect(next.map((d) => d.id)[0]).toBe(head.id);
  });
});
