import { buildApp } from '../src/app.js';
import {
  RecordingPublisher,
  admin,
  captureLogs,
  signed,
  startTestRelay,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.js';

const PORTAL = '5500077';
const suspension = (eventId: string) => ({
  reason: 'ORG_LOCKED',
  occurredAt: new Date().toISOString(),
  eventId,
});

/** Keeps the event loop busy `busyMs` out of every `everyMs`, as a relay overloaded by work would be. */
function lagEventLoop(busyMs: number, everyMs: number): () => void {
  const timer = setInterval(() => {
    const until = Date.now() + busyMs;
    while (Date.now() < until) {
      // busy: the loop cannot turn
    }
  }, everyMs);
  return () => clearInterval(timer);
}

describe('load shedding (@fastify/under-pressure)', () => {
  test('over a limit: API requests get 503 with Retry-After and store nothing; liveness and metrics answer, readiness says overloaded', async () => {
    // A heap limit of one byte: under pressure from the first sample on, deterministically.
    const relay = await startTestRelay({ maxHeapUsedBytes: 1, pressureSampleIntervalMs: 10 });
    try {
      // Through the service, not the admin API, which is shed too.
      const { signingSecret } = await relay.app.portals.create({ id: PORTAL });
      const shedding = await waitFor(
        async () => {
          const answer = await relay.app.inject({
            method: 'GET',
            url: `/v1/portals/${PORTAL}/state`,
            headers: admin,
          });
          return answer.statusCode === 503 && answer;
        },
        5000,
        'the first sample over the limit',
      );
      expect(shedding.json()).toMatchObject({ statusCode: 503, code: 'UNDER_PRESSURE' });
      expect(shedding.headers['retry-after']).toBe('5');
      // A 503 of the API is still an API answer: the same security headers.
      expect(shedding.headers['x-content-type-options']).toBe('nosniff');

      const webhook = await relay.app.inject({
        method: 'POST',
        url: `/v1/portals/${PORTAL}/suspensions`,
        ...signed(signingSecret, suspension('shed-1')),
      });
      expect([webhook.statusCode, webhook.json().code, webhook.headers['retry-after']]).toEqual([
        503,
        'UNDER_PRESSURE',
        '5',
      ]);
      // Shed before any work: the sender retries later, and nothing was half stored.
      expect(await relay.app.store.getStatus(PORTAL)).toBeNull();
      expect((await relay.app.store.listChanges(PORTAL, { limit: 10 })).items).toEqual([]);

      const live = await relay.app.inject({ method: 'GET', url: '/health/live' });
      expect([live.statusCode, live.json()]).toEqual([200, { status: 'ok' }]);
      const ready = await relay.app.inject({ method: 'GET', url: '/health' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({
        status: 'overloaded',
        database: 'ok',
        pressure: { type: 'heapUsedBytes' },
      });
      expect(ready.json().pressure.value).toBeGreaterThan(1);
      // No outbox count or Salesforce check while overloaded: the balancer gets its answer at once.
      expect(ready.json()).toMatchObject({ outbox: null, portals: null });

      const metrics = await relay.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      const shed = /relay_shed_requests_total\{cause="heapUsedBytes"\} (\d+)/.exec(metrics.body);
      expect(Number(shed?.[1])).toBeGreaterThanOrEqual(2);
    } finally {
      await relay.close();
    }
  });

  test('a lagging event loop is shed while it lags, and the relay answers again once it recovers', async () => {
    const relay = await startTestRelay({ maxEventLoopDelayMs: 25, pressureSampleIntervalMs: 20 });
    const stateOf = async () =>
      (
        await relay.app.inject({
          method: 'GET',
          url: `/v1/portals/${PORTAL}/state`,
          headers: admin,
        })
      ).statusCode;
    let stopLag: (() => void) | null = null;
    try {
      await relay.app.portals.create({ id: PORTAL });
      // Loading the test's modules may itself have lagged the loop: wait for a calm one first.
      await waitFor(async () => (await stateOf()) === 200, 10_000, 'a calm event loop');
      stopLag = lagEventLoop(90, 100);
      await waitFor(async () => (await stateOf()) === 503, 10_000, 'shedding while the loop lags');
      expect((await relay.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      stopLag();
      stopLag = null;
      await waitFor(async () => (await stateOf()) === 200, 10_000, 'answers again after the lag');
    } finally {
      stopLag?.();
      await relay.close();
    }
  });

  test('without a limit set, nothing is shed and readiness reports no pressure', async () => {
    const relay = await startTestRelay({
      maxEventLoopDelayMs: 0,
      maxHeapUsedBytes: 0,
      maxRssBytes: 0,
      pressureSampleIntervalMs: 10,
    });
    try {
      await relay.app.portals.create({ id: PORTAL });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(
        (
          await relay.app.inject({
            method: 'GET',
            url: `/v1/portals/${PORTAL}/state`,
            headers: admin,
          })
        ).statusCode,
      ).toBe(200);
      const ready = await relay.app.inject({ method: 'GET', url: '/health' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().status).toBe('ok');
      expect(ready.json()).not.toHaveProperty('pressure');
    } finally {
      await relay.close();
    }
  });

  test('RELAY_MAX_RSS_MB warns at start, and while it sheds says how much heap is really in use, once a minute', async () => {
    const logs = captureLogs();
    const dir = tempDir();
    // A limit of one byte: over it from the first sample on, as a relay after a big burst would be.
    const config = testConfig(dir.path, {
      maxRssBytes: 1,
      pressureSampleIntervalMs: 10,
      publisher: new RecordingPublisher(),
    });
    const app = await buildApp(config, { loggerInstance: logs.logger });
    try {
      await app.ready();
      const warnings = () =>
        logs.entries().filter((line) => line.level === 40) as {
          level: number;
          msg: string;
          rssMb?: number;
          heapUsedMb?: number;
          maxRssMb?: number;
        }[];
      expect(warnings()).toEqual([
        expect.objectContaining({
          maxRssMb: 0,
          msg: expect.stringContaining('RELAY_MAX_HEAP_USED_MB is the safer guard'),
        }),
      ]);
      await app.portals.create({ id: PORTAL });
      await waitFor(
        async () =>
          (await app.inject({ method: 'GET', url: `/v1/portals/${PORTAL}/state`, headers: admin }))
            .statusCode === 503,
        5000,
        'shedding on RSS',
      );
      for (let n = 0; n < 5; n++)
        expect(
          (
            await app.inject({ method: 'GET', url: `/v1/portals/${PORTAL}/state`, headers: admin })
          ).json().code,
        ).toBe('UNDER_PRESSURE');
      // Six shed requests, one warning: the log says why without repeating itself for every request.
      const shedding = warnings().filter((line) => line.msg.startsWith('shedding requests'));
      expect(shedding).toHaveLength(1);
      expect(shedding[0]!.rssMb).toBeGreaterThan(10);
      expect(shedding[0]!.heapUsedMb).toBeGreaterThan(0);
      expect(shedding[0]!.heapUsedMb).toBeLessThan(shedding[0]!.rssMb!);
    } finally {
      await app.close();
      dir.remove();
    }
  });

  test('no warning when RELAY_MAX_RSS_MB is not set', async () => {
    const logs = captureLogs();
    const dir = tempDir();
    const app = await buildApp(
      testConfig(dir.path, { maxRssBytes: 0, publisher: new RecordingPublisher() }),
      { loggerInstance: logs.logger },
    );
    try {
      await app.ready();
      expect(logs.text()).not.toContain('RELAY_MAX_RSS_MB');
    } finally {
      await app.close();
      dir.remove();
    }
  });
});
