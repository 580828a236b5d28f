import { STATUS_OBJECT } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { admin, tempDir, testConfig, waitFor } from './helpers.js';
import {
  createConnectedPortal,
  deliveriesOf,
  fastOutbox,
  jwtApp,
  jwtConnection,
  publishedTitles,
  sendNumbered,
} from './orgDelivery.js';

// An admin points a portal at another org (the sandbox it was tried in, then production; a
// connection to the wrong org corrected). The new org must get the portal's current status without
// waiting for HubSpot's next change, which may be days away, also when a delivery was on its way
// to the old org at that moment.
describe('delivery: the Salesforce connection changed by the admin', () => {
  const jwt = jwtApp('3MVG9relay.connection.change');
  let first: OrgSimulator;
  let second: OrgSimulator;
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    const org = {
      fixture: 'healthy',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    } as const;
    first = await startOrgSimulator(org);
    second = await startOrgSimulator(org);
    dir = tempDir();
    app = await buildApp(testConfig(dir.path, { outbox: fastOutbox() }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await first.close();
    await second.close();
    dir.remove();
  });

  const connection = (org: OrgSimulator) => jwtConnection(jwt, org);
  const createPortal = async (id: string, org: OrgSimulator) => {
    secrets[id] = await createConnectedPortal(app, id, connection(org));
  };
  const connect = async (id: string, org: OrgSimulator) => {
    const response = await app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${id}/salesforce`,
      headers: admin,
      payload: connection(org),
    });
    expect(response.statusCode).toBe(200);
  };
  const send = (portalId: string, n: number) =>
    sendNumbered(app, secrets[portalId]!, portalId, n, 'conn');
  const titleIn = (org: OrgSimulator, portalId: string) =>
    org.records(STATUS_OBJECT.name).find((r) => r[STATUS_OBJECT.fields.portalId] === portalId)?.[
      STATUS_OBJECT.fields.title
    ];
  const events = (org: OrgSimulator, portalId: string) => publishedTitles(org, portalId);
  const settled = async (portalId: string) =>
    (await deliveriesOf(app, portalId)).every((d) => d.state === 'delivered');

  test('the new org gets the current status at once, not at the next change', async () => {
    await createPortal('7200001', first);
    for (const n of [1, 2]) expect((await send('7200001', n)).statusCode).toBe(202);
    await waitFor(() => titleIn(first, '7200001') === '7200001#2', 10_000, 'the first org');
    await waitFor(() => settled('7200001'), 10_000, 'deliveries recorded');
    const firstVersion = (await app.store.getPortal('7200001'))!.salesforceVersion;
    await connect('7200001', second);
    await waitFor(() => titleIn(second, '7200001') === '7200001#2', 10_000, 'the second org');
    expect(events(second, '7200001')).toEqual(['7200001#2']);
    expect(events(first, '7200001')).toEqual(['7200001#1', '7200001#2']);
    await waitFor(() => settled('7200001'), 10_000, 'the resend recorded');
    // A check after a delivery to the first org, held up until now (a stalled database), finds
    // the connection changed since; the resend recorded which one it went with: nothing more.
    expect(
      await app.store.resendLatest('7200001', { at: new Date(), sentWithVersion: firstVersion }),
    ).toBe(false);
  });

  test('a delivery on its way to the old org when the connection changes is followed by one to the new org', async () => {
    await createPortal('7200002', first);
    expect((await send('7200002', 1)).statusCode).toBe(202);
    await waitFor(() => settled('7200002'), 10_000, 'the first delivery');
    first.injectFault({ path: '/composite', fault: 'SLOW', delayMs: 1500, times: 1 });
    expect((await send('7200002', 2)).statusCode).toBe(202);
    // Claimed and on its way to the old org (which answers it after 1.5 s).
    await waitFor(
      async () => (await app.store.listDeliveries('7200002', { limit: 1 })).items[0]?.leaseOwner,
      10_000,
      'the delivery in flight',
    );
    await connect('7200002', second);
    expect(titleIn(first, '7200002')).toBe('7200002#1');
    await waitFor(() => titleIn(second, '7200002') === '7200002#2', 15_000, 'the second org');
    expect(titleIn(first, '7200002')).toBe('7200002#2');
    expect(events(second, '7200002')).toEqual(['7200002#2']);
    await waitFor(() => settled('7200002'), 10_000, 'the resend recorded');
  });

  test('changes sent together to the new org record the connection they went with', async () => {
    await createPortal('7200003', first);
    const firstVersion = (await app.store.getPortal('7200003'))!.salesforceVersion;
    await app.outbox.stop();
    try {
      for (const n of [1, 2, 3]) expect((await send('7200003', n)).statusCode).toBe(202);
      await connect('7200003', second);
    } finally {
      app.outbox.start();
    }
    await waitFor(() => titleIn(second, '7200003') === '7200003#3', 10_000, 'the second org');
    expect(events(second, '7200003')).toEqual(['7200003#1', '7200003#2', '7200003#3']);
    await waitFor(() => settled('7200003'), 10_000, 'the batch recorded');
    // A check left over from the first org (a delivery there, held up): the newest status went
    // to the second org with the batch, so nothing is sent again.
    expect(
      await app.store.resendLatest('7200003', { at: new Date(), sentWithVersion: firstVersion }),
    ).toBe(false);
    expect(events(first, '7200003')).toEqual([]);
  });
});
