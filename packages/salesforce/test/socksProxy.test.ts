/**
 * HTTPS_PROXY / HTTP_PROXY naming a SOCKS5 proxy (socks5:// or socks5h://): the package's own
 * SOCKS5 client (proxy/socks5.ts), with the HTTP tunnel's address rule, abort, timeout and errors.
 * jsforce's transport knew no SOCKS: it sent an HTTP CONNECT to the SOCKS port and waited for the
 * request timeout. A small SOCKS5 server on loopback records what each client asked for.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import {
  connect as netConnect,
  createServer,
  isIP,
  type AddressInfo,
  type LookupFunction,
  type Socket,
} from 'node:net';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import { withTrustedLocalhostTarget } from './selfSigned.js';
import { jwtSimulatorForAll } from './simulator.js';
import { clearProxyVarsForEachTest } from './proxyVars.js';
import { failure, within } from './bounds.js';
import { connect } from '../src/connect.js';
import { InputError } from '../src/errors.js';
import { proxiedTransport } from '../src/lookupTransport.js';
import { proxyFor } from '../src/proxyTunnel.js';
import { isTransientSalesforceFailure } from '../src/transient.js';
import { sendRest } from '../src/transport.js';

clearProxyVarsForEachTest();

interface SocksOptions {
  /** Requires user name and password (RFC 1929) equal to these. */
  credentials?: { user: string; password: string };
  /** Answers every CONNECT with this reply instead of connecting. */
  reply?: number;
  /** Stops answering at this stage: the greeting (no method chosen) or the request. */
  silentAt?: 'greeting' | 'request';
  /** Answers the greeting with this instead (a proxy that is no SOCKS5 server). */
  answer?: string;
}

interface SocksRequest {
  /** DST.ADDR as sent: an address, or the name for ATYP 3. */
  host: string;
  atyp: number;
  port: number;
}

interface SocksServer {
  port: number;
  /** Methods each greeting offered. */
  offered: number[][];
  /** User names and passwords received. */
  logins: { user: string; password: string }[];
  requests: SocksRequest[];
  /** Each client connection's end, as they arrive. */
  connections: Promise<void>[];
  /** Resolves once the first client connected, with its connection's end. */
  connected: Promise<{ closed: Promise<void> }>;
  close(): Promise<void>;
}

function readAddress(buffer: Buffer, at: number): { host: string; atyp: number; end: number } {
  const atyp = buffer[at]!;
  if (atyp === 0x01)
    return { atyp, host: [...buffer.subarray(at + 1, at + 5)].join('.'), end: at + 5 };
  if (atyp === 0x04) {
    const groups: string[] = [];
    for (let i = 0; i < 8; i++) groups.push(buffer.readUInt16BE(at + 1 + i * 2).toString(16));
    return {
      atyp,
      host: new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1),
      end: at + 17,
    };
  }
  const length = buffer[at + 1]!;
  return {
    atyp,
    host: buffer.subarray(at + 2, at + 2 + length).toString('utf8'),
    end: at + 2 + length,
  };
}

