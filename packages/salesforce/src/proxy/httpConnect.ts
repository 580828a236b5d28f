/*
 * The HTTP proxy's CONNECT handshake (over TLS to an https:// proxy), with Basic credentials that
 * never appear in an error, not even in a reason phrase that repeats them.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { handOn } from './handOn.js';
import { abortReason, notDecodable, ProxyError, proxyLabel } from './proxyError.js';
import { credentialsOf } from './setting.js';

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
 * Opens a tunnel through the proxy to address:port (or name:port); resolves with the raw socket
 * once the proxy answered 2xx. An abort before that destroys the socket and rejects.
 */
export function openTunnel(
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
