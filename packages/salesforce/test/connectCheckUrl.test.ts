import type { OrgSimulator } from '@sync-doctor/org-simulator';
import { connect, type UrlOrigin } from '../src/connect.js';
import { sendRest } from '../src/transport.js';
import { jwtSimulatorForAll } from './simulator.js';

// connect's checkUrl hook: the relay passes its rule for outbound targets, so a login server it
// accepted can not send the session to an instance_url the rule refuses. The org simulator's
// token endpoint answers its own loopback http URL as instance_url: refused by such a rule.

const clientId = '3MVG9checkUrl';
let sim: OrgSimulator;

const { privatePem } = jwtSimulatorForAll(
  { fixture: 'healthy', clientId },
  (started) => (sim = started),
);
beforeEach(() => sim.resetRequests());

/** Refuses answered instance URLs (as the relay's rule refuses loopback and plain http), and records every call. */
function refuseAnswered() {
  const seen: { url: string; what: UrlOrigin }[] = [];
  const checkUrl = (url: URL, what: UrlOrigin) => {
    seen.push({ url: url.origin, what });
    if (what === 'instance_url') throw new Error(`${url.hostname} is not a public address`);
  };
  return { seen, checkUrl };
}

describe('connect with checkUrl', () => {
  it('refuses an instance_url the hook refuses, before the session is used there', async () => {
    const { seen, checkUrl } = refuseAnswered();
    await expect(
      connect({
        kind: 'jwt',
        clientId,
        username: sim.adminUser.Username,
        loginUrl: sim.url,
        privateKey: privatePem,
        checkUrl,
      }),
    ).rejects.toMatchObject({
      name: 'SalesforceError',
      errorCode: 'URL_REFUSED',
      message: `instance_url ${sim.url} is refused: 127.0.0.1 is not a public address`,
    });
    expect(seen).toEqual([
      { url: sim.url, what: 'loginUrl' },
      { url: sim.url, what: 'instance_url' },
    ]);
    // The token request only: nothing was called with the session.
    expect(sim.requests.map((r) => r.path)).toEqual(['/services/oauth2/token']);
  });

  it('checks the instance_url of every renewal too', async () => {
    let refuse = false;
    const seen: UrlOrigin[] = [];
    const checkUrl = (url: URL, what: UrlOrigin) => {
      seen.push(what);
      if (refuse && what === 'instance_url')
        throw new Error(`${url.hostname} is not a public address`);
    };
    const conn = await connect({
      kind: 'jwt',
      clientId,
      username: sim.adminUser.Username,
      loginUrl: sim.url,
      privateKey: privatePem,
      checkUrl,
    });
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).resolves.toBeDefined();
    refuse = true;
    sim.expireSession(conn.accessToken!);
    sim.resetRequests();
    await expect(
      sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
    ).rejects.toMatchObject({ errorCode: 'URL_REFUSED' });
    expect(seen).toEqual(['loginUrl', 'instance_url', 'loginUrl', 'instance_url']);
    // The expired call and the new token request; the refused session was never sent.
    const afterToken = sim.requests.slice(
      sim.requests.findIndex((r) => /oauth2\/token/.test(String(r.path))) + 1,
    );
    expect(afterToken).toHaveLength(0);
  });

  it('without the hook (the CLI) connects as before', async () => {
    const conn = await connect({
      kind: 'jwt',
      clientId,
      username: sim.adminUser.Username,
      loginUrl: sim.url,
      privateKey: privatePem,
    });
    expect(conn.instanceUrl).toBe(sim.url);
  });

  it('checks a given instanceUrl and loginUrl too', async () => {
    const seen: UrlOrigin[] = [];
    await expect(
      connect({
        instanceUrl: sim.url,
        accessToken: sim.accessToken,
        loginUrl: sim.url,
        checkUrl: (_url, what) => void seen.push(what),
      }),
    ).resolves.toBeDefined();
    expect(seen).toEqual(['instanceUrl', 'loginUrl']);
    await expect(
      connect({
        instanceUrl: sim.url,
        accessToken: sim.accessToken,
        checkUrl: () => Promise.reject(new Error('no')),
      }),
    ).rejects.toMatchObject({ errorCode: 'URL_REFUSED' });
  });
});
