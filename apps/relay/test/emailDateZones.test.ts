import { offsetOfDateHeader, readDateHeader } from '../src/inputs/mailDates.js';
import { createPortal, startTestRelay, type TestRelay } from './helpers.js';

// A notice whose Date header names its zone as an abbreviation ("Mon, 30 Nov 2026 10:00:00 CEST",
// as some mail clients and gateways in Europe write it) was taken as having no readable date:
// counted from its arrival, and keyed by its Message-ID, so the same notice forwarded by two admins
// became two changes. RFC 5322 names only UT, GMT, the US zones and the military letters; of the
// rest, the ones whose offset is not in doubt are now read, and the ambiguous ones (BST, IST) are
// counted from arrival with a note naming the zone.

describe('a Date header with a zone name', () => {
  test.each([
    ['Mon, 30 Nov 2026 10:00:00 CEST', '2026-11-30T08:00:00.000Z'],
    ['Mon, 30 Nov 2026 10:00:00 CET', '2026-11-30T09:00:00.000Z'],
    ['Mon, 30 Nov 2026 10:00:00 cet (Central European Time)', '2026-11-30T09:00:00.000Z'],
    ['Mon, 30 Nov 2026 10:00:00 EEST', '2026-11-30T07:00:00.000Z'],
    ['Mon, 30 Nov 2026 10:00:00 EET', '2026-11-30T08:00:00.000Z'],
    ['Mon, 30 Nov 2026 10:00:00 WEST', '2026-11-30T09:00:00.000Z'],
    ['Mon, 30 Nov 2026 10:00:00 WET', '2026-11-30T10:00:00.000Z'],
    ['30 Nov 2026 10:00 MEST', '2026-11-30T08:00:00.000Z'],
    // RFC 5322's own names, as before (CST is the RFC's -0600 here, not China's).
    ['Mon, 30 Nov 2026 10:00:00 CST', '2026-11-30T16:00:00.000Z'],
    ['Mon, 30 Nov 2026 10:00:00 GMT', '2026-11-30T10:00:00.000Z'],
    ['Mon, 30 Nov 2026 10:00:00 +0200 (CEST)', '2026-11-30T08:00:00.000Z'],
    // A military letter is -0000 (RFC 5322 4.3): the time is UTC, the sender's zone unknown.
    ['Mon, 30 Nov 2026 10:00:00 A', '2026-11-30T10:00:00.000Z'],
  ])('"%s" is %s', (value, iso) => {
    expect(readDateHeader(value)).toEqual({ date: new Date(iso), unreadZone: null });
  });

  test.each([
    ['Mon, 30 Nov 2026 10:00:00 BST', 'BST'],
    ['Mon, 30 Nov 2026 10:00:00 IST', 'IST'],
    ['Mon, 30 Nov 2026 10:00:00 XYZ', 'XYZ'],
  ])('"%s" names several zones or none: not read, and the zone is said', (value, zone) => {
    expect(readDateHeader(value)).toEqual({ date: null, unreadZone: zone });
  });

  test('a header unreadable for another reason names no zone', () => {
    expect(readDateHeader('Mon, 31 Foo 2026 25:61:00 CET')).toEqual({
      date: null,
      unreadZone: null,
    });
    expect(readDateHeader('yesterday')).toEqual({ date: null, unreadZone: null });
  });

  test("the forward's own offset is read from a zone name too (for a quoted date without one)", () => {
    expect(offsetOfDateHeader(' Mon, 30 Nov 2026 10:05:00 CEST')).toBe(120);
    expect(offsetOfDateHeader(' Mon, 30 Nov 2026 10:05:00 EST')).toBe(-300);
    expect(offsetOfDateHeader(' Mon, 30 Nov 2026 10:05:00 -0800 (PST)')).toBe(-480);
    expect(offsetOfDateHeader(' Mon, 30 Nov 2026 10:05:00 BST')).toBeNull();
    expect(offsetOfDateHeader(' Mon, 30 Nov 2026 10:05:00')).toBeNull();
  });
});

