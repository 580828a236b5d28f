import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { sfOrgDisplay } from '../src/auth/sfCli.js';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { connect, normalizeOrgUrl } from '../src/connect.js';
import { InputError, SalesforceError, isInputError } from '../src/errors.js';
import * as salesforce from '../src/index.js';
import { proxyFor } from '../src/proxyTunnel.js';
import { describeGiven, scrubSecrets, showable } from '../src/secrets.js';
import { guardConnection, sendRest, type JsforceTransport } from '../src/transport.js';

// A session id as Salesforce issues them (org id, '!', the secret) and a PEM key's text: what an
// admin who swaps two flags hands to the wrong one. Neither may come back in an error message.
const SESSION = '00D5g000004FakEAAI!AQ0AQNotARealSessionIdButShapedLikeOneXj8k2LmQp7RsT9vWx3yZ';
const PEM =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sd-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function thrown(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function expectNoSecret(message: string): void {
  expect(message).not.toContain(SESSION);
  expect(message).not.toContain('AQ0AQNotARealSession');
  expect(message).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  expect(message).not.toContain('BEGIN PRIVATE KEY');
}

describe('InputError: the caller gave a value that cannot be used', () => {
  it('is exported, and is what every input check throws (still a TypeError for older callers)', async () => {
    expect(salesforce.InputError).toBe(InputError);
    expect(salesforce.isInputError).toBe(isInputError);
    const errors = [
      await thrown(() => normalizeOrgUrl('not a url', 'instanceUrl')),
      await thrown(() => normalizeOrgUrl('http://acme.my.salesforce.com', 'instanceUrl')),
      await thrown(() => connect({ instanceUrl: '', accessToken: '' })),
      await thrown(() =>
        connect({ kind: 'jwt', clientId: 'x', username: 'a@b.c', privateKey: 'not a key' }),
      ),
      await thrown(() =>
        connect({
          kind: 'jwt',
          clientId: 'x',
          username: 'a@b.c',
          privateKeyFile: join(dir, 'absent.key'),
        }),
      ),
      await thrown(() =>
        connect({
          instanceUrl: 'https://acme.my.salesforce.com',
          accessToken: 'token-123456',
          refreshToken: 'rt',
        }),
      ),
      await thrown(() => sfOrgDisplay('--json')),
      await thrown(() => sfOrgDisplay('a;b', { platform: 'win32' })),
      await thrown(() =>
        proxyFor(new URL('https://acme.my.salesforce.com'), { HTTPS_PROXY: 'socks4://proxy:1080' }),
      ),
      await thrown(() =>
        proxyFor(new URL('https://acme.my.salesforce.com'), { HTTPS_PROXY: 'http://[bad' }),
      ),
      // The collector checks its options before it sends anything: no org needed.
      await thrown(() => collectSnapshot({} as never, { user: ' ' })),
      await thrown(() =>
        collectSnapshot({} as never, { user: 'u@acme.com', relayedStatus: { portalId: '../x' } }),
      ),
      // Options parsed from JSON may hold another type: still the caller's mistake, said as such.
      await thrown(() => collectSnapshot({} as never, { user: 42 as never })),
      await thrown(() =>
        collectSnapshot({} as never, { user: 'u@acme.com', relayedStatus: { portalId: 1.5 } }),
      ),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(InputError);
      expect(isInputError(error)).toBe(true);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.name).toBe('InputError');
    }
  });

  it('says what the collector was given instead of the integration user', async () => {
    expect((await thrown(() => collectSnapshot({} as never, { user: 42 as never }))).message).toBe(
      'collectSnapshot needs the integration user (username or User id) as text, not 42',
    );
    expect((await thrown(() => collectSnapshot({} as never, { user: '' }))).message).toBe(
      'collectSnapshot needs the integration user (username or User id)',
    );
  });

  it('is not what a genuine TypeError is', () => {
    expect(isInputError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(
      false,
    );
  });
});

describe('error messages never quote a value that could be a secret', () => {
  it('normalizeOrgUrl describes a session id given as the URL by its length', () => {
    const error = (() => {
      try {
        normalizeOrgUrl(SESSION, '--instance-url');
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected an error');
    })();
    expectNoSecret(error.message);
    expect(error.message).toBe(
      `--instance-url is not a URL: the value given (${SESSION.length} characters, not shown: it may be a secret)`,
    );
    expect(() => normalizeOrgUrl(PEM, 'loginUrl')).toThrow(
      `loginUrl is not a URL: the value given (${PEM.length} characters, not shown: it may be a secret)`,
    );
  });

  it('normalizeOrgUrl still names what clearly is no secret, without user, password, path or query', () => {
    expect(() => normalizeOrgUrl('acme.my.salesforce.com', '--instance-url')).toThrow(
      "--instance-url is not a URL: 'acme.my.salesforce.com': put https:// in front of it",
    );
    let message = '';
    try {
      normalizeOrgUrl('http://admin:hunter2pass@acme.my.salesforce.com/x?sid=abc', 'instanceUrl');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      "instanceUrl must use https (a token must never travel in clear text), not 'http://acme.my.salesforce.com'",
    );
  });

  it('the key file read error names the path only when it clearly is one, and why not from its code', async () => {
    const absent = join(dir, 'absent.key');
    const error = await thrown(() =>
      connect({ kind: 'jwt', clientId: 'x', username: 'a@b.c', privateKeyFile: absent }),
    );
    expect(error.message).toBe(
      `Cannot read the private key file '${absent}': there is no such file (ENOENT)`,
    );
    for (const given of [PEM, SESSION, PEM.replace(/\n/g, '')]) {
      const refused = await thrown(() =>
        connect({ kind: 'jwt', clientId: 'x', username: 'a@b.c', privateKeyFile: given }),
      );
      expect(refused).toBeInstanceOf(InputError);
      expectNoSecret(refused.message);
      expect(refused.message).toMatch(
        /^Cannot read the private key file the value given \(\d+ characters, not shown: it may be a secret\): /,
      );
    }
  });

  it('an empty key file says it is empty', async () => {
    const empty = join(dir, 'empty.key');
    writeFileSync(empty, '');
    const blank = join(dir, 'blank.key');
    writeFileSync(blank, '\n  \n');
    for (const file of [empty, blank]) {
      const error = await thrown(() =>
        connect({ kind: 'jwt', clientId: 'x', username: 'a@b.c', privateKeyFile: file }),
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `The private key file '${file}' is empty: it should hold the PEM text of the connected app's RSA private key`,
      );
    }
  });

  it('a session id given as --target-org or --portal is not repeated', async () => {
    const windows = await thrown(() => sfOrgDisplay(SESSION, { platform: 'win32' }));
    expect(windows).toBeInstanceOf(InputError);
    expectNoSecret(windows.message);
    // sf itself is absent here: its error suggests a login command without the value either.
    const missing = await thrown(() =>
      sfOrgDisplay(SESSION, { binary: join(dir, 'no-such-sf'), platform: 'linux' }),
    );
    expect(missing).toBeInstanceOf(SalesforceError);
    expectNoSecret(missing.message);
    expect(missing.message).toContain("'sf org login web --alias ALIAS'");
    const portal = await thrown(() =>
      collectSnapshot({} as never, { user: 'u@acme.com', relayedStatus: { portalId: SESSION } }),
    );
    expectNoSecret(portal.message);
    expect(portal.message).toMatch(/^Not a HubSpot portal id: the value given/);
  });
});

describe('an HTTP error that quotes the Authorization header', () => {
  let server: Server;
  let url: string;
  let hits: number;
  beforeAll(async () => {
    hits = 0;
    server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("node-fetch's 'Bearer <token> is not a legal HTTP header value' leaves without the token", async () => {
    // A token copied across a wrapped line: jsforce's node-fetch refuses the header and quotes it whole.
    const wrapped = `${SESSION.slice(0, 40)}\n${SESSION.slice(40)}`;
    const conn = await connect({ instanceUrl: url, accessToken: wrapped });
    const error = await thrown(() =>
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    );
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error.message).not.toContain(SESSION.slice(0, 40));
    expect(error.message).not.toContain(SESSION.slice(40));
    expect(error.message).toBe(
      'The access token cannot be sent: it holds a character an HTTP header cannot carry (a line break, a control character or one outside Latin-1). Copy it again, on one line (the token is not shown here).',
    );
    expect((error as SalesforceError).errorCode).toBe('ERR_INVALID_CHAR');
    expect(JSON.stringify(error)).not.toContain('AQ0AQNotARealSession');
    expect(hits).toBe(0);
  });

  it("undici's or any other layer's message quoting the header is scrubbed of the session", async () => {
    const conn = await connect({ instanceUrl: url, accessToken: SESSION });
    // A transport below that fails the way undici's fetch does for a header it refuses.
    const failing: JsforceTransport = {
      httpRequest() {
        const rejected = Promise.reject(
          new TypeError(`Headers.append: "Bearer ${SESSION}" is an invalid header value.`),
        );
        return Object.assign(rejected, { stream: () => new PassThrough() });
      },
    };
    guardConnection(conn, failing);
    const error = await thrown(() =>
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    );
    expect(error).toBeInstanceOf(SalesforceError);
    expectNoSecret(error.message);
    expect(error.message).toBe(
      'Headers.append: "Bearer [a secret, not shown]" is an invalid header value.',
    );
  });
});

describe('secrets.ts', () => {
  it('shows host names, aliases, usernames and paths; not tokens, keys or random strings', () => {
    for (const value of [
      'acme.my.salesforce.com',
      'prod',
      'hubspot.integration@acme.com',
      '/home/runner/work/acme/keys/server.key',
      'C:\\Users\\admin\\server.key',
      '4411223',
      'not a url',
    ])
      expect(showable(value)).toBe(true);
    for (const value of [
      SESSION,
      PEM,
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
      '9F2A41C4E0B7D3A65C19E8F7B2D04A6C3E1F5B8D7A9C0E2F4B6D8A1C3E5F7091',
      'two\nlines',
      'caf\u00e9',
      '',
      // HubSpot's private app token and its older API key: runs too short to look random.
      'pat-na1-6f1c2a3b-4d5e-6f70-8192-a3b4c5d6e7f8',
      '6f1c2a3b-4d5e-6f70-8192-a3b4c5d6e7f8',
    ])
      expect(showable(value)).toBe(false);
    expect(describeGiven('')).toBe('an empty value');
    expect(describeGiven('   ')).toBe('a value of 3 blank characters');
  });

  it('scrubs a known secret whatever it holds, and bearer values, session ids and PEM keys by shape', () => {
    const odd = 'a token with spaces\nand a line break';
    expect(scrubSecrets(`Bearer ${odd} is bad`, [odd])).toBe('Bearer [a secret, not shown] is bad');
    expect(scrubSecrets(`sent ${SESSION} here`)).toBe('sent [an access token, not shown] here');
    expect(scrubSecrets('Authorization: Bearer abcdefgh12345678')).toBe(
      'Authorization: Bearer [not shown]',
    );
    expect(scrubSecrets(`key ${PEM}`)).toBe('key [a private key, not shown]\n');
    // Short "secrets" (a test's 't') are not replaced letter by letter.
    expect(scrubSecrets('The JWT bearer token request failed', ['t'])).toBe(
      'The JWT bearer token request failed',
    );
  });
});
