import { lookup as dnsLookup } from 'node:dns';
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { InputError } from './errors.js';

/**
 * Egress through an HTTP proxy (HTTPS_PROXY / HTTP_PROXY, as jsforce's own transport honoured)
 * that keeps the caller's address rule (connect's `lookup`): the target name is resolved with
 * `lookup` first (an error: nothing is sent, not even the CONNECT), then the proxy is asked for a
 * tunnel to the checked address (`CONNECT 203.0.113.7:443`), so the proxy cannot resolve the name
 * to somewhere else; TLS then runs over the tunnel with the original name as servername (SNI and
 * the certificate check). http URLs are tunnelled the same way, without TLS.
 *
 * Without a `lookup` (the CLI's path: connect was given none) the proxy is asked for a tunnel to the
 * host's name (`CONNECT acme.my.salesforce.com:443`) and resolves it itself, as jsforce's own
 * transport let it: behind a proxy the name may not resolve locally. Either way the socket is this
 * module's, so an abort closes it (TUNNEL_SIGNAL), a tunnel still being opened included.
 *
 * The proxy's own address is the operator's configuration, not an admin's: it is not held to the
 * rule. Its credentials (the proxy URL's userinfo) go as Proxy-Authorization: Basic and never
 * appear in an error. An https:// proxy's certificate is checked with the default trust store
 * (NODE_EXTRA_CA_CERTS for a private CA) before the CONNECT, so the credentials go to no proxy
 * that failed the check.
 *
 * A socks5:// or socks5h:// setting is a SOCKS5 proxy (RFC 1928; no authentication, or the URL's
 * user name and password by RFC 1929), with the same address rule: with a `lookup` it is asked for
 * the checked address (ATYP IPv4 or IPv6), socks5h:// included, since a name the proxy resolved
 * could be anywhere, exactly as an HTTP proxy is never given the name then. Without one, a
 * socks5h:// proxy is asked for the name (it resolves it, as an HTTP proxy does), a socks5:// one
 * for the address the system's resolver gives here (what socks5:// means to curl and others). The
 * abort and the errors are the HTTP tunnel's (ProxyError). SOCKS4 is refused (an InputError).
 */

/** The proxy URL for a request URL from the environment, or null (none set, or NO_PROXY matches). */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): URL | null {
  const raw =
    url.protocol === 'https:'
      ? (env.https_proxy ?? env.HTTPS_PROXY)
      : (env.http_proxy ?? env.HTTP_PROXY);
  if (!raw) return null;
  if (bypassed(url, env.no_proxy ?? env.NO_PROXY ?? '')) return null;
  let proxy: URL;
  try {
    proxy = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new InputError(
      `The ${url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'} setting is not a URL`,
    );
  }
  if (SOCKS4.has(proxy.protocol))
    throw new InputError(
      `The proxy ${proxyLabel(proxy)} is a SOCKS4 proxy, which Sync Doctor does not speak: write its URL with socks5h:// (the proxy resolves the name) or socks5:// if it speaks SOCKS5, or name an http:// proxy`,
    );
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:' && !isSocks(proxy))
    throw new InputError(
      `The proxy ${proxyLabel(proxy)} must be an http, https, socks5 or socks5h URL`,
    );
  // Decoded where they are sent: a stray '%' would throw there, after the socket was opened.
  if (credentialsOf(proxy) === undefined)
    throw new InputError(
      `The user name or password in the proxy ${proxyLabel(proxy)} is not valid percent-encoding: write a % in them as %25`,
    );
  return proxy;
}

/** The proxy URL's user name and password, percent-decoded; undefined when they do not decode. */
function credentialsOf(proxy: URL): { user: string; password: string } | undefined {
  try {
    return {
      user: decodeURIComponent(proxy.username),
      password: decodeURIComponent(proxy.password),
    };
  } catch {
    return undefined;
  }
}

/** proxyFor refuses such a setting at connect; a proxy URL given otherwise fails here. */
const notDecodable = (proxy: URL): Error =>
  new ProxyError(
    `The user name or password in the proxy ${proxyLabel(proxy)} is not valid percent-encoding`,
    undefined,
    'PROXY_MISCONFIGURED',
  );

