import type { FastifyInstance } from 'fastify';
import type pino from 'pino';
import { buildApp, loggerOptions } from '../src/app.js';
import {
  admin,
  captureLogs,
  createPortal,
  RecordingPublisher,
  tempDir,
  testConfig,
} from './helpers.js';

// A portal's opt-in sender policy (inputs/senderPolicy.ts) through the routes: the inbound token
// says which mail service posts, the policy says whose mail that service vouched for. Without one,
// every message is read as before.

const SUBJECT = 'Your HubSpot-Salesforce integration has been suspended';
const SECRET_WORDS = 'Salesforce org API limit exceeded';
let minute = 0;

/** A HubSpot notice for `portalId` with these header lines on top (as the inbound service prepends them). */
function notice(portalId: string, ...top: string[]): Buffer {
  minute++;
  return Buffer.from(
    [
      ...top,
      'From: HubSpot <noreply@notifications.hubspot.com>',
      'To: relay-inbound@example.com',
      `Subject: ${SUBJECT} ${minute}`,
      `Message-ID: <policy-${minute}@notifications.hubspot.com>`,
      `Date: ${new Date(Date.UTC(2026, 10, 28, 9, minute)).toUTCString()}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `${SECRET_WORDS}.`,
      `https://app.hubspot.com/integrations-settings/${portalId}/installed`,
      '',
    ].join('\r\n'),
  );
}
const google = (results: string) => `Authentication-Results: mx.google.com;\r\n\t${results}`;

