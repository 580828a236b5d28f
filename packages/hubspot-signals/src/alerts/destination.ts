import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

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

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96), if any. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether an IP address is one the internet can route to (not loopback, private, link-local...). */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return !NOT_PUBLIC.check(bare, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4 !== null) return !NOT_PUBLIC.check(v4, 'ipv4');
    return !NOT_PUBLIC.check(bare, 'ipv6');
  }
  return false;
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