/** socks:// is SOCKS4 for curl and SOCKS5 for others: refused with SOCKS4, naming the SOCKS5 URLs. */
const SOCKS4 = new Set(['socks4:', 'socks4a:', 'socks:']);

/** A SOCKS5 proxy: socks5h:// lets the proxy resolve the name, socks5:// resolves it here. */
const isSocks = (proxy: URL): boolean =>
  proxy.protocol === 'socks5:' || proxy.protocol === 'socks5h:';

/** NO_PROXY: comma-separated host names, domain suffixes (".example.com" or "example.com") or addresses, optionally with :port; "*" for all. */
function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy
    .split(/[\s,]+/)
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)) {
    if (entry === '*') return true;
    const match = /^(?:\[([^\]]+)\]|([^:]+|[^\]]*:[^\]]*:[^\]]*))(?::(\d+))?$/.exec(entry);
    const name = canonical((match?.[1] ?? match?.[2] ?? entry).replace(/^\*?\./, ''));
    const entryPort = isIP(entry) === 6 ? undefined : match?.[3];
    if (entryPort && entryPort !== port) continue;
    if (host === name) return true;
    // Suffixes are for names only: an address entry "0.0.1" must not take in host 10.0.0.1.
    if (isIP(host) === 0 && isIP(name) === 0 && host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** An IPv6 literal as the URL parser writes it (`0:0:0:0:0:0:0:1` is `::1`), so it compares with url.hostname. */
function canonical(name: string): string {
  if (isIP(name) !== 6) return name;
  try {
    return new URL(`http://[${name}]`).hostname.slice(1, -1);
  } catch {
    return name; // a zone id (fe80::1%eth0), which no URL carries: matches nothing
  }
}

/** The proxy as shown in errors and logs: never its credentials. */
const proxyLabel = (proxy: URL): string => `${proxy.protocol}//${proxy.host}`;

/**
 * What OpenSSL says when the other end of a TLS hello answers in something else (plain HTTP): as
 * the handshake's own error, or inside the EPROTO of the write that carried the hello.
 */
const NOT_TLS = /wrong version number|packet length too long|http request/i;
const notTls = (error: Error & { code?: unknown }): boolean =>
  typeof error.code === 'string' &&
  (error.code.startsWith('ERR_SSL_') || error.code === 'EPROTO') &&
  NOT_TLS.test(error.message);

/**
 * The proxy in the way. Four codes, because a delivery's retry depends on which:
 * PROXY_UNREACHABLE (no answer: the proxy is down, restarting, or dropped the connection; worth
 * another try), PROXY_REFUSED (it answered CONNECT with a status, kept in statusCode: 407 or 403
 * is a setting to fix, while 502, 503 or 504 say the proxy could not reach Salesforce just then),
 * PROXY_UNTRUSTED (an https:// proxy whose certificate fails the check: a setting to fix, not
 * a passing fault, so it must not look like an unreachable proxy) and PROXY_MISCONFIGURED (an
 * https:// URL for a proxy that does not speak TLS: a setting to fix too). A SOCKS5 proxy fails
 * with the same codes (PROXY_REFUSED: no authentication method it accepts, or the user name and
 * password refused, or its reply 2, "connection not allowed by ruleset", its 403;
 * PROXY_MISCONFIGURED: it does not speak SOCKS5, or replies 7 or 8, command or address type not
 * supported, or a reply number RFC 1928 does not define) plus PROXY_SOCKS_ERROR, its reply 1 or
 * 3-6 (general failure, network or host unreachable, connection refused, TTL expired: it could not
 * reach the target just then, as an HTTP proxy's 502-504), the reply number in the message.
 */
class ProxyError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code:
      | 'PROXY_REFUSED'
      | 'PROXY_UNREACHABLE'
      | 'PROXY_UNTRUSTED'
      | 'PROXY_MISCONFIGURED'
      | 'PROXY_SOCKS_ERROR' = 'PROXY_REFUSED',
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

function resolveWith(
  lookup: LookupFunction,
  host: string,
): Promise<{ address: string; family: number }> {
  return new Promise((resolve, reject) =>
    lookup(host, { all: false }, (error, address, family) => {
      if (error) return reject(error);
      if (typeof address === 'string')
        return resolve({ address, family: family ?? (isIP(address) || 4) });
      const first = (address as { address: string; family: number }[])[0];
      return first ? resolve(first) : reject(new Error(`${host} did not resolve`));
    }),
  );
}

/**
 * Opens a tunnel through the proxy to address:port (or name:port); resolves with the raw socket
 * once the proxy answered 2xx. An abort before that destroys the socket and rejects.
 */
function openTunnel(
  proxy: URL,
  address: string,
  port: number,
  signal?: AbortSignal,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const credentials = credentialsOf(proxy);
    if (!credentials) return reject(notDecodable(proxy));
    const proxyPort = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
    const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
    const socket: Socket =
      proxy.protocol === 'https:'
        ? tlsConnect({
            host: proxyHost,
            port: proxyPort,
            servername: isIP(proxyHost) ? undefined : proxyHost,
          })
        : netConnect(proxyPort, proxyHost);
    const target = `${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
    const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`];
    const basic = Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64');
    if (proxy.username || proxy.password) lines.push(`Proxy-Authorization: Basic ${basic}`);
    // A proxy may repeat what it was sent in its reason phrase: then the phrase is left out.
    const secrets =
      proxy.username || proxy.password
        ? [basic, credentials.password, proxy.password].filter((secret) => secret.length > 0)
        : [];
    let head = Buffer.alloc(0);
    const fail = (error: Error) => {
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off('close', onClose);
      // A late error from the destroyed socket (a TLS proxy mid-handshake) has nobody to tell.
      socket.on('error', () => undefined);
      socket.destroy();
      reject(error);
    };
    const onAbort = () => fail(abortReason(signal!));
    const onError = (error: Error & { code?: unknown }) => {
      // Set by the TLS handshake before it fails on the proxy's certificate (chain or name).
      const untrusted = (socket as Partial<TLSSocket>).authorizationError;
      if (untrusted)
        return fail(
          new ProxyError(
            `The proxy ${proxyLabel(proxy)} presented a certificate that is not trusted: ${error.message}` +
              (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID'
                ? ''
                : ' (a private CA is trusted with NODE_EXTRA_CA_CERTS)'),
            undefined,
            'PROXY_UNTRUSTED',
          ),
        );
      // An https:// URL for a proxy that speaks plain HTTP (a common slip): its answer to the TLS
      // hello is not TLS. A setting to fix, not a proxy that is down.
      if (proxy.protocol === 'https:' && notTls(error))
        return fail(
          new ProxyError(
            `The proxy ${proxyLabel(proxy)} does not speak TLS: if it is a plain HTTP proxy, write its URL with http:// (http://${proxy.host})`,
            undefined,
            'PROXY_MISCONFIGURED',
          ),
        );
      fail(
        new ProxyError(
          `The proxy ${proxyLabel(proxy)} could not be reached: ${error.message}`,
          undefined,
          'PROXY_UNREACHABLE',
        ),
      );
    };
    const onClose = () =>
      fail(
        new ProxyError(
          `The proxy ${proxyLabel(proxy)} closed the connection before answering CONNECT`,
          undefined,
          'PROXY_UNREACHABLE',
        ),
      );
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > 16_384)
          fail(
            new ProxyError(
              `The proxy ${proxyLabel(proxy)} answered CONNECT with an over-long header`,
            ),
          );
        return;
      }
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
      const code = status ? Number(status[1]) : 0;
      if (code < 200 || code > 299) {
        const phrase = status?.[2] ?? '';
        const reason = !phrase
          ? ''
          : secrets.some((secret) => phrase.includes(secret))
            ? ' (its reason phrase left out: it repeats the credentials)'
            : ` ${phrase.slice(0, 100)}`;
        return fail(
          new ProxyError(
            `The proxy ${proxyLabel(proxy)} refused the tunnel to ${target}: ${status ? `HTTP ${code}${reason}` : 'not an HTTP answer'}`,
            code || undefined,
          ),
        );
      }
      handOn(socket, head.subarray(end + 4));
      resolve(socket);
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

