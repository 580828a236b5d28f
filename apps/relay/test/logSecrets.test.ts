import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ADMIN_TOKEN, signed, tempDir } from './helpers.js';
import { startChildRelay, type ChildRelay } from './childRelay.js';

// The relay as production runs it (the built binary, its own pino set-up, LOG_LEVEL=trace so every
// line is written), fed every secret it is ever handed, right and wrong, in the places they travel:
// headers, the inbound token in the query string, JSON bodies (well-formed, malformed, refused).
// Nothing of any of them may appear in its stdout or stderr, from start to exit.
describe('secrets never reach the log', () => {
  const dir = tempDir();
  let relay: ChildRelay | undefined;
  afterAll(async () => {
    await relay?.kill('SIGKILL');
    dir.remove();
  });

  it('keeps every token, key and password it is given out of its log lines', async () => {
    const secrets: Record<string, string> = {};
    const secret = (name: string, value = randomBytes(18).toString('hex')) =>
      (secrets[name] = value);
    const privateKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    secrets.privateKeyBody = privateKeyPem.split('\n')[3]!;
    relay = await startChildRelay({
      LOG_LEVEL: 'trace',
      RELAY_DATA_DIR: dir.path,
      RELAY_ADMIN_TOKEN: ADMIN_TOKEN,
      RELAY_OUTBOX_POLL_MS: '50',
      RELAY_RETRY_BASE_MS: '50',
      RELAY_RETRY_MAX_MS: '200',
      RELAY_MAILBOX: 'on',
      RELAY_SIGNALS_LEADER: '1',
    });
    secrets.adminToken = ADMIN_TOKEN;
    const base = relay.url;
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const send = (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, init).then(async (response) => ({
        status: response.status,
        text: await response.text(),
      }));

    const created = await send('/v1/admin/portals', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ id: 'p1', name: 'Logs' }),
    });
    expect(created.status).toBe(201);
    const portal = JSON.parse(created.text) as { signingSecret: string; inboundToken: string };
    secrets.signingSecret = portal.signingSecret;
    secrets.inboundToken = portal.inboundToken;

    // A wrong admin token, in the header and as a bare value.
    const wrongAdmin = secret('wrongAdmin');
    await send('/v1/admin/portals', { headers: { authorization: `Bearer ${wrongAdmin}` } });
    await send('/health', { headers: { authorization: `Bearer ${wrongAdmin}` } });
    await send('/health', { headers: { authorization: wrongAdmin } });

    // The inbound token in the query string, right and wrong, on known and unknown paths, and in
    // a URL Fastify refuses before routing (a malformed percent-encoding).
    const mail =
      'From: a@example.com\r\nSubject: hello\r\nMessage-ID: <m1@example.com>\r\n\r\nhi\r\n';
    const wrongInbound = secret('wrongInbound');
    for (const token of [portal.inboundToken, wrongInbound]) {
      await send(`/v1/inbound/email?token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822' },
        body: mail,
      });
      await send(`/v1/inbound/email?token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      await send(`/v1/inbound/email/mime?x=%zz&token=${token}`, { method: 'POST' });
      await send(`/v1/inbound/e%zzmail?token=${token}`);
      await send(`/nowhere?token=${token}`);
      await send(`/v1/inbound/email?token=${token}`, {
        method: 'POST',
        headers: { 'x-sync-doctor-token': token, 'content-type': 'text/csv' },
        body: 'a',
      });
    }

    // A signed webhook, and one with a wrong signature.
    const body = JSON.stringify({ title: 'Salesforce org API limit exceeded', eventId: 'e1' });
    await send('/v1/portals/p1/suspensions', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sync-doctor-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-sync-doctor-signature': `v1=${secret('wrongSignature')}`,
      },
      body,
    });

    // Secrets in admin bodies: accepted, refused by validation, and malformed JSON around them.
    const accessToken = secret('accessToken', `00D${randomBytes(20).toString('hex')}`);
    const hubspotToken = secret('hubspotToken', `pat-na1-${randomBytes(16).toString('hex')}`);
    const mailboxPassword = secret('mailboxPassword');
    const smtpPassword = secret('smtpPassword');
    const slackUrl = `https://hooks.slack.com/services/T0/B0/${secret('slackPath')}`;
    const webhookSecret = secret('webhookSecret');
    const bodies: [string, string, unknown][] = [
      [
        'PUT',
        '/v1/admin/portals/p1/salesforce',
        {
          kind: 'jwt',
          clientId: 'client',
          username: 'relay@example.com',
          loginUrl: 'http://127.0.0.1:9',
          privateKey: privateKeyPem,
        },
      ],
      [
        'PUT',
        '/v1/admin/portals/p1/salesforce',
        { kind: 'token', instanceUrl: 'http://127.0.0.1:9', accessToken },
      ],
      ['PUT', '/v1/admin/portals/p1/hubspot', { token: hubspotToken }],
      [
        'PUT',
        '/v1/admin/portals/p1/mailbox',
        { host: '127.0.0.1', port: 9, user: 'u', password: mailboxPassword },
      ],
      ['POST', '/v1/admin/portals/p1/alert-targets', { kind: 'slack', webhookUrl: slackUrl }],
      [
        'POST',
        '/v1/admin/portals/p1/alert-targets',
        { kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret: webhookSecret },
      ],
      [
        'POST',
        '/v1/admin/portals/p1/alert-targets',
        {
          kind: 'email',
          from: 'relay@example.com',
          to: ['ops@example.com'],
          smtp: { host: '127.0.0.1', port: 9, auth: { user: 'u', pass: smtpPassword } },
        },
      ],
    ];
    for (const [method, path, json] of bodies) {
      await send(path, { method, headers: admin, body: JSON.stringify(json) });
      // Refused by validation (an unknown field next to the secret).
      await send(path, {
        method,
        headers: admin,
        body: JSON.stringify({ ...(json as object), unexpected: true }),
      });
    }
    // Malformed JSON with a secret left unquoted: the parser's message quotes the text around
    // the error.
    for (const value of [accessToken, hubspotToken, mailboxPassword, secrets.privateKeyBody])
      for (const field of ['accessToken', 'token', 'password', 'privateKey'])
        await send('/v1/admin/portals/p1/hubspot', {
          method: 'PUT',
          headers: admin,
          body: `{"${field}": ${value}}`,
        });

    // A signal the outbox delivers (and fails to, a closed port) with the token connection; the
    // alert targets tried (closed ports), the mailbox reader failing to connect. Then the relay
    // is stopped as systemd does.
    const suspension = signed(portal.signingSecret, {
      title: 'Salesforce org API limit exceeded',
      occurredAt: new Date().toISOString(),
      eventId: 'e2',
    });
    expect(
      (
        await send('/v1/portals/p1/suspensions', {
          method: 'POST',
          headers: suspension.headers,
          body: suspension.payload,
        })
      ).status,
    ).toBe(202);
    const targets = JSON.parse(
      (await send('/v1/admin/portals/p1/alert-targets', { headers: admin })).text,
    ) as { targets?: { id: string }[] } | { id: string }[];
    for (const { id } of Array.isArray(targets) ? targets : (targets.targets ?? []))
      await send(`/v1/admin/portals/p1/alert-targets/${id}/test`, {
        method: 'POST',
        headers: admin,
        body: '{}',
      });
    await send('/health', { headers: admin });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await relay.kill('SIGTERM');

    const log = relay.output.join('\n');
    expect(log).toContain('request completed');
    // Whole or in part: V8 quoted 10 characters of a malformed body around the error.
    const leaked = relay.output.filter((line) =>
      Object.values(secrets).some((value) => line.includes(value.slice(0, 10))),
    );
    expect(leaked).toEqual([]);
  });
});
