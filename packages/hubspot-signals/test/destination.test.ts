import { isIP } from 'node:net';
import {
  assertAllowedHost,
  DestinationRefusedError,
  guardedLookup,
  isPublicAddress,
  resolveAllowed,
} from '../src/alerts/destination.js';

// The outbound rule judges an address by its bytes: every spelling a resolver returns, or an admin
// can type and net.connect accepts, of a loopback, private, link-local or metadata address is
// refused, and the IPv4 address an IPv6 address carries (mapped, translated, compatible, NAT64,
// 6to4, Teredo) is judged as that IPv4 address.
const notPublic: [string, string][] = [
  // IPv4-mapped, in every written form
  ['mapped, dotted', '::ffff:127.0.0.1'],
  ['mapped, dotted, upper case', '::FFFF:127.0.0.1'],
  ['mapped, hex', '::ffff:7f00:1'],
  ['mapped, hex, upper case', '::FFFF:7F00:1'],
  ['mapped, zeros written out', '0:0:0:0:0:ffff:7f00:0001'],
  ['mapped, zeros written out, dotted', '0:0:0:0:0:FFFF:127.0.0.1'],
  ['mapped, :: elsewhere', '0::ffff:7f00:1'],
  ['mapped, :: then a zero', '::0:ffff:a9fe:a9fe'],
  ['mapped, in brackets', '[::ffff:169.254.169.254]'],
  ['mapped, with a zone id', '::ffff:10.0.0.1%eth0'],
  // IPv4-translated (SIIT) ::ffff:0:0:0/96
  ['translated, dotted', '::ffff:0:127.0.0.1'],
  ['translated, hex', '::ffff:0:7f00:1'],
  ['translated, metadata', '::ffff:0:a9fe:a9fe'],
  // IPv4-compatible ::/96 (deprecated; tunnelled by sit)
  ['compatible, dotted', '::127.0.0.1'],
  ['compatible, hex', '::7f00:1'],
  ['compatible, metadata', '::a9fe:a9fe'],
  ['compatible, private', '::10.0.0.1'],
  // NAT64 well-known prefix 64:ff9b::/96, and the local-use 64:ff9b:1::/48
  ['NAT64, hex', '64:ff9b::7f00:1'],
  ['NAT64, dotted', '64:ff9b::127.0.0.1'],
  ['NAT64, upper case', '64:FF9B::A9FE:A9FE'],
  ['NAT64, zeros written out', '64:ff9b:0:0:0:0:a9fe:a9fe'],
  ['NAT64, :: before a zero', '64:ff9b::0:7f00:1'],
  ['local-use NAT64', '64:ff9b:1::7f00:1'],
  ['local-use NAT64, public IPv4 inside', '64:ff9b:1::8.8.8.8'],
  // 6to4 2002::/16 and Teredo 2001::/32
  ['6to4 of loopback', '2002:7f00:0001::'],
  ['6to4 of metadata', '2002:a9fe:a9fe::1'],
  ['6to4 of a private address', '2002:0a00:0001:1::1'],
  ['Teredo, no server', '2001::1'],
  ['Teredo, private server', '2001:0:a00:1::1'],
  ['Teredo, client 127.0.0.1 (inverted)', '2001:0:808:808:0:0:80ff:fffe'],
  ['Teredo, client 169.254.169.254 (inverted)', '2001:0:808:808::5601:5601'],
  // the unspecified address and "this" network
  ['::', '::'],
  ['::, zeros written out', '0:0:0:0:0:0:0:0'],
  ['::0.0.0.0', '::0.0.0.0'],
  ['0.0.0.0', '0.0.0.0'],
  ['0.0.0.0/8', '0.1.2.3'],
  // loopback, private, link-local
  ['::1', '::1'],
  ['::1 in brackets', '[::1]'],
  ['::1, zeros written out', '0:0:0:0:0:0:0:1'],
  ['::1 with a zone id', '::1%lo'],
  ['127.0.0.1', '127.0.0.1'],
  ['127/8', '127.255.255.254'],
  ['10/8', '10.0.0.1'],
  ['172.16/12', '172.31.255.255'],
  ['192.168/16', '192.168.1.1'],
  ['metadata', '169.254.169.254'],
  ['IPv6 link-local with a zone id', 'fe80::1%eth0'],
  ['IPv6 link-local, upper case', 'FE80::1'],
  ['IPv6 link-local, zone id as in a URL', 'fe80::1%25eth0'],
  ['IPv6 link-local, top of fe80::/10', 'febf::1'],
  // other special-purpose networks
  ['CGNAT 100.64/10', '100.64.0.1'],
  ['CGNAT, top', '100.127.255.255'],
  ['benchmarking 198.18/15', '198.18.0.1'],
  ['benchmarking, top', '198.19.255.255'],
  ['IPv6 benchmarking', '2001:2::1'],
  ['IETF protocol assignments 192.0.0/24', '192.0.0.1'],
  ['6to4 relay anycast', '192.88.99.1'],
  ['multicast', '224.0.0.1'],
  ['multicast, top', '239.255.255.255'],
  ['reserved 240/4', '240.0.0.1'],
  ['broadcast', '255.255.255.255'],
  ['IPv6 multicast', 'ff02::1'],
  ['IPv6 multicast, upper case', 'FF05::2'],
  ['ULA fc00::/7', 'fc00::1'],
  ['ULA fd00::/8', 'fd12:3456::1'],
  ['ULA, upper case', 'FDFF::1'],
  ['site-local fec0::/10', 'fec0::1'],
  ['site-local, top', 'feff::1'],
  ['discard 100::/64', '100::1'],
  ['ORCHIDv2', '2001:20::1'],
  ['SRv6 SIDs', '5f00::1'],
  // documentation: nothing on the internet lives there
  ['documentation 192.0.2/24', '192.0.2.1'],
  ['documentation 198.51.100/24', '198.51.100.1'],
  ['documentation 203.0.113/24', '203.0.113.1'],
  ['documentation 2001:db8::/32', '2001:db8::1'],
  ['documentation 3fff::/20', '3fff::1'],
  // no IP address as net.isIP reads one (a name, or a numeric form only a resolver reads)
  ['a name', 'not an ip'],
  ['IPv4 as one number', '2130706433'],
  ['IPv4 in hex', '0x7f.0.0.1'],
  ['IPv4 in octal', '0177.0.0.1'],
  ['IPv4 shortened', '127.1'],
  ['IPv4 with a leading zero', '127.0.0.01'],
  ['IPv4 with a zone id', '127.0.0.1%eth0'],
  ['mapped, shortened IPv4', '::ffff:127.1'],
  ['empty', ''],
];

