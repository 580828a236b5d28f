import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import { connect } from '../src/connect.js';
import { sendRest } from '../src/transport.js';
import { jwtSimulatorForAll } from './simulator.js';

// connect's `lookup`: every socket of the connection and its token requests resolves through it,
// so a caller's rule on addresses (the relay: public only) holds where the socket connects, not
// only where a URL was checked earlier. The resolver here is the test's: it answers `localhost`
// with 127.0.0.1 and refuses whatever the test says, as the relay's rule refuses a name that
// resolves to a private address now (DNS rebinding) although it looked fine when checked.

const clientId = '3MVG9lookup';
let sim: OrgSimulator;
/** The simulator by address, where it is not by name (its url, http://localhost:PORT). */
let byAddress: string;

// On a name, so the JWT audience (the login URL) and the instance_url it answers are a name too.
const { privatePem } = jwtSimulatorForAll(
  { fixture: 'healthy', clientId, host: 'localhost' },
  (started) => {
    sim = started;
    byAddress = sim.url.replace('localhost', '127.0.0.1');
  },
);
beforeEach(() => sim.resetRequests());

/** A resolver the test controls: records every host asked for, refuses the ones in `refused`. */
function resolver(refused: Set<string> = new Set()) {
  const asked: string[] = [];
  const lookup: LookupFunction = (hostname, options, callback) => {
    asked.push(hostname);
    setImmediate(() => {
      if (refused.has(hostname)) {
        const error = Object.assign(
          new Error(`${hostname} resolves to 169.254.169.254, which is not a public address`),
          { code: 'DESTINATION_REFUSED' },
        );
        return callback(error, []);
      }
      const address: LookupAddress = { address: '127.0.0.1', family: 4 };
      if ((options as { all?: boolean }).all) return callback(null, [address]);
      callback(null, address.address, address.family);
    });
  };
  return { asked, lookup, refused };
}

const jwt = (lookup: LookupFunction, loginUrl = sim.url) => ({
  kind: 'jwt' as const,
  clientId,
  username: sim.adminUser.Username,
  loginUrl,
  privateKey: privatePem,
  lookup,
});

describe('connect with lookup', () => {
  it("resolves the token request, the REST calls and jsforce's own calls through it", async () => {
    const { asked, lookup } = resolver();
    const conn = await connect(jwt(lookup));
    await sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' });
    await conn.query('SELECT Id FROM User LIMIT 1');
    await conn.limits();
    // The login URL's name, and the instance_url the token endpoint answered (the same name: its
    // socket may be the token request's, kept alive, which connected to an address the lookup gave).
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['localhost']));
    expect(sim.requests.map((r) => r.path)).toEqual([
      '/services/oauth2/token',
      '/services/data/v64.0/limits',
      '/services/data/v64.0/query?q=SELECT%20Id%20FROM%20User%20LIMIT%201',
      '/services/data/v64.0/limits',
    ]);
  });

  it('a login URL that passed checkUrl but resolves to a refused address now: the JWT assertion is never sent', async () => {
    const { lookup } = resolver(new Set(['localhost']));
    const checked: string[] = [];
    const error = await connect({
      ...jwt(lookup),
      checkUrl: (url) => void checked.push(url.origin),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'SalesforceError',
      errorCode: 'DESTINATION_REFUSED',
      message:
        'The JWT bearer token request failed: localhost resolves to 169.254.169.254, which is not a public address',
    });
    expect(checked).toEqual([sim.url]);
    expect(sim.requests).toEqual([]);
  });

  it("an instance URL refused at the socket: the session goes nowhere, by sendRest or by jsforce's own calls", async () => {
    const { lookup } = resolver(new Set(['localhost']));
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken, lookup });
    await expect(
      sendRest(conn, {
        method: 'POST',
        url: '/services/data/v64.0/composite',
        body: { compositeRequest: [] },
      }),
    ).rejects.toMatchObject({
      name: 'SalesforceError',
      errorCode: 'DESTINATION_REFUSED',
      message: 'localhost resolves to 169.254.169.254, which is not a public address',
    });
    await expect(conn.query('SELECT Id FROM User')).rejects.toMatchObject({
      code: 'DESTINATION_REFUSED',
    });
    await expect(conn.limits()).rejects.toMatchObject({ code: 'DESTINATION_REFUSED' });
    expect(sim.requests).toEqual([]);
  });

  it('an address literal is passed to the lookup too (the socket would not resolve it)', async () => {
    const { asked, lookup } = resolver(new Set(['127.0.0.1']));
    const conn = await connect({ instanceUrl: byAddress, accessToken: sim.accessToken, lookup });
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).rejects.toMatchObject({ errorCode: 'DESTINATION_REFUSED' });
    expect(asked).toEqual(['127.0.0.1']);
    expect(sim.requests).toEqual([]);
  });

  it('a renewal to a refused login URL: the refresh token is never sent', async () => {
    const { lookup } = resolver(new Set(['localhost']));
    // The instance by address, the login server by name: the test's resolver refuses the name only.
    const conn = await connect({
      instanceUrl: byAddress,
      accessToken: sim.accessToken,
      refreshToken: sim.refreshToken,
      clientId,
      loginUrl: sim.url,
      lookup,
    });
    sim.expireSession();
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).rejects.toMatchObject({
      errorCode: 'DESTINATION_REFUSED',
      message:
        'Refreshing the session failed: localhost resolves to 169.254.169.254, which is not a public address',
    });
    // The expired session's 401 only; no token request.
    expect(sim.requests.map((r) => r.path)).toEqual(['/services/data/v64.0/limits']);
  });

  it('asks again for every new connection: a name refused once is refused again, allowed once it is allowed', async () => {
    const { lookup, refused } = resolver(new Set(['localhost']));
    await expect(connect(jwt(lookup))).rejects.toMatchObject({ errorCode: 'DESTINATION_REFUSED' });
    await expect(connect(jwt(lookup))).rejects.toMatchObject({ errorCode: 'DESTINATION_REFUSED' });
    expect(sim.requests).toEqual([]);
    refused.clear();
    await expect(connect(jwt(lookup))).resolves.toBeDefined();
    expect(sim.requests.map((r) => r.path)).toEqual(['/services/oauth2/token']);
  });
});
