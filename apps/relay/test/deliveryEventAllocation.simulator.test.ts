import { STATUS_OBJECT } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { createPortal, suspension, tempDir, testConfig, waitFor } from './helpers.js';
import { publishedTitles } from './orgDelivery.js';

// An org that has published its hourly allocation of platform events refuses the next publish
// with LIMIT_EXCEEDED (Platform Events Developer Guide, "Platform Event Error Status Codes"), and
// allOrNone takes the status upsert back with it. The allocation comes back within the hour, so
// the change must wait and go again, not end `failed` for a person to re-queue.
describe('an org whose hourly platform event allocation is spent', () => {
  let org: OrgSimulator;
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;
  const portalId = '9700001';

  beforeAll(async () => {
    org = await startOrgSimulator({ fixture: 'healthy' });
    dir = tempDir();
    app = await buildApp(
      testConfig(dir.path, {
        outbox: {
          enabled: true,
          pollIntervalMs: 20,
          leaseMs: 10_000,
          batchSize: 20,
          maxAttempts: 50,
          baseDelayMs: 10,
          maxDelayMs: 50,
        },
      }),
    );
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await org.close();
    dir.remove();
  });

  test('the change waits and is delivered once the allocation is back', async () => {
    const hourly = org.org.limits.HourlyPublishedPlatformEvents!;
    hourly.used = hourly.Max;
    await createPortal(app, portalId, {
      kind: 'token',
      instanceUrl: org.url,
      accessToken: org.accessToken,
    });
    await app.changes.record(suspension(portalId, 1));

    const delivery = async () => (await app.store.listDeliveries(portalId, { limit: 5 })).items[0];
    // Refused at least twice and still pending: retried, not failed.
    await waitFor(async () => ((await delivery())?.attempts ?? 0) >= 2, 10_000, 'a retry');
    const waiting = await delivery();
    expect(waiting).toMatchObject({ state: 'pending' });
    expect(waiting?.lastError).toMatch(/LIMIT_EXCEEDED/);
    expect(publishedTitles(org, portalId)).toEqual([]);
    expect(org.records(STATUS_OBJECT.name)).toEqual([]);

    hourly.used = 0;
    await waitFor(async () => (await delivery())?.state === 'delivered', 10_000, 'the delivery');
    expect(publishedTitles(org, portalId)).toEqual(['event 1']);
  });
});
