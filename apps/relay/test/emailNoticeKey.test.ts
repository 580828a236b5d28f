import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPortal, startTestRelay, type TestRelay } from './helpers.js';

// One HubSpot notice reaches the relay several ways: HubSpot's own copy (an opted-in mailbox
// routed to the relay), an admin's "Forward as attachment", another admin's inline forward in Gmail
// or Outlook. Whatever the way, it is one change: keyed by HubSpot's subject and date.

const CRLF = '\r\n';
const fixture = (name: string): string =>
  readFileSync(join(__dirname, 'fixtures', 'forwarded', name), 'utf8');
/** The fixture with `/5550101/g` (or another hub) renumbered, and other replacements. */
const variant = (name: string, replacements: [string | RegExp, string][]): Buffer => {
  let text = fixture(name);
  for (const [from, to] of replacements) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`fixture ${name}: ${String(from)} not found`);
    text = next;
  }
  return Buffer.from(text, 'utf8');
};

/** The message attached to a forward, byte for byte: HubSpot's notice as HubSpot sent it. */
const attachedMessage = (forward: Buffer): Buffer => {
  const text = forward.toString('utf8');
  const start = text.indexOf(`${CRLF}${CRLF}From: HubSpot`);
  const end = text.lastIndexOf(`${CRLF}--`); // the forward's closing boundary
  if (start < 0 || end < start) throw new Error('no attached message');
  return Buffer.from(text.slice(start + 4, end + 2), 'utf8');
};

const API_LIMIT =
  'Your HubSpot-Salesforce integration has been suspended: Salesforce org API limit exceeded';

/**
 * Gmail's inline forward, as Gmail writes it: the quoted date in the forwarder's zone (that of the
 * forward's own Date header) without naming it, the notice's Message-ID nowhere.
 */
const gmailInline = (o: {
  hub: string;
  subject: string;
  quotedDate: string;
  date: string;
  id: string;
}): Buffer =>
  Buffer.from(
    [
      'From: Sam Ortiz <sam.ortiz@example.com>',
      'To: sync-doctor-inbound@example.com',
      `Subject: Fwd: ${o.subject}`,
      `Date: ${o.date}`,
      `Message-ID: <${o.id}@mail.gmail.com>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/alternative; boundary="0000000000${o.id}"`,
      '',
      `--0000000000${o.id}`,
      'Content-Type: text/plain; charset="UTF-8"',
      '',
      'Is this the same one Anna sent?',
      '',
      '---------- Forwarded message ---------',
      'From: HubSpot <noreply@notifications.hubspot.com>',
      `Date: ${o.quotedDate}`,
      `Subject: ${o.subject}`,
      'To: <ops@example.com>',
      '',
      '',
      'Hi,',
      '',
      `Your HubSpot-Salesforce integration for Hub ID ${o.hub} has been suspended and is no longer syncing data.`,
      '',
      'Salesforce org API limit exceeded',
      '',
      `https://app.hubspot.com/integrations-settings/${o.hub}/installed/salesforce/sync-health`,
      '',
      `--0000000000${o.id}`,
      'Content-Type: text/html; charset="UTF-8"',
      '',
      '<div dir="ltr">Is this the same one Anna sent?<br><br><div class="gmail_quote">',
      '<div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>From: ' +
        `HubSpot &lt;noreply@notifications.hubspot.com&gt;<br>Date: ${o.quotedDate}<br>` +
        `Subject: ${o.subject}<br>To: &lt;ops@example.com&gt;<br></div><br><br>`,
      `<p>Hi,</p><p>Your HubSpot-Salesforce integration for Hub ID ${o.hub} has been suspended and is no longer syncing data.</p>`,
      '<p>Salesforce org API limit exceeded</p></div></div>',
      `--0000000000${o.id}--`,
      '',
    ].join(CRLF),
    'utf8',
  );