/** A SOCKS5 server (RFC 1928, RFC 1929) on 127.0.0.1 that relays to the target it is asked for. */
async function startSocks(options: SocksOptions = {}): Promise<SocksServer> {
  const sockets = new Set<Socket>();
  const state = {
    offered: [] as number[][],
    logins: [] as { user: string; password: string }[],
    requests: [] as SocksRequest[],
    connections: [] as Promise<void>[],
  };
  let first!: (connection: { closed: Promise<void> }) => void;
  const connected = new Promise<{ closed: Promise<void> }>((resolve) => (first = resolve));
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => {
      client.once('end', () => resolve());
      client.once('close', () => resolve());
    });
    state.connections.push(closed);
    first({ closed });
    let stage: 'greeting' | 'auth' | 'request' = 'greeting';
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 'greeting') {
        if (buffer.length < 2 || buffer.length < 2 + buffer[1]!) return;
        const methods = [...buffer.subarray(2, 2 + buffer[1]!)];
        state.offered.push(methods);
        buffer = buffer.subarray(2 + buffer[1]!);
        if (options.silentAt === 'greeting') return;
        if (options.answer !== undefined) return void client.end(options.answer);
        if (options.credentials) {
          if (!methods.includes(0x02)) return void client.end(Buffer.from([0x05, 0xff]));
          stage = 'auth';
          client.write(Buffer.from([0x05, 0x02]));
        } else {
          stage = 'request';
          client.write(Buffer.from([0x05, 0x00]));
        }
      }
      if (stage === 'auth') {
        if (buffer.length < 2) return;
        const userLength = buffer[1]!;
        if (buffer.length < 3 + userLength) return;
        const passwordLength = buffer[2 + userLength]!;
        if (buffer.length < 3 + userLength + passwordLength) return;
        const login = {
          user: buffer.subarray(2, 2 + userLength).toString('utf8'),
          password: buffer
            .subarray(3 + userLength, 3 + userLength + passwordLength)
            .toString('utf8'),
        };
        state.logins.push(login);
        buffer = buffer.subarray(3 + userLength + passwordLength);
        const { user, password } = options.credentials!;
        if (login.user !== user || login.password !== password)
          return void client.end(Buffer.from([0x01, 0x01]));
        stage = 'request';
        client.write(Buffer.from([0x01, 0x00]));
      }
      if (stage === 'request') {
        if (buffer.length < 5) return;
        const need = buffer[3] === 0x01 ? 10 : buffer[3] === 0x04 ? 22 : 7 + buffer[4]!;
        if (buffer.length < need) return;
        const { host, atyp, end } = readAddress(buffer, 3);
        const port = buffer.readUInt16BE(end);
        state.requests.push({ host, atyp, port });
        client.off('data', onData);
        const rest = buffer.subarray(need);
        if (options.silentAt === 'request') return;
        const success = Buffer.from([0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
        if (options.reply !== undefined)
          return void client.end(Buffer.from([0x05, options.reply, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
        const upstream = netConnect(port, host, () => {
          client.write(success);
          if (rest.length) upstream.write(rest);
          upstream.pipe(client).pipe(upstream);
        });
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () =>
          client.end(Buffer.from([0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0])),
        );
        client.on('close', () => upstream.destroy());
      }
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    ...state,
    connected,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The test's resolver (connect's `lookup`): every name to 127.0.0.1, the names in `refused` refused as the relay's rule would. */
function resolver(refused: Set<string> = new Set()) {
  const asked: string[] = [];
  const lookup: LookupFunction = (hostname, options, callback) => {
    asked.push(hostname);
    setImmediate(() => {
      if (refused.has(hostname))
        return callback(
          Object.assign(new Error(`${hostname} is not a public address`), {
            code: 'DESTINATION_REFUSED',
          }),
          [],
        );
      const address: LookupAddress = { address: '127.0.0.1', family: 4 };
      if ((options as { all?: boolean }).all) return callback(null, [address]);
      callback(null, address.address, address.family);
    });
  };
  return { asked, lookup };
}

const clientId = '3MVG9socks';
let sim: OrgSimulator;
const jwt = (lookup?: LookupFunction) => ({
  kind: 'jwt' as const,
  clientId,
  username: sim.adminUser.Username,
  loginUrl: sim.url,
  privateKey: privatePem,
  timeoutMs: 10_000,
  ...(lookup ? { lookup } : {}),
});
const simPort = () => Number(new URL(sim.url).port);

const closers: (() => Promise<void>)[] = [];
async function socks(options: SocksOptions = {}): Promise<SocksServer> {
  const server = await startSocks(options);
  closers.push(server.close);
  return server;
}

const { privatePem } = jwtSimulatorForAll(
  { fixture: 'healthy', clientId, host: 'localhost' },
  (started) => (sim = started),
);
beforeEach(() => {
  sim.resetRequests();
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('a SOCKS5 proxy without a lookup (the CLI)', () => {
  it('socks5h: the token request, REST and jsforce calls go through it, the proxy given the name', async () => {
    const proxy = await socks();
    process.env.HTTP_PROXY = `socks5h://127.0.0.1:${proxy.port}`;
    const conn = await connect(jwt());
    await sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' });
    await conn.query('SELECT Id FROM User LIMIT 1');
    expect(sim.requests.map((r) => r.path)).toEqual([
      '/services/oauth2/token',
      '/services/data/v64.0/limits',
      '/services/data/v64.0/query?q=SELECT%20Id%20FROM%20User%20LIMIT%201',
    ]);
    // One kept-alive connection, asked for the name (ATYP 3): the proxy resolves it.
    expect(proxy.requests).toEqual([{ host: 'localhost', atyp: 3, port: simPort() }]);
    expect(proxy.offered).toEqual([[0x00]]);
  });

  it('socks5: the proxy is given the address the system resolver gives here, not the name', async () => {
    const proxy = await socks();
    process.env.HTTP_PROXY = `socks5://127.0.0.1:${proxy.port}`;
    const local = await new Promise<string>((resolve, reject) =>
      dnsLookup('localhost', (error, address) => (error ? reject(error) : resolve(address))),
    );
    // The proxy relays to what it is given; a simulator listening on the other family is not
    // what this test is about, so it only checks what was asked.
    await failure(connect(jwt()));
    expect(proxy.requests).toEqual([
      { host: local, atyp: isIP(local) === 6 ? 4 : 1, port: simPort() },
    ]);
  });

  it('user name and password (RFC 1929), percent-decoded, are offered beside no authentication and accepted', async () => {
    const proxy = await socks({ credentials: { user: 'egress', password: 's3cr@t' } });
    process.env.HTTP_PROXY = `socks5h://egress:s3cr%40t@127.0.0.1:${proxy.port}`;
    const conn = await connect(jwt());
    await sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' });
    expect(proxy.offered).toEqual([[0x00, 0x02]]);
    expect(proxy.logins).toEqual([{ user: 'egress', password: 's3cr@t' }]);
  });

  it('refused credentials are PROXY_REFUSED, never showing them, and nothing reaches the org', async () => {
    const proxy = await socks({ credentials: { user: 'egress', password: 's3cr@t' } });
    process.env.HTTP_PROXY = `socks5h://egress:wrong-pass@127.0.0.1:${proxy.port}`;
    const error = await failure(connect(jwt()));
    expect(error).toMatchObject({
      errorCode: 'PROXY_REFUSED',
      message: `The JWT bearer token request failed: The SOCKS proxy socks5h://127.0.0.1:${proxy.port} refused the user name and password (status 1)`,
    });
    expect(error?.statusCode).toBeUndefined();
    expect(JSON.stringify({ message: error?.message, stack: error?.stack })).not.toMatch(
      /wrong-pass|egress:/,
    );
    expect(isTransientSalesforceFailure(error)).toBe(false);
    expect(proxy.requests).toEqual([]);
    expect(sim.requests).toEqual([]);
  });

  it('a proxy that wants credentials none were given for is PROXY_REFUSED, saying so', async () => {
    const proxy = await socks({ credentials: { user: 'egress', password: 'pw' } });
    process.env.HTTP_PROXY = `socks5h://127.0.0.1:${proxy.port}`;
    expect(await failure(connect(jwt()))).toMatchObject({
      errorCode: 'PROXY_REFUSED',
      message: expect.stringMatching(
        /accepts none of the authentication methods offered \(none: does it want a user name and password in its URL\?\)$/,
      ),
    });
  });

  it.each([
    [5, 'PROXY_SOCKS_ERROR', 'connection refused', true],
    [4, 'PROXY_SOCKS_ERROR', 'host unreachable', true],
    [2, 'PROXY_REFUSED', 'connection not allowed by ruleset', false],
    [8, 'PROXY_MISCONFIGURED', 'address type not supported', false],
  ])('a SOCKS reply %i is %s naming the reply', async (reply, errorCode, words, transient) => {
    const proxy = await socks({ reply });
    process.env.HTTP_PROXY = `socks5h://127.0.0.1:${proxy.port}`;
    const error = await failure(connect(jwt()));
    expect(error).toMatchObject({
      errorCode,
      message: `The JWT bearer token request failed: The SOCKS proxy socks5h://127.0.0.1:${proxy.port} refused the connection to localhost:${simPort()}: SOCKS reply ${reply} (${words})`,
    });
    expect(isTransientSalesforceFailure(error)).toBe(transient);
    expect(sim.requests).toEqual([]);
  });

  it('a proxy that is no SOCKS5 server (an HTTP proxy) is PROXY_MISCONFIGURED', async () => {
    const proxy = await socks({ answer: 'HTTP/1.1 400 Bad Request\r\n\r\n' });
    process.env.HTTP_PROXY = `socks5://127.0.0.1:${proxy.port}`;
    expect(await failure(connect(jwt()))).toMatchObject({
      errorCode: 'PROXY_MISCONFIGURED',
      message: expect.stringMatching(
        /The SOCKS proxy socks5:\/\/127\.0\.0\.1:\d+ does not speak SOCKS5: if it is an HTTP proxy, write its URL with http:\/\/$/,
      ),
    });
  });

  it('a proxy that cannot be reached is PROXY_UNREACHABLE, and transient', async () => {
    // Nothing listens on port 1.
    process.env.HTTP_PROXY = 'socks5h://127.0.0.1:1';
    const error = await failure(connect(jwt()));
    expect(error).toMatchObject({
      errorCode: 'PROXY_UNREACHABLE',
      message: expect.stringMatching(
        /The SOCKS proxy socks5h:\/\/127\.0\.0\.1:1 could not be reached: .*ECONNREFUSED/,
      ),
    });
    expect(isTransientSalesforceFailure(error)).toBe(true);
  });

  it('https: TLS to the name, over a SOCKS connection to the name', async () => {
    await withTrustedLocalhostTarget(async (port) => {
      const proxy = await socks();
      process.env.HTTPS_PROXY = `socks5h://127.0.0.1:${proxy.port}`;
      const transport = proxiedTransport((url) => proxyFor(url));
      await expect(
        transport.httpRequest({ method: 'GET', url: `https://localhost:${port}/x` }),
      ).resolves.toMatchObject({ statusCode: 200, body: '{"ok":true}' });
      expect(proxy.requests).toEqual([{ host: 'localhost', atyp: 3, port }]);
    });
  });
});

describe('a SOCKS5 proxy with a lookup (the relay)', () => {
  it.each(['socks5', 'socks5h'])(
    '%s: the name is resolved with the lookup and the proxy is given the checked address, never the name',
    async (scheme) => {
      const proxy = await socks();
      process.env.HTTP_PROXY = `${scheme}://127.0.0.1:${proxy.port}`;
      const { asked, lookup } = resolver();
      const conn = await connect(jwt(lookup));
      await sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' });
      expect(asked).toContain('localhost');
      expect(proxy.requests).toEqual([{ host: '127.0.0.1', atyp: 1, port: simPort() }]);
    },
  );

  it('an IPv6 address the lookup gives is sent as ATYP 4, its 16 bytes', async () => {
    const target = createHttpServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
    );
    await new Promise<void>((resolve) => target.listen(0, '::1', resolve));
    try {
      const port = (target.address() as AddressInfo).port;
      const proxy = await socks();
      process.env.HTTP_PROXY = `socks5h://127.0.0.1:${proxy.port}`;
      const lookup: LookupFunction = (_hostname, options, callback) =>
        (options as { all?: boolean }).all
          ? callback(null, [{ address: '0:0:0:0:0:0:0:1', family: 6 }])
          : callback(null, '0:0:0:0:0:0:0:1', 6);
      const conn = await connect({
        instanceUrl: `http://localhost:${port}`,
        accessToken: 'token',
        lookup,
      });
      await expect(sendRest(conn, { method: 'GET', url: '/x' })).resolves.toEqual({ ok: true });
      expect(proxy.requests).toEqual([{ host: '::1', atyp: 4, port }]);
    } finally {
      target.closeAllConnections();
      await new Promise((resolve) => target.close(resolve));
    }
  });

  it('a refused name: nothing goes to the proxy, not even a greeting', async () => {
    const proxy = await socks();
    process.env.HTTP_PROXY = `socks5h://127.0.0.1:${proxy.port}`;
    const { lookup } = resolver(new Set(['localhost']));
    expect(await failure(connect(jwt(lookup)))).toMatchObject({
      errorCode: 'DESTINATION_REFUSED',
    });
    expect(proxy.connections).toEqual([]);
  });
});

describe('a SOCKS5 proxy that stops answering', () => {
  let org: HttpServer;
  let orgUrl: string;
  beforeAll(async () => {
    org = createHttpServer((_req, res) => res.writeHead(200).end('{}'));
    await new Promise<void>((resolve) => org.listen(0, '127.0.0.1', resolve));
    orgUrl = `http://localhost:${(org.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    org.closeAllConnections();
    await new Promise((resolve) => org.close(resolve));
  });

  it.each(['greeting', 'request'] as const)(
    'an abort while it has not answered the %s: ABORTED at once, and the proxy sees the connection closed',
    async (silentAt) => {
      const proxy = await socks({ silentAt });
      process.env.HTTP_PROXY = `socks5h://127.0.0.1:${proxy.port}`;
      const controller = new AbortController();
      const conn = await connect({
        instanceUrl: orgUrl,
        accessToken: 'token',
        timeoutMs: 120_000,
        signal: controller.signal,
      });
      const pending = sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' });
      pending.catch(() => undefined);
      const { closed } = await within(proxy.connected, 'the client reaching the proxy');
      await within(
        (async () => {
          while (proxy.offered.length === 0 || (silentAt === 'request' && !proxy.requests.length))
            await new Promise((resolve) => setTimeout(resolve, 10));
        })(),
        'the handshake reaching the stage',
      );
      controller.abort(new Error('stopped by the test'));
      await expect(within(pending, 'the request failing')).rejects.toMatchObject({
        errorCode: 'ABORTED',
      });
      await within(closed, 'the connection to the proxy closing');
    },
    20_000,
  );

  it('a proxy that never answers: REQUEST_TIMEOUT at the timeout, and its connection is closed then', async () => {
    const proxy = await socks({ silentAt: 'greeting' });
    process.env.HTTP_PROXY = `socks5h://127.0.0.1:${proxy.port}`;
    const conn = await connect({ instanceUrl: orgUrl, accessToken: 'token', timeoutMs: 500 });
    const started = Date.now();
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).rejects.toMatchObject({ errorCode: 'REQUEST_TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    await within(proxy.connections[0]!, 'the connection to the proxy closing');
  });
});

describe('settings this package does not speak', () => {
  it.each(['socks4://127.0.0.1:1080', 'socks4a://127.0.0.1:1080', 'socks://127.0.0.1:1080'])(
    '%s is an InputError at connect, naming the SOCKS5 URLs, before anything is sent',
    async (setting) => {
      process.env.HTTPS_PROXY = setting;
      for (const lookup of [undefined, resolver().lookup]) {
        const error = await failure(
          connect({
            instanceUrl: 'https://acme.my.salesforce.com',
            accessToken: 'token',
            ...(lookup ? { lookup } : {}),
          }),
        );
        expect(error).toBeInstanceOf(InputError);
        expect(error?.message).toBe(
          `The proxy ${setting} is a SOCKS4 proxy, which Sync Doctor does not speak: write its URL with socks5h:// (the proxy resolves the name) or socks5:// if it speaks SOCKS5, or name an http:// proxy`,
        );
      }
    },
  );

  it('NO_PROXY naming the host lets the connection go directly, whatever the setting', async () => {
    process.env.HTTPS_PROXY = 'socks4://127.0.0.1:1';
    process.env.NO_PROXY = 'acme.my.salesforce.com';
    await expect(
      connect({ instanceUrl: 'https://acme.my.salesforce.com', accessToken: 'token' }),
    ).resolves.toBeDefined();
  });
});