/**
 * Gives the bytes that came after the proxy's answer (the target's first bytes, in the same chunk)
 * back to the socket for whoever reads it next. The socket is paused first: it was flowing for the
 * handshake, and a flowing socket without a 'data' listener passes what it holds to nobody on the
 * next tick, before TLS or the HTTP client took it over. TLS reads what is held (and the handle);
 * the HTTP client's socket is resumed once it listens (resumedWhenRead).
 */
function handOn(socket: Socket, rest: Buffer): void {
  socket.pause();
  if (rest.length > 0) socket.unshift(rest);
}

/** RFC 1928's replies to CONNECT, by number. */
const SOCKS_REPLIES: Record<number, string> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

/** The 16 bytes of an IPv6 address (its zone id, which no SOCKS request carries, dropped). */
function ipv6Bytes(address: string): Buffer {
  // The URL parser writes it as hex groups, '::' for the longest run of zeros, no dotted quad.
  const text = new URL(`http://[${address.replace(/%.*$/, '')}]`).hostname.slice(1, -1);
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const zeros = 8 - groups(head).length - groups(tail).length;
  const all = [
    ...groups(head),
    ...(tail === undefined ? [] : Array<string>(zeros).fill('0')),
    ...groups(tail),
  ];
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes;
}

/** The DST.ADDR of a SOCKS5 request: ATYP then the address, an IPv4 or IPv6 one or a name. */
function socksAddress(host: string): Buffer | undefined {
  const family = isIP(host);
  if (family === 4) return Buffer.from([0x01, ...host.split('.').map(Number)]);
  if (family === 6) return Buffer.concat([Buffer.from([0x04]), ipv6Bytes(host)]);
  const name = Buffer.from(host, 'utf8');
  return name.length > 255 ? undefined : Buffer.concat([Buffer.from([0x03, name.length]), name]);
}

