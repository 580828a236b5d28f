import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type ClientRequest,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { PassThrough } from 'node:stream';
import { constants as zlibConstants, gunzip, inflate, inflateRaw } from 'node:zlib';
import { HttpsTunnelAgent, HttpTunnelAgent, proxyFor, TUNNEL_SIGNAL } from './proxyTunnel.js';
import type { JsforceTransport } from './transport.js';

/**
 * A jsforce transport whose sockets resolve names with the caller's `lookup` (connect's `lookup`
 * option). jsforce sends through its own fetch (undici's since 3.10.19, node-fetch before) on one
 * process-wide dispatcher and takes no agent or lookup per connection, so a caller that must
 * decide where the sockets may connect (the relay: public addresses only) gets this transport
 * instead, for the connection and for the token client alike.
 * The address is checked where the socket connects, so a name that resolves elsewhere after an
 * earlier check (DNS rebinding) is refused all the same, and the request is never sent.
 *
 * - An IP address in the URL is handed to `lookup` too before connecting (Node skips lookup for
 *   address literals), so the same rule applies to `https://127.0.0.1`.
 * - No retries and no redirects (guardTransport refuses a 3xx).
 * - HTTPS_PROXY / HTTP_PROXY (and lower case; NO_PROXY / no_proxy) are honoured as jsforce's own
 *   transport honoured them, without giving up the check: the name is resolved with `lookup` first
 *   and the proxy is asked for a tunnel to that address (proxyTunnel.ts), never to the name. A
 *   socks5:// or socks5h:// setting is a SOCKS5 proxy, asked for that address the same way.
 * - `options.signal` (guardTransport hands it the connection's AbortSignal) aborts the request:
 *   the request and its response are destroyed, which closes the socket (it is not kept alive),
 *   and the promise rejects with an AbortError. A request whose signal aborted already is not sent.
 *   A tunnel still being opened for it (the lookup, the CONNECT or SOCKS handshake, TLS) is
 *   closed as well, and so is one still being opened at the request's timeout (a proxy that
 *   never answers keeps no socket open).
 * - Request bodies are strings or bytes (what Sync Doctor's REST and token requests send).
 * - Answers are asked for compressed (`Accept-Encoding: gzip, deflate`, as jsforce's node-fetch
 *   asked) and decoded: Salesforce compresses JSON about tenfold, and a 2,000-record query page is
 *   megabytes uncompressed.
 * - A failure to connect (refused, a name that does not resolve, a certificate Node does not trust)
 *   names the URL it was for, without its query, as node-fetch's "request to ... failed, reason:"
 *   did: Node's own message ("self-signed certificate") does not say which host.
 *
 * proxiedTransport is the same without a lookup (connect without one: the CLI), for requests that
 * go through a proxy: the proxy is asked for a tunnel to the host's name and resolves it, as
 * jsforce's own transport let it, but the socket is this transport's, so an abort closes it.
 */

interface JsforceRequest {
  method?: string;
  url?: string;
  headers?: Record<string, string | number | undefined>;
  body?: unknown;
}

interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
  /** Tunnelling agents per proxy URL (as configured, credentials included) and protocol. */
  tunnels: Map<string, HttpAgent>;
}

const AGENT_OPTIONS = { keepAlive: true, scheduling: 'lifo' as const, timeout: 5000 };

// One pair of keep-alive agents per lookup function, so the connections of one caller share sockets
// (as jsforce's global agents do). Idle sockets are unref'd by the agent and close after 5 s.
const agentsByLookup = new WeakMap<LookupFunction, Agents>();

// Without a lookup (proxiedTransport): the system's resolver, and tunnels to the name.
let systemAgents: Agents | undefined;

function agentsFor(lookup: LookupFunction | undefined): Agents {
  if (!lookup) {
    systemAgents ??= {
      http: new HttpAgent(AGENT_OPTIONS),
      https: new HttpsAgent(AGENT_OPTIONS),
      tunnels: new Map(),
    };
    return systemAgents;
  }
  let agents = agentsByLookup.get(lookup);
  if (!agents) {
    const options = { ...AGENT_OPTIONS, lookup };
    agents = { http: new HttpAgent(options), https: new HttpsAgent(options), tunnels: new Map() };
    agentsByLookup.set(lookup, agents);
  }
  return agents;
}

