/*
 * The SOCKS5 handshake (RFC 1928, with RFC 1929's user name and password), failing with the HTTP
 * tunnel's errors so a delivery retries a SOCKS proxy as it retries an HTTP one.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { handOn } from './handOn.js';
import { abortReason, notDecodable, ProxyError, proxyLabel } from './proxyError.js';
import { credentialsOf } from './setting.js';

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
export function openSocks(
  proxy: URL,
  host: string,
  port: number,
  signal?: AbortSignal,
): Promise<Socket> {
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
