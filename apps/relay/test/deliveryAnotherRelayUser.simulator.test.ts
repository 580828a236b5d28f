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
  sendNumbered,
} from './orgDelivery.js';

// A portal's status record is owned by the user that created it: the admin who connected first to
// try it out, or a relay user since replaced. HubSpot_Sync_Status__c is Public Read Only (so no
// user with Edit can mark a suspension cleared), and the simulator reads that default from
// force-app's object metadata: the next relay user may still update the record only through
// Sync_Doctor_Relay's Modify All on the object. Without it every later delivery failed with
// INSUFFICIENT_ACCESS_OR_READONLY, for good.
// The user connected next is a relay user as the README sets one up, with the package's
// Sync_Doctor_Relay permission set and nothing else (the simulator enforces its object and field
// rights), so this also shows that set is enough to deliver.
describe('delivery: a status record created by another user of the same org', () => {
  const jwt = jwtApp('3MVG9relay.another.user');
  let org: OrgSimulator;
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;
  const portalId = '7300001';

  beforeAll(async () => {
    org = await startOrgSimulator({
      fixture: 'healthy',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
    dir = tempDir();
    app = await buildApp(testConfig(dir.path, { outbox: fastOutbox() }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await org.close();
    dir.remove();
  });

  const statusRecord = () =>
    org.records(STATUS_OBJECT.name).find((r) => r[STATUS_OBJECT.fields.portalId] === portalId);
  const settled = async () =>
    (await deliveriesOf(app, portalId)).every((d) => d.state !== 'pending');

  test('a relay user holding only Sync_Doctor_Relay updates the record the admin created', async () => {
    const secret = await createConnectedPortal(app, portalId, jwtConnection(jwt, org));
    expect((await sendNumbered(app, secret, portalId, 1, 'owner')).statusCode).toBe(202);
    await waitFor(
      () => statusRecord()?.[STATUS_OBJECT.fields.title] === `${portalId}#1`,
      10_000,
      'the first status',
    );
    expect(statusRecord()?.OwnerId).toBe(org.adminUser.Id);

    const reconnected = await app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${portalId}/salesforce`,
      headers: admin,
      payload: jwtConnection(jwt, org, org.relayUser.Username),
    });
    expect(reconnected.statusCode).toBe(200);
    expect((await sendNumbered(app, secret, portalId, 2, 'owner')).statusCode).toBe(202);
    await waitFor(settled, 10_000, 'every delivery settled');
    expect((await deliveriesOf(app, portalId)).map((d) => [d.state, d.lastError])).toEqual([
      ['delivered', null],
      ['delivered', null],
    ]);
    expect(statusRecord()).toMatchObject({
      [STATUS_OBJECT.fields.title]: `${portalId}#2`,
      OwnerId: org.adminUser.Id,
    });
  });
});