/**
 * Opens a connection through a SOCKS5 proxy (RFC 1928) to host:port, host being the checked
 * address or, for socks5h:// without a lookup, the name (the proxy resolves it). No
 * authentication, or user name and password (RFC 1929) when the proxy URL carries them (offered
 * beside no authentication; they go to the proxy in clear, as that method has it). Resolves with
 * the raw socket once the proxy replied success; an abort before that destroys the socket.
 */
function openSocks(proxy: URL, host: string, port: number, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const label = proxyLabel(proxy);
    const target = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
    const withCredentials = Boolean(proxy.username || proxy.password);
    const credentials = credentialsOf(proxy);
    if (!credentials) return reject(notDecodable(proxy));
    const user = Buffer.from(credentials.user, 'utf8');
    const password = Buffer.from(credentials.password, 'utf8');
    const address = socksAddress(host);
    if (!address || user.length > 255 || password.length > 255)
      return reject(
        new ProxyError(
          address
            ? `The SOCKS proxy ${label} cannot be given a user name or password longer than 255 bytes`
            : `The SOCKS proxy ${label} cannot be asked for a name longer than 255 bytes`,
          undefined,
          'PROXY_MISCONFIGURED',
        ),
      );
    const socket = netConnect(Number(proxy.port) || 1080, proxy.hostname.replace(/^\[|\]$/g, ''));
    let stage: 'method' | 'auth' | 'connect' = 'method';
    let buffer = Buffer.alloc(0);
    const cleanUp = () => {
      signal?.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const fail = (error: Error) => {
      cleanUp();
      socket.on('error', () => undefined);
      socket.destroy();
      reject(error);
    };
    const failWith = (message: string, code: ProxyError['code']) =>
      fail(new ProxyError(`The SOCKS proxy ${label} ${message}`, undefined, code));
    const onAbort = () => fail(abortReason(signal!));
    const onError = (error: Error) =>
      failWith(`could not be reached: ${error.message}`, 'PROXY_UNREACHABLE');
    const onClose = () =>
      failWith('closed the connection before the SOCKS handshake ended', 'PROXY_UNREACHABLE');
    const request = () => {
      stage = 'connect';
      const portBytes = Buffer.alloc(2);
      portBytes.writeUInt16BE(port);
      socket.write(Buffer.concat([Buffer.from([0x05, 0x01, 0x00]), address, portBytes]));
    };
    const notSocks = () =>
      failWith(
        'does not speak SOCKS5: if it is an HTTP proxy, write its URL with http://',
        'PROXY_MISCONFIGURED',
      );
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 'method') {
        if (buffer.length < 2) return;
        if (buffer[0] !== 0x05) return notSocks();
        const method = buffer[1]!;
        buffer = buffer.subarray(2);
        if (method === 0x00) return request();
        if (method === 0x02 && withCredentials) {
          stage = 'auth';
          socket.write(
            Buffer.concat([
              Buffer.from([0x01, user.length]),
              user,
              Buffer.from([password.length]),
              password,
            ]),
          );
          return;
        }
        return failWith(
          method === 0xff
            ? `accepts none of the authentication methods offered (${withCredentials ? 'none, or user name and password' : 'none: does it want a user name and password in its URL?'})`
            : `asked for an authentication method that was not offered (${method})`,
          'PROXY_REFUSED',
        );
      }
      if (stage === 'auth') {
        if (buffer.length < 2) return;
        if (buffer[1] !== 0x00)
          return failWith(
            `refused the user name and password (status ${buffer[1]})`,
            'PROXY_REFUSED',
          );
        buffer = buffer.subarray(2);
        return request();
      }
      // The reply: VER REP RSV ATYP BND.ADDR BND.PORT.
      if (buffer.length < 5) return;
      if (buffer[0] !== 0x05) return notSocks();
      const reply = buffer[1]!;
      if (reply !== 0x00) {
        const why = `refused the connection to ${target}: SOCKS reply ${reply} (${SOCKS_REPLIES[reply] ?? 'unknown'})`;
        return failWith(
          why,
          reply === 2
            ? 'PROXY_REFUSED'
            : reply === 1 || (reply >= 3 && reply <= 6)
              ? 'PROXY_SOCKS_ERROR'
              : // 7 or 8, or a number RFC 1928 does not define: no passing trouble to retry.
                'PROXY_MISCONFIGURED',
        );
      }
      const atyp = buffer[3];
      const length =
        atyp === 0x01 ? 10 : atyp === 0x04 ? 22 : atyp === 0x03 ? 7 + buffer[4]! : undefined;
      if (length === undefined) return notSocks();
      if (buffer.length < length) return;
      cleanUp();
      handOn(socket, buffer.subarray(length));
      resolve(socket);
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.write(Buffer.from(withCredentials ? [0x05, 0x02, 0x00, 0x02] : [0x05, 0x01, 0x00]));
  });
}

