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
