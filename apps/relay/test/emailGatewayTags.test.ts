import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripGatewayTags, stripSubjectPrefixes } from '../src/inputs/subjectPrefixes.js';
import { createPortal, startTestRelay, type TestRelay } from './helpers.js';

// Mail gateways tag the subjects they let through ("[EXTERNAL]", "[External Sender]", "[SPAM]"...),
// before a forward's "Fwd:" or after it. The tags were left on: the same HubSpot notice, delivered
// once straight and once through a tagging gateway (or forwarded by an admin whose gateway had
// tagged it), was keyed by two subjects and became two changes, and the change's title carried the
// tag.

const CRLF = '\r\n';
const SUBJECT =
  'Your HubSpot-Salesforce integration has been suspended: Salesforce org API limit exceeded';

describe('gateway tags on a subject', () => {
  test.each([
    '[EXTERNAL] ',
    '[External] ',
    'EXTERNAL: ',
    '[EXT] ',
    '*EXTERNAL* ',
    '***SPAM*** ',
    '[SPAM] ',
    '[Suspected Spam] ',
    '[External Sender] ',
    '[EXTERNAL EMAIL] ',
    '[CAUTION: External E-mail] ',
    '{Spam?} ',
    '(External) ',
    '[EXTERN] ',
    '[EKSTERN] ',
    '[Externe] ',
    '[EXTERNAL]: ',
    '[SPAM] [EXTERNAL] ',
  ])('"%s" is taken off', (tag) => {
    expect(stripGatewayTags(`${tag}${SUBJECT}`)).toBe(SUBJECT);
    expect(stripSubjectPrefixes(`${tag}${SUBJECT}`)).toBe(SUBJECT);
  });

  test.each([
    'Fwd: [EXTERNAL] ',
    '[EXTERNAL] Fwd: ',
    '[EXT] VS: [External Sender] ',
    'WG: EXTERNAL: ',
    '*EXTERNAL* FW: RE: [Suspected Spam] ',
  ])('"%s": tags before and after forward prefixes are taken off', (prefix) => {
    expect(stripSubjectPrefixes(`${prefix}${SUBJECT}`)).toBe(SUBJECT);
  });

  test.each([
    // Not a known tag, or not a tag at all: what HubSpot's own subject may start with.
    '[Warning] Your HubSpot-Salesforce integration has been suspended',
    '[Action required] Your HubSpot-Salesforce integration has been suspended',
    'Action required: your HubSpot-Salesforce integration has been suspended',
    'Caution: your HubSpot-Salesforce integration has been suspended',
    'External app suspended: Salesforce',
    'Spam filter: Salesforce org API limit exceeded',
    '[EXTERNAL',
    '[EXTERNAL]',
  ])('"%s" is left as it is', (subject) => {
    expect(stripGatewayTags(subject)).toBe(subject);
    expect(stripSubjectPrefixes(subject)).toBe(subject);
  });

  test('a tag in the middle of a subject stays', () => {
    expect(stripGatewayTags(`${SUBJECT} [EXTERNAL]`)).toBe(`${SUBJECT} [EXTERNAL]`);
    expect(stripGatewayTags(`Re [EXTERNAL] ${SUBJECT}`)).toBe(`Re [EXTERNAL] ${SUBJECT}`);
  });
});

const fixture = readFileSync(
  join(__dirname, 'fixtures', 'forwarded', 'outlook-attachment-en.eml'),
  'utf8',
);

/** The Outlook attached forward, renumbered, with its subjects (the forward's, the notice's) replaced. */
const attachedForward = (hub: string, forwardSubject: string, noticeSubject: string): Buffer => {
  let text = fixture.replace(/5550101/g, hub);
  for (const [from, to] of [
    [`Subject: FW: ${SUBJECT}`, `Subject: ${forwardSubject}`],
    [`Subject: ${SUBJECT}`, `Subject: ${noticeSubject}`],
  ] as const) {
    if (!text.includes(from)) throw new Error(`fixture: ${from} not found`);
    text = text.replace(from, to);
  }
  return Buffer.from(text, 'utf8');
};

/** HubSpot's notice as HubSpot sent it (the message attached to the forward), with its subject. */
const direct = (hub: string, subject: string, messageId: string): Buffer => {
  const text = attachedForward(hub, `FW: ${SUBJECT}`, subject).toString('utf8');
  const start = text.indexOf(`${CRLF}${CRLF}From: HubSpot`);
  const end = text.lastIndexOf(`${CRLF}--`);
  if (start < 0 || end < start) throw new Error('no attached message');
  return Buffer.from(
    text
      .slice(start + 4, end + 2)
      .replace(/^Message-ID: .*$/m, `Message-ID: <${messageId}@notifications.hubspot.com>`),
    'utf8',
  );
};