describe('sender policy on the e-mail routes', () => {
  let app: FastifyInstance;
  let dir: { path: string; remove: () => void };
  let logs: ReturnType<typeof captureLogs>;
  const portalId = '8801001';
  let token: string;

  beforeAll(async () => {
    dir = tempDir();
    const config = testConfig(dir.path, {
      publisher: new RecordingPublisher(),
      logEnabled: true,
      logLevel: 'info',
    });
    // The relay's own logger settings (its redactions, the query string left out), into a buffer.
    const options = { ...(loggerOptions(config) as pino.LoggerOptions & { stream?: unknown }) };
    delete options.stream;
    logs = captureLogs(options);
    app = await buildApp(config, { loggerInstance: logs.logger });
    await app.ready();
    ({ inboundToken: token } = await createPortal(app, portalId));
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  const post = (raw: Buffer, path = '/v1/inbound/email') =>
    app.inject({
      method: 'POST',
      url: `${path}?token=${token}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: raw,
    });
  const setPolicy = (policy: Record<string, unknown>, id = portalId) =>
    app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${id}/sender-policy`,
      headers: admin,
      payload: policy,
    });
  const emailChanges = async () =>
    (
      (
        await app.inject({ method: 'GET', url: `/v1/portals/${portalId}/history`, headers: admin })
      ).json() as { items: { source: string }[] }
    ).items.filter((c) => c.source === 'email').length;
  const refusedMetric = async (reason: string) => {
    const line = (await app.inject({ method: 'GET', url: '/metrics' })).body
      .split('\n')
      .find((l) => l.startsWith(`relay_inbound_email_refused_total{reason="${reason}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  /** Posts a message the policy must refuse: 403, nothing kept, no change, counted, logged without the message. */
  const expectRefused = async (raw: Buffer, reason: string) => {
    const save = jest.spyOn(app.store, 'saveInboundMessage');
    const record = jest.spyOn(app.changes, 'record');
    const changesBefore = await emailChanges();
    const counted = await refusedMetric(reason);
    const logged = logs.entries().length;
    try {
      const response = await post(raw);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'SENDER_NOT_AUTHENTICATED' });
      expect(save).not.toHaveBeenCalled();
      expect(record).not.toHaveBeenCalled();
    } finally {
      save.mockRestore();
      record.mockRestore();
    }
    expect(await emailChanges()).toBe(changesBefore);
    expect(await refusedMetric(reason)).toBe(counted + 1);
    const line = logs
      .entries()
      .slice(logged)
      .find((e) => e.msg.startsWith('inbound e-mail refused'));
    expect(line).toMatchObject({ portalId, reason });
    const text = JSON.stringify(logs.entries().slice(logged));
    expect(text).not.toContain(SECRET_WORDS);
    expect(text).not.toContain(SUBJECT);
    expect(text).not.toContain(token);
  };

  test('without a policy (the default) a message with no Authentication-Results is read as before', async () => {
    const view = await app.inject({
      method: 'GET',
      url: `/v1/admin/portals/${portalId}`,
      headers: admin,
    });
    expect(view.json()).toMatchObject({ id: portalId, senderPolicy: null });
    expect((await post(notice(portalId))).statusCode).toBe(202);
  });

  test('the admin API refuses a policy that would let anyone through, and normalises a good one', async () => {
    for (const bad of [
      { authservIds: ['mx.google.com'], domains: ['com'] },
      { authservIds: ['mx.google.com'], domains: [] },
      { authservIds: [], domains: ['hubspot.com'] },
      { authservIds: ['mx google com'], domains: ['hubspot.com'] },
      { authservIds: ['mx.google.com'], domains: ['hubspot.com'], extra: true },
    ])
      expect((await setPolicy(bad)).statusCode).toBe(400);
    expect(
      (await setPolicy({ authservIds: ['x'], domains: ['hubspot.com'] }, '404404')).statusCode,
    ).toBe(404);

    const set = await setPolicy({
      authservIds: ['MX.Google.com', 'mx.google.com'],
      domains: ['HubSpot.com.', 'example.com'],
    });
    expect(set.statusCode).toBe(200);
    const policy = { authservIds: ['mx.google.com'], domains: ['hubspot.com', 'example.com'] };
    expect(set.json()).toEqual({ senderPolicy: policy });
    // Shown with the portal at once (not after the portals' cache expires), and on its own.
    const view = await app.inject({
      method: 'GET',
      url: `/v1/admin/portals/${portalId}`,
      headers: admin,
    });
    expect(view.json()).toMatchObject({ id: portalId, senderPolicy: policy });
    const list = await app.inject({ method: 'GET', url: '/v1/admin/portals', headers: admin });
    expect(list.json()).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: portalId, senderPolicy: policy })]),
    );
    const own = await app.inject({
      method: 'GET',
      url: `/v1/admin/portals/${portalId}/sender-policy`,
      headers: admin,
    });
    expect(own.json()).toEqual({ senderPolicy: policy });
    // Every admin answer that shows the portal shows its policy: setting the Salesforce
    // connection must not read as if the policy were gone.
    const connection = await app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${portalId}/salesforce`,
      headers: admin,
      payload: {
        kind: 'token',
        instanceUrl: 'https://acme.my.salesforce.com',
        accessToken: 'token-for-tests',
      },
    });
    expect(connection.statusCode).toBe(200);
    expect(connection.json()).toMatchObject({ id: portalId, senderPolicy: policy });
  });

  test('accepted: dkim=pass for an allowed domain in the topmost header of the service', async () => {
    const before = await emailChanges();
    const response = await post(
      notice(portalId, google('dkim=pass header.d=hubspot.com header.s=hs1; spf=pass')),
    );
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ duplicate: false, status: { state: 'suspended' } });
    expect(await emailChanges()).toBe(before + 1);
  });

  test('accepted: a subdomain signing (header.i only, as Gmail writes it)', async () => {
    expect(
      (await post(notice(portalId, google('dkim=pass header.i=@bf07.notifications.hubspot.com'))))
        .statusCode,
    ).toBe(202);
  });

  test('accepted: dmarc=pass alone', async () => {
    expect(
      (
        await post(
          notice(
            portalId,
            google(
              'dkim=temperror header.d=hubspot.com; dmarc=pass (p=REJECT) header.from=hubspot.com',
            ),
          ),
        )
      ).statusCode,
    ).toBe(202);
  });

  test('refused: no Authentication-Results at all (anyone writing to the inbound address)', async () => {
    await expectRefused(notice(portalId), 'NO_TRUSTED_RESULTS');
  });

  test('refused: the service says the signature is of another domain', async () => {
    await expectRefused(
      notice(
        portalId,
        google('dkim=pass header.d=evil.example; dmarc=fail header.from=hubspot.com'),
      ),
      'NOT_AUTHENTICATED',
    );
  });

  test("refused: a forged pass written by the sender below the service's own header", async () => {
    await expectRefused(
      notice(
        portalId,
        google(
          'dkim=none; spf=pass smtp.mailfrom=evil.example; dmarc=fail header.from=hubspot.com',
        ),
        'Received: from attacker.evil.example by mx.google.com',
        google('dkim=pass header.d=hubspot.com; dmarc=pass header.from=hubspot.com'),
      ),
      'NOT_AUTHENTICATED',
    );
  });

  test('refused: a pass under another authserv-id than the portal names', async () => {
    await expectRefused(
      notice(
        portalId,
        'Authentication-Results: mx.evil.example; dkim=pass header.d=hubspot.com; dmarc=pass header.from=hubspot.com',
      ),
      'NO_TRUSTED_RESULTS',
    );
  });

  test('refused for good in the codes each service stops at: Mailgun 406, Postmark 403, SendGrid 403', async () => {
    const forged = notice(
      portalId,
      'Authentication-Results: mx.evil.example; dkim=pass header.d=hubspot.com',
    );
    expect((await post(forged, '/v1/inbound/email/mime')).statusCode).toBe(406);
    const postmark = await app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${token}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ RawEmail: forged.toString('utf8') }),
    });
    expect(postmark.statusCode).toBe(403);
    const boundary = 'xYzZY';
    const form = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\n${forged.toString('utf8')}\r\n--${boundary}--\r\n`,
    );
    const sendgrid = await app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${token}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: form,
    });
    expect(sendgrid.statusCode).toBe(403);
    expect(sendgrid.json()).toMatchObject({ code: 'SENDER_NOT_AUTHENTICATED' });
  });

  test("a notice forwarded by a mail rule counts by the forward's sender, whatever the attached notice's headers say", async () => {
    // Set here too, so this test passes alone (jest -t) as well as after the one that sets it.
    const policy = { authservIds: ['mx.google.com'], domains: ['hubspot.com', 'example.com'] };
    expect((await setPolicy(policy)).statusCode).toBe(200);
    const attached = notice(portalId, google('dkim=pass header.d=hubspot.com'));
    const forward = (top: string) =>
      Buffer.from(
        [
          top,
          'From: Admin <admin@example.com>',
          'To: relay-inbound@example.com',
          `Subject: Fwd: ${SUBJECT} forward ${minute}`,
          `Message-ID: <fwd-${minute}@example.com>`,
          `Date: ${new Date(Date.UTC(2026, 10, 28, 10, minute)).toUTCString()}`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b1"',
          '',
          '--b1',
          'Content-Type: text/plain',
          '',
          'See attached.',
          '--b1',
          'Content-Type: message/rfc822',
          '',
          attached.toString('utf8'),
          '--b1--',
          '',
        ].join('\r\n'),
      );
    // The forwarding organisation's domain is allowed: the forward passes.
    expect(
      (
        await post(
          forward(google('dkim=pass header.d=example.com; dmarc=pass header.from=example.com')),
        )
      ).statusCode,
    ).toBe(202);
    // A forward from elsewhere: the pass inside the attached notice does not count.
    await expectRefused(
      forward(google('dkim=pass header.d=other.example; dmarc=pass header.from=other.example')),
      'NOT_AUTHENTICATED',
    );
  });

  test('DELETE turns the policy off: the same unauthenticated message is read again', async () => {
    const removed = await app.inject({
      method: 'DELETE',
      url: `/v1/admin/portals/${portalId}/sender-policy`,
      headers: admin,
    });
    expect(removed.statusCode).toBe(204);
    const view = await app.inject({
      method: 'GET',
      url: `/v1/admin/portals/${portalId}`,
      headers: admin,
    });
    expect(view.json()).toMatchObject({ senderPolicy: null });
    expect((await post(notice(portalId))).statusCode).toBe(202);
  });
});
