import { SUSPENSION_REASONS } from '@sync-doctor/core';
import { isHubSpotNotification, readMessage } from '../src/mailbox/notification.js';

// Which messages of a notification mailbox the reader hands to the relay: HubSpot's notices, and
// admins' forwards of them. A notice forwarded as an attachment ("Forward as attachment" in
// Outlook and Apple Mail) says nothing in the forward's own subject or note but "VS:" and "see
// below": its sender, subject and text are those of the attached message.

const where = { mailbox: 'INBOX', uid: 1, uidValidity: '1' };
const DANISH_TITLE = SUSPENSION_REASONS.STORAGE_LIMIT_EXCEEDED.titles.da!;

const notice = (body: string) =>
  [
    'From: HubSpot <noreply@notifications.hubspot.com>',
    'To: mette@example.dk',
    'Subject: Din HubSpot-Salesforce-integration er blevet suspenderet',
    'Date: Tue, 24 Nov 2026 10:15:00 +0100',
    'Message-ID: <notice-1@notifications.hubspot.com>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(body, 'utf8').toString('base64'),
    '',
  ].join('\r\n');

const forwardAsAttachment = (
  attached: string,
  subject = 'VS: Din HubSpot-Salesforce-integration er blevet suspenderet',
) =>
  Buffer.from(
    [
      'From: Mette Hansen <mette@example.dk>',
      'To: hubspot-alerts@example.dk',
      `Subject: ${subject}`,
      'Date: Thu, 26 Nov 2026 08:31:45 +0100',
      'Message-ID: <fwd-1@example.dk>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Se vedhæftede besked fra HubSpot.',
      '--b1',
      'Content-Type: message/rfc822',
      'Content-Disposition: attachment; filename="suspenderet.eml"',
      '',
      attached,
      '--b1--',
      '',
    ].join('\r\n'),
    'utf8',
  );

describe('isHubSpotNotification', () => {
  it("takes a notice forwarded as an attachment, by the attached notice's reason", async () => {
    const message = await readMessage(
      forwardAsAttachment(
        notice(
          `Din HubSpot-Salesforce-integration (Hub-id 5550104) er blevet suspenderet.\n\n${DANISH_TITLE}\n`,
        ),
      ),
      where,
    );
    expect(message.classification).toEqual({ reason: 'STORAGE_LIMIT_EXCEEDED', language: 'da' });
    expect(isHubSpotNotification(message)).toBe(true);
    // The message handed over is the forward, as it is: the relay reads the notice inside.
    expect(message.messageId).toBe('<fwd-1@example.dk>');
  });

  it('takes an attached notice from HubSpot that names no reason it knows, as it takes the notice itself', async () => {
    const message = await readMessage(
      forwardAsAttachment(
        notice(
          'Din HubSpot-Salesforce-integration er blevet suspenderet. Åbn Salesforce-indstillingerne.',
        ),
      ),
      where,
    );
    expect(message.classification).toBeNull();
    expect(isHubSpotNotification(message)).toBe(true);
  });

  it.each([
    ['de', 'Ihre HubSpot-Salesforce-Integration wurde ausgesetzt'],
    ['sv', 'Din HubSpot-Salesforce-integration är avbruten'],
    ['nl', 'Uw HubSpot-Salesforce-integratie is opgeschort'],
  ])(
    '[%s] takes a notice from HubSpot in a language of the core that names no reason it knows',
    async (_language, sentence) => {
      const message = await readMessage(
        Buffer.from(
          notice(`${sentence}.\n`).replace(
            'Subject: Din HubSpot-Salesforce-integration er blevet suspenderet',
            'Subject: HubSpot',
          ),
          'utf8',
        ),
        where,
      );
      expect(message.classification).toBeNull();
      expect(isHubSpotNotification(message)).toBe(true);
    },
  );

  it('leaves a forward of anything else alone', async () => {
    const message = await readMessage(
      forwardAsAttachment(
        notice('Nyhedsbrev: tre nye funktioner i HubSpot denne måned.').replace(
          'Subject: Din HubSpot-Salesforce-integration er blevet suspenderet',
          'Subject: Nyhedsbrev',
        ),
        'VS: Nyhedsbrev',
      ),
      where,
    );
    expect(isHubSpotNotification(message)).toBe(false);
  });
});

