import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReasonCode } from '@sync-doctor/core';
// The throwaway Dovecot of the hubspot-signals tests (Debian dovecot-core + dovecot-imapd), reused as is.
import {
  startDovecot,
  type Dovecot,
  connectImap,
} from '../../../packages/hubspot-signals/test/helpers/dovecot.js';
import { admin, createPortal, startTestRelay, waitFor, type TestRelay } from './helpers.js';
import { mailboxSignals, passwordMailbox, startSignalsRelay } from './signalsHelpers.js';

// HubSpot's notification e-mails as they really reach the relay: forwarded by an admin, either as
// an attached message (message/rfc822) or inline under the client's "forwarded message" header.
// The fixtures (test/fixtures/forwarded/) are raw messages shaped as Outlook, Thunderbird, Apple
// Mail and Gmail write them; the notices were sent on 23 and 24 November 2026 and forwarded days
// later, so a relay that reads the forward's own date puts the suspension's start days late.

const fixture = (name: string): Buffer =>
  readFileSync(join(__dirname, 'fixtures', 'forwarded', name));
const variant = (name: string, replacements: [string | RegExp, string][]): Buffer => {
  let text = fixture(name).toString('utf8');
  for (const [from, to] of replacements) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`fixture ${name}: ${String(from)} not found`);
    text = next;
  }
  return Buffer.from(text, 'utf8');
};

const CRLF = '\r\n';
/** A message forwarding `inner` as an attachment, dated `date`. */
const attaching = (
  inner: Buffer | string,
  id: string,
  date = 'Sat, 28 Nov 2026 10:00:00 +0000',
  subject = 'Fwd: Your HubSpot-Salesforce integration has been suspended',
): Buffer =>
  Buffer.from(
    [
      'From: Admin <admin@example.com>',
      'To: sync-doctor-inbound@example.com',
      `Subject: ${subject}`,
      `Date: ${date}`,
      `Message-ID: <${id}@example.com>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer-' + id + '"',
      '',
      `--outer-${id}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See the attached message.',
      `--outer-${id}`,
      'Content-Type: message/rfc822',
      'Content-Disposition: attachment; filename="forwarded.eml"',
      '',
      Buffer.isBuffer(inner) ? inner.toString('utf8') : inner,
      `--outer-${id}--`,
      '',
    ].join(CRLF),
    'utf8',
  );

