/**
 * An hour ago, to the second, fixed once per test run. A reader's first look at a mailbox takes
 * only notices younger than 7 days, so a fixed calendar date would fail a week later; and one date
 * per run makes a message built twice compare equal.
 */
export const RECENT = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600_000);

/**
 * A HubSpot suspension notice as raw RFC 5322 text, the way HubSpot's notification mails arrive:
 * the subject as an encoded word and the body quoted-printable, so non-ASCII letters (Danish ones)
 * arrive encoded and the reader must decode them.
 */
export function hubspotMail(subject: string, body: string, id: string, date = RECENT): string {
  const qp = Buffer.from(body, 'utf8')
    .toString('binary')
    .replace(
      /[^\x20-\x7e\n]|=/g,
      (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .replace(/\n/g, '\r\n');
  return [
    'From: HubSpot <noreply@notifications.hubspot.com>',
    'To: admin@example.com',
    `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
    `Message-ID: <${id}@notifications.hubspot.com>`,
    `Date: ${date.toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    qp,
    '',
  ].join('\r\n');
}
