import {
  createTokenClient,
  MailboxConfigError,
  MICROSOFT_365_IMAP_SCOPE,
  tokenEndpointOf,
  TokenRequestError,
  validateMailboxOAuth,
  type ClientSecretOAuth,
} from '../src/index.js';
import { DestinationRefusedError } from '../src/alerts/destination.js';
import { fakeDns } from './helpers/fakeDns.js';
import { startAuthServer, type FakeAuthServer } from './helpers/oauthServer.js';

// The client-credentials token client of the mailbox reader, against a local token endpoint.

let auth: FakeAuthServer;
beforeEach(async () => {
  auth = await startAuthServer('hubspot-alerts@example.com');
});
afterEach(async () => {
  await auth.stop();
});

const oauthOf = (
  server: FakeAuthServer,
  patch: Partial<ClientSecretOAuth> = {},
): ClientSecretOAuth =>
  ({
    kind: 'client-credentials',
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    scope: MICROSOFT_365_IMAP_SCOPE,
    ...patch,
  }) as ClientSecretOAuth;

type TokenClientOptions = Parameters<typeof createTokenClient>[0];

/** A client of the test's token endpoint (plain http to loopback allowed), with `options` on top. */
const clientOf = (options: Partial<TokenClientOptions> = {}) =>
  createTokenClient({ oauth: oauthOf(auth), allowPlainOnLoopback: true, ...options });

/** A clock the test moves. */
const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

async function failure(promise: Promise<unknown>): Promise<TokenRequestError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenRequestError);
    return error as TokenRequestError;
  }
  throw new Error('the token request succeeded');
}

