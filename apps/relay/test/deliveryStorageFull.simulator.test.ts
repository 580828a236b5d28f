import { STATUS_OBJECT } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import {
  admin,
  captureLogs,
  createPortal,
  suspension,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.js';
import { publishedTitles } from './orgDelivery.js';

// When HubSpot suspends for "Storage limit exceeded", the org's data storage is often full too:
// Salesforce then refuses to create the status record (STORAGE_LIMIT_EXCEEDED), while updates of
// an existing one still pass. Freeing storage takes an admin hours, far beyond the backoff, so the
// change is given up at once, with what to do in its lastError and in a warn line, and is kept:
// the retry route sends it once storage is freed, and a later change of the portal goes through.
describe('an org whose data storage is full', () => {
  let org: OrgSimulator;
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;
  const logs = captureLogs({ level: 'warn' });
  const used = { full: 0, freed: 3120 };

  beforeAll(async () => {
    org = await startOrgSimulator({ fixture: 'storage-full' });
    used.full = org.org.limits.DataStorageMB!.used;
    dir = tempDir();
    app = await buildApp(testConfig(dir.path), { loggerInstance: logs.logger });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await org.close();
    dir.remove();
  });
  afterEach(() => {
    org.org.limits.DataStorageMB!.used = used.full;
  });

  const deliveries = async (portalId: string) =>
    (await app.store.listDeliveries(portalId, { limit: 10 })).items;
  const connect = (portalId: string) =>
    createPortal(app, portalId, {
      kind: 'token',
      instanceUrl: org.url,
      accessToken: org.accessToken,
    });
  const statusRecords = (portalId: string) =>
    org.records(STATUS_OBJECT.name).filter((r) => r[STATUS_OBJECT.fields.portalId] === portalId);

  test('the failure says to free storage and retry, is logged at warn, and the retry route delivers it once storage is freed', async () => {
    const portalId = '9800001';
    await connect(portalId);
    await app.changes.record(suspension(portalId, 1));

    const [failed] = await waitFor(
      async () => {
        const items = await deliveries(portalId);
        return items[0]?.state === 'failed' ? items : undefined;
      },
      10_000,
      'the delivery given up',
    );
    expect(failed!.attempts).toBe(1);
    expect(failed!.lastError).toMatch(/^STORAGE_LIMIT_EXCEEDED \(400\): /);
    expect(failed!.lastError).toContain("Salesforce's data storage is full");
    expect(failed!.lastError).toContain('Setup > Storage Usage');
    expect(failed!.lastError).toContain(`POST /v1/admin/portals/<portalId>/deliveries/retry`);
    expect(statusRecords(portalId)).toEqual([]);
    expect(publishedTitles(org, portalId)).toEqual([]);

    const line = logs
      .entries()
      .find((e) => e.code === 'STORAGE_LIMIT_EXCEEDED' && e.portalId === portalId);
    expect(line).toMatchObject({ level: 40, delivery: failed!.id });
    expect(line!.msg).toContain('data storage is full');
    expect(line!.msg).toContain(`/v1/admin/portals/${portalId}/deliveries/retry`);
    expect(logs.text()).not.toContain(org.accessToken);

    org.org.limits.DataStorageMB!.used = used.freed;
    const retry = await app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${portalId}/deliveries/retry`,
      headers: admin,
    });
    expect(retry.json()).toEqual({ requeued: 1 });
    await waitFor(
      async () => (await deliveries(portalId))[0]?.state === 'delivered',
      10_000,
      'the re-queued delivery',
    );
    expect(publishedTitles(org, portalId)).toEqual(['event 1']);
    expect(statusRecords(portalId)).toHaveLength(1);
  });

  test("the portal's next change is delivered once storage is freed", async () => {
    const portalId = '9800002';
    await connect(portalId);
    await app.changes.record(suspension(portalId, 1));
    await waitFor(
      async () => (await deliveries(portalId))[0]?.state === 'failed',
      10_000,
      'the first change given up',
    );

    org.org.limits.DataStorageMB!.used = used.freed;
    await app.changes.record(suspension(portalId, 2, { state: 'cleared' }));
    await waitFor(
      async () => {
        const items = await deliveries(portalId);
        return items.length === 2 && items.every((d) => d.state === 'delivered');
      },
      10_000,
      'the next change delivered',
    );
    // One event, the clearance's (a clearance keeps the title of what it cleared); the change
    // given up is carried by it, not sent again.
    expect(publishedTitles(org, portalId)).toEqual(['event 1']);
    expect(statusRecords(portalId)).toEqual([
      expect.objectContaining({ [STATUS_OBJECT.fields.state]: 'cleared' }),
    ]);
  });
});
