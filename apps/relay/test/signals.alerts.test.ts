import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { SUSPENSION_REASONS } from '@sync-doctor/core';
import { verifyBodySignature } from '@sync-doctor/hubspot-signals';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import {
  admin,
  createPortal,
  POSTGRES_URL,
  postgresSchema,
  signed,
  tempDir,
  waitFor,
} from './helpers.js';
import { signalsConfig, startSignalsRelay, type SignalsRelay } from './signalsHelpers.js';

// Alerts out of the relay: a local HTTP receiver (signed webhook) and a local smtp-server sink,
// both on loopback, fed through the durable alert outbox.

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** Answers from a script of statuses (then 200) and records every request with the status it got. */
async function receiver(script: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = script.shift() ?? 200;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status);
      res.end(status === 200 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  return {
    url,
    received,
    script,
    accepted: () => received.filter((r) => r.status === 200),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Answers DATA from a script of SMTP codes (then 250) and keeps every accepted mail. */
async function smtpSink(script: number[] = []) {
  const mails: { raw: Buffer; to: string[] }[] = [];
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const code = script.shift();
        if (code) {
          refused += 1;
          return callback(Object.assign(new Error('try again later'), { responseCode: code }));
        }
        mails.push({
          raw: Buffer.concat(chunks),
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    mails,
    refused: () => refused,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const SECRET = 'whsec-relay-0123456789abcdef';
const PORTAL = '4711';
const APP_URL = 'https://example.lightning.force.com/lightning/n/Sync_Doctor';

describe('alerts from the relay', () => {
  let relay: SignalsRelay;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let signingSecret: string;
  let eventCounter = 0;

  beforeAll(async () => {
    // The first webhook attempt fails (503) and the first mail is deferred (451): both are retried.
    hook = await receiver([503]);
    smtp = await smtpSink([451]);
    relay = await startSignalsRelay({
      signals: signalsConfig({
        alerts: {
          enabled: true,
          pollIntervalMs: 50,
          appUrl: APP_URL,
          retry: { baseDelayMs: 50, maxDelayMs: 200, random: () => 0.5 },
        },
      }),
    });
    ({ signingSecret } = await createPortal(relay.app, PORTAL));
  });
  afterAll(async () => {
    await relay?.close();
    await hook?.close();
    await smtp?.close();
  });

  const suspend = (body: Record<string, unknown>) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${PORTAL}/suspensions`,
      ...signed(signingSecret, {
        occurredAt: new Date(Date.now() + eventCounter * 1000).toISOString(),
        eventId: `evt-${++eventCounter}`,
        ...body,
      }),
    });
  const alerts = async () =>
    (
      await relay.app.inject({ method: 'GET', url: `/v1/portals/${PORTAL}/alerts`, headers: admin })
    ).json().items as {
      targetId: string;
      status: string;
      attempts: number;
      lastError: string | null;
      headline: string;
    }[];

  it('validates targets and never shows their secrets', async () => {
    const short = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
      payload: { kind: 'webhook', url: hook.url, secret: 'short' },
    });
    expect(short.statusCode).toBe(400);
    const plain = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
      payload: { kind: 'webhook', url: 'http://hooks.example.com/x', secret: SECRET },
    });
    expect(plain.statusCode).toBe(400);
    expect(plain.json()).toMatchObject({ code: 'INVALID_ALERT_TARGET' });
    const plainSmtp = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
      payload: {
        kind: 'email',
        from: 'relay@example.com',
        to: ['ops@example.com'],
        smtp: { host: 'smtp.example.com', tls: 'none', allowPlainOnLoopback: true },
      },
    });
    expect(plainSmtp.statusCode).toBe(400);

    const webhook = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
      payload: { kind: 'webhook', id: 'ops-hook', url: hook.url, secret: SECRET },
    });
    expect(webhook.statusCode).toBe(201);
    expect(webhook.json()).toMatchObject({ id: 'ops-hook', kind: 'webhook', url: hook.url });
    expect(webhook.body).not.toContain(SECRET);
    const email = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
      payload: {
        kind: 'email',
        id: 'ops-mail',
        from: 'Sync Doctor <relay@example.com>',
        to: ['ops@example.com'],
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          tls: 'none',
          allowPlainOnLoopback: true,
          auth: { user: 'relay', pass: 'smtp-password-123' },
        },
      },
    });
    expect(email.statusCode).toBe(201);
    expect(email.body).not.toContain('smtp-password-123');
    const again = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
      payload: { kind: 'webhook', id: 'ops-hook', url: hook.url, secret: SECRET },
    });
    expect(again.statusCode).toBe(409);
    const list = await relay.app.inject({
      method: 'GET',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
    });
    expect(
      list
        .json()
        .map((t: { id: string }) => t.id)
        .sort(),
    ).toEqual(['ops-hook', 'ops-mail']);
    expect(list.body).not.toContain(SECRET);
    expect(list.body).not.toContain('smtp-password-123');
  });

  test.each([
    ['an unknown kind', { kind: 'pager', url: 'https://x.example.com' }, 400],
    [
      'an extra property',
      { kind: 'slack', webhookUrl: 'https://hooks.slack.com/services/T/B/X', channel: '#ops' },
      400,
    ],
    [
      'a bad target id',
      { kind: 'slack', id: 'has spaces', webhookUrl: 'https://hooks.slack.com/services/T/B/X' },
      400,
    ],
    [
      'no recipients',
      { kind: 'email', from: 'relay@example.com', to: [], smtp: { host: 'smtp.example.com' } },
      400,
    ],
    [
      'a malformed address',
      {
        kind: 'email',
        from: 'relay@example.com',
        to: ['not-an-address'],
        smtp: { host: 'smtp.example.com' },
      },
      400,
    ],
    ['a Slack URL that is not a URL', { kind: 'slack', webhookUrl: 'hooks.slack.com' }, 400],
  ])('refuses a target with %s (%#)', async (_label, payload, status) => {
    const response = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
      payload,
    });
    expect(response.statusCode).toBe(status);
    expect(response.json().error).toEqual(expect.any(String));
  });

  it('answers 4xx for unknown portals, targets and missing admin tokens', async () => {
    const payload = { kind: 'slack', webhookUrl: 'https://hooks.slack.com/services/T/B/X' };
    expect(
      (
        await relay.app.inject({
          method: 'POST',
          url: '/v1/admin/portals/404404/alert-targets',
          headers: admin,
          payload,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await relay.app.inject({
          method: 'POST',
          url: `/v1/admin/portals/${PORTAL}/alert-targets`,
          payload,
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await relay.app.inject({
          method: 'DELETE',
          url: `/v1/admin/portals/${PORTAL}/alert-targets/nope`,
          headers: admin,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await relay.app.inject({
          method: 'GET',
          url: `/v1/portals/${PORTAL}/alerts?status=lost`,
          headers: admin,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await relay.app.inject({ method: 'GET', url: `/v1/portals/${PORTAL}/alerts` })).statusCode,
    ).toBe(401);
  });

  it('sends exactly one signed, content-correct alert per change to each target, retrying after a failure', async () => {
    expect(
      (
        await suspend({
          reason: 'FIELD_PERMISSIONS_MISSING',
          title: 'Salesforce field permissions missing',
        })
      ).statusCode,
    ).toBe(202);
    await waitFor(
      () => hook.accepted().length === 1 && smtp.mails.length === 1,
      15_000,
      'the first alert on both targets',
    );

    // The webhook: refused once (503), then accepted, with the same event id both times.
    expect(hook.received).toHaveLength(2);
    expect(hook.received[0]!.headers['x-sync-doctor-event-id']).toBe(
      hook.received[1]!.headers['x-sync-doctor-event-id'],
    );
    const delivered = hook.accepted()[0]!;
    expect(
      verifyBodySignature({
        secret: SECRET,
        timestamp: delivered.headers['x-sync-doctor-timestamp'] as string,
        signature: delivered.headers['x-sync-doctor-signature'] as string,
        rawBody: delivered.body,
      }),
    ).toBe(true);
    expect(
      verifyBodySignature({
        secret: 'whsec-some-other-secret-000',
        timestamp: delivered.headers['x-sync-doctor-timestamp'] as string,
        signature: delivered.headers['x-sync-doctor-signature'] as string,
        rawBody: delivered.body,
      }),
    ).toBe(false);
    const body = JSON.parse(delivered.body);
    expect(body).toMatchObject({
      type: 'sync-doctor.status.changed',
      portalId: PORTAL,
      state: 'suspended',
      previousState: null,
      reason: 'FIELD_PERMISSIONS_MISSING',
      source: 'webhook',
      appUrl: APP_URL,
      test: false,
    });
    expect(body.remedy).toEqual(SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.remedy);

    // The e-mail: deferred once (451), then accepted.
    expect(smtp.refused()).toBe(1);
    const mail = await simpleParser(smtp.mails[0]!.raw);
    expect(smtp.mails[0]!.to).toEqual(['ops@example.com']);
    expect(mail.subject).toBe(
      `[Sync Doctor] HubSpot suspended its Salesforce sync — portal ${PORTAL}: ${SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.titles.en}`,
    );
    expect(mail.text).toContain(SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.remedy[0]!);
    expect(mail.text).toContain(APP_URL);

    const rows = await alerts();
    expect(rows.map((r) => [r.targetId, r.status, r.attempts]).sort()).toEqual([
      ['ops-hook', 'sent', 2],
      ['ops-mail', 'sent', 2],
    ]);
  });

  it('does not alert again for a redelivery or for a signal that changes neither state nor reason; alerts the next real change', async () => {
    // The same state and reason again, under a new event id: the status continues, nobody is told.
    expect((await suspend({ reason: 'FIELD_PERMISSIONS_MISSING' })).statusCode).toBe(202);
    // The same event id again: a duplicate, nothing stored.
    const duplicate = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${PORTAL}/suspensions`,
      ...signed(signingSecret, {
        reason: 'ORG_LOCKED',
        occurredAt: new Date().toISOString(),
        eventId: `evt-${eventCounter}`,
      }),
    });
    expect(duplicate.json().duplicate).toBe(true);
    const clear = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${PORTAL}/clear`,
      headers: admin,
      payload: { eventId: 'clear-1', occurredAt: new Date(Date.now() + 60_000).toISOString() },
    });
    expect(clear.statusCode).toBeLessThan(300);

    await waitFor(
      () => hook.accepted().length === 2 && smtp.mails.length === 2,
      15_000,
      'the cleared alert',
    );
    await relay.app.alerts!.runOnce();
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.accepted()).toHaveLength(2);
    expect(smtp.mails).toHaveLength(2);
    expect(JSON.parse(hook.accepted()[1]!.body)).toMatchObject({
      state: 'cleared',
      previousState: 'suspended',
    });
    const ids = hook.accepted().map((r) => r.headers['x-sync-doctor-event-id']);
    expect(new Set(ids).size).toBe(2);
    expect((await simpleParser(smtp.mails[1]!.raw)).subject).toMatch(/cleared/);
  });

  it("shows an alert that failed for good, with the target's error", async () => {
    const broken = await receiver([400]);
    try {
      const created = await relay.app.inject({
        method: 'POST',
        url: `/v1/admin/portals/${PORTAL}/alert-targets`,
        headers: admin,
        payload: { kind: 'webhook', id: 'broken', url: broken.url, secret: SECRET },
      });
      expect(created.statusCode).toBe(201);
      expect((await suspend({ reason: 'ORG_LOCKED' })).statusCode).toBe(202);
      const failed = await waitFor(
        async () => (await alerts()).find((r) => r.targetId === 'broken' && r.status === 'failed'),
        15_000,
        'the failed alert',
      );
      expect(failed.attempts).toBe(1);
      expect(failed.lastError).toMatch(/HTTP 400/);
      const onlyFailed = (
        await relay.app.inject({
          method: 'GET',
          url: `/v1/portals/${PORTAL}/alerts?status=failed`,
          headers: admin,
        })
      ).json().items;
      expect(onlyFailed.map((r: { targetId: string }) => r.targetId)).toEqual(['broken']);
    } finally {
      await relay.app.inject({
        method: 'DELETE',
        url: `/v1/admin/portals/${PORTAL}/alert-targets/broken`,
        headers: admin,
      });
      await broken.close();
    }
  });

  it("test-sends to a target: a [TEST] message, and the target's own error when it fails", async () => {
    const before = hook.accepted().length;
    const ok = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alerts/ops-hook/test`,
      headers: admin,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true });
    const test = hook.accepted()[before]!;
    expect(JSON.parse(test.body)).toMatchObject({
      type: 'sync-doctor.test',
      portalId: PORTAL,
      test: true,
    });

    const mail = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alert-targets/ops-mail/test`,
      headers: admin,
    });
    expect(mail.json()).toMatchObject({ ok: true });
    expect((await simpleParser(smtp.mails[smtp.mails.length - 1]!.raw)).subject).toContain(
      '[TEST]',
    );

    hook.script.push(500);
    const failing = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alerts/ops-hook/test`,
      headers: admin,
    });
    expect(failing.json()).toMatchObject({ ok: false, retryable: true });
    expect(failing.json().error).toMatch(/HTTP 500/);
    const unknown = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alerts/nope/test`,
      headers: admin,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('alerts a new target only of changes from its creation on', async () => {
    const late = await receiver();
    try {
      await relay.app.inject({
        method: 'POST',
        url: `/v1/admin/portals/${PORTAL}/alert-targets`,
        headers: admin,
        payload: { kind: 'webhook', id: 'late', url: late.url, secret: SECRET },
      });
      await relay.app.alerts!.runOnce();
      expect(late.received).toHaveLength(0);
      expect((await suspend({ reason: 'STORAGE_LIMIT_EXCEEDED' })).statusCode).toBe(202);
      await waitFor(() => late.accepted().length === 1, 15_000, 'the alert to the new target');
      expect(JSON.parse(late.accepted()[0]!.body)).toMatchObject({
        reason: 'STORAGE_LIMIT_EXCEEDED',
        previousState: 'suspended',
      });
    } finally {
      await late.close();
    }
  });
});

describe('alert outbox durability', () => {
  it('a change stored while the relay could not send is alerted once after a restart', async () => {
    const hook = await receiver();
    const dir = tempDir();
    const secretKey = randomBytes(32);
    const on = signalsConfig({ alerts: { enabled: true, pollIntervalMs: 50 } });
    const off = signalsConfig({ alerts: { enabled: false } });
    let relay = await startSignalsRelay({ dataDir: dir.path, secretKey, signals: on });
    try {
      const { signingSecret } = await createPortal(relay.app, '777');
      await relay.app.inject({
        method: 'POST',
        url: '/v1/admin/portals/777/alert-targets',
        headers: admin,
        payload: { kind: 'webhook', id: 'hook', url: hook.url, secret: SECRET },
      });
      await relay.close();
      // A relay without the alert worker (a crash right after the commit looks the same) stores a change.
      relay = await startSignalsRelay({ dataDir: dir.path, secretKey, signals: off });
      const body = {
        reason: 'API_LIMIT_EXCEEDED',
        occurredAt: new Date().toISOString(),
        eventId: 'while-down',
      };
      expect(
        (
          await relay.app.inject({
            method: 'POST',
            url: '/v1/portals/777/suspensions',
            ...signed(signingSecret, body),
          })
        ).statusCode,
      ).toBe(202);
      await relay.close();
      expect(hook.received).toHaveLength(0);

      relay = await startSignalsRelay({ dataDir: dir.path, secretKey, signals: on });
      await waitFor(() => hook.accepted().length === 1, 15_000, 'the caught-up alert');
      await relay.close();
      relay = await startSignalsRelay({ dataDir: dir.path, secretKey, signals: on });
      await relay.app.alerts!.runOnce();
      await new Promise((r) => setTimeout(r, 200));
      expect(hook.accepted()).toHaveLength(1);
      expect(JSON.parse(hook.accepted()[0]!.body)).toMatchObject({
        portalId: '777',
        state: 'suspended',
        reason: 'API_LIMIT_EXCEEDED',
      });
    } finally {
      await relay.close();
      await hook.close();
      dir.remove();
    }
  });
});

describe('alerts with several instances on PostgreSQL', () => {
  it('sends each change once, whichever instance stored it or swept it', async () => {
    const { schema, drop } = await postgresSchema();
    const hook = await receiver();
    const secretKey = randomBytes(32);
    const overrides = { databaseUrl: POSTGRES_URL, databaseSchema: schema };
    const signals = signalsConfig({ alerts: { enabled: true, pollIntervalMs: 30 } });
    const relays: SignalsRelay[] = [];
    try {
      relays.push(await startSignalsRelay({ secretKey, signals, overrides }));
      relays.push(await startSignalsRelay({ secretKey, signals, overrides }));
      const [a, b] = relays as [SignalsRelay, SignalsRelay];
      const { signingSecret } = await createPortal(a.app, '888');
      expect(
        (
          await a.app.inject({
            method: 'POST',
            url: '/v1/admin/portals/888/alert-targets',
            headers: admin,
            payload: { kind: 'webhook', id: 'pg-hook', url: hook.url, secret: SECRET },
          })
        ).statusCode,
      ).toBe(201);
      const reasons = [
        'API_LIMIT_EXCEEDED',
        'ORG_LOCKED',
        'STORAGE_LIMIT_EXCEEDED',
        'FIELD_MAPPINGS_MISSING',
        'ORG_UNAVAILABLE',
      ];
      for (const [i, reason] of reasons.entries()) {
        const instance = i % 2 === 0 ? a : b;
        const body = {
          reason,
          occurredAt: new Date(Date.now() + i * 1000).toISOString(),
          eventId: `pg-${i}`,
        };
        expect(
          (
            await instance.app.inject({
              method: 'POST',
              url: '/v1/portals/888/suspensions',
              ...signed(signingSecret, body),
            })
          ).statusCode,
        ).toBe(202);
      }
      await waitFor(() => hook.accepted().length >= reasons.length, 20_000, 'five alerts');
      // Both instances keep sweeping (PostgreSQL re-reads its last seconds): still one alert per change.
      await Promise.all(relays.map((r) => r.app.alerts!.runOnce()));
      await new Promise((r) => setTimeout(r, 300));
      expect(hook.accepted()).toHaveLength(reasons.length);
      expect(
        hook
          .accepted()
          .map((r) => JSON.parse(r.body).reason)
          .sort(),
      ).toEqual([...reasons].sort());
      expect(new Set(hook.accepted().map((r) => r.headers['x-sync-doctor-event-id'])).size).toBe(
        reasons.length,
      );
    } finally {
      for (const r of relays) await r.close();
      await hook.close();
      await drop();
    }
  });
});