/** The agent for a URL: through `proxy` when one applies, directly otherwise. */
function agentFor(lookup: LookupFunction | undefined, url: URL, proxy: URL | null): HttpAgent {
  const agents = agentsFor(lookup);
  const https = url.protocol === 'https:';
  if (!proxy) return https ? agents.https : agents.http;
  const key = `${url.protocol}${proxy.href}`;
  let agent = agents.tunnels.get(key);
  if (!agent) {
    agent = https
      ? new HttpsTunnelAgent(proxy, lookup, AGENT_OPTIONS)
      : new HttpTunnelAgent(proxy, lookup, AGENT_OPTIONS);
    agents.tunnels.set(key, agent);
  }
  return agent;
}

function headersOf(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** What this transport asks for and can decode. */
const ACCEPT_ENCODING = 'gzip, deflate';

type Decoder = (input: Buffer, callback: (error: Error | null, result: Buffer) => void) => void;

/**
 * The decoder for a Content-Encoding, undefined for none (identity or one not asked for: left as
 * it came). 'deflate' is zlib-wrapped by the standard, yet some servers send it raw: the first
 * byte tells (node-fetch decides the same way). Like node-fetch, a body that ends without the
 * compressed stream's trailer is decoded as far as it goes (Z_SYNC_FLUSH).
 */
function decoderFor(encoding: string | undefined, body: Buffer): Decoder | undefined {
  const options = {
    finishFlush: zlibConstants.Z_SYNC_FLUSH,
  };
  const name = encoding?.trim().toLowerCase();
  if (body.length === 0) return undefined;
  if (name === 'gzip' || name === 'x-gzip') return (input, cb) => gunzip(input, options, cb);
  if (name === 'deflate')
    return (body[0]! & 0x0f) === 0x08
      ? (input, cb) => inflate(input, options, cb)
      : (input, cb) => inflateRaw(input, options, cb);
  return undefined;
}

/** A URL without its query, for a message (a SOQL query says nothing about where it went). */
function origin(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * A failure of the connection (Node's error, with its code kept) named with the URL it was for, in
 * node-fetch's words, so callers and tests that read the old transport's message read the same.
 */
function withUrl(error: unknown, url: URL): unknown {
  // Node's errors carry a code; this transport's own (the timeout) and the tunnel's do not qualify.
  // (Duck-typed: an error from another realm, as under jest, is no `instanceof Error` here.)
  const value = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (typeof value !== 'object' || value === null || value.name !== 'Error') return error;
  if (typeof value.code !== 'string' || typeof value.message !== 'string') return error;
  // Node's: an errno (ECONNREFUSED, ENOTFOUND...) or a TLS refusal (OpenSSL's verify codes,
  // ERR_TLS_*, ERR_SSL_*). A caller's lookup refusing an address names it itself.
  if (!/^E[A-Z]+$|CERT|^ERR_(TLS|SSL)_/.test(value.code)) return error;
  if (value.message.startsWith('request to ')) return error;
  value.message = `request to ${origin(url)} failed, reason: ${value.message}`;
  return error;
}

function bodyOf(body: unknown): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError('This transport sends string or byte request bodies only');
}

/** Passes an address literal through `lookup`, which the socket would skip; resolves when allowed. */
function checkLiteral(lookup: LookupFunction, hostname: string): Promise<void> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) return Promise.resolve();
  return new Promise((resolve, reject) =>
    lookup(bare, { all: true }, (error) => (error ? reject(error) : resolve())),
  );
}

export function lookupTransport(lookup: LookupFunction): JsforceTransport {
  return transport(lookup, (url) => proxyFor(url));
}

/**
 * Without a lookup, for requests through a proxy: `proxyOf` names the proxy for a URL (connect:
 * the one jsforce's transport would take, NO_PROXY applied); the tunnel goes to the host's name.
 * A URL it names none for goes directly, with the system's resolver.
 */
export function proxiedTransport(proxyOf: (url: URL) => URL | null): JsforceTransport {
  return transport(undefined, proxyOf);
}

