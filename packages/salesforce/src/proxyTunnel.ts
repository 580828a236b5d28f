import { lookup as dnsLookup } from 'node:dns';
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { openTunnel } from './proxy/httpConnect.js';
import { abortReason } from './proxy/proxyError.js';
import { isSocks } from './proxy/setting.js';
import { openSocks } from './proxy/socks5.js';

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

export { proxyFor } from './proxy/setting.js';

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
