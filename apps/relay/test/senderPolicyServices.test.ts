import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { parseSendGridDkim } from '../src/inputs/senderPolicy.js';
import { admin, createPortal, RecordingPublisher, tempDir, testConfig } from './helpers.js';

// A portal's sender policy behind each inbound mail service (inputs/senderPolicy.ts,
// ServiceVerdict). SendGrid Inbound Parse writes no Authentication-Results into the message it
// posts: its verdict is the form's `dkim` field, so an Authentication-Results the sender put on top
// of its own message must count for nothing there. Mailgun's and Postmark's posts carry no verdict
// naming the signing domain: the policy cannot be checked behind them, and refuses.

const SUBJECT = 'Your HubSpot-Salesforce integration has been suspended';
let minute = 0;

/** A HubSpot notice for `portalId` with these header lines on top. */
function notice(portalId: string, ...top: string[]): string {
  minute++;
  return [
    ...top,
    'From: HubSpot <noreply@notifications.hubspot.com>',
    'To: relay-inbound@example.com',
    `Subject: ${SUBJECT} ${minute}`,
    `Message-ID: <services-${minute}@notifications.hubspot.com>`,
    `Date: ${new Date(Date.UTC(2026, 10, 29, 9, minute)).toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Salesforce org API limit exceeded.',
    `https://app.hubspot.com/integrations-settings/${portalId}/installed`,
    '',
  ].join('\r\n');
}
/** What a sender can write on top of its own message: a pass "from" Gmail. */
const FORGED =
  'Authentication-Results: mx.google.com; dkim=pass header.d=hubspot.com; dmarc=pass header.from=hubspot.com';
const signature = (d: string) =>
  `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${d}; s=hs1; h=from:subject; bh=AAAA; b=BBBB`;