describe('a notice e-mail dated with a zone name', () => {
  let relay: TestRelay;
  let token: string;
  const portalId = '6650001';
  const SUBJECT = 'Your HubSpot-Salesforce integration has been suspended';
  const body = `Salesforce org API limit exceeded.\r\nhttps://app.hubspot.com/integrations-settings/${portalId}/installed`;

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ inboundToken: token } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const post = (lines: string[]) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${token}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: Buffer.from(lines.join('\r\n'), 'utf8'),
    });
  const notice = (messageId: string, date: string, subject = SUBJECT) => [
    'From: HubSpot <noreply@notifications.hubspot.com>',
    `Subject: ${subject}`,
    `Message-ID: <${messageId}@notifications.hubspot.com>`,
    `Date: ${date}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ];
  const detailOf = async (id: number) =>
    (await relay.app.store.listChanges(portalId, { limit: 100 })).items.find(
      (change) => change.id === id,
    )?.detail;

  test('"CEST" is read: dated by the message, and the same instant written in UTC is the same notice', async () => {
    const response = await post(notice('cest-1', 'Mon, 30 Nov 2026 10:00:00 CEST'));
    expect(response.statusCode).toBe(202);
    const { change } = response.json();
    expect(change.occurredAt).toBe('2026-11-30T08:00:00.000Z');
    expect(await detailOf(change.id)).toMatchObject({ dated: 'message' });
    expect((await detailOf(change.id))?.dateNote).toBeUndefined();
    // The copy a gateway rewrote with a numeric zone (another Message-ID): one change, not two.
    const again = await post(notice('cest-1-copy', 'Mon, 30 Nov 2026 08:00:00 +0000'));
    expect(again.json()).toMatchObject({ duplicate: true, change: { id: change.id } });
  });

  test('"BST" (British Summer Time, or Bangladesh) is counted from arrival, and the record says why', async () => {
    const before = Date.now();
    const response = await post(
      notice('bst-1', 'Mon, 30 Nov 2026 10:00:00 BST', `${SUBJECT}: Salesforce org locked`),
    );
    expect(response.statusCode).toBe(202);
    const { change } = response.json();
    expect(Date.parse(change.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await detailOf(change.id)).toMatchObject({
      dated: 'arrival',
      dateNote:
        'no readable date (the time zone "BST" in its Date header is ambiguous or unknown): counted from arrival',
    });
  });

  test('attached to a forward, a "CET" notice keeps its own date', async () => {
    const response = await post([
      'From: Admin <admin@example.com>',
      `Subject: Fwd: ${SUBJECT}: Salesforce org unavailable`,
      'Message-ID: <forward-of-cet@example.com>',
      'Date: Mon, 30 Nov 2026 12:30:00 +0100',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See attached.',
      '--b1',
      'Content-Type: message/rfc822',
      'Content-Disposition: attachment; filename="notice.eml"',
      '',
      ...notice(
        'cet-attached',
        'Mon, 30 Nov 2026 11:15:00 CET',
        `${SUBJECT}: Salesforce org unavailable`,
      ),
      '--b1--',
      '',
    ]);
    expect(response.statusCode).toBe(202);
    const { change } = response.json();
    expect(change.occurredAt).toBe('2026-11-30T10:15:00.000Z');
    expect(await detailOf(change.id)).toMatchObject({ dated: 'original' });
  });

  const inlineForward = (messageId: string, ownDate: string, block: string[]) => [
    'From: Admin <admin@example.com>',
    `Subject: FW: ${SUBJECT}: Salesforce storage limit exceeded`,
    `Message-ID: <${messageId}@example.com>`,
    `Date: ${ownDate}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Again?',
    '',
    ...block,
    '',
    body,
    '',
  ];

  test('forwarded inline from a client that writes "CEST": a quoted date without a zone is read in the forward\'s', async () => {
    const response = await post(
      inlineForward('inline-cest-1', 'Mon, 30 Nov 2026 10:05:00 CEST', [
        '-----Original Message-----',
        'From: HubSpot <noreply@notifications.hubspot.com>',
        'Sent: Monday, November 30, 2026 9:45 AM',
        'To: admin@example.com',
        `Subject: ${SUBJECT}: Salesforce storage limit exceeded`,
      ]),
    );
    expect(response.statusCode).toBe(202);
    const { change } = response.json();
    expect(change.occurredAt).toBe('2026-11-30T07:45:00.000Z');
    expect(await detailOf(change.id)).toMatchObject({
      dated: 'original',
      dateNote:
        'the quoted date "Monday, November 30, 2026 9:45 AM" names no time zone: read in the forward\'s own (+02:00)',
    });
  });

  test('a quoted "Date:" or "Dato:" line naming CEST is read in it', async () => {
    const gmail = await post(
      inlineForward('inline-cest-2', 'Mon, 30 Nov 2026 10:05:00 +0100', [
        '---------- Forwarded message ---------',
        'From: HubSpot <noreply@notifications.hubspot.com>',
        'Date: Mon, Nov 30, 2026 at 9:50 AM CEST',
        `Subject: ${SUBJECT}: Salesforce storage limit exceeded`,
        'To: <admin@example.com>',
      ]),
    );
    expect(gmail.statusCode).toBe(202);
    expect(gmail.json().change.occurredAt).toBe('2026-11-30T07:50:00.000Z');
    const danish = await post(
      inlineForward('inline-cest-3', 'Mon, 30 Nov 2026 10:05:00 CET', [
        '---------- Videresendt meddelelse ---------',
        'Fra: HubSpot <noreply@notifications.hubspot.com>',
        'Dato: man. 30. nov. 2026 kl. 09.55 CEST',
        `Emne: ${SUBJECT}: Salesforce storage limit exceeded`,
        'Til: <admin@example.com>',
      ]),
    );
    expect(danish.statusCode).toBe(202);
    expect(danish.json().change.occurredAt).toBe('2026-11-30T07:55:00.000Z');
  });
});