describe('token client', () => {
  it('asks for a client-credentials token with the client id, secret and scope, and returns it', async () => {
    const client = clientOf();
    const token = await client.getToken();
    expect(token).toBe(auth.issued[0]);
    expect(auth.tokenRequests).toEqual([
      {
        grant_type: 'client_credentials',
        client_id: auth.clientId,
        scope: MICROSOFT_365_IMAP_SCOPE,
      },
    ]);
  });

  it('keeps the token until shortly before expires_in, then asks for a new one', async () => {
    const time = clock();
    auth.expiresIn = 3600;
    const client = clientOf({ now: time.now, refreshMarginMs: 5 * 60_000 });
    const first = await client.getToken();
    time.advance(54 * 60_000);
    expect(await client.getToken()).toBe(first);
    expect(auth.tokenRequests).toHaveLength(1);
    // 55 minutes in: within the 5 minutes before the hour, a new token.
    time.advance(60_000);
    const second = await client.getToken();
    expect(second).not.toBe(first);
    expect(auth.tokenRequests).toHaveLength(2);
  });

  it('keeps a short-lived token for at most half its life', async () => {
    const time = clock();
    auth.expiresIn = 60;
    const client = clientOf({ now: time.now });
    const first = await client.getToken();
    time.advance(29_000);
    expect(await client.getToken()).toBe(first);
    time.advance(1_000);
    expect(await client.getToken()).not.toBe(first);
  });

  it('uses a token without expires_in for one connection only', async () => {
    auth.expiresIn = null;
    const client = clientOf();
    const first = await client.getToken();
    expect(await client.getToken()).not.toBe(first);
    expect(auth.tokenRequests).toHaveLength(2);
  });

  it('sends one request for callers that ask at once, and a new one after invalidate', async () => {
    const client = clientOf();
    const [a, b] = await Promise.all([client.getToken(), client.getToken()]);
    expect(a).toBe(b);
    expect(auth.tokenRequests).toHaveLength(1);
    client.invalidate();
    expect(await client.getToken()).not.toBe(a);
    expect(auth.tokenRequests).toHaveLength(2);
  });

  it.each([
    [
      'a wrong secret',
      { clientSecret: 'not-the-secret-at-all' },
      'ok',
      401,
      'invalid_client',
      'AADSTS7000215',
    ],
    ['an unknown app', {}, 'refuse', 400, 'invalid_grant', 'AADSTS700016'],
  ] as const)(
    'names the OAuth error of a refused request (%s), never the secret',
    async (_what, patch, mode, status, code, description) => {
      auth.mode = mode;
      const oauth = oauthOf(auth, patch);
      const error = await failure(clientOf({ oauth }).getToken());
      expect(error.refused).toBe(true);
      expect(error.code).toBe('OAUTH_TOKEN_REFUSED');
      expect(error.status).toBe(status);
      expect(error.oauthError).toBe(code);
      expect(error.message).toContain(`HTTP ${status} ${code}: ${description}`);
      expect(error.message).toContain(`${auth.origin}/tenant/oauth2/v2.0/token`);
      expect(error.message).not.toContain(oauth.clientSecret);
      expect(error.stack).not.toContain(oauth.clientSecret);
    },
  );

  it('keeps the secret out of the error when the endpoint repeats it', async () => {
    auth.mode = 'echo';
    const error = await failure(clientOf().getToken());
    expect(error.message).toContain('invalid_client');
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(auth.clientSecret);
  });

  it('gives up on an endpoint that does not answer within the timeout, as a passing failure', async () => {
    auth.mode = 'hang';
    const error = await failure(clientOf({ timeoutMs: 300 }).getToken());
    expect(error.refused).toBe(false);
    expect(error.code).toBe('OAUTH_TOKEN_FAILED');
    expect(error.message).toBe(
      `token endpoint ${auth.origin}/tenant/oauth2/v2.0/token: no answer within 300 ms`,
    );
  });

  it('calls a 5xx or an answer without a token passing failures', async () => {
    const client = clientOf();
    auth.mode = '500';
    const error = await failure(client.getToken());
    expect(error.refused).toBe(false);
    expect(error.message).toContain('failed: HTTP 500 server_error');
    auth.mode = 'garbage';
    expect((await failure(client.getToken())).message).toContain(
      'answered HTTP 200 without a usable access_token',
    );
    // And it recovers once the endpoint does.
    auth.mode = 'ok';
    expect(await client.getToken()).toBe(auth.issued[0]);
  });

  it('refuses a token endpoint on a non-public address unless private targets are allowed, before sending', async () => {
    const client = clientOf({ outbound: { allowPrivateNetworks: false } });
    const error = await failure(client.getToken());
    expect(error.code).toBe('DESTINATION_REFUSED');
    expect(error.refused).toBe(true);
    expect(error.message).toMatch(/^token endpoint .*not a public address/);
    expect(auth.tokenRequests).toHaveLength(0);
    const allowed = clientOf({ outbound: { allowPrivateNetworks: true } });
    expect(await allowed.getToken()).toBe(auth.issued[0]);
  });

  it('refuses a token endpoint name that resolves to a non-public address at request time (DNS rebinding)', async () => {
    // The name passed the save-time check (it is not resolved there); now it points at loopback.
    const dns = fakeDns({ 'login.rebind.example': '127.0.0.1' });
    try {
      const port = new URL(auth.tokenUrl).port;
      const client = createTokenClient({
        oauth: oauthOf(auth, {
          tokenUrl: `https://login.rebind.example:${port}/tenant/oauth2/v2.0/token`,
        }),
        outbound: { allowPrivateNetworks: false },
      });
      const error = await failure(client.getToken());
      expect(error.code).toBe('DESTINATION_REFUSED');
      expect(error.message).toMatch(
        /^token endpoint https:\/\/login\.rebind\.example:\d+\/tenant\/oauth2\/v2\.0\/token: login\.rebind\.example resolves to 127\.0\.0\.1/,
      );
      expect(dns.asked.get('login.rebind.example')).toBe(1);
      expect(auth.tokenRequests).toHaveLength(0);
    } finally {
      dns.restore();
    }
  });
});

