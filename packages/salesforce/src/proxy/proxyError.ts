/*
 * How a proxy in the way fails, shared by the HTTP CONNECT tunnel and the SOCKS5 handshake: the
 * error a delivery's retry reads by code, and the proxy's name as errors show it (never its
 * credentials).
 */

/** The proxy as shown in errors and logs: never its credentials. */
export const proxyLabel = (proxy: URL): string => `${proxy.protocol}//${proxy.host}`;

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
export class ProxyError extends Error {
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

/** proxyFor refuses such a setting at connect; a proxy URL given otherwise fails here. */
export const notDecodable = (proxy: URL): Error =>
  new ProxyError(
    `The user name or password in the proxy ${proxyLabel(proxy)} is not valid percent-encoding`,
    undefined,
    'PROXY_MISCONFIGURED',
  );

/** The signal's reason as an error (an AbortError when it gave none). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : Object.assign(new Error('The request was aborted'), {
        name: 'AbortError',
        code: 'ABORT_ERR',
      });
}