const publicAddresses: [string, string][] = [
  ['IPv4', '8.8.8.8'],
  ['IPv4, next to 100.64/10', '100.128.0.1'],
  ['IPv4, next to 198.18/15', '198.20.0.1'],
  ['IPv4, next to 172.16/12', '172.32.0.1'],
  ['IPv6', '2606:4700::1111'],
  ['IPv6, upper case', '2A00:1450::1'],
  ['IPv6 with a zone id', '2606:4700::1111%eth0'],
  ['IPv6 in brackets', '[2606:4700::1111]'],
  ['mapped public IPv4', '::ffff:1.1.1.1'],
  ['mapped public IPv4, hex', '::ffff:808:808'],
  ['NAT64 of a public IPv4 (an IPv6-only network reaching it)', '64:ff9b::8.8.8.8'],
  ['6to4 of a public IPv4', '2002:0808:0808::1'],
  ['Teredo, public server and client (8.8.8.8 inverted)', '2001:0:4136:e378:8000:63bf:f7f7:f7f7'],
];

describe('isPublicAddress', () => {
  it.each(notPublic)('refuses %s: %s', (_case, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(publicAddresses)('allows %s: %s', (_case, address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('net.isIP reads no IPv4 address but the dotted one (the others reach the rule resolved)', () => {
    for (const form of ['2130706433', '0x7f.0.0.1', '0177.0.0.1', '127.1', '127.0.0.01'])
      expect(isIP(form)).toBe(0);
  });
});

describe('the rule where the relay applies it', () => {
  // Address literals an admin may type as an SMTP or IMAP host: net.connect takes them as they
  // are, without a lookup, so the check when the target is saved is the one that counts.
  it.each([
    '::ffff:0:a9fe:a9fe',
    '::a9fe:a9fe',
    '64:ff9b:0:0:0:0:a9fe:a9fe',
    '2002:a9fe:a9fe::',
    '[0:0:0:0:0:FFFF:7F00:0001]',
  ])('refuses the literal %s when a target is saved', (host) => {
    expect(() => assertAllowedHost(host)).toThrow(DestinationRefusedError);
    expect(() => assertAllowedHost(host, { allowPrivateNetworks: true })).not.toThrow();
  });

  // Numeric forms only a resolver reads pass as names when saved; resolved, they are refused.
  it.each(['127.1', '0x7f.1', '2130706433', '017700000001', '::ffff:0:127.0.0.1'])(
    'refuses %s where it is resolved',
    async (host) => {
      await expect(resolveAllowed(host)).rejects.toThrow(/not a public address/);
      const error = await new Promise<Error | null>((resolve) =>
        guardedLookup({})(host, {}, (e) => resolve(e)),
      );
      expect(error).toBeInstanceOf(DestinationRefusedError);
    },
  );
});