describe('sender policy behind SendGrid, Mailgun and Postmark', () => {
  let app: FastifyInstance;
  let dir: { path: string; remove: () => void };
  const portalId = '8801002';
  let token: string;

  beforeAll(async () => {
    dir = tempDir();
    app = await buildApp(testConfig(dir.path, { publisher: new RecordingPublisher() }));
    await app.ready();
    ({ inboundToken: token } = await createPortal(app, portalId));
    const policy = await app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${portalId}/sender-policy`,
      headers: admin,
      payload: { authservIds: ['mx.google.com'], domains: ['hubspot.com'] },
    });
    expect(policy.statusCode).toBe(200);
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  const boundary = 'xYzZY';
  /** A multipart/form-data post of these fields, as SendGrid and Mailgun send it. */
  const postForm = (fields: Record<string, string>, path = '/v1/inbound/email') =>
    app.inject({
      method: 'POST',
      url: `${path}?token=${token}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.from(
        Object.entries(fields)
          .map(
            ([name, value]) =>
              `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
          )
          .join('') + `--${boundary}--\r\n`,
      ),
    });
  /** SendGrid Inbound Parse with "POST the raw, full MIME message": `email`, `dkim`, `SPF`... */
  const sendgrid = (email: string, dkim?: string) =>
    postForm({
      ...(dkim === undefined ? {} : { dkim }),
      SPF: 'pass',
      envelope: '{"to":["relay-inbound@example.com"],"from":"bounce@notifications.hubspot.com"}',
      email,
    });
  const rfc822 = (raw: string) =>
    app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${token}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: Buffer.from(raw),
    });
  const refused = (response: { statusCode: number; json: () => unknown }, status = 403) => {
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code: 'SENDER_NOT_AUTHENTICATED' });
  };

  test("SendGrid: a forged Authentication-Results on top of the sender's message is refused", async () => {
    // No dkim field: nothing of SendGrid's vouches for the sender.
    refused(await sendgrid(notice(portalId, FORGED)));
    // SendGrid's verdict is for the sender's own domain: the forged header does not outweigh it.
    refused(
      await sendgrid(notice(portalId, FORGED, signature('evil.example')), '{@evil.example : pass}'),
    );
  });

  test("SendGrid: its dkim field's pass for an allowed domain is accepted, with no Authentication-Results", async () => {
    const response = await sendgrid(
      notice(portalId, signature('hubspot.com')),
      '{@hubspot.com : pass}',
    );
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ duplicate: false, status: { state: 'suspended' } });
  });

  test('SendGrid: a pass among several signatures, for a subdomain, is accepted', async () => {
    const response = await sendgrid(
      notice(portalId, signature('evil.example'), signature('notifications.hubspot.com')),
      '{@evil.example : fail, @notifications.hubspot.com : pass}',
    );
    expect(response.statusCode).toBe(202);
  });

  test("SendGrid: a fail, another domain's pass, or a pass with no such signature is refused, whatever header sits on top", async () => {
    // Each carries the forged header on top too: read as before, it would pass them all.
    const refusedBySendGrid = async (dkim: string, ...signatures: string[]) =>
      refused(await sendgrid(notice(portalId, FORGED, ...signatures), dkim));
    await refusedBySendGrid('{@hubspot.com : fail}', signature('hubspot.com'));
    await refusedBySendGrid('{@hubspot.com : none}', signature('hubspot.com'));
    await refusedBySendGrid('{@evilhubspot.com : pass}', signature('evilhubspot.com'));
    await refusedBySendGrid('{@hubspot.com : pass}');
    await refusedBySendGrid('');
  });

  test('SendGrid: a d= that would split into two entries of the dkim field is refused', async () => {
    // The sender runs x.evil.example's zone, so a key for this d= resolves, and SendGrid writes
    // its pass: read naively, the field holds a pass for hubspot.com.
    const d = 'hubspot.com : pass, @x.evil.example';
    refused(
      await sendgrid(
        notice(portalId, FORGED, signature(d), signature('hubspot.com')),
        `{@${d} : pass, @hubspot.com : fail}`,
      ),
    );
  });

  test('Mailgun (/mime, body-mime) and Postmark (RawEmail): the policy cannot be checked, a forged header is refused', async () => {
    const mailgun = await postForm(
      { recipient: 'relay-inbound@example.com', 'body-mime': notice(portalId, FORGED) },
      '/v1/inbound/email/mime',
    );
    refused(mailgun, 406);
    expect((mailgun.json() as { error: string }).error).toMatch(/cannot be checked behind Mailgun/);
    const postmark = await app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${token}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        RawEmail: notice(portalId, FORGED),
        Headers: [{ Name: 'Received-SPF', Value: 'Pass' }],
      }),
    });
    refused(postmark);
    expect((postmark.json() as { error: string }).error).toMatch(
      /cannot be checked behind Postmark/,
    );
  });

  test("a message posted as it is (Gmail's forward, a mailbox) is still judged by its topmost Authentication-Results", async () => {
    // Here the topmost one is Gmail's own (Gmail deletes any claiming its id): the same text passes.
    const accepted = await rfc822(notice(portalId, FORGED));
    expect(accepted.statusCode).toBe(202);
    refused(
      await rfc822(
        notice(
          portalId,
          'Authentication-Results: mx.google.com; dkim=none; dmarc=fail header.from=hubspot.com',
          FORGED,
        ),
      ),
    );
  });
});

describe('parseSendGridDkim', () => {
  test.each<[string, { domain: string; result: string }[]]>([
    ['{@hubspot.com : pass}', [{ domain: 'hubspot.com', result: 'pass' }]],
    [
      '{@a.example : pass, @B.example : FAIL}',
      [
        { domain: 'a.example', result: 'pass' },
        { domain: 'B.example', result: 'fail' },
      ],
    ],
    ['hubspot.com:pass', [{ domain: 'hubspot.com', result: 'pass' }]],
    ['{}', []],
    ['none', []],
    ['{@a.example pass}', []],
  ])('%s', (field, entries) => {
    expect(parseSendGridDkim(field)).toEqual(entries);
  });
});
