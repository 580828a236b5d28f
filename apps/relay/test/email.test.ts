import { SUSPENSION_REASONS, type ReasonCode } from '@sync-doctor/core';
import { admin, createPortal, startTestRelay, type TestRelay } from './helpers.js';

// Notification e-mails as an inbound-mail service forwards them: raw RFC 822. The reason titles
// are the headings of HubSpot's article "Resolve Salesforce integration suspension errors"
// (English) and of its Danish translation, as the core's catalog holds them.

// HubSpot dates each notice: two notices with the same subject and date are the same notice, however
// many copies (Message-IDs) arrive. Each test message gets its own minute, the same for its copies.
const dates = new Map<string, string>();
const dateOf = (messageId: string): string => {
  if (!dates.has(messageId))
    dates.set(
      messageId,
      new Date(Date.UTC(2026, 10, 28, 9, dates.size)).toUTCString().replace('GMT', '+0000'),
    );
  return dates.get(messageId)!;
};

const encodedWord = (text: string) => `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;

function notification(options: {
  subject: string;
  body: string;
  messageId: string;
  html?: boolean;
  base64?: boolean;
  portalId?: string;
  date?: string;
}): Buffer {
  const link = options.portalId
    ? `https://app.hubspot.com/integrations-settings/${options.portalId}/installed/salesforce/sync-health`
    : '';
  const content = options.html
    ? `<html><body><h1>${options.body}</h1><p><a href="${link}">Sync health</a></p></body></html>`
    : `${options.body}\r\n\r\n${link}\r\n`;
  const encoded = options.base64
    ? Buffer.from(content, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n')
    : content;
  return Buffer.from(
    [
      'From: HubSpot <noreply@notifications.hubspot.com>',
      'To: relay-inbound@example.com',
      `Subject: ${encodedWord(options.subject)}`,
      `Message-ID: <${options.messageId}@notifications.hubspot.com>`,
      `Date: ${options.date ?? dateOf(options.messageId)}`,
      'MIME-Version: 1.0',
      `Content-Type: ${options.html ? 'text/html' : 'text/plain'}; charset=utf-8`,
      `Content-Transfer-Encoding: ${options.base64 ? 'base64' : '8bit'}`,
      '',
      encoded,
    ].join('\r\n'),
    'utf8',
  );
}

