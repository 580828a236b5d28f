import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

/**
 * Where the relay may connect on an admin's say-so (alert webhooks, Slack URLs, SMTP hosts). An
 * admin token, or a stolen one, must not turn the relay into a client of its own network: the
 * cloud metadata service (169.254.169.254), the database, other services on loopback or the VPC.
 * By default only public addresses are allowed; `allowPrivateNetworks` lifts that for tests and
 * on-premises set-ups whose targets live on the private network.
 *
 * Names are checked where they are resolved, at connection time (the `lookup` of the socket), so
 * a name that resolved to a public address when the target was saved and to a private one later
 * (DNS rebinding) is refused all the same.
 */
export interface OutboundPolicy {
  /** Allow loopback, private, link-local and other non-public addresses (default false). */
  allowPrivateNetworks?: boolean;
}

export class DestinationRefusedError extends Error {
  readonly code = 'DESTINATION_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefusedError';
  }
}

/** An address's bytes: 4 for IPv4, 16 for IPv6. */
type Bytes = readonly number[];

/** A network as its first bytes and prefix length, from its written form (a table, so trusted). */
const network = (address: string, prefix: number) => ({ bytes: toBytes(address)!, prefix });

/**
 * Networks that are not public, as bytes (not written forms, so every spelling of an address is
 * judged alike). Documentation ranges are refused too: nothing on the internet lives there, and
 * a network that uses one inside is private like any other.
 */
const NOT_PUBLIC_V4 = [
  network('0.0.0.0', 8), // "this" network; 0.0.0.0 reaches the host itself
  network('10.0.0.0', 8),
  network('100.64.0.0', 10), // carrier-grade NAT
  network('127.0.0.0', 8),
  network('169.254.0.0', 16), // link-local, cloud metadata
  network('172.16.0.0', 12),
  network('192.0.0.0', 24), // IETF protocol assignments
  network('192.0.2.0', 24), // documentation
  network('192.88.99.0', 24), // 6to4 relay anycast (deprecated)
  network('192.168.0.0', 16),
  network('198.18.0.0', 15), // benchmarking
  network('198.51.100.0', 24), // documentation
  network('203.0.113.0', 24), // documentation
  network('224.0.0.0', 4), // multicast
  network('240.0.0.0', 4), // reserved, broadcast
];
const NOT_PUBLIC_V6 = [
  network('::', 128),
  network('::1', 128),
  network('64:ff9b:1::', 48), // local-use NAT64: what it reaches is the network's own choice
  network('100::', 64), // discard
  network('2001:2::', 48), // benchmarking
  network('2001:10::', 28), // ORCHID (deprecated)
  network('2001:20::', 28), // ORCHIDv2
  network('2001:db8::', 32), // documentation
  network('3fff::', 20), // documentation
  network('5f00::', 16), // segment routing (SRv6) SIDs
  network('fc00::', 7), // unique local
  network('fe80::', 10), // link-local
  network('fec0::', 10), // site-local (deprecated)
  network('ff00::', 8), // multicast
];

function toBytes(address: string): Bytes | null {
  const family = isIP(address);
  if (family === 4) return address.split('.').map(Number);
  if (family !== 6) return null;
  // A dotted IPv4 tail (::ffff:127.0.0.1) is two groups; isIP has checked its form.
  let text = address.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const [a, b, c, d] = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 255];
  });
}

function within(bytes: Bytes, { bytes: net, prefix }: { bytes: Bytes; prefix: number }): boolean {
  if (bytes.length !== net.length) return false;
  for (let bit = 0; bit < prefix; bit += 8) {
    const mask = (0xff << (8 - Math.min(8, prefix - bit))) & 0xff;
    if ((bytes[bit / 8]! & mask) !== (net[bit / 8]! & mask)) return false;
  }
  return true;
}

const zeros = (bytes: Bytes, from: number, to: number) =>
  bytes.slice(from, to).every((byte) => byte === 0);

