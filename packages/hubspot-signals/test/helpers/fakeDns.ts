// The module object itself (a namespace import would be a copy under the tests' CommonJS compilation).
import dns from 'node:dns';

/**
 * Makes the names given resolve to the addresses given for `dns.lookup` (what the relay's outbound
 * rule, alerts/destination.ts, resolves with), as a DNS answer would; every other name resolves as
 * usual. Counts the lookups of each faked name. Restore with `restore()`.
 */
export function fakeDns(answers: Record<string, string>): {
  asked: Map<string, number>;
  restore(): void;
} {
  const real = dns.lookup;
  const asked = new Map<string, number>();
  const spy = jest.spyOn(dns, 'lookup').mockImplementation(((
    hostname: string,
    options: unknown,
    callback: unknown,
  ) => {
    const cb = (typeof options === 'function' ? options : callback) as (
      error: Error | null,
      address: unknown,
      family?: number,
    ) => void;
    const opts = (typeof options === 'object' && options !== null ? options : {}) as {
      all?: boolean;
    };
    const address = answers[hostname];
    if (address === undefined)
      return (real as (...args: unknown[]) => void)(hostname, options, callback);
    asked.set(hostname, (asked.get(hostname) ?? 0) + 1);
    const family = address.includes(':') ? 6 : 4;
    setImmediate(() => (opts.all ? cb(null, [{ address, family }]) : cb(null, address, family)));
  }) as unknown as typeof dns.lookup);
  return { asked, restore: () => spy.mockRestore() };
}