/** Gmail's inline forward of the notice (dated Tue 24 Nov 10:15 UTC, the forwarder in -0800). */
const gmailInline = (hub: string, forwardSubject: string, quotedSubject: string): Buffer =>
  Buffer.from(
    [
      'From: Sam Ortiz <sam.ortiz@example.com>',
      'To: sync-doctor-inbound@example.com',
      `Subject: ${forwardSubject}`,
      'Date: Fri, 27 Nov 2026 08:03:12 -0800',
      `Message-ID: <gateway-${hub}@mail.gmail.com>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset="UTF-8"',
      '',
      'Is this the same one Anna sent?',
      '',
      '---------- Forwarded message ---------',
      'From: HubSpot <noreply@notifications.hubspot.com>',
      'Date: Tue, Nov 24, 2026 at 2:15 AM',
      `Subject: ${quotedSubject}`,
      'To: <ops@example.com>',
      '',
      '',
      `Your HubSpot-Salesforce integration for Hub ID ${hub} has been suspended and is no longer syncing data.`,
      '',
      'Salesforce org API limit exceeded',
      '',
    ].join(CRLF),
    'utf8',
  );

describe('one notice, tagged by a mail gateway on one of its ways, is one change', () => {
  let relay: TestRelay;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    relay = await startTestRelay();
    for (const id of ['5550601', '5550602', '5550603'])
      tokens.set(id, (await createPortal(relay.app, id)).inboundToken);
  });
  afterAll(() => relay.close());

  const post = (portalId: string, raw: Buffer) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${tokens.get(portalId)}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: raw,
    });
  const outcome = (response: Awaited<ReturnType<typeof post>>) => [
    response.statusCode,
    response.json().duplicate,
  ];
  const changes = async (portalId: string) =>
    (await relay.app.store.listChanges(portalId, { limit: 50 })).items;

  test('sent straight, then through a gateway that tagged it: one change, titled without the tag', async () => {
    const tagged = await post('5550601', direct('5550601', `[EXTERNAL] ${SUBJECT}`, 'n-1'));
    const plain = await post('5550601', direct('5550601', SUBJECT, 'n-1'));
    const spam = await post('5550601', direct('5550601', `[Suspected Spam] ${SUBJECT}`, 'n-1'));
    expect([outcome(tagged), outcome(plain), outcome(spam)]).toEqual([
      [202, false],
      [200, true],
      [200, true],
    ]);
    const [change, ...others] = await changes('5550601');
    expect(others).toHaveLength(0);
    expect(change!.title).toBe(SUBJECT);
    expect(change!.reason).toBe('API_LIMIT_EXCEEDED');
  });

  test('forwarded inline and as an attachment by admins whose gateways tagged it: the same change as the notice sent straight', async () => {
    const straight = await post('5550602', direct('5550602', SUBJECT, 'n-2'));
    const inline = await post(
      '5550602',
      gmailInline('5550602', `[EXT] Fwd: [External Sender] ${SUBJECT}`, `[EXTERNAL] ${SUBJECT}`),
    );
    const attached = await post(
      '5550602',
      attachedForward('5550602', `*EXTERNAL* FW: [EXTERNAL] ${SUBJECT}`, `EXTERNAL: ${SUBJECT}`),
    );
    expect([outcome(straight), outcome(inline), outcome(attached)]).toEqual([
      [202, false],
      [200, true],
      [200, true],
    ]);
    const [change, ...others] = await changes('5550602');
    expect(others).toHaveLength(0);
    expect(change!.title).toBe(SUBJECT);
  });

  test('the first delivery tagged and forwarded: the change is titled with the clean subject, the forward keeps its own as it arrived', async () => {
    const forwardSubject = `[EXTERNAL] FW: [SPAM] ${SUBJECT}`;
    const attached = await post(
      '5550603',
      attachedForward('5550603', forwardSubject, `[External] ${SUBJECT}`),
    );
    const inline = await post('5550603', gmailInline('5550603', `VS: ${SUBJECT}`, SUBJECT));
    expect([outcome(attached), outcome(inline)]).toEqual([
      [202, false],
      [200, true],
    ]);
    const [change, ...others] = await changes('5550603');
    expect(others).toHaveLength(0);
    expect(change!.title).toBe(SUBJECT);
    expect(change!.detail).toMatchObject({
      forwarded: { as: 'attachment', subject: forwardSubject },
    });
  });
});
