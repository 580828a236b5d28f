import { ADMIN_TOKEN, createPortal, startTestRelay, type TestRelay } from './helpers.js';

// What the inbound-mail services that call POST /v1/inbound/email send, and make of its answers.
// Mailgun (routes forwarding to a URL ending in "mime") takes only 200 as delivered and 406 as
// refused for good; any other answer, 202 included, it posts again for 8 hours. Postmark posts
// JSON (the raw message in `RawEmail` when the stream is set to include it), takes only 200, and
// stops retrying at 403.

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

  test("the OpenAPI description lists the 406 Mailgun's route answers, and only there", async () => {
    const spec = (await relay.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const statuses = (path: string) => Object.keys(spec.paths[path].post.responses);
    expect(statuses('/v1/inbound/email/mime')).toEqual(expect.arrayContaining(['200', '406']));
    expect(statuses('/v1/inbound/email')).not.toContain('406');
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

describe('Postmark inbound webhook (JSON)', () => {
  let relay: TestRelay;
  let token: string;
  const portalId = '6630002';

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ inboundToken: token } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  /** Postmark's document: its parsed fields, and the message as received in RawEmail. */
  const postmark = (raw: Buffer | null, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      From: 'noreply@notifications.hubspot.com',
      FromName: 'HubSpot',
      To: 'abc123@inbound.postmarkapp.com',
      Subject: 'Your HubSpot-Salesforce integration has been suspended',
      MessageID: '22c74902-a0c1-4511-804f-341342852c90',
      Date: 'Mon, 30 Nov 2026 08:15:00 +0000',
      MailboxHash: '',
      TextBody: 'parsed text the relay does not read',
      HtmlBody: '',
      Headers: [{ Name: 'X-Spam-Status', Value: 'No' }],
      Attachments: [],
      MessageStream: 'inbound',
      ...(raw ? { RawEmail: raw.toString('utf8') } : {}),
      ...extra,
    });
  const post = (payload: string, contentType = 'application/json') =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${token}`,
      headers: { 'content-type': contentType },
      payload,
    });

  test('the raw message in RawEmail is read as any other; Postmark hears 200, also for the same notice again', async () => {
    const raw = notice(
      'postmark-1',
      portalId,
      'Your HubSpot-Salesforce integration has been suspended',
      'Salesforce org API limit exceeded.',
    );
    const first = await post(postmark(raw));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      duplicate: false,
      status: { state: 'suspended', reason: 'API_LIMIT_EXCEEDED', source: 'email' },
    });
    const again = await post(postmark(raw), 'application/json; charset=utf-8');
    expect([again.statusCode, again.json().duplicate]).toEqual([200, true]);
  });

  test('a raw message larger than the JSON limit of the other routes (64 KB) is read', async () => {
    const raw = notice(
      'postmark-2',
      portalId,
      'Your HubSpot-Salesforce integration has been suspended',
      `Salesforce org locked.\r\n${'Details follow. '.repeat(10_000)}`,
    );
    const response = await post(postmark(raw));
    expect(response.statusCode).toBe(200);
    expect(response.json().status.reason).toBe('ORG_LOCKED');
  });

  test('without RawEmail, or not JSON: 403 (Postmark stops retrying), saying what to tick', async () => {
    const parsedOnly = await post(postmark(null));
    expect([parsedOnly.statusCode, parsedOnly.json().code]).toEqual([403, 'RAW_MESSAGE_MISSING']);
    expect(parsedOnly.json().error).toMatch(/Include raw email content in JSON payload/);
    const broken = await post('{"RawEmail": ');
    expect([broken.statusCode, broken.json().code]).toEqual([403, 'MALFORMED_JSON']);
    const other = await post(
      postmark(
        notice(
          'postmark-3',
          '9999999',
          'Your HubSpot-Salesforce integration has been suspended',
          'Salesforce org locked.',
        ),
      ),
    );
    expect([other.statusCode, other.json().code]).toEqual([403, 'PORTAL_MISMATCH']);
  });

  // Up to 15.8 MB by default, read with JSON.parse: nested `[[[[…` that deep held the event loop
  // for 7.6 s (/health/live included, then 503 UNDER_PRESSURE), a flat `[{},{},…]` for 4.6 s.
  test.each([
    ['nested 7.89 million deep', 'JSON_TOO_DEEP', `[`.repeat(7_890_000) + `]`.repeat(7_890_000)],
    ['4 million empty objects', 'JSON_TOO_MANY_VALUES', `[${'{},'.repeat(5_200_000)}{}]`],
  ])(
    'a body of %s is refused at once, before it is parsed, and Postmark stops retrying',
    async (_name, code, value) => {
      const payload = `{"RawEmail":${value}}`;
      expect(payload.length).toBeGreaterThan(15_000_000);
      const started = performance.now();
      const response = await post(payload);
      const took = performance.now() - started;
      expect([response.statusCode, response.json().code]).toEqual([403, code]);
      // inject's own handling of 15.8 MB included; JSON.parse alone took seconds.
      expect(took).toBeLessThan(1500);
    },
  );

  test('a real Postmark body with headers, attachments and escapes in RawEmail is read', async () => {
    const raw = notice(
      'postmark-4',
      portalId,
      'Your HubSpot-Salesforce integration has been suspended',
      'Salesforce org locked. "Quoted", a back\\slash\\ and [brackets] {braces}, commas.',
    );
    const response = await post(
      postmark(raw, {
        Headers: Array.from({ length: 300 }, (_, i) => ({ Name: `X-H-${i}`, Value: `[{${i}}]` })),
        Attachments: [
          {
            Name: 'a.pdf',
            Content: Buffer.alloc(3 * 1024 * 1024, 7).toString('base64'),
            ContentType: 'application/pdf',
            ContentLength: 3 * 1024 * 1024,
          },
        ],
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().status.reason).toBe('ORG_LOCKED');
  });

  test('the JSON routes elsewhere keep their own parser and limit', async () => {
    const response = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: JSON.stringify({ note: 'x'.repeat(70 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
  });
});