/**
 * The request option (lookupTransport.ts sets it) that hands the request's AbortSignal to the
 * tunnel's making: Node keeps `signal` itself from the agent, and a socket that arrives for a request
 * destroyed meanwhile goes back to the keep-alive pool, its tunnel left open. With this, an abort
 * while the name is resolved, the CONNECT is answered or TLS is set up closes the tunnel at once.
 */
export const TUNNEL_SIGNAL = 'syncDoctorTunnelSignal';

type ConnectOptions = ConnectionOptions & {
  host?: string;
  hostname?: string;
  port?: number | string;
  servername?: string;
  [TUNNEL_SIGNAL]?: AbortSignal;
};
type Callback = (error: Error | null, stream: Duplex) => void;

/** The signal's reason as an error (an AbortError when it gave none). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : Object.assign(new Error('The request was aborted'), {
        name: 'AbortError',
        code: 'ABORT_ERR',
      });
}

async function tunnelled(
  proxy: URL,
  lookup: LookupFunction | undefined,
  options: ConnectOptions,
  tls: boolean,
): Promise<Socket> {
  const host = String(options.hostname ?? options.host ?? 'localhost').replace(/^\[|\]$/g, '');
  const port = Number(options.port) || (tls ? 443 : 80);
  const signal = options[TUNNEL_SIGNAL];
  if (signal?.aborted) throw abortReason(signal);
  // The rule decides before anything goes to the proxy; without one, the proxy resolves the name,
  // except a socks5:// proxy, which is given an address resolved here (socks5h:// takes the name).
  const resolver =
    lookup ?? (proxy.protocol === 'socks5:' ? (dnsLookup as LookupFunction) : undefined);
  const { address } = resolver ? await resolveWith(resolver, host) : { address: host };
  if (signal?.aborted) throw abortReason(signal);
  // As Node refuses it on a direct socket: an answer that is no address would reach the proxy as a
  // name (CONNECT name:443, SOCKS ATYP 3), which it would resolve wherever it likes.
  if (resolver && !isIP(address))
    throw Object.assign(new Error(`Invalid IP address: ${address}`), {
      code: 'ERR_INVALID_IP_ADDRESS',
    });
  const raw = isSocks(proxy)
    ? await openSocks(proxy, address, port, signal)
    : await openTunnel(proxy, address, port, signal);
  // Aborted after the handshake let go of the signal, before this ran: no listener heard it.
  if (signal?.aborted) {
    raw.destroy();
    throw abortReason(signal);
  }
  if (!tls) return resumedWhenRead(raw);
  return secured(raw, host, options, signal);
}

/**
 * The tunnel as the HTTP client gets it: paused by handOn, which the client's 'data' listener does
 * not undo, so it is resumed once that listener comes (what handOn kept is read first).
 */
