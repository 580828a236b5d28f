import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import type { RelayConfig } from '../src/config.js';
import { signPayload } from '../src/crypto/signature.js';
import {
  ADMIN_TOKEN,
  admin,
  captureLogs,
  createPortal,
  listen,
  signed,
  startTestRelay,
  tempDir,
  testConfig,
  RecordingPublisher,
} from './helpers.js';

/** An app of testConfig(overrides) logging into captureLogs; close() removes its data directory too. */
async function appWithLogs(overrides: Partial<RelayConfig>) {
  const dir = tempDir();
  const config = testConfig(dir.path, { logEnabled: true, ...overrides });
  const { loggerOptions } = await import('../src/app.js');
  const logs = captureLogs(loggerOptions(config) as pino.LoggerOptions);
  const app = await buildApp(config, { loggerInstance: logs.logger });
  await app.ready();
  return {
    app,
    config,
    logs,
    close: async () => {
      await app.close();
      dir.remove();
    },
  };
}

/** The status codes of three admin reads from 10.0.0.5, each naming another client in X-Forwarded-For. */
async function forwardedForThreeClients(app: FastifyInstance): Promise<number[]> {
  const codes = [];
  for (let n = 0; n < 3; n++)
    codes.push(
      (
        await app.inject({
          method: 'GET',
          url: '/v1/admin/portals',
          headers: { ...admin, 'x-forwarded-for': `203.0.113.${n}` },
          remoteAddress: '10.0.0.5',
        })
      ).statusCode,
    );
  return codes;
}

