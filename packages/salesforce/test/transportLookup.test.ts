import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { transportCases } from './transportCases.js';

// The same cases through lookupTransport.ts (connect's `lookup`, as the relay connects): a lookup
// that resolves as usual must change nothing of what the transport does; it must see every host.
const hosts: string[] = [];
const lookup: LookupFunction = (hostname, options, callback) => {
  hosts.push(hostname);
  dnsLookup(hostname, options, callback);
};

transportCases({ lookup });

// Runs after the cases (jest keeps the order of a file).
it('passed every request through the lookup, address literals included (the socket never resolves those)', () => {
  expect(hosts.length).toBeGreaterThan(20);
  expect(new Set(hosts)).toEqual(new Set(['127.0.0.1']));
});