/**
 * The IPv4 addresses an IPv6 address carries, which is where a translator, a tunnel or the
 * kernel delivers it: IPv4-mapped ::ffff:0:0/96, IPv4-translated ::ffff:0:0:0/96,
 * IPv4-compatible ::/96 (:: and ::1 carry 0.0.0.0 and 0.0.0.1, not public either), NAT64
 * 64:ff9b::/96, 6to4 2002::/16, and Teredo 2001::/32 (its server, and its client with the bits
 * inverted).
 */
function embeddedIpv4(b: Bytes): Bytes[] {
  if (zeros(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) return [b.slice(12)];
  if (zeros(b, 0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(b, 10, 12)) return [b.slice(12)];
  if (zeros(b, 0, 12)) return [b.slice(12)];
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(b, 4, 12))
    return [b.slice(12)];
  if (b[0] === 0x20 && b[1] === 0x02) return [b.slice(2, 6)];
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0)
    return [b.slice(4, 8), b.slice(12).map((byte) => byte ^ 0xff)];
  return [];
}

/**
 * Whether an IP address is one the internet can route to (not loopback, private, link-local...).
 * The address is judged by its bytes, so every spelling of it (upper case, zeros written out, a
 * dotted tail, a zone id, brackets) is judged alike, and an IPv6 address that carries an IPv4
 * address is public only if that IPv4 address is. Anything that is no IP address is not public.
 */
export function isPublicAddress(address: string): boolean {
  const bytes = toBytes(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  if (bytes === null) return false;
  if (bytes.length === 4) return !NOT_PUBLIC_V4.some((net) => within(bytes, net));
  return (
    embeddedIpv4(bytes).every((v4) => !NOT_PUBLIC_V4.some((net) => within(v4, net))) &&
    !NOT_PUBLIC_V6.some((net) => within(bytes, net))
  );
}

const refusal = (host: string, address: string) =>
  new DestinationRefusedError(
    `${host}${address !== host ? ` resolves to ${address}, which` : ''} is not a public address (loopback, private, link-local or reserved); the relay connects only to public addresses unless RELAY_ALLOW_PRIVATE_TARGETS=true`,
  );

/**
 * Checked when a target is saved, without resolving: an address literal or a name such as
 * `localhost` that can only be local. Names are checked again, resolved, at every connection.
 */
export function assertAllowedHost(host: string, policy: OutboundPolicy = {}): void {
  if (policy.allowPrivateNetworks) return;
  const bare = host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(bare)) {
    if (!isPublicAddress(bare)) throw refusal(host, bare);
    return;
  }
  if (
    bare === 'localhost' ||
    bare.endsWith('.localhost') ||
    bare.endsWith('.internal') ||
    bare.endsWith('.local') ||
    !bare.includes('.')
  )
    throw refusal(host, host);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for sockets (http.request, net.connect, tls.connect): resolves as usual, then refuses
 * the connection when any address is not public (unless the policy allows it). The socket
 * connects to an address this check has seen, so there is no gap for DNS rebinding.
 */
export function guardedLookup(policy: OutboundPolicy = {}) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number | string } | number,
    callback: LookupCallback,
  ): void => {
    const opts = typeof options === 'number' ? { family: options } : (options ?? {});
    dnsLookup(hostname, { ...opts, all: true } as { all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      if (!policy.allowPrivateNetworks) {
        const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
        if (blocked)
          return callback(
            Object.assign(refusal(hostname, blocked.address), {
              errno: undefined,
            }) as NodeJS.ErrnoException,
            [],
          );
      }
      if (opts.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Resolves a host once and returns an address the policy allows (for clients that take no
 * `lookup`, such as nodemailer: connect to the address, with the name kept for TLS).
 */
export async function resolveAllowed(host: string, policy: OutboundPolicy = {}): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) {
    assertAllowedHost(bare, policy);
    return bare;
  }
  assertAllowedHost(host, policy);
  return new Promise((resolve, reject) =>
    guardedLookup(policy)(host, {}, (error, address) =>
      error ? reject(error) : resolve(address as string),
    ),
  );
}
