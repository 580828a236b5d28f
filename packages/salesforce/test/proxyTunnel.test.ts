import type { LookupAddress } from 'node:dns';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import { getCACertificates, setDefaultCACertificates, type TLSSocket } from 'node:tls';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import { selfSignedCertificate, withTrustedLocalhostTarget } from './selfSigned.js';
import { jwtSimulatorForAll } from './simulator.js';
import { clearProxyVarsForEachTest } from './proxyVars.js';
import { connect } from '../src/connect.js';
import { lookupTransport, proxiedTransport } from '../src/lookupTransport.js';
import { proxyFor } from '../src/proxyTunnel.js';
import { sendRest } from '../src/transport.js';

// HTTPS_PROXY / HTTP_PROXY with connect's `lookup` (the relay's path): the name is resolved by the
// caller's rule, then the proxy is asked for a tunnel to the checked address, never the name. A
// local CONNECT proxy counts its tunnels and records what each CONNECT named.

const clientId = '3MVG9proxy';
clearProxyVarsForEachTest();

interface Proxy {
  url: string;
  port: number;
  /** What each CONNECT named (its request target) and its Host header. */
  targets: string[];
  hosts: (string | undefined)[];
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

interface ProxyOptions {
  /** "user:pass", percent-encoded as in a URL: any other Proxy-Authorization is answered 407. */
  credentials?: string;
  /** Where it listens (default 127.0.0.1), and its name in the URL (default: that address). */
  listen?: string;
  name?: string;
  /** An https:// proxy: TLS to the proxy itself with this certificate. */
  tls?: { key: string; cert: string };
}

/** A CONNECT proxy, plain or TLS, that counts its tunnels and records what each CONNECT sent. */
async function startProxy(options: ProxyOptions = {}): Promise<Proxy> {
  const { credentials, listen = '127.0.0.1', tls } = options;
  const sockets = new Set<Socket>();
  const state = {
    targets: [] as string[],
    hosts: [] as (string | undefined)[],
    authorizations: [] as (string | undefined)[],
  };
  const refuse = (_req: unknown, res: ServerResponse) => res.writeHead(405).end();
  const server: Server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, refuse)
    : createHttpServer(refuse);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that refuses the proxy's certificate ends the handshake: not the test's concern.
  server.on('tlsClientError', () => {});
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    state.targets.push(req.url ?? '');
    state.hosts.push(req.headers.host);
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
  await new Promise<void>((resolve) => server.listen(0, listen, resolve));
  const port = (server.address() as { port: number }).port;
  const name = options.name ?? (isIP(listen) === 6 ? `[${listen}]` : listen);
  return {
    url: `${tls ? 'https' : 'http'}://${credentials ? `${credentials}@` : ''}${name}:${port}`,
    port,
    ...state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The test's resolver (connect's `lookup`): every name to `to` (127.0.0.1), the names in `refused` refused as the relay's rule would. */
function resolver(refused: Set<string> = new Set(), to = '127.0.0.1') {
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
      const address: LookupAddress = { address: to, family: isIP(to) };
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

const { privatePem } = jwtSimulatorForAll(
  { fixture: 'healthy', clientId, host: 'localhost' },
  (started) => (sim = started),
);
beforeEach(async () => {
  sim.resetRequests();
  proxy = await startProxy();
});
afterEach(async () => {
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
    proxy = await startProxy({ credentials: 'egress-user:s3cr%40t-pass' });
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

// Without a lookup (the CLI's path) the proxy jsforce would take is used through the same tunnel,
// asked for the host's name: the proxy resolves it, as it did for jsforce's own transport.
const noLookupJwt = () => ({ ...jwt(resolver().lookup), lookup: undefined });

describe('connect without a lookup, through an HTTP proxy', () => {
  it('tunnels the token request, REST and jsforce calls to the name, on one kept-alive tunnel', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const conn = await connect(noLookupJwt());
    await sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' });
    await conn.query('SELECT Id FROM User LIMIT 1');
    expect(sim.requests.map((r) => r.path)).toEqual([
      '/services/oauth2/token',
      '/services/data/v64.0/limits',
      '/services/data/v64.0/query?q=SELECT%20Id%20FROM%20User%20LIMIT%201',
    ]);
    expect(proxy.targets).toEqual([`localhost:${new URL(sim.url).port}`]);
    expect(proxy.hosts).toEqual([`localhost:${new URL(sim.url).port}`]);
  });

  it('a 407 is PROXY_REFUSED with its status, naming neither the credentials nor sending anything on', async () => {
    await proxy.close();
    proxy = await startProxy({ credentials: 'egress-user:s3cr%40t-pass' });
    process.env.HTTP_PROXY = proxy.url.replace('s3cr%40t-pass', 'wrong-pass');
    const error = (await connect(noLookupJwt()).catch((e: unknown) => e)) as {
      errorCode?: string;
      statusCode?: number;
      message: string;
      stack?: string;
    };
    expect(error).toMatchObject({
      errorCode: 'PROXY_REFUSED',
      statusCode: 407,
      message: `The JWT bearer token request failed: The proxy http://127.0.0.1:${proxy.port} refused the tunnel to localhost:${new URL(sim.url).port}: HTTP 407 Proxy Authentication Required`,
    });
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toMatch(
      /wrong-pass|egress-user/,
    );
    expect(sim.requests).toEqual([]);
    process.env.HTTP_PROXY = proxy.url;
    await expect(connect(noLookupJwt())).resolves.toBeDefined();
  });

  it('https: TLS to the name over a tunnel to the name, the certificate checked against it', async () => {
    await withTrustedLocalhostTarget(async (port) => {
      process.env.HTTPS_PROXY = proxy.url;
      const transport = proxiedTransport((url) => proxyFor(url));
      await expect(
        transport.httpRequest({ method: 'GET', url: `https://localhost:${port}/x` }),
      ).resolves.toMatchObject({ statusCode: 200, body: '{"ok":true}' });
      expect(proxy.targets).toEqual([`localhost:${port}`]);
      // An address the certificate does not name is refused by the check, through a tunnel too.
      await expect(
        transport.httpRequest({ method: 'GET', url: `https://127.0.0.1:${port}/x` }),
      ).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    });
  });
});

describe('https through the tunnel (TLS to the name, over a CONNECT to the address)', () => {
  const NAME = 'login.salesforce.test';
  const cert = selfSignedCertificate(NAME);
  const systemCAs = getCACertificates('default');
  // The same Salesforce stand-in on 127.0.0.1 and on the IPv6 loopback.
  let server: ReturnType<typeof createHttpsServer>;
  let server6: ReturnType<typeof createHttpsServer>;
  const servernames: (string | false | null)[] = [];
  const startTarget = async (address: string) => {
    const target = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
    );
    target.on('secureConnection', (socket: TLSSocket) => void servernames.push(socket.servername));
    await new Promise<void>((resolve) => target.listen(0, address, resolve));
    return target;
  };
  const portOf = (s: { address(): unknown }) => (s.address() as { port: number }).port;
  beforeAll(async () => {
    // The transport takes no CA of its own: trust the test's certificate as a public CA would be.
    setDefaultCACertificates([...systemCAs, cert.cert]);
    server = await startTarget('127.0.0.1');
    server6 = await startTarget('::1');
  });
  afterAll(async () => {
    setDefaultCACertificates(systemCAs);
    for (const s of [server, server6]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
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

  describe('an https:// proxy (TLS to the proxy, CONNECT inside it, TLS to the name inside that)', () => {
    const PROXY_NAME = 'localhost';
    const proxyCert = selfSignedCertificate(PROXY_NAME);
    const CREDENTIALS = 'egress-user:s3cr%40t-pass';
    const basic = `Basic ${Buffer.from('egress-user:s3cr@t-pass').toString('base64')}`;
    let tlsProxy: Proxy;
    afterEach(async () => {
      setDefaultCACertificates([...systemCAs, cert.cert]);
      await tlsProxy?.close();
    });

    it('verifies the proxy, sends the credentials inside its TLS, and reaches the name end to end', async () => {
      // The operator trusts the proxy's private CA in the process's default store (what
      // NODE_EXTRA_CA_CERTS fills at start-up).
      setDefaultCACertificates([...systemCAs, cert.cert, proxyCert.cert]);
      tlsProxy = await startProxy({ tls: proxyCert, listen: PROXY_NAME, credentials: CREDENTIALS });
      expect(tlsProxy.url).toMatch(/^https:\/\/egress-user:s3cr%40t-pass@localhost:\d+$/);
      process.env.HTTPS_PROXY = tlsProxy.url;
      const port = portOf(server);
      const answer = await lookupTransport(resolver().lookup).httpRequest({
        method: 'GET',
        url: `https://${NAME}:${port}/x`,
      });
      expect(answer).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
      expect(tlsProxy.targets).toEqual([`127.0.0.1:${port}`]);
      expect(tlsProxy.authorizations).toEqual([basic]);
      expect(servernames.at(-1)).toBe(NAME);
      expect(proxy.targets).toEqual([]);
    });

    it('an untrusted proxy certificate fails at once with PROXY_UNTRUSTED: no CONNECT, no credentials sent or shown', async () => {
      tlsProxy = await startProxy({ tls: proxyCert, listen: PROXY_NAME, credentials: CREDENTIALS });
      process.env.HTTPS_PROXY = tlsProxy.url;
      const error = (await lookupTransport(resolver().lookup)
        .httpRequest({ method: 'GET', url: `https://${NAME}:${portOf(server)}/x` })
        .catch((e: unknown) => e)) as { code?: string; message: string; stack?: string };
      // Node 24 adds its own hint (--use-system-ca) after "self-signed certificate".
      expect(error).toMatchObject({ name: 'ProxyError', code: 'PROXY_UNTRUSTED' });
      expect(error.message).toMatch(
        new RegExp(
          `^The proxy https://localhost:${tlsProxy.port} presented a certificate that is not trusted: self-signed certificate.* \\(a private CA is trusted with NODE_EXTRA_CA_CERTS\\)$`,
        ),
      );
      expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toMatch(
        /s3cr|egress-user/,
      );
      // The CONNECT (with Proxy-Authorization) never left for a proxy that was not verified.
      expect(tlsProxy.targets).toEqual([]);
    });

    it('an https:// URL for a plain HTTP proxy fails at once with PROXY_MISCONFIGURED, naming the http:// URL, never the credentials', async () => {
      tlsProxy = await startProxy({ credentials: CREDENTIALS });
      process.env.HTTPS_PROXY = tlsProxy.url.replace(/^http:/, 'https:');
      const error = (await lookupTransport(resolver().lookup)
        .httpRequest({ method: 'GET', url: `https://${NAME}:${portOf(server)}/x` })
        .catch((e: unknown) => e)) as { code?: string; message: string; stack?: string };
      expect(error).toMatchObject({
        name: 'ProxyError',
        code: 'PROXY_MISCONFIGURED',
        message: `The proxy https://127.0.0.1:${tlsProxy.port} does not speak TLS: if it is a plain HTTP proxy, write its URL with http:// (http://127.0.0.1:${tlsProxy.port})`,
      });
      expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toMatch(
        /s3cr|egress-user/,
      );
      expect(tlsProxy.targets).toEqual([]);
    });

    it("the proxy's certificate is checked against the proxy's name", async () => {
      const elsewhere = selfSignedCertificate('proxy.elsewhere.test');
      setDefaultCACertificates([...systemCAs, cert.cert, elsewhere.cert]);
      tlsProxy = await startProxy({ tls: elsewhere, listen: PROXY_NAME });
      process.env.HTTPS_PROXY = tlsProxy.url;
      const error = await lookupTransport(resolver().lookup)
        .httpRequest({ method: 'GET', url: `https://${NAME}:${portOf(server)}/x` })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'PROXY_UNTRUSTED',
        message: `The proxy https://localhost:${tlsProxy.port} presented a certificate that is not trusted: Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:proxy.elsewhere.test`,
      });
      expect(tlsProxy.targets).toEqual([]);
    });
  });

  it('an IPv6 address: the proxy (on ::1) is asked for [addr]:port in the CONNECT line and Host, TLS still to the name', async () => {
    const proxy6 = await startProxy({ listen: '::1' });
    try {
      process.env.HTTPS_PROXY = proxy6.url;
      expect(proxy6.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      const { asked, lookup } = resolver(new Set(), '::1');
      const port = portOf(server6);
      const answer = await lookupTransport(lookup).httpRequest({
        method: 'GET',
        url: `https://${NAME}:${port}/x`,
      });
      expect(answer).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
      expect(proxy6.targets).toEqual([`[::1]:${port}`]);
      expect(proxy6.hosts).toEqual([`[::1]:${port}`]);
      expect(servernames.at(-1)).toBe(NAME);
      expect(asked).toEqual([NAME]);
    } finally {
      await proxy6.close();
    }
  });
});

describe('NO_PROXY with an IPv6 literal', () => {
  let target: Server;
  beforeAll(async () => {
    target = createHttpServer((_req, res) => res.writeHead(200).end('direct'));
    await new Promise<void>((resolve) => target.listen(0, '::1', resolve));
  });
  afterAll(async () => {
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
  });
  const get = () =>
    lookupTransport(resolver(new Set(), '::1').lookup).httpRequest({
      method: 'GET',
      url: `http://[::1]:${(target.address() as { port: number }).port}/x`,
    });

  it.each(['[::1]', '::1', 'example.com, [::1]:' + 'PORT', '0:0:0:0:0:0:0:1'])(
    'NO_PROXY=%s goes directly to http://[::1]',
    async (entry) => {
      const port = (target.address() as { port: number }).port;
      process.env.HTTP_PROXY = proxy.url;
      process.env.NO_PROXY = entry.replace('PORT', String(port));
      await expect(get()).resolves.toMatchObject({ statusCode: 200, body: 'direct' });
      expect(proxy.targets).toEqual([]);
    },
  );

  it('without it, the same request is tunnelled as CONNECT [::1]:port', async () => {
    const port = (target.address() as { port: number }).port;
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = '::2, [::1]:1';
    await expect(get()).resolves.toMatchObject({ statusCode: 200, body: 'direct' });
    expect(proxy.targets).toEqual([`[::1]:${port}`]);
    expect(proxy.hosts).toEqual([`[::1]:${port}`]);
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
  it('honours NO_PROXY IPv6 literals, bracketed or bare, in any spelling', () => {
    const url = new URL('https://[::1]:8443/x');
    for (const entry of ['[::1]', '::1', '[::1]:8443', '0:0:0:0:0:0:0:1', '[0::1]'])
      expect(proxyFor(url, env({ NO_PROXY: entry }))).toBeNull();
    for (const entry of ['[::1]:443', '::2', '[::11]', 'fe80::1%eth0'])
      expect(proxyFor(url, env({ NO_PROXY: entry }))).not.toBeNull();
  });
  it('NO_PROXY addresses match whole: no suffix rule for an IPv4 address', () => {
    const url = new URL('https://10.0.0.1/x');
    expect(proxyFor(url, env({ NO_PROXY: '10.0.0.1' }))).toBeNull();
    for (const entry of ['0.0.1', '.0.0.1', '0.1'])
      expect(proxyFor(url, env({ NO_PROXY: entry }))).not.toBeNull();
  });
  it('a proxy setting that is no http(s) or SOCKS5 URL is refused without echoing its credentials', () => {
    expect(() =>
      proxyFor(new URL('https://a.example'), { HTTPS_PROXY: 'ftp://u:pw@proxy:2121' }),
    ).toThrow('The proxy ftp://proxy:2121 must be an http, https, socks5 or socks5h URL');
    expect(() =>
      proxyFor(new URL('https://a.example'), { HTTPS_PROXY: 'socks4a://u:pw@proxy:1080' }),
    ).toThrow(
      /^The proxy socks4a:\/\/proxy:1080 is a SOCKS4 proxy, which Sync Doctor does not speak/,
    );
    for (const setting of ['socks5://u:pw@proxy:1080', 'socks5h://proxy'])
      expect(proxyFor(new URL('https://a.example'), { HTTPS_PROXY: setting })?.href).toBe(setting);
  });
});
