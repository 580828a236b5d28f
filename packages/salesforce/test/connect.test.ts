import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sfOrgDisplay } from '../src/auth/sfCli.js';
import { connect } from '../src/connect.js';
import { sendRest, sessionUsername } from '../src/transport.js';
import { SALESFORCE_API_VERSION } from '../src/version.js';

/** A token endpoint and a REST endpoint that accept only the tokens the token endpoint issued. */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
let server: Server;
let url: string;
let issued: string[];
let valid: Set<string>;
let tokenRequests: Record<string, string>[];
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/services/oauth2/token') {
        const params = Object.fromEntries(new URLSearchParams(body));
        tokenRequests.push(params);
        if (params.grant_type === 'refresh_token') {
          if (params.refresh_token !== 'rt' || params.client_id !== 'cid')
            return send(400, {
              error: 'invalid_grant',
              error_description: 'expired access/refresh token',
            });
          const token = `refreshed-${issued.length + 1}`;
          issued.push(token);
          valid.add(token);
          return send(200, {
            access_token: token,
            instance_url: url,
            id: `${url}/id/00D/005`,
            token_type: 'Bearer',
          });
        }
        const [header, claims, signature] = (params.assertion ?? '').split('.');
        const ok = createVerify('RSA-SHA256')
          .update(`${header}.${claims}`)
          .verify(publicKey, Buffer.from(signature ?? '', 'base64url'));
        const sub = ok ? JSON.parse(Buffer.from(claims!, 'base64url').toString()).sub : undefined;
        if (!ok || sub !== 'admin@acme.com')
          return send(400, {
            error: 'invalid_grant',
            error_description: "user hasn't approved this consumer",
          });
        const token = `token-${issued.length + 1}`;
        issued.push(token);
        valid.add(token);
        return send(200, {
          access_token: token,
          instance_url: url,
          id: `${url}/id/00D000000000001AAA/005000000000001AAA`,
          token_type: 'Bearer',
          scope: 'api',
        });
      }
      const token = req.headers.authorization?.replace('Bearer ', '');
      if (!token || !valid.has(token))
        return send(401, [
          { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
        ]);
      return send(200, { path: req.url, token });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-connect-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  issued = [];
  valid = new Set();
  tokenRequests = [];
});

describe('JWT bearer flow', () => {
  it('gets a session with a signed assertion and pins the API version', async () => {
    const keyFile = join(dir, 'server.key');
    writeFileSync(keyFile, privatePem);
    const conn = await connect({
      kind: 'jwt',
      clientId: '3MVG9client',
      privateKeyFile: keyFile,
      username: 'admin@acme.com',
      loginUrl: url,
    });
    expect(tokenRequests[0]?.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(conn.version).toBe(SALESFORCE_API_VERSION);
    expect(conn.instanceUrl).toBe(url);
    expect(sessionUsername(conn)).toBe('admin@acme.com');
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).resolves.toMatchObject({ token: 'token-1' });
  });

  it('signs again when the session expires', async () => {
    const conn = await connect({
      kind: 'jwt',
      clientId: '3MVG9client',
      privateKey: privatePem,
      username: 'admin@acme.com',
      loginUrl: url,
    });
    valid.clear(); // the session expires
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).resolves.toMatchObject({ token: 'token-2' });
    expect(tokenRequests).toHaveLength(2);
  });

  it('types a refused grant', async () => {
    await expect(
      connect({
        kind: 'jwt',
        clientId: 'x',
        privateKey: privatePem,
        username: 'stranger@acme.com',
        loginUrl: url,
      }),
    ).rejects.toMatchObject({
      name: 'SalesforceError',
      errorCode: 'invalid_grant',
      reason: 'API_ACCESS_DISABLED',
    });
  });

  it('refuses a key that cannot sign before any request', async () => {
    await expect(
      connect({
        kind: 'jwt',
        clientId: 'x',
        privateKey: 'not a key',
        username: 'a@b.c',
        loginUrl: url,
      }),
    ).rejects.toThrow(/private key/);
    await expect(
      connect({
        kind: 'jwt',
        clientId: 'x',
        privateKeyFile: join(dir, 'absent.key'),
        username: 'a@b.c',
        loginUrl: url,
      }),
    ).rejects.toThrow(/Cannot read/);
    expect(tokenRequests).toHaveLength(0);
  });
});

