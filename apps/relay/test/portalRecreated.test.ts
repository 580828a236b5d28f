import { STATUS_OBJECT } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { admin, createPortal, suspension, tempDir, testConfig, waitFor } from './helpers.js';

// A portal deleted and created again under the same id is another portal: its Salesforce
// connection starts at the same version (1), but a session the relay logged in with for the
// deleted one (another org, another user) must never carry the new portal's statuses.

describe('a portal deleted and created again under the same id, with another org', () => {
  let oldOrg: OrgSimulator;
  let newOrg: OrgSimulator;
  let app: FastifyInstance;
  let dir: { path: string; remove: () => void };

  beforeAll(async () => {
    oldOrg = await startOrgSimulator({ fixture: 'healthy' });
    newOrg = await startOrgSimulator({ fixture: 'healthy' });
    dir = tempDir();
    // The real publisher, which keeps one logged-in session per portal.
    app = await buildApp(testConfig(dir.path));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
    await oldOrg.close();
    await newOrg.close();
  });

  const tokenOf = (org: OrgSimulator) => ({
    kind: 'token',
    instanceUrl: org.url,
    accessToken: org.accessToken,
  });
  const delivered = (portalId: string) => async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/v1/portals/${portalId}/deliveries`,
      headers: admin,
    });
    const items = response.json().items as { state: string }[];
    return items.length > 0 && items.every((item) => item.state === 'delivered');
  };
  const titlesIn = (org: OrgSimulator, portalId: string) =>
    org
      .records(STATUS_OBJECT.name)
      .filter((record) => record[STATUS_OBJECT.fields.portalId] === portalId)
      .map((record) => record[STATUS_OBJECT.fields.title]);

  test("its statuses go to its own org, not through the deleted portal's session", async () => {
    const portalId = '9600001';
    await createPortal(app, portalId, tokenOf(oldOrg));
    await app.changes.record(suspension(portalId, 1));
    await waitFor(delivered(portalId), 10_000, 'the first portal’s delivery');
    expect(titlesIn(oldOrg, portalId)).toEqual(['event 1']);

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/v1/admin/portals/${portalId}`,
      headers: admin,
    });
    expect(deleted.statusCode).toBe(204);
    oldOrg.resetRequests();
    await createPortal(app, portalId, tokenOf(newOrg));
    await app.changes.record(suspension(portalId, 2));
    await waitFor(delivered(portalId), 10_000, 'the new portal’s delivery');

    expect(titlesIn(newOrg, portalId)).toEqual(['event 2']);
    expect(titlesIn(oldOrg, portalId)).toEqual(['event 1']);
    expect(oldOrg.requests).toEqual([]);
  });

  test("its org's reachability is its own at once, not the deleted portal's cached one", async () => {
    const portalId = '9600002';
    await createPortal(app, portalId, tokenOf(oldOrg));
    expect((await app.salesforceReachability())[portalId]).toBe('ok');
    // Deleted on another instance, unheard here (LISTEN down), and created again with a
    // connection the new org refuses: same id, same connection version (1).
    expect(await app.store.deletePortal(portalId)).toBe(true);
    await createPortal(app, portalId, { ...tokenOf(newOrg), accessToken: 'revoked-token' });
    expect((await app.salesforceReachability())[portalId]).toMatch(/^unreachable: /);
  });
});
