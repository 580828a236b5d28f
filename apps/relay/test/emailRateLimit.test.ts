import { createPortal, startTestRelay, type TestRelay } from './helpers.js';

// The e-mail inputs were not counted against RELAY_RATE_LIMIT_PORTAL, which every other input
// applies once a request is authenticated: a leaked inbound token (or a mail loop) could post
// without limit. Counted per portal (the token says which), only once the token is good, and
// answered 429 on every path, which Mailgun (/mime) and Postmark (JSON) post again later (only
// 200 is taken, and 406 and 403 stop them).

const CRLF = '\r\n';
const message = (n: number): string =>
  [
    'From: Ops <ops@example.com>',
    'To: sync-doctor-inbound@example.com',
    `Subject: Weekly note ${n}`,
    'Date: Mon, 30 Nov 2026 10:00:00 +0000',
    `Message-ID: <rate-${n}@example.com>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Nothing about a suspension here.',
    '',
  ].join(CRLF);

describe('the e-mail inputs take RELAY_RATE_LIMIT_PORTAL requests a minute per portal', () => {
  let relay: TestRelay;
  const tokens = new Map<string, string>();
  let n = 0;

  beforeEach(async () => {
    relay = await startTestRelay({
      rateLimit: { perIpPerMinute: 1000, perPortalPerMinute: 3 },
    });
    for (const id of ['5550701', '5550702'])
      tokens.set(id, (await createPortal(relay.app, id)).inboundToken);
  });
  afterEach(() => relay.close());

  const raw = (portalId: string, via: 'query' | 'header' = 'query') =>
    relay.app.inject({
      method: 'POST',
      url:
        via === 'query' ? `/v1/inbound/email?token=${tokens.get(portalId)}` : '/v1/inbound/email',
      headers: {
        'content-type': 'message/rfc822',
        ...(via === 'header' ? { 'x-sync-doctor-token': tokens.get(portalId)! } : {}),
      },
      payload: message(++n),
    });
  const mailgun = (portalId: string) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email/mime?token=${tokens.get(portalId)}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: message(++n),
    });
  const postmark = (portalId: string) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${tokens.get(portalId)}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ RawEmail: message(++n) }),
    });

  test('past the limit a 429 in the API error shape, with Retry-After; another portal is not held back', async () => {
    const statuses: number[] = [];
    for (const via of ['query', 'header', 'query', 'header'] as const)
      statuses.push((await raw('5550701', via)).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);

    const refused = await raw('5550701');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      statusCode: 429,
      code: 'RATE_LIMITED',
      error: expect.stringContaining('per minute'),
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // Per portal: the other portal's budget is its own.
    expect((await raw('5550702')).statusCode).toBe(202);
  });

  test('Mailgun (/mime) and Postmark (JSON) get a 429 too, not the 406 or 403 that would stop them', async () => {
    const mime: number[] = [];
    for (let i = 0; i < 4; i++) mime.push((await mailgun('5550701')).statusCode);
    expect(mime).toEqual([200, 200, 200, 429]);

    const json: number[] = [];
    for (let i = 0; i < 4; i++) json.push((await postmark('5550702')).statusCode);
    expect(json).toEqual([200, 200, 200, 429]);
    expect((await postmark('5550701')).json()).toMatchObject({ code: 'RATE_LIMITED' });
  });

  test('requests with a wrong or no token are not counted against a portal', async () => {
    for (let i = 0; i < 5; i++) {
      const wrong = await relay.app.inject({
        method: 'POST',
        url: '/v1/inbound/email?token=not-a-token',
        headers: { 'content-type': 'message/rfc822' },
        payload: message(++n),
      });
      expect(wrong.statusCode).toBe(401);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await raw('5550701')).statusCode);
    expect(statuses).toEqual([202, 202, 202]);
  });
});
