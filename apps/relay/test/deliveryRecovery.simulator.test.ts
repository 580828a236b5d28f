import { STATUS_OBJECT } from '@sync-doctor/core';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import type { DeliveryRecord } from '../src/store/types.js';
import { createPortal, suspension, waitFor } from './helpers.js';
import { deliveriesOf, publishedTitles } from './orgDelivery.js';
import { useRecoveryStack } from './recoveryStack.js';

// A Salesforce outage longer than the retries (maintenance, an instance down) gave a portal's
// newest delivery up as failed, and Salesforce showed a stale status until the portal's next change
// or a manual POST .../deliveries/retry. The relay now checks the org on a slow schedule (one
// cheap GET /limits per due portal) and, once it answers, re-queues what the outage made fail,
// as the retry route would: in order, never an older status over a newer one.
describe('automatic re-queue after a Salesforce outage longer than the retries', () => {
  // Three attempts within a few dozen ms: any outage of the test outlasts them.
  const stack = useRecoveryStack(
    { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    { enabled: true, firstDelayMs: 300, maxDelayMs: 600, forMs: 600_000 },
  );
  const logs = stack.logs;
  let org: OrgSimulator;
  let app: FastifyInstance;
  beforeAll(() => ({ org, app } = stack));
  const everything = /\/services\/data\//;

  const deliveries = async (portalId: string): Promise<DeliveryRecord[]> =>
    (await app.store.listDeliveries(portalId, { limit: 20 })).items;
  const connect = (portalId: string) =>
    createPortal(app, portalId, {
      kind: 'token',
      instanceUrl: org.url,
      accessToken: org.accessToken,
    });
  const statusRecord = (portalId: string) =>
    org.records(STATUS_OBJECT.name).find((r) => r[STATUS_OBJECT.fields.portalId] === portalId);
  const requeuedMetric = async (): Promise<number> => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(/^relay_delivery_auto_requeues_total (\d+)/m.exec(text)?.[1] ?? NaN);
  };
  const allDelivered = (portalId: string, count: number) =>
    waitFor(
      async () => {
        const items = await deliveries(portalId);
        return items.length === count && items.every((d) => d.state === 'delivered') && items;
      },
      15_000,
      `${count} deliveries of ${portalId} delivered`,
    );
  const failedOnes = (portalId: string, count: number) =>
    waitFor(
      async () => {
        const items = await deliveries(portalId);
        const failed = items.filter((d) => d.state === 'failed');
        return failed.length === count && items.every((d) => d.state !== 'pending') && failed;
      },
      15_000,
      `${count} deliveries of ${portalId} given up`,
    );

  test('the newest status lands once the org answers again, exactly once and in order, with no new change or manual retry', async () => {
    const portalId = '9900001';
    await connect(portalId);
    await app.changes.record(suspension(portalId, 1));
    await allDelivered(portalId, 1);
    const before = await requeuedMetric();

    org.injectFault({ path: everything, fault: 'SERVER_UNAVAILABLE' });
    await app.changes.record(suspension(portalId, 2));
    await app.changes.record(suspension(portalId, 3));
    const failed = await failedOnes(portalId, 2);
    for (const d of failed) {
      expect(d.attempts).toBe(3);
      expect(d.lastError).toMatch(/^SERVER_UNAVAILABLE \(503\): /);
      expect(d.lastError).toMatch(
        /\[AUTO-RETRY: re-queued by itself once Salesforce answers again; next check at \S+Z\]$/,
      );
      expect(d.recoverAt).not.toBeNull();
      // nextAttemptAt says when the relay checks next.
      expect(Date.parse(d.nextAttemptAt)).toBeGreaterThan(Date.now() - 1000);
    }
    const shown = (await deliveriesOf(app, portalId)) as unknown as {
      lastError: string;
      nextAttemptAt: string;
    }[];
    expect(shown[0]!.lastError).toContain(`next check at ${shown[0]!.nextAttemptAt}`);
    // The checks while the org is still down cost one GET /limits each and re-queue nothing.
    await waitFor(
      () => org.requests.some((r) => r.path.includes('/limits') && r.status === 503),
      15_000,
      'a check during the outage',
    );
    expect((await deliveries(portalId)).filter((d) => d.state === 'failed')).toHaveLength(2);
    expect(await requeuedMetric()).toBe(before);
    expect(publishedTitles(org, portalId)).toEqual(['event 1']);

    org.clearFaults();
    const done = await allDelivered(portalId, 3);
    expect(publishedTitles(org, portalId)).toEqual(['event 1', 'event 2', 'event 3']);
    expect(statusRecord(portalId)).toMatchObject({
      [STATUS_OBJECT.fields.state]: 'suspended',
      [STATUS_OBJECT.fields.title]: 'event 3',
    });
    for (const d of done.filter((x) => x.changeId !== done[done.length - 1]!.changeId))
      expect(d.recoveries).toBe(1);
    // GET /deliveries says which ones the relay re-queued by itself.
    const listed = await deliveriesOf(app, portalId);
    expect(listed.map((d) => (d.result as { autoRequeued?: number }).autoRequeued)).toEqual([
      1,
      1,
      undefined,
    ]);
    expect(await requeuedMetric()).toBe(before + 2);
    const lines = logs
      .entries()
      .filter((e) => e.portalId === portalId && /re-queued the delivery given up/.test(e.msg));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, requeued: 2 });
    expect(logs.text()).not.toContain(org.accessToken);

    // Exactly once: later passes find nothing to re-queue. Two more passes finished: the second
    // started after this point, so at least one whole pass looked for due checks since.
    const calls = org.requests.length;
    const recovery = app.deliveryRecovery!;
    const passes = recovery.passes;
    await waitFor(() => recovery.passes >= passes + 2, 15_000, 'two more re-queue passes');
    expect(publishedTitles(org, portalId)).toEqual(['event 1', 'event 2', 'event 3']);
    expect(await requeuedMetric()).toBe(before + 2);
    expect(org.requests.length).toBe(calls);
  });

  test('a delivery given up for a setting to fix is not re-queued; one given up on passing trouble is', async () => {
    const refused = '9900002';
    const passing = '9900003';
    await connect(refused);
    await connect(passing);
    // API_DISABLED_FOR_ORG: the org's API is switched off, a setting no retry mends.
    org.injectFault({ path: '/composite', fault: 'API_DISABLED_FOR_ORG', times: 1 });
    await app.changes.record(suspension(refused, 1));
    const [given] = await failedOnes(refused, 1);
    expect(given!.attempts).toBe(1);
    expect(given!.lastError).toMatch(/^API_DISABLED_FOR_ORG/);
    expect(given!.lastError).not.toContain('AUTO-RETRY');
    expect(given!.recoverAt).toBeNull();

    org.injectFault({ path: everything, fault: 'UNABLE_TO_LOCK_ROW' });
    org.injectFault({ path: everything, fault: 'REQUEST_LIMIT_EXCEEDED' });
    await app.changes.record(suspension(passing, 1));
    await failedOnes(passing, 1);
    org.clearFaults();
    await allDelivered(passing, 1);
    expect(publishedTitles(org, passing)).toEqual(['event 1']);

    // The pass that re-queued the other portal's delivery left this one alone.
    const [still] = await deliveries(refused);
    expect(still).toMatchObject({ state: 'failed', recoveries: 0, lastError: given!.lastError });
    expect(publishedTitles(org, refused)).toEqual([]);
  });

  test('an org that does not answer the check in time is not back: the re-queue is put off', async () => {
    const portalId = '9900005';
    await connect(portalId);
    org.injectFault({ path: everything, fault: 'SERVER_UNAVAILABLE' });
    await app.changes.record(suspension(portalId, 1));
    await failedOnes(portalId, 1);
    org.clearFaults();
    // Writes would pass now, but the org hangs on the check (past the relay's 3 s for it).
    org.injectFault({ path: '/limits', fault: 'SLOW', delayMs: 4000 });
    org.injectFault({ path: '/composite', fault: 'SERVER_UNAVAILABLE' });
    const checks = () => org.requests.filter((r) => r.path.includes('/limits')).length;
    const before = checks();
    await waitFor(() => checks() > before, 15_000, 'a slow check answered');
    const [still] = await deliveries(portalId);
    expect(still).toMatchObject({ state: 'failed', recoveries: 0 });
    expect(still!.lastError).toContain('[AUTO-RETRY: re-queued by itself once Salesforce answers');
    org.clearFaults();
    await allDelivered(portalId, 1);
    expect(publishedTitles(org, portalId)).toEqual(['event 1']);
  });

  test('an older failed delivery is never put over a newer delivered one', async () => {
    const portalId = '9900004';
    await connect(portalId);
    org.injectFault({ path: everything, fault: 'SERVER_UNAVAILABLE' });
    await app.changes.record(suspension(portalId, 1));
    const [old] = await failedOnes(portalId, 1);
    expect(old!.recoverAt).not.toBeNull();
    // The org back, and a newer change delivered before the check is due.
    org.clearFaults();
    await app.changes.record(suspension(portalId, 2));
    const done = await allDelivered(portalId, 2);
    expect(done.find((d) => d.changeId === old!.changeId)!.result).toEqual({
      supersededBy: done[0]!.changeId,
    });

    // Another outage: change 3 given up; once the org answers, only change 3 goes again.
    org.injectFault({ path: everything, fault: 'SERVER_UNAVAILABLE' });
    await app.changes.record(suspension(portalId, 3));
    await failedOnes(portalId, 1);
    org.clearFaults();
    await allDelivered(portalId, 3);
    expect(publishedTitles(org, portalId)).toEqual(['event 2', 'event 3']);
    expect(statusRecord(portalId)).toMatchObject({ [STATUS_OBJECT.fields.title]: 'event 3' });
  });
});
