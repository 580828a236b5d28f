import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import { createHmac } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import tls from 'node:tls';
import { SUSPENSION_REASONS } from '@sync-doctor/core';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import {
  alertEventFromStatus,
  AlertConfigError,
  buildAlert,
  deliverAlert,
  DestinationRefusedError,
  guardedLookup,
  isPublicAddress,
  MemoryAlertLedger,
  resolveAllowed,
  sendTest,
  validateAlertTarget,
  verifyBodySignature,
  type AlertEvent,
  type EmailTarget,
  type SlackTarget,
  type WebhookTarget,
} from '../src/index.js';
import { fakeDns } from './helpers/fakeDns.js';
import { selfSignedCertificate } from './helpers/selfSigned.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP receiver that answers from a script of statuses (then 200) and records every request. */
async function receiver(
  script: { status: number; headers?: Record<string, string>; body?: string }[] = [],
) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = script.shift() ?? { status: 200 };
      res.writeHead(next.status, next.headers ?? {});
      res.end(next.body ?? (next.status === 200 ? 'ok' : 'nope'));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A local SMTP sink (smtp-server): no TLS (loopback), answers from a script of SMTP codes, then 250. */
async function smtpSink(script: number[] = [], unknownRecipients: string[] = []) {
  const mails: { raw: Buffer; to: string[] }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (unknownRecipients.includes(address.address))
        return callback(Object.assign(new Error('5.1.1 no such user here'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const code = script.shift();
        if (code) {
          const error = Object.assign(
            new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'),
            { responseCode: code },
          );
          return callback(error);
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
  return { port, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const SECRET = 'whsec-0123456789abcdef';
const event: AlertEvent = {
  portalId: '4711',
  state: 'suspended',
  previousState: 'cleared',
  reason: 'FIELD_PERMISSIONS_MISSING',
  title: 'Salesforce field permissions missing',
  source: 'email',
  at: '2026-11-28T22:00:00.000Z',
  since: '2026-11-28T22:00:00.000Z',
  excerpt: 'The integration user does not have read and edit permissions on a field.',
  appUrl: 'https://example.lightning.force.com/lightning/n/Sync_Doctor',
};
// The receivers and the SMTP sink listen on loopback: allowed only with allowPrivateNetworks.
const LOCAL = { allowPrivateNetworks: true } as const;
const noSleep = { sleep: async () => undefined, random: () => 0.5, ...LOCAL };

describe('signed webhook alerts', () => {
  it("sends the change with the remedy, signed like the relay's inbound webhook", async () => {
    const hook = await receiver();
    try {
      const target: WebhookTarget = { id: 'ops', kind: 'webhook', url: hook.url, secret: SECRET };
      const alert = buildAlert(event);
      expect(await deliverAlert(target, alert, noSleep)).toEqual({ status: 'sent', attempts: 1 });
      const [req] = hook.received;
      const body = JSON.parse(req!.body);
      expect(body).toMatchObject({
        type: 'sync-doctor.status.changed',
        id: alert.key,
        portalId: '4711',
        state: 'suspended',
        reason: 'FIELD_PERMISSIONS_MISSING',
      });
      expect(body.remedy).toEqual(SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.remedy);
      expect(body.reasonTitle).toBe(SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.titles.en);
      const timestamp = req!.headers['x-sync-doctor-timestamp'] as string;
      const signature = req!.headers['x-sync-doctor-signature'] as string;
      const expected = `v1=${createHmac('sha256', SECRET).update(`${timestamp}.${req!.body}`).digest('hex')}`;
      expect(signature).toBe(expected);
      expect(
        verifyBodySignature({ secret: SECRET, timestamp, signature, rawBody: req!.body }),
      ).toBe(true);
      expect(
        verifyBodySignature({
          secret: 'another-secret-000000',
          timestamp,
          signature,
          rawBody: req!.body,
        }),
      ).toBe(false);
      expect(req!.headers['x-sync-doctor-event-id']).toBe(alert.key);
    } finally {
      await hook.close();
    }
  });

  it('retries after a failure with the same body, honours Retry-After, and never sends a change twice', async () => {
    const hook = await receiver([
      { status: 503 },
      { status: 429, headers: { 'retry-after': '3' } },
    ]);
    try {
      const target: WebhookTarget = { id: 'ops', kind: 'webhook', url: hook.url, secret: SECRET };
      const ledger = new MemoryAlertLedger();
      const delays: number[] = [];
      const alert = buildAlert(event);
      const result = await deliverAlert(target, alert, {
        ledger,
        random: () => 0.5,
        sleep: async (ms) => void delays.push(ms),
        ...LOCAL,
      });
      expect(result).toEqual({ status: 'sent', attempts: 3 });
      expect(delays[0]).toBe(1500); // 2 s window, jittered to 75 %
      expect(delays[1]).toBeGreaterThanOrEqual(3000);
      expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
      // The same change again (a redelivered signal, a second relay instance): nothing goes out.
      expect(await deliverAlert(target, buildAlert({ ...event }), { ledger, ...noSleep })).toEqual({
        status: 'duplicate',
        attempts: 0,
      });
      expect(hook.received).toHaveLength(3);
      // A different change does.
      expect(
        (
          await deliverAlert(
            target,
            buildAlert({ ...event, state: 'cleared', at: '2026-11-28T23:00:00.000Z' }),
            { ledger, ...noSleep },
          )
        ).status,
      ).toBe('sent');
      expect(hook.received).toHaveLength(4);
    } finally {
      await hook.close();
    }
  });

  it('reads a Retry-After given as an HTTP date against its own clock; a date gone by waits nothing extra', async () => {
    // RFC 9110 allows either form; a proxy or a load balancer in front of a receiver often sends the date.
    const now = Date.parse('2026-11-28T22:00:00.000Z');
    const hook = await receiver([
      { status: 503, headers: { 'retry-after': new Date(now + 90_000).toUTCString() } },
      { status: 503, headers: { 'retry-after': new Date(now - 90_000).toUTCString() } },
      { status: 503, headers: { 'retry-after': 'soon' } },
    ]);
    try {
      const target: WebhookTarget = { id: 'ops', kind: 'webhook', url: hook.url, secret: SECRET };
      const delays: number[] = [];
      const result = await deliverAlert(target, buildAlert(event), {
        now: () => now,
        random: () => 0.5,
        sleep: async (ms) => void delays.push(ms),
        ...LOCAL,
      });
      expect(result).toEqual({ status: 'sent', attempts: 4 });
      // 90 s ahead is exactly 90 s; the past date and the unreadable value leave the backoff alone.
      expect(delays).toEqual([90_000, 3000, 6000]);
    } finally {
      await hook.close();
    }
  });

  it('gives up at once on a permanent refusal and frees the key for a later try', async () => {
    const hook = await receiver([{ status: 410 }]);
    try {
      const ledger = new MemoryAlertLedger();
      const target: WebhookTarget = { id: 'ops', kind: 'webhook', url: hook.url, secret: SECRET };
      const result = await deliverAlert(target, buildAlert(event), { ledger, ...noSleep });
      expect(result.status).toBe('failed');
      expect(result.attempts).toBe(1);
      expect(result.error).toMatch(/410/);
      expect((await deliverAlert(target, buildAlert(event), { ledger, ...noSleep })).status).toBe(
        'sent',
      );
    } finally {
      await hook.close();
    }
  });
});

describe('Slack alerts', () => {
  it('posts Block Kit with reason, meaning, the remedy steps and a button to the app', async () => {
    const slack = await receiver();
    try {
      const target: SlackTarget = { id: 'slack', kind: 'slack', webhookUrl: slack.url };
      expect((await deliverAlert(target, buildAlert(event), noSleep)).status).toBe('sent');
      const body = JSON.parse(slack.received[0]!.body);
      expect(body.text).toMatch(/portal 4711/);
      const types = body.blocks.map((b: { type: string }) => b.type);
      expect(types).toEqual(['header', 'section', 'section', 'section', 'context', 'actions']);
      const all = JSON.stringify(body.blocks);
      expect(all).toContain(SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.titles.en);
      const steps = body.blocks[3].text.text as string;
      SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.remedy.forEach((step, i) =>
        expect(steps).toContain(
          `${i + 1}. ${step.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`.slice(
            0,
            60,
          ),
        ),
      );
      expect(body.blocks[5].elements[0]).toMatchObject({ type: 'button', url: event.appUrl });
    } finally {
      await slack.close();
    }
  });

  it('a suspected stall says so and gives first steps; a cleared change has no remedy', () => {
    const suspected = buildAlert({
      ...event,
      state: 'suspected',
      reason: null,
      title: 'Salesforce sync appears stalled',
      source: 'detector',
    });
    expect(suspected.headline).toMatch(/suspected/);
    expect(suspected.remedy.length).toBeGreaterThan(0);
    const cleared = buildAlert({ ...event, state: 'cleared', previousState: 'suspended' });
    expect(cleared.remedy).toEqual([]);
    expect(JSON.stringify(cleared.slack.blocks)).not.toContain('What to do');
    expect(JSON.stringify(buildAlert(event).slack.blocks)).toContain('What to do');
    expect(cleared.email.subject).toBe(
      '[Sync Doctor] HubSpot–Salesforce sync cleared — portal 4711',
    );
  });

  it('builds the event from relay statuses', () => {
    const after = {
      portalId: '4711',
      state: 'suspended' as const,
      reason: 'ORG_LOCKED' as const,
      title: null,
      since: '2026-11-28T21:00:00.000Z',
      lastSeenAt: null,
      clearedAt: null,
      source: 'webhook' as const,
      excerpt: null,
      history: [
        {
          at: '2026-11-28T21:00:00.000Z',
          state: 'suspended' as const,
          reason: 'ORG_LOCKED' as const,
          source: 'webhook' as const,
        },
      ],
    };
    expect(alertEventFromStatus(after, null, 'https://x.example/app')).toMatchObject({
      state: 'suspended',
      previousState: null,
      at: '2026-11-28T21:00:00.000Z',
      appUrl: 'https://x.example/app',
    });
    expect(alertEventFromStatus(after, null)).not.toHaveProperty('seenAt');
  });

  it('says when a detector suspicion was noticed, apart from the last sync it counts from', () => {
    const lastSync = '2026-11-29T09:30:00.000Z';
    const detected = '2026-11-29T14:05:00.000Z';
    const after = {
      portalId: '4711',
      state: 'suspected' as const,
      reason: null,
      title: 'Salesforce sync appears stalled',
      since: lastSync,
      lastSeenAt: detected,
      clearedAt: null,
      source: 'detector' as const,
      excerpt: null,
      history: [
        { at: lastSync, state: 'suspected' as const, reason: null, source: 'detector' as const },
      ],
    };
    const alertEvent = alertEventFromStatus(after, null);
    expect(alertEvent).toMatchObject({ at: lastSync, since: lastSync, seenAt: detected });
    const alert = buildAlert(alertEvent);
    expect(alert.email.text).toContain(`Last seen: ${detected}`);
    expect(alert.webhookBody).toMatchObject({ at: lastSync, seenAt: detected });
    // The same change keys the same, whenever it was noticed.
    expect(alert.key).toBe(buildAlert({ ...alertEvent, seenAt: null }).key);
  });

  it('a suspicion raised again after a clearance that did not make the sync run alerts again', () => {
    const lastSync = '2026-11-29T09:30:00.000Z';
    const suspicion = (lastSeenAt: string) => ({
      portalId: '4711',
      state: 'suspected' as const,
      reason: null,
      title: 'Salesforce sync appears stalled',
      since: lastSync,
      lastSeenAt,
      clearedAt: null,
      source: 'detector' as const,
      excerpt: null,
      history: [
        { at: lastSync, state: 'suspected' as const, reason: null, source: 'detector' as const },
      ],
    });
    const cleared = (clearedAt: string | null) => ({
      ...suspicion(clearedAt ?? lastSync),
      state: 'cleared' as const,
      clearedAt,
      source: 'manual' as const,
    });
    const first = buildAlert(alertEventFromStatus(suspicion('2026-11-29T11:35:00.000Z'), null));
    // Cleared by hand at 12:00, nothing synced since: the detector raises it again, from the same
    // last sync. Its change is dated like the first: only the clearance in between tells them apart.
    const again = buildAlert(
      alertEventFromStatus(
        suspicion('2026-11-29T12:20:00.000Z'),
        cleared('2026-11-29T12:00:00.000Z'),
      ),
    );
    expect(again.key).not.toBe(first.key);
    // A change dated after the clearance it ends keys as it always did.
    const plain = alertEventFromStatus(suspicion('2026-11-29T11:35:00.000Z'), cleared(null));
    expect(buildAlert(plain).key).toBe(first.key);
    const older = alertEventFromStatus(
      suspicion('2026-11-29T11:35:00.000Z'),
      cleared('2026-11-28T08:00:00.000Z'),
    );
    expect(buildAlert(older).key).toBe(first.key);
  });
});

describe('e-mail alerts (nodemailer to a local smtp-server)', () => {
  const emailTarget = (port: number): EmailTarget => ({
    id: 'admins',
    kind: 'email',
    from: 'Sync Doctor <sync-doctor@example.com>',
    to: ['admin@example.com', 'ops@example.com'],
    smtp: { host: '127.0.0.1', port, tls: 'none', allowPlainOnLoopback: true },
  });

  it('sends subject, text and HTML with the remedy; retries a temporary 451 with the same Message-ID; a 550 is final', async () => {
    const sink = await smtpSink([451]);
    try {
      const result = await deliverAlert(emailTarget(sink.port), buildAlert(event), noSleep);
      expect(result).toEqual({ status: 'sent', attempts: 2 });
      expect(sink.mails).toHaveLength(1);
      expect(sink.mails[0]!.to).toEqual(['admin@example.com', 'ops@example.com']);
      const mail = await simpleParser(sink.mails[0]!.raw);
      expect(mail.subject).toBe(
        `[Sync Doctor] HubSpot suspended its Salesforce sync — portal 4711: ${SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.titles.en}`,
      );
      expect(mail.text).toContain(`1. ${SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.remedy[0]}`);
      expect(mail.html).toContain('<ol>');
      expect(mail.text).toContain(event.appUrl);
      expect(mail.messageId).toBe(`<${buildAlert(event).key}.admins@sync-doctor>`);

      sink.mails.splice(0);
      const sink550 = await smtpSink([550]);
      try {
        const failed = await deliverAlert(emailTarget(sink550.port), buildAlert(event), noSleep);
        expect(failed.status).toBe('failed');
        expect(failed.attempts).toBe(1);
      } finally {
        await sink550.close();
      }
    } finally {
      await sink.close();
    }
  });
});

describe('sendTest and target validation', () => {
  it('says what to do when Slack refuses for good: the channel archived, the webhook removed', async () => {
    // Slack's incoming-webhook errors: a status and a short string in the body (Slack changelog
    // 2016-05-17 "Improving error conditions for Incoming Webhooks"; no_service for a removed hook).
    const slack = await receiver([
      { status: 410, body: 'channel_is_archived' },
      { status: 404, body: 'no_service' },
      { status: 404, body: 'channel_not_found' },
      { status: 403, body: 'action_prohibited' },
    ]);
    try {
      const target: SlackTarget = { id: 's', kind: 'slack', webhookUrl: slack.url };
      const archived = await sendTest(target, LOCAL);
      expect(archived).toMatchObject({ ok: false, retryable: false });
      expect(!archived.ok && archived.error).toMatch(
        /^Slack: HTTP 410 channel_is_archived: the channel .*archived.*new incoming webhook/,
      );
      const removed = await sendTest(target, LOCAL);
      expect(!removed.ok && removed.error).toMatch(
        /HTTP 404 no_service: .*removed.*new incoming webhook/,
      );
      const gone = await sendTest(target, LOCAL);
      expect(!gone.ok && gone.error).toMatch(/HTTP 404 channel_not_found: the channel .*deleted/);
      const prohibited = await sendTest(target, LOCAL);
      expect(!prohibited.ok && prohibited.error).toMatch(/HTTP 403 action_prohibited: .*workspace/);
    } finally {
      await slack.close();
    }
  });

  it('a recipient the mail server refuses is reported, not hidden behind the ones it took', async () => {
    const sink = await smtpSink([], ['oncal@example.com']);
    try {
      const target: EmailTarget = {
        id: 'm',
        kind: 'email',
        from: 'sd@example.com',
        to: ['ops@example.com', 'oncal@example.com'],
        smtp: { host: '127.0.0.1', port: sink.port, tls: 'none', allowPlainOnLoopback: true },
      };
      // The admin's test-send must show the typo, or nobody learns that on-call never gets alerts.
      const tested = await sendTest(target, LOCAL);
      expect(tested).toMatchObject({ ok: false, retryable: false });
      expect(!tested.ok && tested.error).toMatch(
        /refused oncal@example\.com.*550.*no such user.*delivered to ops@example\.com/,
      );
      // Delivered once to the address that exists; a retry would send it there again, so none.
      expect(sink.mails.map((m) => m.to)).toEqual([['ops@example.com']]);
    } finally {
      await sink.close();
    }
  });

  it('sends a marked test to each kind of target and reports a dead one clearly', async () => {
    const hook = await receiver();
    const sink = await smtpSink();
    try {
      expect(
        await sendTest(
          { id: 'ops', kind: 'webhook', url: hook.url, secret: SECRET },
          { portalId: '4711', ...LOCAL },
        ),
      ).toMatchObject({ ok: true });
      expect(JSON.parse(hook.received[0]!.body)).toMatchObject({
        type: 'sync-doctor.test',
        test: true,
        portalId: '4711',
      });
      expect(await sendTest({ id: 's', kind: 'slack', webhookUrl: hook.url }, LOCAL)).toMatchObject(
        { ok: true },
      );
      expect(JSON.parse(hook.received[1]!.body).text).toMatch(/^\[TEST\]/);
      expect(
        await sendTest(
          {
            id: 'm',
            kind: 'email',
            from: 'sd@example.com',
            to: ['a@example.com'],
            smtp: { host: '127.0.0.1', port: sink.port, tls: 'none', allowPlainOnLoopback: true },
          },
          LOCAL,
        ),
      ).toMatchObject({ ok: true });
      expect((await simpleParser(sink.mails[0]!.raw)).subject).toMatch(/^\[Sync Doctor\] \[TEST\]/);
    } finally {
      await hook.close();
      await sink.close();
    }
    const dead = await sendTest(
      { id: 'ops', kind: 'webhook', url: hook.url, secret: SECRET },
      { timeoutMs: 2000, ...LOCAL },
    );
    expect(dead).toMatchObject({ ok: false, retryable: true });
    expect(
      await sendTest({
        id: 'x',
        kind: 'webhook',
        url: 'http://hooks.example.com/x',
        secret: SECRET,
      }),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/https/) });
  });

  it('rejects unsafe or incomplete targets with a clear message', () => {
    expect(() =>
      validateAlertTarget({
        id: 'a',
        kind: 'webhook',
        url: 'https://x.example/h',
        secret: 'short',
      }),
    ).toThrow(/16 characters/);
    expect(() => validateAlertTarget({ id: 'a', kind: 'slack', webhookUrl: 'not a url' })).toThrow(
      AlertConfigError,
    );
    expect(() =>
      validateAlertTarget({
        id: 'a',
        kind: 'email',
        from: 'a@example.com',
        to: [],
        smtp: { host: 'smtp.example.com' },
      }),
    ).toThrow(/to must be/);
    expect(() =>
      validateAlertTarget({
        id: 'a',
        kind: 'email',
        from: 'a@example.com',
        to: ['b@example.com'],
        smtp: { host: 'smtp.example.com', tls: 'none', allowPlainOnLoopback: true },
      }),
    ).toThrow(/loopback/);
    expect(() =>
      validateAlertTarget({
        id: 'a',
        kind: 'email',
        from: 'A <a@example.com>',
        to: ['b@example.com'],
        smtp: { host: 'smtp.example.com' },
      }),
    ).not.toThrow();
  });
});

describe('where alerts may go (SSRF)', () => {
  const webhook = (url: string): WebhookTarget => ({
    id: 'ops',
    kind: 'webhook',
    url,
    secret: SECRET,
  });
  const smtp = (host: string): EmailTarget => ({
    id: 'm',
    kind: 'email',
    from: 'sd@example.com',
    to: ['a@example.com'],
    smtp: { host },
  });

  it('refuses loopback, private, link-local and metadata addresses unless private targets are allowed', () => {
    for (const url of [
      'http://127.0.0.1:8787/hook',
      'https://127.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://10.1.2.3/hook',
      'https://192.168.0.10/hook',
      'https://172.16.5.5/hook',
      'https://100.64.0.1/hook',
      'https://0.0.0.0/hook',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[::ffff:a9fe:a9fe]/hook',
      'https://[fd00::1]/hook',
      'https://[fe80::1]/hook',
      'https://localhost/hook',
      'https://metadata.google.internal/computeMetadata/v1/',
      'https://2130706433/hook', // 127.0.0.1 as one number: the URL parser makes it 127.0.0.1
    ]) {
      expect(() => validateAlertTarget(webhook(url))).toThrow(AlertConfigError);
      expect(() => validateAlertTarget({ id: 's', kind: 'slack', webhookUrl: url })).toThrow(
        AlertConfigError,
      );
    }
    expect(() => validateAlertTarget(webhook('https://169.254.169.254/'))).toThrow(
      /not a public address/,
    );
    for (const host of ['127.0.0.1', '10.0.0.25', 'localhost', '169.254.169.254', '[::1]'])
      expect(() => validateAlertTarget(smtp(host))).toThrow(/not a public address/);
    // Plain http is for loopback targets when private targets are allowed, never otherwise.
    expect(() => validateAlertTarget(webhook('http://hooks.example.com/x'), LOCAL)).toThrow(
      /https/,
    );
    expect(() => validateAlertTarget(webhook('https://user:pass@hooks.example.com/x'))).toThrow(
      /user name or password/,
    );
    expect(() =>
      validateAlertTarget({
        ...smtp('127.0.0.1'),
        smtp: { host: '127.0.0.1', tls: 'none', allowPlainOnLoopback: true },
      }),
    ).toThrow(/private targets/);
    // Allowed: public hosts, and anything once private targets are allowed.
    expect(() => validateAlertTarget(webhook('https://hooks.example.com/x'))).not.toThrow();
    expect(() => validateAlertTarget(webhook('https://8.8.8.8/x'))).not.toThrow();
    expect(() => validateAlertTarget(webhook('https://[2606:4700::1111]/x'))).not.toThrow();
    expect(() => validateAlertTarget(webhook('http://127.0.0.1:8787/hook'), LOCAL)).not.toThrow();
    expect(() => validateAlertTarget(smtp('10.0.0.25'), LOCAL)).not.toThrow();
  });

  it('classifies addresses as public or not, IPv4 inside IPv6 included', () => {
    expect(['8.8.8.8', '1.1.1.1', '2606:4700::1111', '2a00:1450::1'].every(isPublicAddress)).toBe(
      true,
    );
    expect(
      [
        '127.0.0.1',
        '10.0.0.1',
        '172.31.255.255',
        '192.168.1.1',
        '169.254.169.254',
        '100.100.100.100',
        '::1',
        '::',
        '::ffff:10.0.0.1',
        '::ffff:7f00:1',
        '64:ff9b::a9fe:a9fe',
        'fc00::1',
        'fe80::1%eth0',
        'ff02::1',
        'not an ip',
      ].some(isPublicAddress),
    ).toBe(false);
  });

  it('checks a name where it is resolved: a name resolving to loopback is refused at connection time (DNS rebinding)', async () => {
    const hook = await receiver();
    try {
      const port = new URL(hook.url).port;
      // localhost resolves to loopback; the lookup is what the sockets use, so no check-then-use gap.
      const refused = await new Promise<Error>((resolve) => {
        const request = httpRequest(
          {
            host: 'localhost',
            port,
            path: '/hook',
            method: 'POST',
            lookup: guardedLookup({}) as never,
          },
          () => resolve(new Error('connected')),
        );
        request.on('error', resolve);
        request.end('{}');
      });
      expect(refused.message).toMatch(/not a public address/);
      expect(hook.received).toHaveLength(0);
      await expect(resolveAllowed('localhost')).rejects.toThrow(DestinationRefusedError);
      await expect(resolveAllowed('localhost', LOCAL)).resolves.toMatch(/^(127\.0\.0\.1|::1)$/);
    } finally {
      await hook.close();
    }
  });

  it('checks the address on every send: a socket kept alive under one rule is never reused under a stricter one', async () => {
    // A public-looking name that resolves to loopback, served over TLS (the strict rule takes https
    // only) by a server that keeps connections alive, as Node's global agent would like to.
    const NAME = 'hooks.rebind.example';
    const { key, cert } = selfSignedCertificate(NAME);
    const received: string[] = [];
    const server = createHttpsServer({ key, cert, keepAliveTimeout: 30_000 }, (req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(req.url ?? '');
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    const url = `https://${NAME}:${typeof address === 'object' && address ? address.port : 0}/hook`;
    const trusted = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...trusted, cert]);
    const dns = fakeDns({ [NAME]: '127.0.0.1' });
    try {
      // An on-premises set-up allows private targets: delivered, and its socket would stay open.
      await expect(sendTest(webhook(url), LOCAL)).resolves.toMatchObject({ ok: true });
      // The same host and port under the strict rule: resolved and refused, not sent over that socket.
      const strict = await sendTest(webhook(url), {});
      expect(strict).toMatchObject({
        ok: false,
        retryable: false,
        error: expect.stringMatching(/resolves to 127\.0\.0\.1, which is not a public address/),
      });
      expect(received).toHaveLength(1);
      expect(dns.asked.get(NAME)).toBe(2);
      // The rule allowing it again: a new connection, resolved and checked once more.
      await expect(sendTest(webhook(url), LOCAL)).resolves.toMatchObject({ ok: true });
      expect(received).toHaveLength(2);
      expect(dns.asked.get(NAME)).toBe(3);
    } finally {
      dns.restore();
      tls.setDefaultCACertificates(trusted);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('resolves an SMTP host name before connecting: a private answer is refused unsent, and TLS is checked against the name', async () => {
    // nodemailer takes no lookup, so the relay resolves the name itself and connects to the address:
    // the rule has to hold there, and the certificate must still be checked against the name.
    const NAME = 'smtp.rebind.example';
    const { key, cert } = selfSignedCertificate(NAME);
    let connections = 0;
    let mails = 0;
    const server = new SMTPServer({
      secure: true,
      key,
      cert,
      authOptional: true,
      logger: false,
      onConnect: (_session, callback) => void (connections++, callback()),
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => void (mails++, callback()));
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const address = server.server.address();
    const target: EmailTarget = {
      id: 'admins',
      kind: 'email',
      from: 'sync-doctor@example.com',
      to: ['admin@example.com'],
      smtp: {
        host: NAME,
        port: typeof address === 'object' && address ? address.port : 0,
        tls: 'implicit',
        tlsOptions: { ca: cert },
      },
    };
    const dns = fakeDns({ [NAME]: '127.0.0.1' });
    try {
      expect(await sendTest(target, {})).toEqual({
        ok: false,
        retryable: false,
        error: `email: ${NAME} resolves to 127.0.0.1, which is not a public address (loopback, private, link-local or reserved); the relay connects only to public addresses unless RELAY_ALLOW_PRIVATE_TARGETS=true`,
      });
      expect(connections).toBe(0);
      // Allowed: sent to the address the name resolved to, over TLS verified for the name.
      await expect(sendTest(target, LOCAL)).resolves.toMatchObject({ ok: true });
      expect(connections).toBe(1);
      expect(mails).toBe(1);
      expect(dns.asked.get(NAME)).toBe(2);
    } finally {
      dns.restore();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('follows no redirect: a 3xx is a failure, and the address it names is never called', async () => {
    const elsewhere = await receiver();
    const hook = await receiver([{ status: 307, headers: { location: elsewhere.url } }]);
    try {
      const result = await sendTest(webhook(hook.url), LOCAL);
      expect(result).toMatchObject({
        ok: false,
        retryable: false,
        error: expect.stringMatching(/HTTP 307/),
      });
      expect(elsewhere.received).toHaveLength(0);
    } finally {
      await hook.close();
      await elsewhere.close();
    }
  });

  it('an error quotes at most 200 bytes of what the target answered', async () => {
    const big = createServer((_req, res) => {
      res.writeHead(500);
      res.end('x'.repeat(100_000));
    });
    await new Promise<void>((r) => big.listen(0, '127.0.0.1', r));
    const address = big.address();
    try {
      const result = await sendTest(
        webhook(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`),
        LOCAL,
      );
      expect(result).toEqual({
        ok: false,
        retryable: true,
        error: `webhook: HTTP 500 ${'x'.repeat(200)}`,
      });
    } finally {
      await new Promise<void>((r) => big.close(() => r()));
    }
  });

  it('a target that does not answer in time is a failure worth retrying, named with the deadline', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const address = silent.address();
    try {
      const result = await sendTest(
        webhook(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`),
        { ...LOCAL, timeoutMs: 200 },
      );
      expect(result).toEqual({
        ok: false,
        retryable: true,
        error: 'webhook: no answer within 200 ms',
      });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
