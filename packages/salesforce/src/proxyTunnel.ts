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
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:')
    throw new InputError(`The proxy ${proxy.protocol}//${proxy.host} must be an http or https URL`);
  return proxy;
}

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
export const proxyLabel = (proxy: URL): string => `${proxy.protocol}//${proxy.host}`;

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
 * https:// URL for a proxy that does not speak TLS: a setting to fix too).
 */
export class ProxyError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code:
      | 'PROXY_REFUSED'
      | 'PROXY_UNREACHABLE'
      | 'PROXY_UNTRUSTED'
      | 'PROXY_MISCONFIGURED' = 'PROXY_REFUSED',
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
    if (proxy.username || proxy.password) {
      const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      lines.push(`Proxy-Authorization: Basic ${Buffer.from(credentials).toString('base64')}`);
    }
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
        const reason = status?.[2] ? ` ${status[2].slice(0, 100)}` : '';
        return fail(
          new ProxyError(
            `The proxy ${proxyLabel(proxy)} refused the tunnel to ${target}: ${status ? `HTTP ${code}${reason}` : 'not an HTTP answer'}`,
            code || undefined,
          ),
        );
      }
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
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
  // The rule decides before anything goes to the proxy; without one, the proxy resolves the name.
  const { address } = lookup ? await resolveWith(lookup, host) : { address: host };
  if (signal?.aborted) throw abortReason(signal);
  const raw = await openTunnel(proxy, address, port, signal);
  if (!tls) return raw;
  return secured(raw, host, options, signal);
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
