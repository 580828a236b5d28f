/**
 * Every request of a connection made by `connect` goes through this package's transport, never
 * through jsforce's own fetch. That transport changed under us inside the caret range (jsforce
 * 3.10.19 moved from node-fetch to undici's fetch), and the package's guarantees (the deadline for
 * the whole answer, the abort closing the socket, the lookup rule, the proxies) hold only on its
 * own transport. So jsforce's fetch is handed a dispatcher that refuses and records every request:
 * any call that still reached it would fail here and name itself.
 */
import { setDispatcher } from 'jsforce/lib/request.js';
import { DEFAULT_REQUIREMENTS } from '@sync-doctor/core';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import { Connection } from 'jsforce';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { connect } from '../src/connect.js';
import { sendRest } from '../src/transport.js';
import { SALESFORCE_API_VERSION } from '../src/version.js';
import { jwtSimulatorForAll } from './simulator.js';

const clientId = 'hubspot-sync-doctor';
let sim: OrgSimulator;
const { privatePem } = jwtSimulatorForAll({ port: 0, clientId }, (started) => (sim = started));

/** What reached jsforce's own fetch: `METHOD origin/path`. */
const reachedJsforceFetch: string[] = [];

beforeAll(() => {
  // undici's fetch calls only dispatch(); throwing there rejects the fetch.
  const refusing = {
    dispatch(options: { method: string; origin?: unknown; path: string }): boolean {
      reachedJsforceFetch.push(`${options.method} ${String(options.origin)}${options.path}`);
      throw new Error("this request went through jsforce's own fetch");
    },
  };
  setDispatcher(refusing as unknown as Parameters<typeof setDispatcher>[0]);
});

afterAll(() => setDispatcher());

beforeEach(() => {
  reachedJsforceFetch.length = 0;
});

const queryPath = `/services/data/v${SALESFORCE_API_VERSION}/query`;
const limits = { method: 'GET', url: `/services/data/v${SALESFORCE_API_VERSION}/limits` } as const;

describe("connect never sends through jsforce's own fetch", () => {
  it('the refusing dispatcher is in place: a bare jsforce connection fails on it', async () => {
    const bare = new Connection({
      instanceUrl: sim.url,
      accessToken: sim.accessToken,
      version: SALESFORCE_API_VERSION,
    });
    await expect(bare.query('SELECT Id FROM User LIMIT 1')).rejects.toThrow();
    expect(reachedJsforceFetch).toHaveLength(1);
    expect(reachedJsforceFetch[0]).toContain(`GET ${sim.url}${queryPath}`);
  });

  it('JWT log-in, REST, jsforce calls, a whole collection and a session renewal', async () => {
    const conn = await connect({
      kind: 'jwt',
      clientId,
      username: sim.adminUser.Username,
      loginUrl: sim.url,
      privateKey: privatePem,
    });
    await sendRest(conn, limits);
    const users = await conn.query<{ Id: string }>('SELECT Id FROM User LIMIT 1');
    expect(users.records).toHaveLength(1);
    await conn.limits();
    const { snapshot } = await collectSnapshot(conn, {
      user: sim.integrationUser.Username,
      requirements: DEFAULT_REQUIREMENTS,
    });
    expect(snapshot.user?.Username).toBe(sim.integrationUser.Username);

    // An expired session is renewed by signing again (sendRest, what the collector and the writes
    // use): the token request takes the transport too.
    const before = sim.requests.filter((r) => r.path === '/services/oauth2/token').length;
    sim.expireSession(conn.accessToken!);
    await sendRest(conn, limits);
    expect(sim.requests.filter((r) => r.path === '/services/oauth2/token')).toHaveLength(
      before + 1,
    );

    expect(reachedJsforceFetch).toEqual([]);
  });

  it('an instance URL and an access token', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    await conn.query('SELECT Id FROM User LIMIT 1');
    await sendRest(conn, limits);
    expect(reachedJsforceFetch).toEqual([]);
  });
});
