import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { selfSignedCertificate } from './selfSigned.js';
import { connect, type ConnectOptions } from '../src/connect.js';
import { SalesforceError } from '../src/errors.js';
import { apiUsageOf, requestCount, sendRest, setSessionRefresher } from '../src/transport.js';

/**
 * A bare HTTP server standing in for Salesforce, for what the transport adds to jsforce: counting,
 * status codes on errors, Sforce-Limit-Info, one refresh, no hidden retries, timeouts.
 * (The collector itself is tested against the org simulator.)
 *
 * The cases run with jsforce's own HTTP (transport.test.ts) and with a lookup, which sends through
 * lookupTransport.ts instead (transportLookup.test.ts): `extra` goes into every connect.
 */
export function transportCases(extra: Pick<ConnectOptions, 'lookup'>): void {
  type Handler = (req: IncomingMessage, res: ServerResponse) => void;
  let server: Server;
  let url: string;
  let handler: Handler;
  let hits: { method?: string; url?: string; auth?: string }[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push({ method: req.method, url: req.url, auth: req.headers.authorization });
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    hits = [];
  });

  function json(res: ServerResponse, status: number, body: unknown, usage = '12/15000') {
    res.writeHead(status, {
      'content-type': 'application/json;charset=UTF-8',
      'sforce-limit-info': `api-usage=${usage}`,
    });
    res.end(JSON.stringify(body));
  }

  it('counts requests and reads the API usage header', async () => {
    handler = (_req, res) =>
      json(res, 200, { DailyApiRequests: { Max: 15000, Remaining: 14988 } }, '13/15000');
    const conn = await connect({ ...extra, instanceUrl: url, accessToken: 'token-1' });
    const body = await sendRest<Record<string, unknown>>(conn, {
      method: 'GET',
      url: '/services/data/v64.0/limits',
    });
    expect(body).toEqual({ DailyApiRequests: { Max: 15000, Remaining: 14988 } });
    expect(requestCount(conn)).toBe(1);
    expect(apiUsageOf(conn)).toEqual({ used: 13, max: 15000 });
    expect(hits[0]).toMatchObject({
      method: 'GET',
      url: '/services/data/v64.0/limits',
      auth: 'Bearer token-1',
    });
  });

  it('types an error with its status code and does not retry a 503', async () => {
    handler = (_req, res) =>
      json(res, 503, [
        { errorCode: 'SERVER_UNAVAILABLE', message: 'Server is down for maintenance' },
      ]);
    const conn = await connect({ ...extra, instanceUrl: url, accessToken: 'token-1' });
    const error = await sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({
      errorCode: 'SERVER_UNAVAILABLE',
      statusCode: 503,
      reason: 'ORG_UNAVAILABLE',
    });
    expect(hits).toHaveLength(1);
  });

  it('refreshes an expired session once and retries', async () => {
    handler = (req, res) =>
      req.headers.authorization === 'Bearer fresh'
        ? json(res, 200, { ok: true })
        : json(res, 401, [
            { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
          ]);
    const conn = await connect({ ...extra, instanceUrl: url, accessToken: 'stale' });
    let refreshes = 0;
    setSessionRefresher(conn, async (c) => {
      refreshes += 1;
      c.accessToken = 'fresh';
    });
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).resolves.toEqual({ ok: true });
    expect(refreshes).toBe(1);
    expect(hits.map((h) => h.auth)).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('gives up after one refresh when the new session is refused too', async () => {
    handler = (_req, res) =>
      json(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    const conn = await connect({ ...extra, instanceUrl: url, accessToken: 'stale' });
    let refreshes = 0;
    setSessionRefresher(conn, async (c) => {
      refreshes += 1;
      c.accessToken = `still-bad-${refreshes}`;
    });
    await expect(sendRest(conn, { method: 'GET', url: '/x' })).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
      statusCode: 401,
    });
    expect(refreshes).toBe(1);
    expect(hits).toHaveLength(2);
  });

  it('does not refresh when the auth cannot (a bare access token)', async () => {
    handler = (_req, res) =>
      json(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    const conn = await connect({ ...extra, instanceUrl: url, accessToken: 'stale' });
    await expect(sendRest(conn, { method: 'GET', url: '/x' })).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
      reason: 'API_ACCESS_DISABLED',
    });
    expect(hits).toHaveLength(1);
  });

  it('shares one refresh between parallel requests', async () => {
    handler = (req, res) =>
      req.headers.authorization === 'Bearer fresh'
        ? json(res, 200, { ok: req.url })
        : json(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'expired' }]);
    const conn = await connect({ ...extra, instanceUrl: url, accessToken: 'stale' });
    let refreshes = 0;
    setSessionRefresher(conn, async (c) => {
      refreshes += 1;
      await new Promise((r) => setTimeout(r, 20));
      c.accessToken = 'fresh';
    });
    const results = await Promise.all([
      sendRest(conn, { method: 'GET', url: '/a' }),
      sendRest(conn, { method: 'GET', url: '/b' }),
    ]);
    expect(results).toEqual([{ ok: '/services/data/v64.0/a' }, { ok: '/services/data/v64.0/b' }]);
    expect(refreshes).toBe(1);
  });

  it('ends a request that takes too long with REQUEST_TIMEOUT', async () => {
    let answered: Promise<void> = Promise.resolve();
    handler = (_req, res) => {
      answered = new Promise((resolve) =>
        setTimeout(() => resolve(json(res, 200, { late: true })), 400),
      );
    };
    const conn = await connect({ ...extra, instanceUrl: url, accessToken: 't', timeoutMs: 150 });
    await expect(sendRest(conn, { method: 'GET', url: '/slow' })).rejects.toMatchObject({
      errorCode: 'REQUEST_TIMEOUT',
      message: `No answer from ${url}/services/data/v64.0/slow within 0.15 s (GET /slow)`,
    });
    await answered;
  });

  it('ends a request whose headers came but whose body stalls with REQUEST_TIMEOUT: the timeout is a deadline for the whole request', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      res.write('{"totalSize": 1, "done": true, "records": [');
      // ...and nothing more: the body never ends.
    };
    const conn = await connect({ ...extra, instanceUrl: url, accessToken: 't', timeoutMs: 150 });
    const started = Date.now();
    await expect(sendRest(conn, { method: 'GET', url: '/stalled' })).rejects.toMatchObject({
      errorCode: 'REQUEST_TIMEOUT',
      message: `No answer from ${url}/services/data/v64.0/stalled within 0.15 s (GET /stalled)`,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    // jsforce's own calls keep the same deadline.
    await expect(conn.query('SELECT Id FROM User')).rejects.toMatchObject({
      errorCode: 'REQUEST_TIMEOUT',
      message: expect.stringContaining(`No answer from ${url}/services/data/`),
    });
    server.closeAllConnections();
  });

  it('a body that trickles in slower than the deadline allows is cut off too', async () => {
    const timers: NodeJS.Timeout[] = [];
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      res.write('{"items": [0');
      const tick = setInterval(() => res.write(',0'), 40);
      timers.push(tick);
      res.on('close', () => clearInterval(tick));
    };
    const conn = await connect({ ...extra, instanceUrl: url, accessToken: 't', timeoutMs: 200 });
    const started = Date.now();
    await expect(sendRest(conn, { method: 'GET', url: '/trickle' })).rejects.toMatchObject({
      errorCode: 'REQUEST_TIMEOUT',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    timers.forEach(clearInterval);
    server.closeAllConnections();
  });

  it('a whole answer within the deadline is not cut off (the deadline timer is cleared)', async () => {
    handler = (_req, res) => json(res, 200, { fine: true });
    const conn = await connect({ ...extra, instanceUrl: url, accessToken: 't', timeoutMs: 150 });
    await expect(sendRest(conn, { method: 'GET', url: '/fine' })).resolves.toEqual({ fine: true });
    await new Promise((r) => setTimeout(r, 250));
    await expect(sendRest(conn, { method: 'GET', url: '/fine' })).resolves.toEqual({ fine: true });
  });

  it("times out jsforce's own calls on the connection too (the relay's conn.query and conn.limits)", async () => {
    let answered: Promise<void> = Promise.resolve();
    handler = (_req, res) => {
      answered = new Promise((resolve) =>
        setTimeout(() => resolve(json(res, 200, { totalSize: 0, done: true, records: [] })), 400),
      );
    };
    const conn = await connect({ ...extra, instanceUrl: url, accessToken: 't', timeoutMs: 150 });
    await expect(conn.query('SELECT Id FROM User')).rejects.toMatchObject({
      errorCode: 'REQUEST_TIMEOUT',
      message: expect.stringContaining(`No answer from ${url}/services/data/`),
    });
    await answered;
  });

  describe('redirects are never followed, so the session never reaches another address', () => {
    // A second server on another loopback address and port: where a hostile or stale Location points.
    let elsewhere: Server;
    let elsewhereUrl: string;
    let elsewhereHits: { method?: string; auth?: string }[];
    beforeAll(async () => {
      elsewhere = createServer((req, res) => {
        elsewhereHits.push({ method: req.method, auth: req.headers.authorization });
        json(res, 200, { stolen: true });
      });
      await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.2', resolve));
      elsewhereUrl = `http://127.0.0.2:${(elsewhere.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      elsewhere.closeAllConnections();
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    });
    beforeEach(() => {
      elsewhereHits = [];
    });

    it.each([301, 302, 307, 308])(
      'HTTP %i: REDIRECT_REFUSED naming the new address, nothing sent there',
      async (status) => {
        handler = (_req, res) => {
          res.writeHead(status, { location: `${elsewhereUrl}/services/data/v64.0/limits` });
          res.end();
        };
        const conn = await connect({ ...extra, instanceUrl: url, accessToken: 'SECRET' });
        const error = await sendRest(conn, {
          method: 'POST',
          url: '/services/data/v64.0/composite',
          body: { a: 1 },
          label: 'composite:user',
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SalesforceError);
        expect(error).toMatchObject({
          errorCode: 'REDIRECT_REFUSED',
          statusCode: status,
          request: 'composite:user',
        });
        expect((error as Error).message).toContain(
          `a redirect to ${elsewhereUrl}/services/data/v64.0/limits`,
        );
        expect((error as Error).message).toContain('My Domain');
        expect((error as Error).message).not.toContain('SECRET');
        expect(hits).toEqual([expect.objectContaining({ method: 'POST', auth: 'Bearer SECRET' })]);
        expect(elsewhereHits).toEqual([]);
      },
    );

    it("jsforce's own calls on the connection refuse redirects too (the relay's conn.query and conn.limits)", async () => {
      handler = (_req, res) => {
        res.writeHead(301, { location: `${elsewhereUrl}/services/data/v64.0/query` });
        res.end();
      };
      const conn = await connect({ ...extra, instanceUrl: url, accessToken: 'SECRET' });
      await expect(conn.query('SELECT Id FROM User')).rejects.toMatchObject({
        errorCode: 'REDIRECT_REFUSED',
      });
      await expect(conn.limits()).rejects.toMatchObject({ errorCode: 'REDIRECT_REFUSED' });
      expect(elsewhereHits).toEqual([]);
    });

    it('the token endpoint may not redirect either', async () => {
      handler = (req, res) => {
        if (req.url !== '/services/oauth2/token')
          return json(res, 401, [
            { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
          ]);
        res.writeHead(307, { location: `${elsewhereUrl}/services/oauth2/token` });
        res.end();
      };
      const conn = await connect({
        ...extra,
        kind: 'token',
        instanceUrl: url,
        accessToken: 'stale',
        refreshToken: 'REFRESH-SECRET',
        clientId: 'cid',
      });
      const error = await sendRest(conn, { method: 'GET', url: '/x' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ errorCode: 'REDIRECT_REFUSED', statusCode: 307 });
      expect(elsewhereHits).toEqual([]);
    });
  });

  describe('a connection dropped partway through the answer fails at once, not at the deadline', () => {
    // A deadline far beyond the test's own timeout: only an immediate failure can pass.
    const timeoutMs = 600_000;

    it('after the headers and part of the body (ECONNRESET mid-body)', async () => {
      handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
        res.write('{"totalSize": 1, "done": true, "records": [', () => res.socket?.destroy());
      };
      const conn = await connect({ ...extra, instanceUrl: url, accessToken: 't', timeoutMs });
      const error = await sendRest(conn, { method: 'GET', url: '/dropped' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SalesforceError);
      expect(error).toMatchObject({
        errorCode: 'ECONNRESET',
        reason: 'ORG_UNAVAILABLE',
        request: 'GET /dropped',
        message: expect.stringContaining(
          `The connection to ${url}/services/data/v64.0/dropped closed before the whole answer arrived`,
        ),
      });
      // jsforce's own calls on the connection too.
      await expect(conn.query('SELECT Id FROM User')).rejects.toMatchObject({
        errorCode: 'ECONNRESET',
      });
    }, 10_000);

    it('after the headers alone', async () => {
      handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
        res.flushHeaders();
        setTimeout(() => res.socket?.destroy(), 20);
      };
      const conn = await connect({ ...extra, instanceUrl: url, accessToken: 't', timeoutMs });
      await expect(sendRest(conn, { method: 'GET', url: '/headers-only' })).rejects.toMatchObject({
        errorCode: 'ECONNRESET',
        reason: 'ORG_UNAVAILABLE',
      });
    }, 10_000);

    it('before any answer (the socket closed with the request sent)', async () => {
      handler = (req) => req.socket.destroy();
      const conn = await connect({ ...extra, instanceUrl: url, accessToken: 't', timeoutMs });
      const error = await sendRest(conn, { method: 'GET', url: '/closed' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SalesforceError);
      expect((error as SalesforceError).errorCode).not.toBe('REQUEST_TIMEOUT');
      expect(error).toMatchObject({ reason: 'ORG_UNAVAILABLE' });
    }, 10_000);
  });

  describe('compressed answers (Salesforce compresses when asked, as jsforce asked)', () => {
    const page = {
      totalSize: 2,
      done: true,
      records: [{ Id: '005000000000001AAA', Name: 'Zoë Ünal' }, { Id: '005000000000002AAA' }],
    };
    const text = JSON.stringify(page);
    for (const [encoding, encode] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      // Some servers send deflate without the zlib wrapper the standard asks for.
      ['deflate', deflateRawSync],
    ] as const) {
      it(`asks for gzip and decodes ${encoding} (${encode.name})`, async () => {
        let asked: string | undefined;
        handler = (req, res) => {
          asked = req.headers['accept-encoding'];
          res.writeHead(200, {
            'content-type': 'application/json;charset=UTF-8',
            'content-encoding': encoding,
          });
          res.end(encode(Buffer.from(text)));
        };
        const conn = await connect({ ...extra, instanceUrl: url, accessToken: 't' });
        await expect(sendRest(conn, { method: 'GET', url: '/page' })).resolves.toEqual(page);
        expect(asked).toMatch(/\bgzip\b/);
        // jsforce's own calls too.
        await expect(conn.query('SELECT Id, Name FROM User')).resolves.toMatchObject({
          records: page.records,
        });
      });
    }

    it('an error answer compressed is still read as Salesforce error', async () => {
      handler = (_req, res) => {
        res.writeHead(400, {
          'content-type': 'application/json;charset=UTF-8',
          'content-encoding': 'gzip',
        });
        res.end(
          gzipSync(JSON.stringify([{ errorCode: 'INVALID_FIELD', message: 'No such column' }])),
        );
      };
      const conn = await connect({ ...extra, instanceUrl: url, accessToken: 't' });
      await expect(sendRest(conn, { method: 'GET', url: '/bad' })).rejects.toMatchObject({
        errorCode: 'INVALID_FIELD',
        statusCode: 400,
      });
    });
  });

  it('a certificate Node does not trust: its code, and a message naming the URL without its query', async () => {
    const cert = selfSignedCertificate('org.example.test');
    const tls = createHttpsServer(cert, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    try {
      const conn = await connect({ ...extra, instanceUrl: tlsUrl, accessToken: 't' });
      const error = (await sendRest(conn, {
        method: 'GET',
        url: '/services/data/v64.0/query?q=SELECT+Secret__c+FROM+Account',
      }).catch((e: unknown) => e)) as SalesforceError;
      expect(error).toBeInstanceOf(SalesforceError);
      expect(error.errorCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(error.message).toContain(`${tlsUrl}/services/data/v64.0/query`);
      expect(error.message).toMatch(/self-signed certificate/);
      expect(error.message).not.toContain('Secret__c');
    } finally {
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });

  it('reports a closed port as an unreachable org', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const conn = await connect({
      ...extra,
      instanceUrl: `http://127.0.0.1:${port}`,
      accessToken: 't',
    });
    await expect(sendRest(conn, { method: 'POST', url: '/x', body: {} })).rejects.toMatchObject({
      errorCode: 'ECONNREFUSED',
      reason: 'ORG_UNAVAILABLE',
      // Which org: Node's own message names only an address.
      message: expect.stringContaining(`http://127.0.0.1:${port}/services/data/v64.0/x`),
    });
  });
}
