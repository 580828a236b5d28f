import { createPortal, startTestRelay, type TestRelay } from './helpers.js';

// What the inbound-mail services that call POST /v1/inbound/email make of its answers. Mailgun
// (routes forwarding to a URL ending in "mime") takes only 200 as delivered and 406 as refused
// for good; any other answer, 202 included, it posts again for 8 hours.

let minute = 0;
/** A notice of its own minute: each is a notice of its own, not a copy of another. */
const notice = (messageId: string, portalId: string, subject: string, body: string) =>
  Buffer.from(
    [
      'From: HubSpot <noreply@notifications.hubspot.com>',
      `Subject: ${subject}`,
      `Message-ID: <${messageId}@notifications.hubspot.com>`,
      `Date: Mon, 30 Nov 2026 08:${String(minute++).padStart(2, '0')}:00 +0000`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      `https://app.hubspot.com/integrations-settings/${portalId}/installed`,
    ].join('\r\n'),
    'utf8',
  );

/** Mailgun's URL-encoded form: the raw message in `body-mime`, beside its own fields. */
const mailgunForm = (raw: Buffer) =>
  new URLSearchParams({
    recipient: 'relay@inbound.example.com',
    timestamp: '1796000000',
    token: 'mailgun-random-token',
    'body-mime': raw.toString('utf8'),
  }).toString();

describe('Mailgun route (/v1/inbound/email/mime)', () => {
  let relay: TestRelay;
  let token: string;
  const portalId = '6630001';

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ inboundToken: token } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const post = (payload: string, contentType = 'application/x-www-form-urlencoded') =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email/mime?token=${token}`,
      headers: { 'content-type': contentType },
      payload,
    });

  test('a new notice, the same notice again and a message naming no suspension are all 200', async () => {
    const raw = notice(
      'mailgun-1',
      portalId,
      'Your HubSpot-Salesforce integration has been suspended',
      'Salesforce org API limit exceeded.',
    );
    const first = await post(mailgunForm(raw));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ duplicate: false, status: { state: 'suspended' } });
    const again = await post(mailgunForm(raw));
    expect([again.statusCode, again.json().duplicate]).toEqual([200, true]);
    const digest = await post(
      mailgunForm(notice('mailgun-2', portalId, 'Your weekly digest', 'Nothing new.')),
    );
    expect(digest.statusCode).toBe(200);
    expect(digest.json()).toMatchObject({ recognised: false });
  });

  test('a message refused for good is a 406 (no retries), its body still saying why', async () => {
    const other = await post(
      mailgunForm(
        notice(
          'mailgun-3',
          '9999999',
          'Your HubSpot-Salesforce integration has been suspended',
          'Salesforce org locked.',
        ),
      ),
    );
    expect([other.statusCode, other.json().code]).toEqual([406, 'PORTAL_MISMATCH']);
    const noRaw = await post('recipient=relay%40inbound.example.com&body-plain=hello');
    expect([noRaw.statusCode, noRaw.json().code]).toEqual([406, 'RAW_MESSAGE_MISSING']);
  });

  test('a wrong token is still a 401, which Mailgun retries while the route is fixed', async () => {
    const wrong = await relay.app.inject({
      method: 'POST',
      url: '/v1/inbound/email/mime?token=sdin_wrong',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'body-mime=x',
    });
    expect([wrong.statusCode, wrong.json().code]).toEqual([401, 'TOKEN_INVALID']);
  });

  test('the other path keeps its answers (202 for a new notice)', async () => {
    const response = await relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${token}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: notice(
        'direct-1',
        portalId,
        'Your HubSpot-Salesforce integration has been suspended',
        'Salesforce org locked.',
      ),
    });
    expect(response.statusCode).toBe(202);
  });
});