describe('inbound notification e-mail', () => {
  let relay: TestRelay;
  let token: string;
  const portalId = '2223344';

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ inboundToken: token } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const post = (raw: Buffer, auth: 'query' | 'header' = 'query', contentType = 'message/rfc822') =>
    relay.app.inject({
      method: 'POST',
      url: auth === 'query' ? `/v1/inbound/email?token=${token}` : '/v1/inbound/email',
      headers: {
        'content-type': contentType,
        ...(auth === 'header' ? { 'x-sync-doctor-token': token } : {}),
      },
      payload: raw,
    });

  const reasons: ReasonCode[] = [
    'API_LIMIT_EXCEEDED',
    'OBJECT_PERMISSIONS_MISSING',
    'FIELD_PERMISSIONS_MISSING',
    'ORG_LOCKED',
    'STORAGE_LIMIT_EXCEEDED',
    'FIELD_MAPPINGS_MISSING',
  ];

  test('a mail dated in the future counts from its arrival, not from its wrong date', async () => {
    const title = SUSPENSION_REASONS.ORG_LOCKED.titles.en;
    const before = Date.now();
    const response = await post(
      notification({
        subject: `Your HubSpot-Salesforce integration has been suspended: ${title}`,
        body: title,
        messageId: 'dated-2099',
        portalId,
        date: 'Thu, 01 Jan 2099 00:00:00 +0000',
      }),
    );
    expect(response.statusCode).toBe(202);
    const { change, status } = response.json();
    const occurredAt = Date.parse(change.occurredAt);
    expect(occurredAt).toBeGreaterThanOrEqual(before - 1000);
    expect(occurredAt).toBeLessThanOrEqual(Date.now() + 1000);
    expect(status.since).toBe(change.occurredAt);
  });

  test.each(
    reasons.flatMap((reason) =>
      (['en', 'da'] as const).map((language) => [reason, language] as const),
    ),
  )('%s in %s: the reason comes from the message', async (reason, language) => {
    const title = SUSPENSION_REASONS[reason].titles[language];
    const intro =
      language === 'da'
        ? 'Din HubSpot-Salesforce-integration er blevet suspenderet.'
        : 'Your HubSpot-Salesforce integration has been suspended.';
    const response = await post(
      notification({
        subject: `${intro.split('.')[0]}: ${title}`,
        body: `${intro}\r\n\r\n${title}`,
        messageId: `${reason}-${language}`,
        base64: language === 'da',
        portalId,
      }),
      language === 'da' ? 'header' : 'query',
    );
    expect(response.statusCode).toBe(202);
    expect(response.json().status).toMatchObject({
      portalId,
      state: 'suspended',
      reason,
      source: 'email',
    });
  });

  test('the Danish article heading itself, in an HTML-only e-mail, is classified', async () => {
    const response = await post(
      notification({
        subject: 'Salesforce-organisationens API-grænse overskredet',
        body: 'Salesforce-organisationens API-grænse overskredet',
        messageId: 'da-html',
        html: true,
        portalId,
      }),
    );
    expect(response.statusCode).toBe(202);
    expect(response.json().status.reason).toBe('API_LIMIT_EXCEEDED');
  });

  test('the same message forwarded twice is stored once', async () => {
    const raw = notification({
      subject: 'Salesforce org locked',
      body: 'Your integration has been suspended: Salesforce org locked',
      messageId: 'twice',
    });
    const first = await post(raw);
    const second = await post(raw);
    expect([first.statusCode, second.statusCode]).toEqual([202, 200]);
    expect(second.json().duplicate).toBe(true);
  });

  test('a message that names another portal is refused; one naming no suspension is kept but changes nothing', async () => {
    const other = await post(
      notification({
        subject: 'Salesforce org locked',
        body: 'suspended',
        messageId: 'other',
        portalId: '9999999',
      }),
    );
    expect([other.statusCode, other.json().code]).toEqual([422, 'PORTAL_MISMATCH']);
    const before = (await relay.app.store.listChanges(portalId, { limit: 500 })).items.length;
    const newsletter = await post(
      notification({
        subject: 'Your weekly HubSpot digest',
        body: 'Nothing to see here',
        messageId: 'digest',
      }),
    );
    expect(newsletter.statusCode).toBe(202);
    expect(newsletter.json()).toMatchObject({ recognised: false });
    expect((await relay.app.store.listChanges(portalId, { limit: 500 })).items.length).toBe(before);
  });

  test.each([
    [
      'fr',
      'Votre intégration HubSpot-Salesforce a été suspendue',
      'Ouvrez HubSpot pour en savoir plus.',
    ],
    [
      'es',
      'Su integración de HubSpot con Salesforce ha sido suspendida',
      'Abra HubSpot para ver más.',
    ],
    [
      'de',
      'Ihre HubSpot-Salesforce-Integration wurde ausgesetzt',
      'Öffnen Sie HubSpot für Details.',
    ],
  ])(
    '[%s] a notice of a reason no heading names is still a suspension, reason unknown, as the mailbox reader hands it in',
    async (language, subject, body) => {
      const response = await post(
        notification({
          subject,
          body: `${subject}. ${body}`,
          messageId: `unnamed-${language}`,
          portalId,
        }),
      );
      expect(response.statusCode).toBe(202);
      expect(response.json()).toMatchObject({
        change: { state: 'suspended', reason: null, source: 'email' },
      });
    },
  );

  test('missing or wrong token: 401; wrong content type: 415; not a message: 400', async () => {
    const raw = notification({
      subject: 'Salesforce org locked',
      body: 'suspended',
      messageId: 'auth',
    });
    const none = await relay.app.inject({
      method: 'POST',
      url: '/v1/inbound/email',
      headers: { 'content-type': 'message/rfc822' },
      payload: raw,
    });
    expect([none.statusCode, none.json().code]).toEqual([401, 'TOKEN_MISSING']);
    const wrong = await relay.app.inject({
      method: 'POST',
      url: '/v1/inbound/email?token=sdin_wrong',
      headers: { 'content-type': 'message/rfc822' },
      payload: raw,
    });
    expect([wrong.statusCode, wrong.json().code]).toEqual([401, 'TOKEN_INVALID']);
    // (application/json is Postmark's: inputsReviewProviders.test.ts)
    expect((await post(raw, 'query', 'application/xml')).statusCode).toBe(415);
    const garbage = await post(Buffer.from('this is not an e-mail at all, just words'));
    expect([garbage.statusCode, garbage.json().code]).toEqual([400, 'NOT_A_MESSAGE']);
  });

  test('a message piped from a mail server with its mbox "From " envelope line first (Postfix local delivery to a command) is read', async () => {
    const raw = notification({
      subject: SUSPENSION_REASONS.ORG_LOCKED.titles.en,
      body: 'Your HubSpot-Salesforce integration has been suspended.',
      messageId: 'mbox-from-line',
      portalId,
    });
    const piped = Buffer.concat([
      Buffer.from('From noreply@notifications.hubspot.com  Sat Nov 28 09:40:00 2026\n'),
      raw,
    ]);
    const response = await post(piped);
    expect(response.statusCode).toBe(202);
    expect(response.json().status).toMatchObject({ state: 'suspended', reason: 'ORG_LOCKED' });
    // The same notice without the line is the same notice.
    expect((await post(raw)).json().duplicate).toBe(true);
    // A first line that is neither a header nor an envelope line is still not a message.
    const prose = await post(Buffer.from('From me to you: hello\r\n\r\nbody'));
    expect([prose.statusCode, prose.json().code]).toEqual([400, 'NOT_A_MESSAGE']);
  });

  // Multipart as the services send it: SendGrid Inbound Parse ("POST the raw, full MIME message")
  // posts `email` beside its own fields; Mailgun routes forwarding to a ".../mime" URL post `body-mime`.
  const form = (
    parts: { name: string; value: Buffer | string; filename?: string }[],
    boundary = 'xYzZY',
  ) =>
    Buffer.concat([
      ...parts.map((part) =>
        Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}\r\n${part.filename ? 'Content-Type: message/rfc822\r\n' : ''}\r\n`,
          ),
          Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value),
          Buffer.from('\r\n'),
        ]),
      ),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
  const postForm = (body: Buffer, boundary = 'xYzZY') =>
    post(body, 'query', `multipart/form-data; boundary=${boundary}`);

  test('multipart/form-data from SendGrid (field "email"), Mailgun (field "body-mime") or as a file part: the same message, the same result', async () => {
    const danish = SUSPENSION_REASONS.STORAGE_LIMIT_EXCEEDED.titles.da;
    const message = (id: string) =>
      notification({
        subject: danish,
        body: `Din HubSpot-Salesforce-integration er blevet suspenderet.\r\n\r\n${danish}`,
        messageId: id,
        base64: true,
        portalId,
      });
    const sendgrid = await postForm(
      form([
        { name: 'from', value: 'HubSpot <noreply@notifications.hubspot.com>' },
        { name: 'email', value: message('sendgrid') },
        { name: 'envelope', value: '{"to":["relay@example.com"]}' },
      ]),
    );
    expect(sendgrid.statusCode).toBe(202);
    expect(sendgrid.json().status).toMatchObject({
      portalId,
      state: 'suspended',
      reason: 'STORAGE_LIMIT_EXCEEDED',
      source: 'email',
    });
    const mailgun = await postForm(
      form(
        [
          { name: 'recipient', value: 'relay@example.com' },
          { name: 'body-mime', value: message('mailgun') },
        ],
        '----mailgun',
      ),
      '----mailgun',
    );
    expect(mailgun.statusCode).toBe(202);
    const stored = await relay.app.store.getChange(portalId, mailgun.json().change.id);
    expect(stored!.detail).toMatchObject({
      noticeMessageId: '<mailgun@notifications.hubspot.com>',
    });
    const file = await postForm(
      form([{ name: 'email', value: message('as-file'), filename: 'message.eml' }]),
    );
    expect(file.statusCode).toBe(202);
    // Mailgun without attachments posts URL-encoded, to a path that must end in "mime".
    const encoded = new URLSearchParams({
      recipient: 'relay@example.com',
      'body-mime': message('urlencoded').toString('utf8'),
    }).toString();
    const mime = await relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email/mime?token=${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: encoded,
    });
    // Mailgun takes only 200 as delivered (inputsReviewProviders.test.ts).
    expect([mime.statusCode, mime.json().duplicate]).toEqual([200, false]);
    expect(mime.json().status.reason).toBe('STORAGE_LIMIT_EXCEEDED');
    // The same message again, through the other service's shape: still one change.
    const again = await post(message('sendgrid'));
    expect([again.statusCode, again.json().duplicate]).toEqual([200, true]);
  });

  test("a form's raw message keeps its bytes: an 8-bit Windows-1252 Danish notice is read as it is, not as UTF-8", async () => {
    // Outlook and other clients send Western-European mail as 8-bit Windows-1252; the services
    // put those bytes in the form as they are (SendGrid's `charsets` field says so).
    const danish = SUSPENSION_REASONS.STORAGE_LIMIT_EXCEEDED.titles.da!;
    expect(danish).toMatch(/[æøå]/);
    const cp1252 = (id: string) =>
      Buffer.from(
        [
          'From: HubSpot <noreply@notifications.hubspot.com>',
          'To: relay-inbound@example.com',
          'Subject: =?windows-1252?Q?Din_HubSpot-Salesforce-integration_er_suspenderet?=',
          `Message-ID: <${id}@notifications.hubspot.com>`,
          `Date: ${dateOf(id)}`,
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=windows-1252',
          'Content-Transfer-Encoding: 8bit',
          '',
          `Din HubSpot-Salesforce-integration (Hub-id ${portalId}) er blevet suspenderet.`,
          '',
          danish,
          '',
          'Gå til synkroniseringstilstand for at genoptage synkroniseringen.',
          '',
        ].join('\r\n'),
        'latin1', // Windows-1252 and Latin-1 agree on æ, ø and å
      );
    // 200 from the path Mailgun posts to (it takes nothing else as delivered), 202 elsewhere.
    const expectRead = async (response: Awaited<ReturnType<typeof post>>, status = 202) => {
      expect([response.statusCode, response.json().duplicate]).toEqual([status, false]);
      expect(response.json().status.reason).toBe('STORAGE_LIMIT_EXCEEDED');
      const stored = await relay.app.store.getChange(portalId, response.json().change.id);
      expect(stored!.excerpt).toContain(danish);
      expect(stored!.excerpt).toContain('Gå til synkroniseringstilstand');
    };
    await expectRead(
      await postForm(
        form([
          { name: 'email', value: cp1252('cp1252-sendgrid') },
          { name: 'charsets', value: '{"email":"UTF-8","from":"UTF-8"}' },
        ]),
      ),
    );
    // Mailgun's URL-encoded form: percent-encoded bytes, no charset named.
    const bytes = cp1252('cp1252-mailgun');
    const encoded = `recipient=relay%40example.com&body-mime=${[...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`;
    await expectRead(
      await relay.app.inject({
        method: 'POST',
        url: `/v1/inbound/email/mime?token=${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encoded,
      }),
      200,
    );
    // A field that names its charset (UTF-8) is still read in it.
    const utf8 = Buffer.from(
      notification({
        subject: danish,
        body: `Din HubSpot-Salesforce-integration er blevet suspenderet.\r\n\r\n${danish}\r\n\r\nGå til synkroniseringstilstand.`,
        messageId: 'utf8-declared',
        portalId,
      }),
    );
    const declared = Buffer.concat([
      Buffer.from(
        '--xYzZY\r\nContent-Disposition: form-data; name="email"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n',
      ),
      utf8,
      Buffer.from('\r\n--xYzZY--\r\n'),
    ]);
    await expectRead(await postForm(declared));
  });

  test("a raw message sent with curl's default Content-Type (URL-encoded form) is read as the message it is", async () => {
    // `curl --data-binary @notice.eml URL` labels the body application/x-www-form-urlencoded; a
    // form never has a raw line break, a message always has one after its first header.
    const raw = notification({
      subject: SUSPENSION_REASONS.API_LIMIT_EXCEEDED.titles.en,
      body: 'Your HubSpot-Salesforce integration has been suspended.',
      messageId: 'curl-default-type',
      portalId,
    });
    const response = await post(raw, 'query', 'application/x-www-form-urlencoded');
    expect(response.statusCode).toBe(202);
    expect(response.json().status).toMatchObject({ reason: 'API_LIMIT_EXCEEDED' });
  });

  test('a form without the raw message, a malformed form or one too large: 4xx, nothing stored', async () => {
    const before = (await relay.app.store.listChanges(portalId, { limit: 500 })).items.length;
    const parsedOnly = await postForm(
      form([
        { name: 'subject', value: 'Salesforce org locked' },
        { name: 'text', value: 'suspended' },
      ]),
    );
    expect([parsedOnly.statusCode, parsedOnly.json().code]).toEqual([400, 'RAW_MESSAGE_MISSING']);
    expect(parsedOnly.json().error).toMatch(/"email" or "body-mime"/);
    const noBoundary = await post(Buffer.from('--x\r\n'), 'query', 'multipart/form-data');
    expect([noBoundary.statusCode, noBoundary.json().code]).toEqual([400, 'INVALID_MULTIPART']);
    const cut = await postForm(
      Buffer.from('--xYzZY\r\nContent-Disposition: form-data; name="email"\r\n\r\nFrom: a@b\r\n'),
    );
    expect(cut.statusCode).toBeGreaterThanOrEqual(400);
    expect(cut.statusCode).toBeLessThan(500);
    const huge = await postForm(
      form([
        { name: 'email', value: Buffer.alloc(relay.app.config.limits.emailBodyBytes + 10, 'a') },
      ]),
    );
    expect(huge.statusCode).toBe(413);
    expect((await relay.app.store.listChanges(portalId, { limit: 500 })).items.length).toBe(before);
  });

  test('a rotated inbound token replaces the old one', async () => {
    const rotated = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${portalId}/inbound-token/rotate`,
      headers: admin,
    });
    const fresh = rotated.json().inboundToken as string;
    const raw = notification({
      subject: 'Salesforce org locked',
      body: 'Your integration has been suspended',
      messageId: 'rotated',
    });
    expect((await post(raw)).statusCode).toBe(401);
    token = fresh;
    expect((await post(raw)).statusCode).toBe(202);
  });
});