describe('forwarded notification e-mails', () => {
  let relay: TestRelay;
  const tokens = new Map<string, string>();
  const portals = [
    '5550101',
    '5550102',
    '5550103',
    '5550104',
    '5550105',
    '5550106',
    '5550107',
    '5550108',
    '5550109',
    '5550110',
    '5550111',
    '5550112',
    '5550113',
  ];

  beforeAll(async () => {
    relay = await startTestRelay();
    for (const id of portals) tokens.set(id, (await createPortal(relay.app, id)).inboundToken);
  });
  afterAll(() => relay.close());

  const post = (portalId: string, raw: Buffer) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${tokens.get(portalId)}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: raw,
    });
  const changes = async (portalId: string) =>
    (await relay.app.store.listChanges(portalId, { limit: 50 })).items;

  describe('forwarded as an attachment', () => {
    test('Outlook (English): the attached notice gives the reason, the portal, the title and the date', async () => {
      const response = await post('5550101', fixture('outlook-attachment-en.eml'));
      expect(response.statusCode).toBe(202);
      const { change, status } = response.json();
      expect(status).toMatchObject({
        portalId: '5550101',
        state: 'suspended',
        reason: 'API_LIMIT_EXCEEDED',
        source: 'email',
      });
      // HubSpot's Date header (Tue 24 Nov 10:15 UTC), not the forward's (Fri 27 Nov).
      expect(change.occurredAt).toBe('2026-11-24T10:15:00.000Z');
      expect(status.since).toBe('2026-11-24T10:15:00.000Z');
      // Keyed by HubSpot's subject and date, as the same notice sent straight or forwarded inline.
      expect(change.eventId).toMatch(/^email:forwarded:[0-9a-f]{40}$/);
      expect(change.title).toBe(
        'Your HubSpot-Salesforce integration has been suspended: Salesforce org API limit exceeded',
      );
      expect(change.excerpt).toMatch(
        /^Hi,\s+Your HubSpot-Salesforce integration for Hub ID 5550101/,
      );
      const [stored] = await changes('5550101');
      expect(stored!.detail).toMatchObject({
        dated: 'original',
        noticeMessageId: '<suspension-5550101-20261124@notifications.hubspot.com>',
        forwarded: {
          as: 'attachment',
          from: '"Anna Berg" <anna.berg@example.com>',
          messageId:
            '<AM0PR07MB6116C2B1D5A9E3F0A1B2C3D4E5F6A@AM0PR07MB6116.eurprd07.prod.outlook.com>',
          date: '2026-11-27T08:02:11.000Z',
        },
      });
    });

    test('the same notice forwarded as an attachment by a second admin is stored once (its own Message-ID)', async () => {
      const first = await post(
        '5550109',
        variant('outlook-attachment-en.eml', [[/5550101/g, '5550109']]),
      );
      const second = await post(
        '5550109',
        variant('thunderbird-attachment-en.eml', [[/5550101/g, '5550109']]),
      );
      expect([first.statusCode, second.statusCode]).toEqual([202, 200]);
      expect(second.json().duplicate).toBe(true);
      expect(await changes('5550109')).toHaveLength(1);
    });

    test("Apple Mail (Danish, base64 note, base64 HTML notice): Danish reason, hub id and the notice's date", async () => {
      const response = await post('5550102', fixture('apple-attachment-da.eml'));
      expect(response.statusCode).toBe(202);
      const { change, status } = response.json();
      expect(status).toMatchObject({
        portalId: '5550102',
        reason: 'FIELD_PERMISSIONS_MISSING',
        since: '2026-11-23T13:40:00.000Z',
      });
      expect(change.title).toBe(
        'Din HubSpot-Salesforce-integration er blevet suspenderet: Manglende tilladelser til Salesforce-felter',
      );
      expect((await changes('5550102'))[0]!.detail).toMatchObject({
        language: 'da',
        dated: 'original',
        forwarded: { as: 'attachment' },
      });
    });

    test('a notice attached to a forward that was itself attached (depth 2) is read; the portal it names is checked', async () => {
      const notice = variant('outlook-attachment-en.eml', [[/5550101/g, '5550110']]);
      const twice = attaching(notice, 'depth-2');
      const response = await post('5550110', twice);
      expect(response.statusCode).toBe(202);
      expect(response.json().change.occurredAt).toBe('2026-11-24T10:15:00.000Z');
      expect(
        (await relay.app.store.getChange('5550110', response.json().change.id))!.detail,
      ).toMatchObject({
        noticeMessageId: '<suspension-5550110-20261124@notifications.hubspot.com>',
      });
      expect(response.json().status.reason).toBe('API_LIMIT_EXCEEDED');
      // The attached notice names hub 5550110: posted with another portal's token, it is refused.
      const other = await post('5550111', attaching(notice, 'depth-2-other'));
      expect([other.statusCode, other.json().code]).toEqual([422, 'PORTAL_MISMATCH']);
    });

    test("an attached notice dated after the forward itself is not believed: the forward's date counts, and the change says so", async () => {
      const notice = variant('outlook-attachment-en.eml', [
        [/5550101/g, '5550111'],
        ['Tue, 24 Nov 2026 10:15:00 +0000', 'Sun, 29 Nov 2026 10:15:00 +0000'],
      ]);
      const response = await post('5550111', notice);
      expect(response.statusCode).toBe(202);
      expect(response.json().change.occurredAt).toBe('2026-11-27T08:02:11.000Z');
      expect((await changes('5550111'))[0]!.detail).toMatchObject({
        dated: 'forward',
        forwarded: { as: 'attachment' },
      });
      expect(String((await changes('5550111'))[0]!.detail!.dateNote)).toMatch(
        /later than the forward/,
      );
    });
  });

  describe('forwarded inline', () => {
    const inline: [string, string, ReasonCode, string, string][] = [
      // Gmail writes the quoted date in the forwarder's zone without naming it; the forward's own
      // Date header (-0800) is in that zone: 10:15 AM -0800.
      [
        'gmail-inline-en.eml',
        '5550103',
        'ORG_LOCKED',
        '2026-11-24T18:15:00.000Z',
        'Your HubSpot-Salesforce integration has been suspended: Salesforce org locked',
      ],
      [
        'outlook-inline-da.eml',
        '5550104',
        'STORAGE_LIMIT_EXCEEDED',
        '2026-11-24T09:15:00.000Z',
        'Din HubSpot-Salesforce-integration er blevet suspenderet: Salesforce-organisationens lagringsgrænser er overskredet',
      ],
      [
        'outlook-inline-en.eml',
        '5550105',
        'OBJECT_PERMISSIONS_MISSING',
        '2026-11-24T15:15:00.000Z',
        'Your HubSpot-Salesforce integration has been suspended: Salesforce object permissions missing',
      ],
      [
        'outlook-inline-de-quoted.eml',
        '5550106',
        'FIELD_MAPPINGS_MISSING',
        '2026-11-24T09:15:00.000Z',
        'Your HubSpot-Salesforce integration has been suspended: Missing field mappings',
      ],
      [
        'outlook-inline-fr.eml',
        '5550107',
        'ORG_UNAVAILABLE',
        '2026-11-24T09:15:00.000Z',
        'Your HubSpot-Salesforce integration has been suspended: Salesforce org unavailable',
      ],
      // Apple Mail names the zone (EST).
      [
        'apple-inline-en.eml',
        '5550108',
        'ORG_LOCKED',
        '2026-11-24T15:15:00.000Z',
        'Your HubSpot-Salesforce integration has been suspended: Salesforce org locked',
      ],
    ];
    test.each(inline)(
      "%s: reason, portal, HubSpot's subject and the quoted date",
      async (name, portalId, reason, since, title) => {
        const response = await post(portalId, fixture(name));
        expect(response.statusCode).toBe(202);
        const { change, status } = response.json();
        expect(status).toMatchObject({ portalId, state: 'suspended', reason, since });
        expect(change.occurredAt).toBe(since);
        expect(change.title).toBe(title);
        const [stored] = await changes(portalId);
        expect(stored!.detail).toMatchObject({ dated: 'original', forwarded: { as: 'inline' } });
        // With the other portal's token, the hub id quoted in the forward is the one checked.
        const other = await post('5550112', fixture(name));
        expect([other.statusCode, other.json().code]).toEqual([422, 'PORTAL_MISMATCH']);
      },
    );

    test('the same notice forwarded inline by two admins in different zones and clients is stored once', async () => {
      const gmail = variant('gmail-inline-en.eml', [[/5550103/g, '5550112']]);
      // A Danish admin's English Outlook shows the same instant in their zone (+0100): 7:15 PM.
      const outlook = Buffer.from(
        [
          'From: Mette Hansen <mette@example.dk>',
          'To: sync-doctor-inbound@example.com',
          'Subject: FW: Your HubSpot-Salesforce integration has been suspended: Salesforce org locked',
          'Date: Sat, 28 Nov 2026 10:00:00 +0100',
          'Message-ID: <DB9PR03MB0001@DB9PR03MB0001.eurprd03.prod.outlook.com>',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'FYI',
          '',
          '________________________________',
          'From: HubSpot',
          'Sent: Tuesday, November 24, 2026 7:15 PM',
          'To: Mette Hansen',
          'Subject: Your HubSpot-Salesforce integration has been suspended: Salesforce org locked',
          '',
          'Your HubSpot-Salesforce integration for Hub ID 5550112 has been suspended.',
          '',
          'Salesforce org locked',
          '',
        ].join(CRLF),
      );
      const first = await post('5550112', gmail);
      const second = await post('5550112', outlook);
      expect([first.statusCode, second.statusCode]).toEqual([202, 200]);
      expect(second.json().duplicate).toBe(true);
      expect(first.json().change.occurredAt).toBe('2026-11-24T18:15:00.000Z');
    });

    test("a quoted date later than the forward, or one that cannot be read unambiguously: the forward's date counts, and the change says why", async () => {
      const later = await post(
        '5550103',
        variant('gmail-inline-en.eml', [
          ['Date: Tue, Nov 24, 2026 at 10:15 AM', 'Date: Sat, Nov 28, 2026 at 10:15 AM'],
          ['<CAH3xK7p1Q', '<later-CAH3xK7p1Q'],
        ]),
      );
      expect(later.statusCode).toBe(202);
      expect(later.json().change.occurredAt).toBe('2026-11-27T16:03:12.000Z');
      expect(String((await changes('5550103'))[0]!.detail!.dateNote)).toMatch(
        /later than the forward/,
      );
      // 11 October or 10 November: not guessed.
      const ambiguous = await post(
        '5550106',
        variant('outlook-inline-de-quoted.eml', [
          ['Gesendet: Dienstag, 24. November 2026 10:15', 'Gesendet: 11/10/2026 10:15'],
          ['<FR2P281MB0123A4', '<ambiguous-FR2P281MB0123A4'],
        ]),
      );
      expect(ambiguous.statusCode).toBe(202);
      expect(ambiguous.json().change.occurredAt).toBe('2026-11-25T08:00:00.000Z');
      const [ambiguousChange] = await changes('5550106');
      expect(ambiguousChange!.detail).toMatchObject({
        dated: 'forward',
        forwarded: { as: 'inline' },
      });
      expect(String(ambiguousChange!.detail!.dateNote)).toMatch(/could not be read/);
    });
  });

  test("history says which date each e-mail's change counts from, and why when it is not HubSpot's", async () => {
    await post('5550113', variant('outlook-attachment-en.eml', [[/5550101/g, '5550113']]));
    await post(
      '5550113',
      variant('outlook-inline-de-quoted.eml', [
        ['Gesendet: Dienstag, 24. November 2026 10:15', 'Gesendet: 11/10/2026 10:15'],
        ['<FR2P281MB0123A4', '<history-FR2P281MB0123A4'],
        [/5550106/g, '5550113'],
      ]),
    );
    const history = await relay.app.inject({
      method: 'GET',
      url: '/v1/portals/5550113/history',
      headers: admin,
    });
    expect(history.statusCode).toBe(200);
    const items = history.json().items as Record<string, unknown>[];
    // Newest first: the inline forward whose quoted date was ambiguous, then the attached notice.
    expect(items.map((item) => item.dated)).toEqual(['forward', 'original']);
    expect(String(items[0]!.dateNote)).toMatch(/could not be read/);
    expect(items[1]).not.toHaveProperty('dateNote');
    // The rest of the detail (who forwarded it) stays in the store.
    expect(items[0]).not.toHaveProperty('forwarded');
    expect(items[0]).not.toHaveProperty('detail');
  });

  test('a forward dated in the future whose original date cannot be read counts from its arrival', async () => {
    const before = Date.now();
    const response = await post(
      '5550108',
      variant('apple-inline-en.eml', [
        ['Date: November 24, 2026 at 10:15:00 AM EST', 'Date: someday'],
        ['Thu, 26 Nov 2026 17:12:40 -0500', 'Thu, 01 Jan 2099 00:00:00 +0000'],
        ['<9D2C1B0A', '<future-9D2C1B0A'],
      ]),
    );
    expect(response.statusCode).toBe(202);
    const occurredAt = Date.parse(response.json().change.occurredAt);
    expect(occurredAt).toBeGreaterThanOrEqual(before - 1000);
    expect(occurredAt).toBeLessThanOrEqual(Date.now() + 1000);
    expect((await changes('5550108'))[0]!.detail).toMatchObject({ dated: 'arrival' });
  });
});

