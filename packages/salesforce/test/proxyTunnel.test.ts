import { generateKeyPairSync } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, type LookupFunction, type Socket } from 'node:net';
import { getCACertificates, setDefaultCACertificates, type TLSSocket } from 'node:tls';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { selfSignedCertificate } from './selfSigned.js';
import { connect } from '../src/connect.js';
import { lookupTransport } from '../src/lookupTransport.js';
import { proxyFor } from '../src/proxyTunnel.js';
import { sendRest } from '../src/transport.js';

// HTTPS_PROXY / HTTP_PROXY with connect's `lookup` (the relay's path): the name is resolved by the
// caller's rule, then the proxy is asked for a tunnel to the checked address, never the name. A
// local CONNECT proxy counts its tunnels and records what each CONNECT named.

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const clientId = '3MVG9proxy';
const PROXY_VARS = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
];
const saved = Object.fromEntries(PROXY_VARS.map((name) => [name, process.env[name]]));

interface Proxy {
  url: string;
  port: number;
  targets: string[];
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** A CONNECT proxy; with `credentials` ("user:pass", percent-encoded as in a URL) it answers 407 to any other Proxy-Authorization. */
async function startProxy(credentials?: string): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const state = { targets: [] as string[], authorizations: [] as (string | undefined)[] };
  const server: Server = createHttpServer((_req, res) => res.writeHead(405).end());
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    state.targets.push(req.url ?? '');
    state.authorizations.push(req.headers['proxy-authorization']);
    if (
      credentials &&
      req.headers['proxy-authorization'] !==
        `Basic ${Buffer.from(decodeURIComponent(credentials)).toString('base64')}`
    ) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="egress"\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    const [host, port] = [
      req.url!.slice(0, req.url!.lastIndexOf(':')),
      Number(req.url!.slice(req.url!.lastIndexOf(':') + 1)),
    ];
    const upstream = netConnect(port, host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}`,
    port,
    ...state,
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
          Object.assign(
            new Error(`${hostname} resolves to 169.254.169.254, which is not a public address`),
            { code: 'DESTINATION_REFUSED' },
          ),
          [],
        );
      const address: LookupAddress = { address: '127.0.0.1', family: 4 };
      if ((options as { all?: boolean }).all) return callback(null, [address]);
      callback(null, address.address, address.family);
    });
  };
  return { asked, lookup };
}

let sim: OrgSimulator;
let proxy: Proxy;
const jwt = (lookup: LookupFunction) => ({
  kind: 'jwt' as const,
  clientId,
  username: sim.adminUser.Username,
  loginUrl: sim.url,
  privateKey: privatePem,
  lookup,
});

beforeAll(async () => {
  sim = await startOrgSimulator({
    fixture: 'healthy',
    jwtPublicKey: publicKey,
    clientId,
    host: 'localhost',
  });
});
afterAll(async () => sim.close());
beforeEach(async () => {
  for (const name of PROXY_VARS) delete process.env[name];
  sim.resetRequests();
  proxy = await startProxy();
});
afterEach(async () => {
  for (const name of PROXY_VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await proxy.close();
});

describe('connect with lookup, through an HTTP proxy', () => {
  it('tunnels the token request, REST and jsforce calls to the checked address, not the name, on one kept-alive tunnel', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const { asked, lookup } = resolver();
    const conn = await connect(jwt(lookup));
    await sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' });
    await conn.query('SELECT Id FROM User LIMIT 1');
    expect(sim.requests.map((r) => r.path)).toEqual([
      '/services/oauth2/token',
      '/services/data/v64.0/limits',
      '/services/data/v64.0/query?q=SELECT%20Id%20FROM%20User%20LIMIT%201',
    ]);
    const port = new URL(sim.url).port;
    expect(proxy.targets).toEqual([`127.0.0.1:${port}`]);
    expect(proxy.authorizations).toEqual([undefined]);
    expect(new Set(asked)).toEqual(new Set(['localhost']));
  });

  it('a refused name: nothing goes to the proxy, not even the CONNECT', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const { lookup } = resolver(new Set(['localhost']));
    await expect(connect(jwt(lookup))).rejects.toMatchObject({
      errorCode: 'DESTINATION_REFUSED',
      message:
        'The JWT bearer token request failed: localhost resolves to 169.254.169.254, which is not a public address',
    });
    expect(proxy.targets).toEqual([]);
    expect(sim.requests).toEqual([]);
  });

  it('NO_PROXY bypasses the proxy (the lookup still decides)', async () => {
    process.env.http_proxy = proxy.url;
    process.env.no_proxy = 'example.com, localhost';
    const { asked, lookup } = resolver();
    const conn = await connect(jwt(lookup));
    await sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' });
    expect(proxy.targets).toEqual([]);
    expect(sim.requests).toHaveLength(2);
    expect(asked).toContain('localhost');
  });

  it('proxy credentials go as Proxy-Authorization; a 407 is a clear error naming the status, never the credentials', async () => {
    await proxy.close();
    proxy = await startProxy('egress-user:s3cr%40t-pass');
    process.env.HTTP_PROXY = proxy.url.replace(
      'egress-user:s3cr%40t-pass',
      'egress-user:wrong-pass',
    );
    const { lookup } = resolver();
    const error = (await connect(jwt(lookup)).catch((e: unknown) => e)) as {
      errorCode?: string;
      message: string;
      stack?: string;
    };
    expect(error).toMatchObject({
      errorCode: 'PROXY_REFUSED',
      message: `The JWT bearer token request failed: The proxy http://127.0.0.1:${proxy.port} refused the tunnel to 127.0.0.1:${new URL(sim.url).port}: HTTP 407 Proxy Authentication Required`,
    });
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toMatch(
      /wrong-pass|egress-user/,
    );
    expect(sim.requests).toEqual([]);
    // With the right ones (percent-encoded in the URL, decoded for the header) it goes through.
    process.env.HTTP_PROXY = proxy.url;
    await expect(connect(jwt(lookup))).resolves.toBeDefined();
    expect(proxy.authorizations.at(-1)).toBe(
      `Basic ${Buffer.from('egress-user:s3cr@t-pass').toString('base64')}`,
    );
  });
});