describe('OAuth settings', () => {
  const base = { clientId: 'app-id', clientSecret: 'a-secret-value' };
  it('points microsoft365 at the tenant token endpoint with the Exchange Online scope', () => {
    expect(
      tokenEndpointOf({ kind: 'microsoft365', tenantId: 'contoso.onmicrosoft.com', ...base }),
    ).toEqual({
      tokenUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
      scope: 'https://outlook.office365.com/.default',
    });
  });

  it.each([
    [{ kind: 'microsoft365', ...base }, 'oauth.tenantId is required with kind microsoft365'],
    [
      { kind: 'microsoft365', tenantId: 'contoso.com/../x', ...base },
      'oauth.tenantId is required with kind microsoft365',
    ],
    [
      { kind: 'microsoft365', tenantId: 't', tokenUrl: 'https://x.example/token', ...base },
      'oauth.tokenUrl is not taken with kind microsoft365',
    ],
    [
      { kind: 'client-credentials', tokenUrl: 'https://idp.example/token', tenantId: 't', ...base },
      'oauth.tenantId is only taken with kind microsoft365',
    ],
    [
      { kind: 'google', ...base },
      'oauth.kind must be microsoft365, client-credentials or google-service-account',
    ],
    [
      { kind: 'microsoft365', tenantId: 't', clientId: 'app-id', clientSecret: '' },
      'oauth.clientSecret is required',
    ],
    [
      { kind: 'microsoft365', tenantId: 't', clientId: ' ', clientSecret: 's' },
      'oauth.clientId is required',
    ],
    [{ kind: 'client-credentials', tokenUrl: 'idp.example/token', ...base }, 'is not a URL'],
    [
      { kind: 'client-credentials', tokenUrl: 'http://idp.example/token', ...base },
      'oauth.tokenUrl must use https',
    ],
    [
      { kind: 'client-credentials', tokenUrl: 'http://127.0.0.1:8080/token', ...base },
      'oauth.tokenUrl must use https',
    ],
    [
      { kind: 'client-credentials', tokenUrl: 'https://id:pw@idp.example/token', ...base },
      'must not carry a user name or password',
    ],
    [
      { kind: 'client-credentials', tokenUrl: 'https://idp.example/token', scope: '', ...base },
      'oauth.scope must be a non-empty string',
    ],
  ])('refuses %j: %s', (oauth, message) => {
    expect(() => validateMailboxOAuth(oauth as ClientSecretOAuth)).toThrow(MailboxConfigError);
    expect(() => validateMailboxOAuth(oauth as ClientSecretOAuth)).toThrow(message);
  });

  it.each([
    '..',
    '.',
    'contoso.com/..',
    'contoso.com?x=1',
    'contoso.com#x',
    'admin@evil.example',
    'evil.example:443',
    '%2e%2e',
    'contoso.com\\x',
    'a b',
    'contoso.com/',
    '-contoso.com',
    'x'.repeat(256),
  ])(
    'refuses the tenant %j, which would change the token URL beyond its one path segment',
    (tenantId) => {
      expect(() => validateMailboxOAuth({ kind: 'microsoft365', tenantId, ...base })).toThrow(
        'oauth.tenantId is required with kind microsoft365',
      );
    },
  );

  it('keeps every accepted tenant inside one path segment of login.microsoftonline.com', () => {
    for (const tenantId of [
      'contoso.onmicrosoft.com',
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
      'a..b',
    ]) {
      validateMailboxOAuth({ kind: 'microsoft365', tenantId, ...base });
      const url = new URL(tokenEndpointOf({ kind: 'microsoft365', tenantId, ...base }).tokenUrl);
      expect(url.host).toBe('login.microsoftonline.com');
      expect(url.pathname).toBe(`/${tenantId}/oauth2/v2.0/token`);
      expect(url.search).toBe('');
    }
  });

  it('takes http to loopback only where plain text to loopback is allowed, and applies the outbound rule', () => {
    const local = {
      kind: 'client-credentials',
      tokenUrl: 'http://127.0.0.1:8080/token',
      ...base,
    } as const;
    expect(() => validateMailboxOAuth(local, { allowPlainOnLoopback: true })).not.toThrow();
    expect(() =>
      validateMailboxOAuth(local, {
        allowPlainOnLoopback: true,
        outbound: { allowPrivateNetworks: false },
      }),
    ).toThrow(DestinationRefusedError);
    expect(() =>
      validateMailboxOAuth(
        { ...local, tokenUrl: 'https://169.254.169.254/token' },
        { outbound: { allowPrivateNetworks: false } },
      ),
    ).toThrow(/not a public address/);
    expect(() =>
      validateMailboxOAuth(
        { ...local, tokenUrl: 'https://login.example.com/token' },
        { outbound: { allowPrivateNetworks: false } },
      ),
    ).not.toThrow();
  });
});