// Odd MIME a mailbox may hold: each message is read (classified, or left with no reason), never a
// throw that stops the reader; a message the parser refuses throws one clear error, which the
// reader logs and passes (mailbox.test.ts).
describe('readMessage on odd MIME', () => {
  const TITLE = SUSPENSION_REASONS.API_LIMIT_EXCEEDED.titles.en;
  const API_LIMIT = { reason: 'API_LIMIT_EXCEEDED', language: 'en' };
  const mail = (headers: string[], body: string[], encoding: BufferEncoding = 'utf8') =>
    Buffer.from(
      [
        'From: HubSpot <noreply@notifications.hubspot.com>',
        'To: admin@example.com',
        'Subject: A notification from HubSpot',
        'Date: Tue, 24 Nov 2026 10:15:00 +0100',
        'Message-ID: <odd@notifications.hubspot.com>',
        'MIME-Version: 1.0',
        ...headers,
        '',
        ...body,
        '',
      ].join('\r\n'),
      encoding,
    );
  const base64 = (text: string) =>
    Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n').split('\r\n');
  const sentence = `Your HubSpot-Salesforce integration was suspended: ${TITLE}.`;
  // HTML nested deeper than mailparser turns into text (1,000 elements): it gives '' for it.
  const deepHtml = (inner: string) =>
    `<html><body>${'<div>'.repeat(1001)}${inner}${'</div>'.repeat(1001)}</body></html>`;

  it.each<[string, Buffer, typeof API_LIMIT | null, boolean]>([
    [
      'nested multipart (mixed > alternative > related), the notice in base64 HTML',
      mail(
        ['Content-Type: multipart/mixed; boundary="a"'],
        [
          '--a',
          'Content-Type: multipart/alternative; boundary="b"',
          '',
          '--b',
          'Content-Type: multipart/related; boundary="c"',
          '',
          '--c',
          'Content-Type: text/html; charset=utf-8',
          'Content-Transfer-Encoding: base64',
          '',
          ...base64(`<table><tr><td><b>${sentence}</b></td></tr></table>`),
          '--c--',
          '--b--',
          '--a--',
        ],
      ),
      API_LIMIT,
      true,
    ],
    [
      'base64 with bad padding and stray characters',
      mail(
        ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'],
        [`${base64(sentence).join('')}=x=y===`, '!!@@##', 'S'],
      ),
      API_LIMIT,
      true,
    ],
    [
      'quoted-printable with soft breaks inside the title',
      mail(
        ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'],
        sentence.replace(/(.{20})/g, '$1=\r\n').split('\r\n'),
      ),
      API_LIMIT,
      true,
    ],
    [
      'windows-1252 (curly quotes around the title)',
      mail(
        ['Content-Type: text/plain; charset=windows-1252', 'Content-Transfer-Encoding: 8bit'],
        [`Suspended: \x93${TITLE}\x94 \x96 see HubSpot`],
        'latin1',
      ),
      API_LIMIT,
      true,
    ],
    [
      'iso-8859-1, quoted-printable',
      mail(
        [
          'Content-Type: text/plain; charset=iso-8859-1',
          'Content-Transfer-Encoding: quoted-printable',
        ],
        [`K=E6re kunde: ${TITLE}. Gr=F8nne hilsner =`],
      ),
      API_LIMIT,
      true,
    ],
    [
      'a charset no one knows, and a bad one in an encoded word',
      mail(
        ['Content-Type: text/plain; charset=x-klingon-42', 'Content-Transfer-Encoding: 8bit'],
        [`${sentence} \xff\xfe`],
        'latin1',
      ),
      API_LIMIT,
      true,
    ],
    [
      'HTML only, nested deeper than the parser turns into text',
      mail(['Content-Type: text/html; charset=utf-8'], [deepHtml(`<p>${sentence}</p>`)]),
      API_LIMIT,
      true,
    ],
    [
      'HTML only, nested that deep, with entities beyond Unicode',
      mail(
        ['Content-Type: text/html; charset=utf-8'],
        [
          deepHtml(
            `<p>&#99999999; &#x7FFFFFF; &#0; &bogus; ${sentence.replace(/ /g, '&nbsp;')}</p>`,
          ),
        ],
      ),
      API_LIMIT,
      true,
    ],
    [
      'a multipart without its closing boundaries',
      mail(
        ['Content-Type: multipart/mixed; boundary="a"'],
        ['--a', 'Content-Type: multipart/alternative; boundary="b"', '', '--b', '', sentence],
      ),
      API_LIMIT,
      true,
    ],
    [
      'a multipart without a boundary parameter',
      mail(['Content-Type: multipart/mixed'], [sentence]),
      // mailparser reads no body without a boundary; the raw source still says it, from HubSpot.
      null,
      true,
    ],
    [
      'an unknown transfer encoding',
      mail(['Content-Type: text/plain', 'Content-Transfer-Encoding: x-uuencode'], [sentence]),
      API_LIMIT,
      true,
    ],
    [
      'an attached message in base64 that is not base64',
      mail(
        ['Content-Type: multipart/mixed; boundary="a"'],
        [
          '--a',
          'Content-Type: message/rfc822',
          'Content-Transfer-Encoding: base64',
          '',
          '!!!',
          '--a--',
        ],
      ),
      null,
      false,
    ],
    [
      'no MIME at all: bytes',
      Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37) % 256)),
      null,
      false,
    ],
    ['nothing', Buffer.alloc(0), null, false],
  ])('%s', async (_case, source, classification, handed) => {
    const message = await readMessage(source, where);
    expect(message.classification).toEqual(classification);
    expect(isHubSpotNotification(message)).toBe(handed);
  });

  it("reads a long run of '<' without a closing '>' in linear time", async () => {
    // HTML the parser leaves without text, then '<' after '<': `<[^>]+>` scanned to the end from
    // each of them (quadratic: 150,000 took a minute, the relay's event loop blocked meanwhile;
    // 100,000 about half that; a 10 MB message, hours). Now well under a second.
    const source = mail(
      ['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64'],
      base64(`${deepHtml(`<p>${sentence}</p>`)}${'<'.repeat(100_000)}`),
    );
    const started = Date.now();
    const message = await readMessage(source, where);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(message.classification).toEqual(API_LIMIT);
  });

  it.each([
    ['not a date at all 99:99', null],
    ['Tue, 31 Feb 2026 25:61:00 +0000', null],
    ['', null],
    ['Tue, 24 Nov 2026 10:15:00 +0100', '2026-11-24T09:15:00.000Z'],
    ['Tue, 24 Nov 2026\r\n 10:15:00 +0100', '2026-11-24T09:15:00.000Z'],
  ])(
    'dates the message by its Date header %j: %s, never by the time it was read',
    async (date, iso) => {
      const message = await readMessage(
        Buffer.from(
          mail(['Content-Type: text/plain'], [sentence])
            .toString('utf8')
            .replace('Date: Tue, 24 Nov 2026 10:15:00 +0100', `Date: ${date}`),
          'utf8',
        ),
        where,
      );
      expect(message.date).toBe(iso);
    },
  );

  it('a header the parser refuses (over 1 MB) is one clear error, which the reader logs and passes', async () => {
    await expect(
      readMessage(
        mail([`X-Padding: ${'a '.repeat(600_000)}`, 'Content-Type: text/plain'], [sentence]),
        where,
      ),
    ).rejects.toThrow(/header size/i);
  });
});