describe('https through the tunnel (TLS to the name, over a CONNECT to the address)', () => {
  const NAME = 'login.salesforce.test';
  const cert = selfSignedCertificate(NAME);
  const systemCAs = getCACertificates('default');
  let server: ReturnType<typeof createHttpsServer>;
  const servernames: (string | false | null)[] = [];
  beforeAll(async () => {
    // The transport takes no CA of its own: trust the test's certificate as a public CA would be.
    setDefaultCACertificates([...systemCAs, cert.cert]);
    server = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
    );
    server.on('secureConnection', (socket: TLSSocket) => void servernames.push(socket.servername));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    setDefaultCACertificates(systemCAs);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('checks the certificate against the original name and sends SNI for it', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    const { lookup } = resolver();
    const port = (server.address() as { port: number }).port;
    const answer = await lookupTransport(lookup).httpRequest({
      method: 'GET',
      url: `https://${NAME}:${port}/x`,
    });
    expect(answer).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
    expect(proxy.targets).toEqual([`127.0.0.1:${port}`]);
    expect(servernames.at(-1)).toBe(NAME);
    // A name the certificate does not cover is refused by the TLS check, through the same tunnel.
    const other = await lookupTransport(resolver().lookup)
      .httpRequest({ method: 'GET', url: `https://other.salesforce.test:${port}/x` })
      .catch((e: unknown) => e);
    expect(other).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});

describe('proxyFor', () => {
  const env = (extra: Record<string, string>) => ({
    HTTPS_PROXY: 'http://proxy.corp:3128',
    HTTP_PROXY: 'http://plain.corp:3128',
    ...extra,
  });
  it('takes HTTPS_PROXY for https and HTTP_PROXY for http, lower case first', () => {
    expect(proxyFor(new URL('https://login.salesforce.com'), env({}))?.host).toBe(
      'proxy.corp:3128',
    );
    expect(proxyFor(new URL('http://x.example'), env({}))?.host).toBe('plain.corp:3128');
    expect(
      proxyFor(new URL('https://login.salesforce.com'), env({ https_proxy: 'lower.corp:8080' }))
        ?.host,
    ).toBe('lower.corp:8080');
    expect(proxyFor(new URL('https://login.salesforce.com'), {})).toBeNull();
  });
  it('honours NO_PROXY: names, domain suffixes, ports and *', () => {
    const url = new URL('https://acme.my.salesforce.com');
    expect(proxyFor(url, env({ NO_PROXY: 'salesforce.com' }))).toBeNull();
    expect(proxyFor(url, env({ NO_PROXY: '.salesforce.com' }))).toBeNull();
    expect(proxyFor(url, env({ NO_PROXY: '*.salesforce.com' }))).toBeNull();
    expect(proxyFor(url, env({ NO_PROXY: 'salesforce.com:443' }))).toBeNull();
    expect(proxyFor(url, env({ NO_PROXY: 'salesforce.com:8443' }))).not.toBeNull();
    expect(proxyFor(url, env({ NO_PROXY: 'force.com,notsalesforce.com' }))).not.toBeNull();
    expect(proxyFor(url, env({ no_proxy: '*' }))).toBeNull();
  });
  it('a proxy setting that is not an http(s) URL is refused without echoing it', () => {
    expect(() =>
      proxyFor(new URL('https://a.example'), { HTTPS_PROXY: 'socks5://u:pw@proxy:1080' }),
    ).toThrow('The proxy socks5://proxy:1080 must be an http or https URL');
  });
});