describe('a hostile or broken token endpoint', () => {
  const servers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((stop) => stop()));
  });

  /**
   * A token endpoint on 127.0.0.1 answering each request as `answer` says (raw body in hand),
   * stopped after the test; its token URL.
   */
  async function endpoint(
    answer: (body: string, response: import('node:http').ServerResponse) => void,
  ): Promise<string> {
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => answer(Buffer.concat(chunks).toString('utf8'), response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const { port } = server.address() as import('node:net').AddressInfo;
    return `http://127.0.0.1:${port}/token`;
  }
  const json = (response: import('node:http').ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  // Microsoft's client secrets carry '~', which a form body sends as %7E.
  const secret = 'Q8~xk.J_2pLm-r7Vb~Zt3e4Wq9sNa1Yc0dGh';
  /** A client of the endpoint at `tokenUrl` (plain http to loopback allowed), with `options` on top. */
  const clientAt = (tokenUrl: string, options: Partial<TokenClientOptions> = {}) =>
    createTokenClient({
      oauth: { kind: 'client-credentials', tokenUrl, clientId: 'app-id', clientSecret: secret },
      allowPlainOnLoopback: true,
      ...options,
    });
  const leaks = (text: string) =>
    [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]
      .flatMap((form) => [form, form.toLowerCase()])
      .some((form) => text.toLowerCase().includes(form.toLowerCase())) ||
    // Nor any sizeable piece of it (a description cut in the middle of the secret).
    text.includes(secret.slice(0, 12));

  it('keeps the secret out of the error when the endpoint echoes the form-encoded request body', async () => {
    const tokenUrl = await endpoint((body, response) =>
      json(response, 400, { error: 'invalid_request', error_description: `bad request: ${body}` }),
    );
    const error = await failure(clientAt(tokenUrl).getToken());
    expect(error.code).toBe('OAUTH_TOKEN_REFUSED');
    expect(error.message).toContain('invalid_request: bad request: grant_type=client_credentials');
    expect(error.message).toContain('[redacted]');
    expect(leaks(error.message)).toBe(false);
  });

  it('keeps out a secret the 300-character cut of the description would split', async () => {
    const tokenUrl = await endpoint((_body, response) =>
      json(response, 401, {
        error: 'invalid_client',
        error_description: `${'x'.repeat(270)} ${secret} is wrong`,
      }),
    );
    const error = await failure(clientAt(tokenUrl).getToken());
    expect(error.message).toContain('invalid_client');
    expect(leaks(error.message)).toBe(false);
    expect(error.message.length).toBeLessThan(600);
  });

  it('takes no control characters (terminal escapes, carriage returns) from the error into the message', async () => {
    const tokenUrl = await endpoint((_body, response) =>
      json(response, 401, {
        error: 'invalid_client\u001b[31m',
        error_description: 'AADSTS7000215\rforged line\u0007 \u001b]0;title\u0007',
      }),
    );
    const error = await failure(clientAt(tokenUrl).getToken());
    expect(error.code).toBe('OAUTH_TOKEN_REFUSED');
    expect(error.message).toContain('invalid_client');
    expect(error.message).toContain('AADSTS7000215');
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(error.oauthError).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('checks the address at every request: a kept-alive connection another client opened is not reused', async () => {
    // One reader may reach private addresses (the shared mailbox), another may not (a portal's):
    // the second must not ride on a connection the first left open to the same host and port.
    let n = 0;
    const tokenUrl = (
      await endpoint((_body, response) =>
        json(response, 200, { token_type: 'Bearer', access_token: `t${++n}`, expires_in: 3600 }),
      )
    ).replace('127.0.0.1', 'localhost');
    const shared = clientAt(tokenUrl, { outbound: { allowPrivateNetworks: true } });
    expect(await shared.getToken()).toBe('t1');
    const portal = clientAt(tokenUrl, { outbound: { allowPrivateNetworks: false } });
    const error = await failure(portal.getToken());
    expect(error.code).toBe('DESTINATION_REFUSED');
    expect(n).toBe(1);
  });

  it('follows no redirect', async () => {
    let asked = 0;
    const tokenUrl = await endpoint((_body, response) => {
      asked += 1;
      response.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' });
      response.end();
    });
    const error = await failure(clientAt(tokenUrl).getToken());
    expect(error.code).toBe('OAUTH_TOKEN_FAILED');
    expect(error.message).toContain('failed: HTTP 307');
    expect(asked).toBe(1);
  });

  it('caps the lifetime of a token whose expires_in is absurd, instead of keeping it for ever', async () => {
    let n = 0;
    const tokenUrl = await endpoint((_body, response) =>
      json(response, 200, { token_type: 'Bearer', access_token: `t${++n}`, expires_in: 1e300 }),
    );
    const time = clock();
    const client = clientAt(tokenUrl, { now: time.now });
    expect(await client.getToken()).toBe('t1');
    time.advance(60 * 60_000);
    expect(await client.getToken()).toBe('t1');
    // A day later it is asked for again (Microsoft's tokens last 60 to 90 minutes).
    time.advance(24 * 60 * 60_000);
    expect(await client.getToken()).toBe('t2');
  });

  it('refuses an answer larger than 64 KB without reading it all', async () => {
    const tokenUrl = await endpoint((_body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"access_token":"${'a'.repeat(1024 * 1024)}"}`);
    });
    const error = await failure(clientAt(tokenUrl).getToken());
    expect(error.code).toBe('OAUTH_TOKEN_FAILED');
    expect(error.message).toContain('larger than 65536 bytes');
  });

  it('gives up on an answer that trickles in past the timeout, naming the timeout', async () => {
    const timers: NodeJS.Timeout[] = [];
    const tokenUrl = await endpoint((_body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"access_token":"');
      timers.push(setInterval(() => response.write('a'), 50));
    });
    try {
      const error = await failure(clientAt(tokenUrl, { timeoutMs: 300 }).getToken());
      expect(error.code).toBe('OAUTH_TOKEN_FAILED');
      expect(error.message).toBe(`token endpoint ${tokenUrl}: no answer within 300 ms`);
    } finally {
      timers.forEach(clearInterval);
    }
  });

  it.each([
    [
      'a token type other than Bearer',
      { token_type: 'mac', access_token: 'tok' },
      'of type mac, not Bearer',
    ],
    [
      'a token with a space',
      { token_type: 'Bearer', access_token: 'a b' },
      'without a usable access_token',
    ],
    ['a JSON array', [1, 2], 'without a usable access_token'],
  ])('refuses %s', async (_what, body, message) => {
    const tokenUrl = await endpoint((_body, response) => json(response, 200, body));
    const error = await failure(clientAt(tokenUrl).getToken());
    expect(error.code).toBe('OAUTH_TOKEN_FAILED');
    expect(error.message).toContain(message);
  });
});

describe('an IMAP server refusing the token', () => {
  it('names its answer in lastError without control characters and without the token it echoes', async () => {
    const { createServer } = await import('node:net');
    const { createMailboxReader, MemoryCheckpointStore } = await import('../src/index.js');
    auth.expiresIn = 3600;
    // Answers AUTHENTICATE XOAUTH2 with NO, repeating the token and a terminal escape.
    const imap = createServer((socket) => {
      socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR] ready\r\n');
      let buffered = '';
      socket.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('latin1');
        let end: number;
        while ((end = buffered.indexOf('\r\n')) >= 0) {
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const [tag, command, , payload] = line.split(' ');
          if (command?.toUpperCase() === 'CAPABILITY')
            socket.write(`* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR\r\n${tag} OK done\r\n`);
          else if (command?.toUpperCase() === 'AUTHENTICATE') {
            const token = /auth=Bearer ([^\x01]+)/.exec(
              Buffer.from(payload ?? '', 'base64').toString('utf8'),
            )?.[1];
            socket.write(
              `${tag} NO [AUTHENTICATIONFAILED] \x1b[2J\x07token ${token} is not valid\r\n`,
            );
          } else if (command?.toUpperCase() === 'LOGOUT') socket.end(`* BYE\r\n${tag} OK bye\r\n`);
          else socket.write(`${tag} BAD unknown\r\n`);
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => imap.listen(0, '127.0.0.1', resolve));
    const reader = createMailboxReader({
      host: '127.0.0.1',
      port: (imap.address() as import('node:net').AddressInfo).port,
      tls: 'none',
      allowPlainOnLoopback: true,
      auth: { user: auth.user, oauth: oauthOf(auth) },
      checkpointStore: new MemoryCheckpointStore(),
      onMessage: async () => undefined,
    });
    try {
      await expect(reader.start()).rejects.toMatchObject({ authenticationFailed: true });
      const token = auth.issued[0]!;
      expect(reader.lastError).toMatch(/^IMAP_LOGIN_REFUSED: .*token \[redacted\] is not valid/);
      expect(reader.lastError).not.toContain(token);
      expect(reader.lastError).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    } finally {
      await reader.stop();
      imap.close();
    }
  });
});