describe('a forward read from the notification mailbox (IMAP, real Dovecot)', () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(() => dovecot?.stop());

  test("takes the same parser: the attached notice's reason, hub and date, deduplicated with the same notice posted", async () => {
    const imap = await connectImap(dovecot);
    const relay = await startSignalsRelay({
      signals: mailboxSignals(passwordMailbox(dovecot, 'Forwards'), 500),
    });
    try {
      const { inboundToken } = await createPortal(relay.app, '5550201');
      await imap.mailboxCreate('Forwards');
      // The shared mailbox has no token: the portal is the hub the attached notice names.
      // The reader's first look takes mail of the last 7 days by its Date, so the forward's own
      // Date (27 Nov 2026) is moved to an hour ago, or the test fails a week after it was written;
      // the attached notice keeps its date, which the change must carry.
      const recent = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3600_000);
      await imap.append(
        'Forwards',
        variant('outlook-attachment-en.eml', [
          [/5550101/g, '5550201'],
          ['Date: Fri, 27 Nov 2026 09:02:11 +0100', `Date: ${recent.toUTCString()}`],
        ]),
      );
      const history = await waitFor(
        async () => {
          const items = (
            await relay.app.inject({
              method: 'GET',
              url: '/v1/portals/5550201/history',
              headers: admin,
            })
          ).json().items as {
            source: string;
            reason: string;
            occurredAt: string;
          }[];
          return items.length > 0 ? items : false;
        },
        20_000,
        'the forwarded notice read from IMAP',
      );
      expect(history).toEqual([
        expect.objectContaining({
          source: 'email',
          reason: 'API_LIMIT_EXCEEDED',
          occurredAt: '2026-11-24T10:15:00.000Z',
        }),
      ]);
      // A second admin's forward of the same notice, posted: the same change.
      const again = await relay.app.inject({
        method: 'POST',
        url: `/v1/inbound/email?token=${inboundToken}`,
        headers: { 'content-type': 'message/rfc822' },
        payload: variant('thunderbird-attachment-en.eml', [[/5550101/g, '5550201']]),
      });
      expect([again.statusCode, again.json().duplicate]).toEqual([200, true]);
    } finally {
      await relay.close();
      await imap.logout().catch(() => undefined);
    }
  });

  test('reads a notice forwarded as an attachment under a forward that names no reason (Apple Mail, Danish: "VS: ... er blevet suspenderet")', async () => {
    const imap = await connectImap(dovecot);
    const relay = await startSignalsRelay({
      signals: mailboxSignals(passwordMailbox(dovecot, 'ForwardsDa'), 500),
    });
    try {
      // The hub id is in the notice's base64 HTML: the fixture's own (this relay's store is its own).
      await createPortal(relay.app, '5550102');
      await imap.mailboxCreate('ForwardsDa');
      // The forward's subject and note say "suspended" and nothing more; the notice is attached.
      // Its Date (23 Nov 2026) is recent for the reader's first look only if the clock says so:
      // redated to an hour ago.
      const recent = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3600_000);
      await imap.append(
        'ForwardsDa',
        variant('apple-attachment-da.eml', [
          ['Date: Thu, 26 Nov 2026 08:31:45 +0100', `Date: ${recent.toUTCString()}`],
          ['Date: Mon, 23 Nov 2026 14:40:00 +0100', `Date: ${recent.toUTCString()}`],
        ]),
      );
      const history = await waitFor(
        async () => {
          // Read from the store: polled through the API, the per-IP limit would answer 429.
          const { items } = await relay.app.store.listChanges('5550102', { limit: 10 });
          return items.length > 0 ? items : false;
        },
        20_000,
        'the attached Danish notice read from IMAP',
      );
      expect(history).toEqual([
        expect.objectContaining({ source: 'email', reason: 'FIELD_PERMISSIONS_MISSING' }),
      ]);
    } finally {
      await relay.close();
      await imap.logout().catch(() => undefined);
    }
  });
});
