import type { OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import type { DeliveryRecord } from '../src/store/types.js';
import { createPortal, suspension, waitFor } from './helpers.js';
import { publishedTitles } from './orgDelivery.js';
import { useRecoveryStack } from './recoveryStack.js';

// An outage that refuses only writes (read-only maintenance, INSERT_UPDATE_DELETE_NOT_ALLOWED_
// DURING_MAINTENANCE; a spent hourly event allocation, LIMIT_EXCEEDED) leaves GET /limits
// answering, so every check re-queues the delivery. Re-queued with all RELAY_OUTBOX_MAX_ATTEMPTS,
// each check cost 1 + 12 calls, hourly for 3 days, far above the documented one call a check. A
// re-queued delivery gets one attempt: failing on passing trouble again, it goes straight back to
// the spaced checks, so a check costs GET /limits and one attempt.
describe('automatic re-queue during an outage that refuses only writes', () => {
  const MAX_ATTEMPTS = 6;
  const stack = useRecoveryStack(
    { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 5, maxDelayMs: 20 },
    { enabled: true, firstDelayMs: 300, maxDelayMs: 600, forMs: 600_000 },
  );
  let org: OrgSimulator;
  let app: FastifyInstance;
  beforeAll(() => ({ org, app } = stack));

  const deliveries = async (portalId: string): Promise<DeliveryRecord[]> =>
    (await app.store.listDeliveries(portalId, { limit: 20 })).items;
  const isCheck = (path: string) => path.includes('/limits');

  test('each check costs GET /limits and one attempt, and the checks stay spaced', async () => {
    const portalId = '9920001';
    await createPortal(app, portalId, {
      kind: 'token',
      instanceUrl: org.url,
      accessToken: org.accessToken,
    });
    // Writes refused with a passing failure; reads (GET /limits among them) answer.
    for (const method of ['POST', 'PATCH'])
      org.injectFault({ path: /\/services\/data\//, method, fault: 'REQUEST_LIMIT_EXCEEDED' });
    const start = org.requests.length;
    await app.changes.record(suspension(portalId, 1));
    const [given] = await waitFor(
      async () => {
        const items = await deliveries(portalId);
        return items.length === 1 && items[0]!.state === 'failed' && items;
      },
      15_000,
      'the change given up',
    );
    expect(given!.attempts).toBe(MAX_ATTEMPTS);
    expect(given!.recoveries).toBe(0);
    // What one attempt costs, from the attempts before the give-up.
    const firstRound = org.requests.slice(start).filter((r) => !isCheck(r.path)).length;
    const perAttempt = firstRound / MAX_ATTEMPTS;
    expect(perAttempt).toBeGreaterThanOrEqual(1);

    const afterGiveUp = org.requests.length;
    const checksSince = () => org.requests.slice(afterGiveUp).filter((r) => isCheck(r.path));
    // Several checks, each answered (so each re-queued the delivery), and the delivery back to
    // failed after its one attempt, with the next check scheduled.
    const CHECKS = 4;
    const settled = await waitFor(
      async () => {
        if (checksSince().length < CHECKS) return false;
        const [d] = await deliveries(portalId);
        return d!.state === 'failed' && d!.recoveries >= CHECKS && d;
      },
      20_000,
      `${CHECKS} checks, each re-queue given up again`,
    );
    const checks = checksSince();
    expect(checks.every((r) => r.status === 200)).toBe(true);
    const others = org.requests.slice(afterGiveUp).filter((r) => !isCheck(r.path));
    // One attempt per re-queue (the delivery's recoveries), not MAX_ATTEMPTS: a first attempt
    // is one POST /composite (no "what landed?" query before it), so a check costs two calls.
    // (A check may have answered just now, its re-queue not yet recorded.)
    expect(settled.recoveries).toBeGreaterThanOrEqual(checks.length - 1);
    expect(
      others.map((r) => `${r.method} ${r.path.replace(/^.*\/services\/data\/v[\d.]+/, '')}`),
    ).toEqual(others.map(() => 'POST /composite'));
    expect(others.length).toBeLessThanOrEqual(checks.length);
    expect(others.length).toBeLessThanOrEqual(checks.length * perAttempt);
    expect(settled.attempts).toBe(1);
    expect(settled.lastError).toMatch(/^REQUEST_LIMIT_EXCEEDED \(403\): /);
    expect(settled.lastError).toMatch(/\[AUTO-RETRY: re-queued by itself once Salesforce answers/);
    expect(settled.recoverSince).toBe(given!.recoverSince);
    // The next check as far off as the outage has lasted (from the first give-up), at least 300 ms.
    expect(Date.parse(settled.recoverAt!)).toBeGreaterThanOrEqual(
      Date.parse(checks[checks.length - 1]!.at) + 250,
    );
    // Checks stay spaced (about 300, 300, 600, 600 ms), not one per pass.
    const gaps = checks.slice(1).map((c, i) => Date.parse(c.at) - Date.parse(checks[i]!.at));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(300 - 50);
    expect(publishedTitles(org, portalId)).toEqual([]);

    // Writes pass again: the next check re-queues it and it lands.
    org.clearFaults();
    await waitFor(
      async () => (await deliveries(portalId))[0]!.state === 'delivered',
      15_000,
      'delivered once writes pass',
    );
    expect(publishedTitles(org, portalId)).toEqual(['event 1']);
  });
});

// A re-queued delivery failing again after RELAY_OUTBOX_RECOVERY_FOR_MS gets no further check;
// its lastError says so (and how to re-queue it), as a put-off check's does, not a bare failure.
describe('the automatic re-queue ends after RELAY_OUTBOX_RECOVERY_FOR_MS of a write-only outage', () => {
  const stack = useRecoveryStack(
    { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
    { enabled: true, firstDelayMs: 200, maxDelayMs: 400, forMs: 500 },
  );
  let org: OrgSimulator;
  let app: FastifyInstance;
  beforeAll(() => ({ org, app } = stack));

  test('the last give-up says the checks ended, and no check follows', async () => {
    const portalId = '9920002';
    await createPortal(app, portalId, {
      kind: 'token',
      instanceUrl: org.url,
      accessToken: org.accessToken,
    });
    org.injectFault({ path: '/composite', method: 'POST', fault: 'REQUEST_LIMIT_EXCEEDED' });
    await app.changes.record(suspension(portalId, 1));
    const ended = await waitFor(
      async () => {
        const [d] = (await app.store.listDeliveries(portalId, { limit: 5 })).items;
        return d?.state === 'failed' && d.recoveries > 0 && d.recoverAt === null && d;
      },
      15_000,
      'the re-queued delivery given up for good',
    );
    expect(ended.lastError).toBe(
      `REQUEST_LIMIT_EXCEEDED (403): TotalRequests Limit exceeded. [AUTO-RETRY ended: Salesforce did not answer within RELAY_OUTBOX_RECOVERY_FOR_MS; re-queue with POST /v1/admin/portals/${portalId}/deliveries/retry]`,
    );
    const calls = org.requests.length;
    const recovery = app.deliveryRecovery!;
    const passes = recovery.passes;
    await waitFor(() => recovery.passes >= passes + 2, 15_000, 'two more re-queue passes');
    expect(org.requests.length).toBe(calls);
  });
});
