import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { tempDir, testConfig, waitFor } from './helpers.js';
import {
  createConnectedPortal,
  deliveriesOf,
  fastOutbox,
  jwtApp,
  jwtConnection,
  publishedTitles,
  sendNumbered,
} from './orgDelivery.js';

// A send the relay stopped waiting for (half the lease) must not send anything after that: the
// next attempt asks Salesforce what landed once it has had as long again to finish, and a request
// the abandoned send starts later (a session renewal's retry, a log-in's first call) is not
// finished by then. Against the org simulator, with a JWT connection, as in production.
describe('delivery: a send the relay stopped waiting for', () => {
  const jwt = jwtApp('3MVG9relay.abandoned.consumer.key');
  let sim: OrgSimulator;
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'read-only-contacts',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
    dir = tempDir();
    app = await buildApp(
      testConfig(dir.path, {
        // The least allowed: the relay waits 1 s for a send, and each request may take 1 s.
        outbox: fastOutbox({ leaseMs: 2000 }),
      }),
    );
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await sim.close();
    dir.remove();
  });

  test('does not publish after the relay gave up on it: a session renewed too late sends nothing', async () => {
    const portalId = '7200001';
    const secret = await createConnectedPortal(app, portalId, jwtConnection(jwt, sim));
    const deliveries = () => deliveriesOf(app, portalId);
    expect((await sendNumbered(app, secret, portalId, 1, 'abandoned')).statusCode).toBe(202);
    await waitFor(async () => (await deliveries())[0]?.state === 'delivered', 10_000, 'first');

    // The next send meets an expired session after 0.9 s; its renewal (a new JWT grant) takes
    // 0.9 s, and the send again on the new session 0.9 s: each within the 1 s a request may
    // take, but the relay stopped waiting at 1 s and retries after as long again.
    sim.injectFault({ path: '/composite', fault: 'INVALID_SESSION_ID', times: 1, delayMs: 900 });
    sim.injectFault({ path: '/services/oauth2/token', fault: 'SLOW', times: 1, delayMs: 900 });
    sim.injectFault({ path: '/composite', fault: 'SLOW', times: 1, delayMs: 900 });
    expect((await sendNumbered(app, secret, portalId, 2, 'abandoned')).statusCode).toBe(202);
    await waitFor(
      async () => (await deliveries())[0]?.state === 'delivered',
      15_000,
      'the second change delivered',
    );
    // Whatever is still on its way has landed by now (each request ends within 1 s).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(publishedTitles(sim, portalId)).toEqual([`${portalId}#1`, `${portalId}#2`]);
  });
});