function transport(
  lookup: LookupFunction | undefined,
  proxyOf: (url: URL) => URL | null,
): JsforceTransport {
  return {
    httpRequest(raw, options) {
      const req = raw as JsforceRequest;
      // What jsforce may pipe through (HttpApi's lazy stream); ended with the response, and
      // destroying it (guardTransport's deadline) aborts the request.
      const stream = new PassThrough();
      let sent: ClientRequest | undefined;
      let received: IncomingMessage | undefined;
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const tunnelStop = new AbortController();
      const timeoutMs = typeof options?.timeout === 'number' ? options.timeout : undefined;
      const signal = options?.signal instanceof AbortSignal ? options.signal : undefined;
      const promise = new Promise<{
        statusCode: number;
        headers: Record<string, string>;
        body: string;
      }>((resolve, reject) => {
        const url = new URL(String(req.url ?? ''));
        if (url.protocol !== 'https:' && url.protocol !== 'http:')
          throw new TypeError(`Cannot send to ${url.protocol} URLs`);
        const body = bodyOf(req.body);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers ?? {}))
          if (value !== undefined) headers[name] = String(value);
        if (!Object.keys(headers).some((name) => name.toLowerCase() === 'accept-encoding'))
          headers['accept-encoding'] = ACCEPT_ENCODING;
        if (
          body !== undefined &&
          !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')
        ) {
          headers['content-length'] = String(Buffer.byteLength(body));
        }
        const https = url.protocol === 'https:';
        // Ends a tunnel still being opened (the proxy's lookup, CONNECT or SOCKS handshake, TLS)
        // when the request stops: an abort, the timeout, or the guard releasing the stream.
        const stopTunnel = (reason: Error) => {
          if (!tunnelStop.signal.aborted) tunnelStop.abort(reason);
        };
        stream.on('close', () => {
          sent?.destroy();
          stopTunnel(new Error('Request aborted'));
        });
        if (signal) {
          onAbort = () => {
            const error = Object.assign(new Error('The request was aborted'), {
              name: 'AbortError',
              code: 'ABORT_ERR',
            });
            // The socket goes with them: a keep-alive agent does not get it back.
            received?.destroy();
            sent?.destroy(error);
            stopTunnel(error);
            stream.destroy();
            reject(error);
          };
          if (signal.aborted) return onAbort();
          signal.addEventListener('abort', onAbort, { once: true });
        }
        if (timeoutMs !== undefined) {
          timer = setTimeout(() => {
            const error = new Error('Request Timeout');
            if (sent) sent.destroy(error);
            stopTunnel(error);
            reject(error);
          }, timeoutMs);
        }
        const agent = agentFor(lookup, url, proxyOf(url));
        // Reaches the tunnel agent's createConnection (Node keeps `signal` from it).
        const tunnelSignal = { [TUNNEL_SIGNAL]: tunnelStop.signal };
        const send = () =>
          (https ? httpsRequest : httpRequest)(
            url,
            { method: req.method ?? 'GET', headers, agent, ...tunnelSignal },
            (response) => {
              received = response;
              const chunks: Buffer[] = [];
              response.on('data', (chunk: Buffer) => chunks.push(chunk));
              response.on('error', reject);
              response.on('close', () => {
                if (!response.complete)
                  reject(
                    Object.assign(
                      new Error('The connection closed before the whole answer arrived'),
                      { code: 'ECONNRESET' },
                    ),
                  );
              });
              response.on('end', () => {
                stream.end();
                const raw = Buffer.concat(chunks);
                const answer = (text: Buffer) =>
                  resolve({
                    statusCode: response.statusCode ?? 0,
                    headers: headersOf(response),
                    body: text.toString('utf8'),
                  });
                const encoding = response.headers['content-encoding'];
                const decode =
                  req.method === 'HEAD' ||
                  response.statusCode === 204 ||
                  response.statusCode === 304
                    ? undefined
                    : decoderFor(encoding, raw);
                if (!decode) return answer(raw);
                decode(raw, (error, decoded) => {
                  if (!error) return answer(decoded);
                  reject(
                    Object.assign(
                      new Error(
                        `The answer from ${origin(url)} says it is ${encoding} but does not decode as such: ${error.message}`,
                      ),
                      { code: (error as { code?: unknown }).code },
                    ),
                  );
                });
              });
            },
          );
        (lookup ? checkLiteral(lookup, url.hostname) : Promise.resolve()).then(() => {
          if (stream.destroyed) return reject(new Error('Request aborted'));
          // Node refuses some requests synchronously (a header value holding a line break:
          // ERR_INVALID_CHAR); thrown here, inside then(), it would leave this promise pending.
          try {
            sent = send();
          } catch (error) {
            return reject(error);
          }
          sent.on('error', (error) => reject(withUrl(error, url)));
          sent.end(body);
        }, reject);
      }).finally(() => {
        clearTimeout(timer);
        if (onAbort) signal?.removeEventListener('abort', onAbort);
      });
      return Object.assign(promise, { stream: () => stream });
    },
  };
}
