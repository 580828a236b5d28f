import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { createStore } from '../src/store/index.js';
import {
  admin,
  createPortal,
  signed,
  startTestRelay,
  suspension,
  tempDir,
  waitFor,
  type TestRelay,
} from './helpers.js';

// Changes of a portal with no Salesforce connection yet (NOT_CONFIGURED) wait for one: they are
// not failures, so /health and /metrics count them apart and readiness ignores them, and they are
// delivered in order once a connection is set, here or on another instance.
describe('deliveries waiting for a Salesforce connection', () => {
  let relay: TestRelay;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    relay = await startTestRelay();
  });
  afterAll(() => relay.close());

  const send = (portalId: string, n: number) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secrets[portalId]!, {
        reason: 'ORG_LOCKED',
        title: `${portalId}#${n}`,
        occurredAt: new Date().toISOString(),
        eventId: `${portalId}-${n}`,
      }),
    });
  const deliveries = async (portalId: string, state?: string) =>
    (
      await relay.app.inject({
        method: 'GET',
        url: `/v1/portals/${portalId}/deliveries${state ? `?state=${state}` : ''}`,
        headers: admin,
      })
    ).json().items as {
      state: string;
      attempts: number;
      lastError: string | null;
    }[];
  const titles = (portalId: string) =>
    relay.publisher.published
      .filter((p) => p.target.portalId === portalId)
      .map((p) => p.status.title);

  test('are counted as waitingForConnection, not failed, in /health (still ready) and /metrics, and listed as such', async () => {
    secrets['6600001'] = (await createPortal(relay.app, '6600001', null)).signingSecret;
    for (const n of [1, 2]) expect((await send('6600001', n)).statusCode).toBe(202);
    await waitFor(
      async () => (await deliveries('6600001', 'waitingForConnection')).length === 2,
      5000,
      'both waiting',
    );

    const health = await relay.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({
      status: 'ok',
      outbox: { failed: 0, waitingForConnection: 2, pending: 0 },
    });
    const metrics = (await relay.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/relay_outbox_deliveries\{state="waitingForConnection"\} 2/);
    expect(metrics).toMatch(/relay_outbox_deliveries\{state="failed"\} 0/);

    // Honest: nothing was sent, and the reason says what it waits for.
    expect(await deliveries('6600001', 'failed')).toEqual([]);
    for (const d of await deliveries('6600001')) {
      expect(d).toMatchObject({
        state: 'waitingForConnection',
        attempts: 0,
        lastError: expect.stringMatching(/^NOT_CONFIGURED: .*no Salesforce connection/),
      });
    }
    expect(titles('6600001')).toEqual([]);
  });

  test('are delivered, in order, once the connection is set through the admin API', async () => {
    const put = await relay.app.inject({
      method: 'PUT',
      url: '/v1/admin/portals/6600001/salesforce',
      headers: admin,
      payload: {
        kind: 'token',
        instanceUrl: 'https://example.my.salesforce.com',
        accessToken: '00D000000000001!token',
      },
    });
    expect(put.statusCode).toBe(200);
    await waitFor(() => titles('6600001').length === 2, 5000, 'delivery after configuration');
    expect(titles('6600001')).toEqual(['6600001#1', '6600001#2']);
    expect((await deliveries('6600001')).map((d) => [d.state, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
    ]);
    expect((await relay.app.inject({ method: 'GET', url: '/health' })).json().outbox).toMatchObject(
      { waitingForConnection: 0, failed: 0 },
    );
  });

  test('are delivered when the connection is set by another instance (no PUT on this one, its portal cache stale)', async () => {
    secrets['6600002'] = (await createPortal(relay.app, '6600002', null)).signingSecret;
    expect((await send('6600002', 1)).statusCode).toBe(202);
    await waitFor(
      async () => (await deliveries('6600002', 'waitingForConnection')).length === 1,
      5000,
      'waiting',
    );
    // What another instance's PUT writes: the row only, none of this instance's caches.
    const other = await createPortal(relay.app, '6600099');
    const sealed = (await relay.app.store.getPortal(other.portal.id))!.salesforceSealed;
    await relay.app.store.updatePortal('6600002', { salesforceSealed: sealed });
    await waitFor(
      () => titles('6600002').length === 1,
      10_000,
      'delivery after another instance configured the portal',
    );
    expect(titles('6600002')).toEqual(['6600002#1']);
  });
});

test('migration: deliveries an older relay gave up as failed with NOT_CONFIGURED are waiting for a connection', async () => {
  const dir = tempDir();
  try {
    let store = await createStore({ dataDir: dir.path });
    await store.createPortal({
      id: 'm1',
      name: null,
      signingSecretSealed: 's',
      inboundTokenHash: 'h-m1',
      salesforceSealed: null,
    });
    for (const n of [1, 2]) await store.recordSignal(suspension('m1', n));
    const [first, second] = await store.claimDeliveries('old', {
      leaseMs: 60_000,
      limit: 10,
      perPortal: 2,
      now: new Date(Date.now() + 1000),
    });
    // What the relay did before: given up as failed.
    await store.failDelivery(
      first!.id,
      'old',
      'NOT_CONFIGURED: the portal has no Salesforce connection',
      null,
    );
    await store.failDelivery(second!.id, 'old', 'INSUFFICIENT_ACCESS_OR_READONLY (403): no', null);
    await store.close();
    // The schema as that relay left it: migration 6 not applied yet.
    const raw = new DatabaseSync(join(dir.path, 'relay.sqlite'));
    raw.exec("UPDATE outbox SET state = 'failed' WHERE id = " + first!.id);
    raw.exec('DELETE FROM schema_migrations WHERE version = 6');
    raw.close();
    store = await createStore({ dataDir: dir.path });
    expect((await store.listDeliveries('m1', { limit: 5 })).items.map((d) => d.state)).toEqual([
      'failed',
      'waitingForConnection',
    ]);
    await store.close();
  } finally {
    dir.remove();
  }
});