describe('outputs and operations', () => {
  test('SSE: the current status first, then one event per change; closing the app ends the stream', async () => {
    const relay = await startTestRelay({ publicReads: true });
    const { signingSecret } = await createPortal(relay.app, '3300001');
    const base = await listen(relay.app);
    const response = await fetch(`${base}/v1/portals/3300001/stream`);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // The API's security headers, although the stream writes its own head (a hijacked reply).
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    const reader = response.body!.getReader();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
      return text;
    };
    // A portal that never had a signal: the blank status GET state shows, not null.
    await readUntil(/event: status\ndata: \{.*\}\n\n/);
    const opening = JSON.parse(/event: status\ndata: (.*)\n\n/.exec(text)![1]!);
    const state = await fetch(`${base}/v1/portals/3300001/state`);
    expect(opening).toEqual(await state.json());
    expect(opening).toMatchObject({
      portalId: '3300001',
      state: 'cleared',
      since: null,
      history: [],
    });
    for (const [n, reason] of [
      [1, 'STORAGE_LIMIT_EXCEEDED'],
      [2, 'ORG_LOCKED'],
    ] as const) {
      const { payload, headers } = signed(signingSecret, {
        reason,
        occurredAt: new Date().toISOString(),
        eventId: `sse-${n}`,
      });
      const sent = await fetch(`${base}/v1/portals/3300001/suspensions`, {
        method: 'POST',
        headers,
        body: payload,
      });
      expect(sent.status).toBe(202);
    }
    await readUntil(/"reason":"ORG_LOCKED"/);
    const events = text.split('\n\n').filter((block) => block.includes('event: status'));
    expect(events).toHaveLength(3);
    expect(events[1]).toMatch(
      /^id: \d+\nevent: status\ndata: \{.*"reason":"STORAGE_LIMIT_EXCEEDED"/m,
    );
    await relay.close();
    const end = await reader.read().catch(() => ({ done: true }));
    expect(end.done).toBe(true);
  });

  test('SSE resumes after Last-Event-ID: the missed changes in order, nothing twice; an unknown id starts afresh', async () => {
    const relay = await startTestRelay({ publicReads: true });
    const { signingSecret } = await createPortal(relay.app, '3300004');
    const base = await listen(relay.app);
    const signal = async (n: number) => {
      const { payload, headers } = signed(signingSecret, {
        reason: n % 2 ? 'ORG_LOCKED' : 'API_LIMIT_EXCEEDED',
        title: `#${n}`,
        occurredAt: new Date().toISOString(),
        eventId: `resume-${n}`,
      });
      const answer = await fetch(`${base}/v1/portals/3300004/suspensions`, {
        method: 'POST',
        headers,
        body: payload,
      });
      expect(answer.status).toBe(202);
      return ((await answer.json()) as { change: { id: number } }).change.id;
    };
    const ids = [await signal(1), await signal(2), await signal(3)];
    // Opens a stream and reads `count` status events (id and title of each), plus any comments.
    const read = async (
      headers: Record<string, string>,
      count: number,
      during?: () => Promise<unknown>,
    ) => {
      const controller = new AbortController();
      const response = await fetch(`${base}/v1/portals/3300004/stream`, {
        headers,
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      let text = '';
      const events = () => text.split('\n\n').filter((block) => block.includes('event: status'));
      let pending = during?.();
      while (events().length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
        if (pending) {
          await pending;
          pending = undefined;
        }
      }
      await reader.cancel();
      controller.abort();
      return {
        comments: text.split('\n\n').filter((block) => block.startsWith(': ')),
        events: events().map((block) => ({
          id: /^id: (\d+)$/m.exec(block)?.[1] ?? null,
          title: (JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { title: string }).title,
        })),
      };
    };

    const fresh = await read({}, 1);
    expect(fresh.events).toEqual([{ id: String(ids[2]), title: '#3' }]);

    // Missed #2 and #3; #4 lands while the stream opens: each once, in order.
    const resumed = await read({ 'last-event-id': String(ids[0]) }, 3, () => signal(4));
    expect(resumed.events.map((e) => e.title)).toEqual(['#2', '#3', '#4']);
    expect(resumed.events.slice(0, 2).map((e) => e.id)).toEqual([String(ids[1]), String(ids[2])]);
    expect(resumed.comments).toEqual([]);
    // Each replayed status is the one right after its change (its history ends there).
    const [afterSecond] = await relay.app.store.changesWithStatus('3300004', [ids[1]!]);
    expect(afterSecond?.status?.history.map((h) => h.title)).toEqual(['#2', '#1']);

    // Up to date: nothing is replayed, the next change arrives live.
    const newest = Number(resumed.events[2]!.id);
    const upToDate = await read({ 'last-event-id': String(newest) }, 1, () => signal(5));
    expect(upToDate.events.map((e) => e.title)).toEqual(['#5']);

    // An id that is not one of this portal's changes: the current status, and a comment why.
    const unknown = await read({ 'last-event-id': '999999999' }, 1);
    expect(unknown.events.map((e) => e.title)).toEqual(['#5']);
    expect(unknown.comments.join()).toMatch(/cannot resume after 999999999/);
    await relay.close();
  });

  test('closing does not wait on a client that connected and never sent a request', async () => {
    const relay = await startTestRelay();
    const base = new URL(await listen(relay.app));
    const silent = connect(Number(base.port), base.hostname);
    await once(silent, 'connect');
    // A keep-alive connection between requests, which Node closes by itself, beside it.
    expect((await fetch(`${base.origin}/health/live`)).status).toBe(200);
    const closedByServer = once(silent, 'close');
    // Without the connections plugin this never resolves: Node's closeIdleConnections skips a
    // connection that carried no request, and the silent client never hangs up.
    await relay.close();
    await closedByServer;
    expect(silent.destroyed).toBe(true);
    // A hang is this test's failure: fail it well before the suite's 60 s.
  }, 10_000);

  test('reads need the admin token unless public reads are on', async () => {
    const relay = await startTestRelay();
    await createPortal(relay.app, '3300002');
    expect(
      (await relay.app.inject({ method: 'GET', url: '/v1/portals/3300002/state' })).statusCode,
    ).toBe(401);
    const state = await relay.app.inject({
      method: 'GET',
      url: '/v1/portals/3300002/state',
      headers: admin,
    });
    expect(state.json()).toMatchObject({
      portalId: '3300002',
      state: 'cleared',
      since: null,
      history: [],
    });
    expect(
      (await relay.app.inject({ method: 'GET', url: '/v1/portals/3300002/stream' })).statusCode,
    ).toBe(401);
    await relay.close();
  });

  test('health, liveness, metrics, OpenAPI docs, helmet headers', async () => {
    const relay = await startTestRelay();
    const { signingSecret } = await createPortal(relay.app, '3300003', null);
    await relay.app.inject({
      method: 'POST',
      url: '/v1/portals/3300003/suspensions',
      ...signed(signingSecret, {
        reason: 'ORG_LOCKED',
        occurredAt: new Date().toISOString(),
        eventId: 'm-1',
      }),
    });
    const live = await relay.app.inject({ method: 'GET', url: '/health/live' });
    expect(live.json()).toEqual({ status: 'ok' });
    const health = await relay.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({
      status: 'ok',
      store: 'sqlite',
      database: 'ok',
      portals: { ok: 0, unreachable: 0, notConfigured: 1, unknown: 0 },
    });
    const asAdmin = await relay.app.inject({ method: 'GET', url: '/health', headers: admin });
    expect(asAdmin.json()).toMatchObject({
      status: 'ok',
      portals: { notConfigured: 1 },
      salesforce: { '3300003': 'not configured' },
    });
    const metrics = await relay.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(/relay_signals_total\{source="webhook",outcome="stored"\} 1/);
    expect(metrics.body).toMatch(
      /relay_outbox_deliveries\{state="(pending|waitingForConnection)"\} 1/,
    );
    expect(metrics.body).toMatch(
      /relay_http_request_duration_seconds_count\{method="POST",route="\/v1\/portals\/:portalId\/suspensions",status="202"\} 1/,
    );
    // Prometheus naming: a histogram of durations ends in _duration_seconds.
    expect(metrics.body).toContain('# TYPE relay_delivery_duration_seconds histogram');
    expect(metrics.body).toContain('# TYPE relay_http_request_duration_seconds histogram');
    expect(metrics.body).not.toMatch(/relay_(delivery|http_request)_seconds/);
    const openapi = await relay.app.inject({ method: 'GET', url: '/docs/json' });
    const spec = openapi.json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/portals/{portalId}/suspensions',
        '/v1/inbound/email',
        '/v1/portals/{portalId}/sync-errors',
        '/v1/admin/portals',
        '/health',
      ]),
    );
    const docs = await relay.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    expect(live.headers['x-content-type-options']).toBe('nosniff');
    await relay.close();
  });

  test('health without the admin token: counts only, never a portal id or Salesforce error text; the admin token adds them', async () => {
    class ExpiredSessionPublisher extends RecordingPublisher {
      override async ping(): Promise<void> {
        throw new Error('INVALID_SESSION_ID: Session expired or invalid');
      }
    }
    const relay = await startTestRelay({ publisher: new ExpiredSessionPublisher() });
    await createPortal(relay.app, '3300010');
    await createPortal(relay.app, '3300011', null);
    const anonymous = await relay.app.inject({ method: 'GET', url: '/health' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({
      status: 'ok',
      store: 'sqlite',
      database: 'ok',
      portals: { ok: 0, unreachable: 1, notConfigured: 1, unknown: 0 },
      outbox: expect.any(Object),
      instance: expect.any(String),
    });
    const wrongToken = await relay.app.inject({
      method: 'GET',
      url: '/health',
      headers: { authorization: 'Bearer not-the-admin-token-at-all' },
    });
    for (const answer of [anonymous, wrongToken]) {
      expect(answer.body).not.toMatch(/3300010|3300011|Session expired/);
    }
    const asAdmin = await relay.app.inject({ method: 'GET', url: '/health', headers: admin });
    expect(asAdmin.json().salesforce).toEqual({
      '3300010': 'unreachable: INVALID_SESSION_ID: Session expired or invalid',
      '3300011': 'not configured',
    });
    expect(asAdmin.json().portals).toEqual(anonymous.json().portals);
    await relay.close();
  });

  test('SSE Last-Event-ID 0 replays every change from the start; with no change yet, the blank status and no complaint', async () => {
    const relay = await startTestRelay({ publicReads: true });
    const { signingSecret } = await createPortal(relay.app, '3300012');
    await createPortal(relay.app, '3300013');
    const base = await listen(relay.app);
    for (const n of [1, 2]) {
      const { payload, headers } = signed(signingSecret, {
        reason: 'ORG_LOCKED',
        title: `#${n}`,
        occurredAt: new Date().toISOString(),
        eventId: `zero-${n}`,
      });
      expect(
        (
          await fetch(`${base}/v1/portals/3300012/suspensions`, {
            method: 'POST',
            headers,
            body: payload,
          })
        ).status,
      ).toBe(202);
    }
    const read = async (portalId: string, count: number) => {
      const controller = new AbortController();
      const response = await fetch(`${base}/v1/portals/${portalId}/stream`, {
        headers: { 'last-event-id': '0' },
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      let text = '';
      while (text.split('\n\n').filter((block) => block.includes('event: status')).length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
      await reader.cancel();
      controller.abort();
      return text;
    };
    const replayed = await read('3300012', 2);
    expect(replayed).not.toMatch(/cannot resume/);
    const titles = replayed
      .split('\n\n')
      .filter((block) => block.includes('event: status'))
      .map((block) => JSON.parse(/^data: (.*)$/m.exec(block)![1]!).title);
    expect(titles).toEqual(['#1', '#2']);
    const untouched = await read('3300013', 1);
    expect(untouched).not.toMatch(/cannot resume/);
    expect(untouched).toMatch(/event: status\ndata: \{"portalId":"3300013","state":"cleared"/);
    await relay.close();
  });

  test('the per-portal rate limit counts authenticated requests only: unsigned floods cannot lock a portal out', async () => {
    const relay = await startTestRelay({
      rateLimit: { perIpPerMinute: 10_000, perPortalPerMinute: 3 },
    });
    const { signingSecret } = await createPortal(relay.app, '3300014');
    const suspension = (n: number) =>
      signed(signingSecret, {
        reason: 'ORG_LOCKED',
        occurredAt: new Date().toISOString(),
        eventId: `flood-${n}`,
      });
    const csvBody = 'Error type,Message\nField permission,denied\n';
    const forgedCsv = () => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      return {
        'content-type': 'text/csv',
        'x-sync-doctor-timestamp': timestamp,
        'x-sync-doctor-signature': signPayload('sdwh_forged', timestamp, csvBody),
      };
    };
    const attack = [];
    for (let n = 0; n < 130; n++) {
      const forged = suspension(n);
      const request =
        n % 3 === 0
          ? {
              url: '/v1/portals/3300014/suspensions',
              payload: forged.payload,
              headers: { ...forged.headers, 'x-sync-doctor-signature': 'v1=' + '0'.repeat(64) },
            }
          : n % 3 === 1
            ? {
                url: '/v1/portals/3300014/clear',
                payload: '{}',
                headers: { 'content-type': 'application/json' },
              }
            : { url: '/v1/portals/3300014/sync-errors', payload: csvBody, headers: forgedCsv() };
      attack.push((await relay.app.inject({ method: 'POST', ...request })).statusCode);
    }
    expect(new Set(attack)).toEqual(new Set([401]));
    // The portal's own signed requests still get through, up to its limit, on every route...
    const csvTimestamp = String(Math.floor(Date.now() / 1000));
    const signedCsv = {
      'content-type': 'text/csv',
      'x-sync-doctor-timestamp': csvTimestamp,
      'x-sync-doctor-signature': signPayload(signingSecret, csvTimestamp, csvBody),
    };
    const genuine = [
      await relay.app.inject({
        method: 'POST',
        url: '/v1/portals/3300014/suspensions',
        ...suspension(1000),
      }),
      await relay.app.inject({
        method: 'POST',
        url: '/v1/portals/3300014/clear',
        ...signed(signingSecret, { eventId: 'flood-clear' }),
      }),
      await relay.app.inject({
        method: 'POST',
        url: '/v1/portals/3300014/sync-errors',
        headers: signedCsv,
        payload: csvBody,
      }),
    ];
    expect(genuine.map((answer) => answer.statusCode)).toEqual([202, 202, 201]);
    const reportsBefore = await relay.app.store.latestSyncErrorReport('3300014');
    // ...and past it, authenticated requests are refused on each of them.
    const beyond = [
      await relay.app.inject({
        method: 'POST',
        url: '/v1/portals/3300014/suspensions',
        ...suspension(1001),
      }),
      await relay.app.inject({ method: 'POST', url: '/v1/portals/3300014/clear', headers: admin }),
      await relay.app.inject({
        method: 'POST',
        url: '/v1/portals/3300014/sync-errors',
        headers: signedCsv,
        payload: csvBody,
      }),
      await relay.app.inject({
        method: 'POST',
        url: '/v1/portals/3300014/sync-errors',
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: csvBody,
      }),
    ];
    expect(beyond.map((answer) => [answer.statusCode, answer.json().code])).toEqual(
      Array(4).fill([429, 'RATE_LIMITED']),
    );
    expect(beyond[0]!.headers['retry-after']).toEqual(expect.any(String));
    expect((await relay.app.store.latestSyncErrorReport('3300014'))?.id).toBe(reportsBefore?.id);
    expect((await relay.app.store.listChanges('3300014', { limit: 10 })).items).toHaveLength(2);
    await relay.close();

    // The per-IP limit still stops a flood of unsigned requests.
    const perIp = await startTestRelay({
      rateLimit: { perIpPerMinute: 5, perPortalPerMinute: 100 },
    });
    await createPortal(perIp.app, '3300015');
    const unsigned = [];
    for (let n = 0; n < 6; n++)
      unsigned.push(
        (
          await perIp.app.inject({
            method: 'POST',
            url: '/v1/portals/3300015/clear',
            headers: { 'content-type': 'application/json' },
            payload: '{}',
          })
        ).statusCode,
      );
    expect(unsigned).toEqual([401, 401, 401, 401, 429, 429]);
    await perIp.close();
  });

  test('rate limits: per IP and per portal, each a 429 with a clear message', async () => {
    const relay = await startTestRelay({
      rateLimit: { perIpPerMinute: 1000, perPortalPerMinute: 3 },
    });
    const { signingSecret } = await createPortal(relay.app, '3300004');
    const statuses: number[] = [];
    for (let n = 0; n < 5; n++) {
      const response = await relay.app.inject({
        method: 'POST',
        url: '/v1/portals/3300004/suspensions',
        ...signed(signingSecret, {
          reason: 'ORG_LOCKED',
          occurredAt: new Date().toISOString(),
          eventId: `rl-${n}`,
        }),
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429)
        expect(response.json()).toMatchObject({
          code: 'RATE_LIMITED',
          error: expect.stringContaining('per minute'),
        });
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    await relay.close();
    const perIp = await startTestRelay({
      rateLimit: { perIpPerMinute: 2, perPortalPerMinute: 100 },
    });
    const codes = [];
    for (let n = 0; n < 3; n++)
      codes.push(
        (await perIp.app.inject({ method: 'GET', url: '/v1/admin/portals', headers: admin }))
          .statusCode,
      );
    expect(codes).toEqual([200, 200, 429]);
    expect((await perIp.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    await perIp.close();
  });

  // Behind source NAT (Kubernetes, Docker) or a TCP balancer every internet client arrives from a
  // private address: trusting the private ranges by default let each forge X-Forwarded-For per
  // request past the per-IP limits. No proxy is trusted unless RELAY_TRUST_PROXY names it.
  test('by default X-Forwarded-For is ignored, also from a private peer, and said once in the log', async () => {
    const { app, config, logs, close } = await appWithLogs({
      rateLimit: { perIpPerMinute: 2, perPortalPerMinute: 100 },
    });
    try {
      expect(config.trustProxy).toBe(false);
      expect(await forwardedForThreeClients(app)).toEqual([200, 200, 429]);
      const warned = logs.entries().filter((line) => /X-Forwarded-For ignored/.test(line.msg));
      expect(warned).toEqual([
        expect.objectContaining({
          level: 40,
          peer: '10.0.0.5',
          msg: expect.stringMatching(/RELAY_TRUST_PROXY/),
        }),
      ]);
    } finally {
      await close();
    }
  });

  test('X-Forwarded-For names the client only when a trusted proxy sends it', async () => {
    const relay = await startTestRelay({
      rateLimit: { perIpPerMinute: 2, perPortalPerMinute: 100 },
      trustProxy: 'loopback,linklocal,uniquelocal',
    });
    const get = (remoteAddress: string, forwardedFor: string) =>
      relay.app.inject({
        method: 'GET',
        url: '/v1/admin/portals',
        headers: { ...admin, 'x-forwarded-for': forwardedFor },
        remoteAddress,
      });
    // A load balancer on a private address: each client it names has its own budget.
    const behindBalancer = [];
    for (const client of [
      '203.0.113.1',
      '203.0.113.2',
      '203.0.113.3',
      '203.0.113.1',
      '203.0.113.1',
    ])
      behindBalancer.push((await get('10.0.0.5', client)).statusCode);
    expect(behindBalancer).toEqual([200, 200, 200, 200, 429]);
    // A client on the internet cannot pick a new address per request to slip past the limit.
    const spoofed = [];
    for (let n = 0; n < 3; n++)
      spoofed.push((await get('198.51.100.9', `203.0.113.${100 + n}`)).statusCode);
    expect(spoofed).toEqual([200, 200, 429]);
    await relay.close();
    // RELAY_TRUST_PROXY=false: the socket's address counts, whatever the header says.
    const direct = await startTestRelay({
      rateLimit: { perIpPerMinute: 2, perPortalPerMinute: 100 },
      trustProxy: false,
    });
    expect(await forwardedForThreeClients(direct.app)).toEqual([200, 200, 429]);
    await direct.close();
  });

  test('secrets never reach the logs or the admin API after creation', async () => {
    const { app, logs, close } = await appWithLogs({
      logLevel: 'trace',
      publisher: new RecordingPublisher(),
    });
    const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const keyLine = privateKey.split('\n')[1]!;
    const created = await app.inject({
      method: 'POST',
      url: '/v1/admin/portals',
      headers: admin,
      payload: {
        id: '3300005',
        salesforce: {
          kind: 'jwt',
          clientId: 'cid',
          username: 'hubspot@example.com',
          loginUrl: 'https://login.salesforce.com',
          privateKey,
        },
      },
    });
    const { signingSecret, inboundToken } = created.json();
    app.log.info({ salesforce: { privateKey }, signingSecret }, 'a careless log line');
    await app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${inboundToken}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: 'Subject: hi\r\n\r\nhello',
    });
    await app.inject({
      method: 'POST',
      url: '/v1/portals/3300005/suspensions',
      ...signed(signingSecret, {
        reason: 'ORG_LOCKED',
        occurredAt: new Date().toISOString(),
        eventId: 'log-1',
      }),
    });
    const listed = await app.inject({
      method: 'GET',
      url: '/v1/admin/portals/3300005',
      headers: admin,
    });
    expect(listed.json().salesforce).toEqual({
      configured: true,
      kind: 'jwt',
      username: 'hubspot@example.com',
      loginUrl: 'https://login.salesforce.com',
      clientId: 'cid',
    });
    await close();
    const log = logs.text();
    expect(log).toContain('a careless log line');
    for (const secret of [signingSecret, inboundToken, ADMIN_TOKEN, keyLine]) {
      expect(log).not.toContain(secret);
      expect(listed.body).not.toContain(secret);
    }
  });
});

describe('RELAY_TRUST_PROXY', () => {
  test('parses lists, true and false; refuses what is not an address list', async () => {
    const { trustProxyFrom, ConfigError } = await import('../src/config.js');
    expect(trustProxyFrom(undefined)).toBe(false);
    expect(trustProxyFrom('')).toBe(false);
    expect(trustProxyFrom('false')).toBe(false);
    expect(trustProxyFrom('true')).toBe(true);
    expect(trustProxyFrom('10.0.0.0/8, 192.168.1.10')).toBe('10.0.0.0/8, 192.168.1.10');
    expect(() => trustProxyFrom('$(rm -rf /)')).toThrow(ConfigError);
  });
});
