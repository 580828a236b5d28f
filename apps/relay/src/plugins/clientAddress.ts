import { isIPv6 } from 'node:net';

/**
 * The key the per-client limits count under (RELAY_RATE_LIMIT_IP, RELAY_MAX_STREAMS_PER_IP): an
 * IPv4 address as it is (also written as IPv4-mapped IPv6, `::ffff:203.0.113.9`), an IPv6 one by
 * its /64, e.g. `2001:db8:0:1::/64`. One IPv6 host is usually given a whole /64 (SLAAC, privacy
 * addresses), so counting single addresses gave it 2^64 budgets.
 */
export function clientAddressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const address = ip.split('%')[0]!;
  if (!isIPv6(address)) return ip;
  const [head = '', tail] = address.split('::');
  const groups = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const start = groups(head);
  const end = tail === undefined ? [] : groups(tail);
  const all = [
    ...start,
    ...Array<string>(Math.max(0, 8 - start.length - end.length)).fill('0'),
    ...end,
  ];
  const prefix = all.slice(0, 4).map((g) => parseInt(g, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