/** Outlook's inline forward by an admin in Copenhagen (+0100): "Sent:" in their zone, unnamed. */
const outlookInline = (hub: string, sent: string): Buffer =>
  Buffer.from(
    [
      'From: Mette Hansen <mette@example.dk>',
      'To: sync-doctor-inbound@example.com',
      `Subject: FW: ${API_LIMIT}`,
      'Date: Sat, 28 Nov 2026 10:00:00 +0100',
      `Message-ID: <DB9PR03MB${hub}@DB9PR03MB${hub}.eurprd03.prod.outlook.com>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'FYI',
      '',
      '________________________________',
      'From: HubSpot <noreply@notifications.hubspot.com>',
      `Sent: ${sent}`,
      'To: Mette Hansen <mette@example.dk>',
      `Subject: ${API_LIMIT}`,
      '',
      `Your HubSpot-Salesforce integration for Hub ID ${hub} has been suspended and is no longer syncing data.`,
      '',
      'Salesforce org API limit exceeded',
      '',
    ].join(CRLF),
    'utf8',
  );

describe('one HubSpot notice, however it reaches the relay, is one change', () => {
  let relay: TestRelay;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    relay = await startTestRelay();
    for (const id of ['5550301', '5550302', '5550303', '5550304', '5550305', '5550102'])
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
  const changes = async (portalId: string) =>
    (await relay.app.store.listChanges(portalId, { limit: 50 })).items;
  const outcome = (response: Awaited<ReturnType<typeof post>>) => [
    response.statusCode,
    response.json().duplicate,
  ];

  test('forwarded as an attachment by one admin and inline (Gmail) by another: one change, either order', async () => {
    // The notice is dated Tue 24 Nov 10:15 UTC; the Gmail forwarder is in -0800: "2:15 AM".
    const inline = (hub: string, id: string) =>
      gmailInline({
        hub,
        subject: API_LIMIT,
        quotedDate: 'Tue, Nov 24, 2026 at 2:15 AM',
        date: 'Fri, 27 Nov 2026 08:03:12 -0800',
        id,
      });

    const attached = await post(
      '5550301',
      variant('outlook-attachment-en.eml', [[/5550101/g, '5550301']]),
    );
    const quoted = await post('5550301', inline('5550301', 'gmail-1'));
    expect(outcome(attached)).toEqual([202, false]);
    expect(outcome(quoted)).toEqual([200, true]);
    expect(quoted.json().change.id).toBe(attached.json().change.id);
    const [change, ...others] = await changes('5550301');
    expect(others).toHaveLength(0);
    expect(change!.occurredAt).toBe('2026-11-24T10:15:00.000Z');
    // The change keeps what the first delivery said: the attached notice's Message-ID.
    expect(change!.detail).toMatchObject({
      noticeMessageId: '<suspension-5550301-20261124@notifications.hubspot.com>',
      forwarded: { as: 'attachment' },
    });

    const first = await post('5550302', inline('5550302', 'gmail-2'));
    const second = await post(
      '5550302',
      variant('thunderbird-attachment-en.eml', [[/5550101/g, '5550302']]),
    );
    expect([outcome(first), outcome(second)]).toEqual([
      [202, false],
      [200, true],
    ]);
    expect(await changes('5550302')).toHaveLength(1);

    // HubSpot suspending the portal again the next day, same words: another notice, another change.
    const nextDay = await post(
      '5550302',
      gmailInline({
        hub: '5550302',
        subject: API_LIMIT,
        quotedDate: 'Wed, Nov 25, 2026 at 2:15 AM',
        date: 'Fri, 27 Nov 2026 08:05:00 -0800',
        id: 'gmail-3',
      }),
    );
    expect(outcome(nextDay)).toEqual([202, false]);
    expect(await changes('5550302')).toHaveLength(2);
  });

  test("HubSpot's own copy, an attached forward and an Outlook inline forward of it: one change", async () => {
    const forward = variant('outlook-attachment-en.eml', [[/5550101/g, '5550303']]);
    const original = attachedMessage(forward);
    expect(original.toString('utf8')).toMatch(/^From: HubSpot/);

    const direct = await post('5550303', original);
    // Copenhagen (+0100): 11:15 AM is 10:15 UTC.
    const inline = await post(
      '5550303',
      outlookInline('5550303', 'Tuesday, November 24, 2026 11:15 AM'),
    );
    const attached = await post('5550303', forward);
    expect([outcome(direct), outcome(inline), outcome(attached)]).toEqual([
      [202, false],
      [200, true],
      [200, true],
    ]);
    const [change, ...others] = await changes('5550303');
    expect(others).toHaveLength(0);
    expect(change!.detail).toMatchObject({
      dated: 'message',
      noticeMessageId: '<suspension-5550303-20261124@notifications.hubspot.com>',
    });
    expect(change!.detail).not.toHaveProperty('forwarded');
  });

  test("a change stored by an older relay under the notice's Message-ID: a redelivery, or HubSpot's own copy, is not a second change", async () => {
    // What an older relay stored for an attached forward of the notice: `email:<the notice's Message-ID>`.
    const legacy = await relay.app.changes.record({
      portalId: '5550304',
      source: 'email',
      state: 'suspended',
      reason: 'API_LIMIT_EXCEEDED',
      title: API_LIMIT,
      excerpt: 'Your HubSpot-Salesforce integration for Hub ID 5550304 has been suspended',
      occurredAt: '2026-11-24T10:15:00.000Z',
      eventId: 'email:<suspension-5550304-20261124@notifications.hubspot.com>',
      detail: { language: 'en', dated: 'original' },
    });
    expect(legacy.duplicate).toBe(false);

    const forward = variant('outlook-attachment-en.eml', [[/5550101/g, '5550304']]);
    const redelivered = await post('5550304', forward);
    const original = await post('5550304', attachedMessage(forward));
    expect([outcome(redelivered), outcome(original)]).toEqual([
      [200, true],
      [200, true],
    ]);
    expect(redelivered.json().change.id).toBe(legacy.change.id);
    expect(await changes('5550304')).toHaveLength(1);
  });

  // Some clients and mail rules attach the message inline (`Content-Disposition: inline`): a mail
  // parser that opens it into the text keeps only its From/Subject/Date/To, not its Message-ID.
  test.each([
    [
      'outlook-attachment-en.eml',
      '5550101',
      '5550305',
      '2026-11-24T10:15:00.000Z',
      'API_LIMIT_EXCEEDED',
    ],
    [
      'apple-attachment-da.eml',
      '5550102',
      '5550102',
      '2026-11-23T13:40:00.000Z',
      'FIELD_PERMISSIONS_MISSING',
    ],
  ])(
    '%s with the notice attached "inline": read as an attached notice, its Message-ID kept, one change with the usual attachment',
    async (name, hub, portalId, since, reason) => {
      // The Danish notice is base64: its hub id stays as it is.
      const renumber: [RegExp, string][] =
        hub === portalId ? [] : [[new RegExp(hub, 'g'), portalId]];
      const inlineDisposition = variant(name, [
        ...renumber,
        [
          /Content-Disposition: attachment; filename="([^"]+)"/,
          'Content-Disposition: inline; filename="$1"',
        ],
      ]);
      const response = await post(portalId, inlineDisposition);
      expect(response.statusCode).toBe(202);
      expect(response.json().status).toMatchObject({ reason, since });
      const [change] = await changes(portalId);
      expect(change!.detail).toMatchObject({
        dated: 'original',
        noticeMessageId: `<suspension-${portalId}-${since.slice(0, 10).replace(/-/g, '')}@notifications.hubspot.com>`,
        forwarded: { as: 'attachment' },
      });
      // The same forward with the notice attached the usual way (a second admin, another Message-ID).
      const usual = variant(name, [
        ...renumber,
        [/Message-I[Dd]: <[^>]+>/, 'Message-ID: <second-admin@example.com>'],
      ]);
      expect(outcome(await post(portalId, usual))).toEqual([200, true]);
      expect(await changes(portalId)).toHaveLength(1);
    },
  );
});