describe('refresh token', () => {
  it('renews the session with the refresh_token grant', async () => {
    const conn = await connect({
      instanceUrl: url,
      accessToken: 'expired',
      refreshToken: 'rt',
      clientId: 'cid',
      loginUrl: url,
    });
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).resolves.toMatchObject({ token: 'refreshed-1' });
    expect(tokenRequests.map((r) => r.grant_type)).toEqual(['refresh_token']);
  });

  it('types a refused refresh as the original request failing', async () => {
    const conn = await connect({
      instanceUrl: url,
      accessToken: 'expired',
      refreshToken: 'revoked',
      clientId: 'cid',
      loginUrl: url,
    });
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).rejects.toMatchObject({ errorCode: 'invalid_grant' });
  });

  it('needs the connected app for a refresh token', async () => {
    await expect(
      connect({ instanceUrl: url, accessToken: 'x', refreshToken: 'rt' }),
    ).rejects.toThrow(/clientId/);
  });
});

describe('Salesforce CLI alias', () => {
  function fakeSf(name: string, output: unknown, exitCode = 0): string {
    const file = join(dir, name);
    writeFileSync(
      file,
      `#!/bin/sh\ncat <<'JSON'\n${JSON.stringify(output)}\nJSON\nexit ${exitCode}\n`,
    );
    chmodSync(file, 0o755);
    return file;
  }

  it('reads the session sf displays', async () => {
    valid.add('cli-token');
    const sf = fakeSf('sf-ok', {
      status: 0,
      result: {
        accessToken: 'cli-token',
        instanceUrl: url,
        username: 'admin@acme.com',
        connectedStatus: 'Connected',
      },
    });
    const conn = await connect({ kind: 'sf-cli', targetOrg: 'acme', sfBinary: sf });
    expect(sessionUsername(conn)).toBe('admin@acme.com');
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).resolves.toMatchObject({ token: 'cli-token' });
  });

  it("reads the token from 'sf org auth show-access-token' when 'sf org display' redacts it", async () => {
    // Current Salesforce CLIs print "[REDACTED] Use 'sf org auth show-access-token' to view" in
    // place of the token (SF_TEMP_SHOW_SECRETS, the way back, ended on October 28, 2026).
    valid.add('shown-token');
    const display = {
      status: 0,
      result: {
        accessToken: "[REDACTED] Use 'sf org auth show-access-token' to view",
        instanceUrl: url,
        username: 'admin@acme.com',
        connectedStatus: 'Connected',
      },
    };
    const shown = { status: 0, result: { accessToken: 'shown-token' } };
    const file = join(dir, 'sf-redacts');
    writeFileSync(
      file,
      [
        '#!/bin/sh',
        'if [ "$1 $2 $3" = "org auth show-access-token" ]; then',
        `cat <<'JSON'\n${JSON.stringify(shown)}\nJSON`,
        'elif [ "$1 $2" = "org display" ]; then',
        `cat <<'JSON'\n${JSON.stringify(display)}\nJSON`,
        'else echo \'{"status":1,"name":"CommandNotFound","message":"not a command"}\'; exit 1',
        'fi',
        '',
      ].join('\n'),
    );
    chmodSync(file, 0o755);
    const conn = await connect({ kind: 'sf-cli', targetOrg: 'acme', sfBinary: file });
    expect(sessionUsername(conn)).toBe('admin@acme.com');
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).resolves.toMatchObject({ token: 'shown-token' });
  });

  it('says to log in again when sf could not renew its own session, without trying the stale one', async () => {
    // `sf org display` still answers (status 0) with the stored, expired token and tells in
    // connectedStatus why it could not renew it (a revoked or expired refresh token).
    const sf = fakeSf('sf-stale', {
      status: 0,
      result: {
        accessToken: 'stale-token',
        instanceUrl: url,
        username: 'admin@acme.com',
        connectedStatus: 'RefreshTokenAuthError',
      },
    });
    await expect(
      connect({ kind: 'sf-cli', targetOrg: 'acme', sfBinary: sf }),
    ).rejects.toMatchObject({
      errorCode: 'SF_CLI_ORG_NOT_AUTHORIZED',
      message: expect.stringMatching(/RefreshTokenAuthError.*sf org login web --alias acme/),
    });
  });

  it('says clearly when sf is not installed', async () => {
    await expect(
      connect({ kind: 'sf-cli', targetOrg: 'acme', sfBinary: join(dir, 'no-such-sf') }),
    ).rejects.toMatchObject({
      errorCode: 'SF_CLI_NOT_FOUND',
      message: expect.stringContaining('npm install --global @salesforce/cli'),
    });
  });

  it('says clearly when the org is not authorised', async () => {
    const sf = fakeSf(
      'sf-no-org',
      {
        status: 1,
        name: 'NamedOrgNotFoundError',
        message: 'No authorization information found for acme.',
      },
      1,
    );
    await expect(
      connect({ kind: 'sf-cli', targetOrg: 'acme', sfBinary: sf }),
    ).rejects.toMatchObject({
      errorCode: 'SF_CLI_ORG_NOT_AUTHORIZED',
      message: expect.stringContaining('sf org login web --alias acme'),
    });
  });

  it("sfCommand 'npx sf' spells every command the messages suggest as npx sf (a project's dev dependency)", async () => {
    const noOrg = fakeSf(
      'sf-no-org-npx',
      { status: 1, name: 'NamedOrgNotFoundError', message: 'No authorization information found.' },
      1,
    );
    const notAuthorised: Error = await connect({
      kind: 'sf-cli',
      targetOrg: 'acme',
      sfBinary: noOrg,
      sfCommand: 'npx sf',
    }).then(
      () => new Error('connected'),
      (e: unknown) => e as Error,
    );
    expect(notAuthorised.message).toContain("Run 'npx sf org login web --alias acme'");
    const missing: Error = await connect({
      kind: 'sf-cli',
      targetOrg: 'acme',
      sfBinary: join(dir, 'no-such-sf'),
      sfCommand: 'npx sf',
    }).then(
      () => new Error('connected'),
      (e: unknown) => e as Error,
    );
    expect(missing).toMatchObject({ errorCode: 'SF_CLI_NOT_FOUND' });
    expect(missing.message).toContain("run 'npx sf org login web --alias acme'");
    expect(missing.message).not.toContain('npm install --global');
    expect(missing.message).toContain('npm install --save-dev @salesforce/cli');
    for (const message of [notAuthorised.message, missing.message])
      expect(message.replace(/npx sf /g, '')).not.toMatch(/(^|[\s'"(])sf org /);
  });

  it("sfCommand 'npx sf' names the command that timed out as npx sf too", async () => {
    const file = join(dir, 'sf-hangs-npx');
    writeFileSync(file, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(file, 0o755);
    await expect(
      connect({
        kind: 'sf-cli',
        targetOrg: 'acme',
        sfBinary: file,
        timeoutMs: 300,
        sfCommand: 'npx sf',
      }),
    ).rejects.toMatchObject({
      errorCode: 'SF_CLI_TIMEOUT',
      message: expect.stringContaining("('npx sf org display --target-org acme')"),
    });
  });

  it('gives up on an sf that does not finish within the timeout, and says so', async () => {
    // A hung `sf org display` (a prompt, a token refresh to an unreachable host) must not hang a
    // pipeline, nor be reported as an alias the CLI does not know.
    const file = join(dir, 'sf-hangs');
    writeFileSync(file, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(file, 0o755);
    await expect(
      connect({ kind: 'sf-cli', targetOrg: 'acme', sfBinary: file, timeoutMs: 300 }),
    ).rejects.toMatchObject({
      errorCode: 'SF_CLI_TIMEOUT',
      message: expect.stringContaining("'sf org display --target-org acme'"),
    });
  });

  it("gives sf's reason on one line, without sf's own pointer to --help", async () => {
    const sf = fakeSf(
      'sf-no-org-multiline',
      {
        status: 1,
        name: 'NamedOrgNotFoundError',
        message:
          'Parsing --target-org \n\tNo authorization information found for acme.\nSee more help with --help',
      },
      1,
    );
    const error = await connect({ kind: 'sf-cli', targetOrg: 'acme', sfBinary: sf }).catch(
      (e: Error) => e,
    );
    expect(error).toMatchObject({ errorCode: 'SF_CLI_ORG_NOT_AUTHORIZED' });
    expect((error as Error).message).not.toMatch(/\n|\t|--help/);
    expect((error as Error).message).toContain(
      'Parsing --target-org No authorization information found for acme.',
    );
  });

  it("on Windows runs sf's .cmd shim through the shell, and refuses an alias the shell would read", async () => {
    // npm installs the CLI as sf.cmd there, which execFile cannot start without a shell (it looks
    // for .exe and .com only): without this, --target-org said the CLI was not installed.
    valid.add('win-token');
    const output = {
      status: 0,
      result: { accessToken: 'win-token', instanceUrl: url, username: 'admin@acme.com' },
    };
    writeFileSync(
      join(dir, 'sf-win.cmd'),
      `#!/bin/sh\ncat <<'JSON'\n${JSON.stringify(output)}\nJSON\n`,
    );
    chmodSync(join(dir, 'sf-win.cmd'), 0o755);
    const display = await sfOrgDisplay('acme', { binary: join(dir, 'sf-win'), platform: 'win32' });
    expect(display).toMatchObject({ accessToken: 'win-token', username: 'admin@acme.com' });
    await expect(
      sfOrgDisplay('acme&calc', { binary: join(dir, 'sf-win'), platform: 'win32' }),
    ).rejects.toThrow(/alias/);
  });

  it('refuses an alias that would read as a flag', async () => {
    await expect(connect({ kind: 'sf-cli', targetOrg: '--json' })).rejects.toThrow(
      /Not an org alias/,
    );
  });
});