function resumedWhenRead(socket: Socket): Socket {
  const onListener = (event: string | symbol) => {
    if (event !== 'data') return;
    socket.off('newListener', onListener);
    // 'newListener' comes before the listener is added; resume() flows on the next tick.
    socket.resume();
  };
  socket.on('newListener', onListener);
  return socket;
}

/** TLS to the name over the tunnel, with the request's TLS options. */
function secured(
  raw: Socket,
  host: string,
  options: ConnectOptions,
  signal: AbortSignal | undefined,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // The request's TLS options (ca, rejectUnauthorized...), without what addressed the socket.
    const tlsOptions: Record<string, unknown> = { ...options };
    for (const key of [
      'host',
      'hostname',
      'port',
      'path',
      'lookup',
      'socket',
      'agent',
      'timeout',
      TUNNEL_SIGNAL,
    ])
      delete tlsOptions[key];
    const secure = tlsConnect({
      ...tlsOptions,
      socket: raw,
      host,
      servername: options.servername || (isIP(host) ? undefined : host),
    });
    const onError = (error: Error) => {
      signal?.removeEventListener('abort', onAbort);
      secure.destroy();
      raw.destroy();
      reject(error);
    };
    // Aborted during the handshake: the tunnel is closed, not left to finish it.
    const onAbort = () => {
      secure.off('error', onError);
      secure.on('error', () => undefined);
      onError(abortReason(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      signal?.removeEventListener('abort', onAbort);
      secure.off('error', onError);
      resolve(secure);
    });
  });
}

// The agent waits for the callback when createConnection returns nothing (an asynchronous socket).
const deliver = (promise: Promise<Socket>, callback: Callback | undefined) =>
  promise.then(
    (socket) => callback?.(null, socket),
    (error: Error) => callback?.(error, undefined as unknown as Duplex),
  );

/**
 * A keep-alive agent for https URLs whose sockets are TLS over a CONNECT tunnel to the checked
 * address (to the name when `resolve` is undefined: the proxy resolves it).
 */
export class HttpsTunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: URL,
    private readonly resolve: LookupFunction | undefined,
    options: AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: ConnectOptions, callback?: Callback): undefined {
    void deliver(tunnelled(this.proxy, this.resolve, options, true), callback);
    return undefined;
  }
}

/** The same for http URLs: the tunnel without TLS. */
export class HttpTunnelAgent extends HttpAgent {
  constructor(
    private readonly proxy: URL,
    private readonly resolve: LookupFunction | undefined,
    options: AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: ConnectOptions, callback?: Callback): undefined {
    void deliver(tunnelled(this.proxy, this.resolve, options, false), callback);
    return undefined;
  }
}
