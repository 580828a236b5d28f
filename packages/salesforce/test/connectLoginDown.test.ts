import type { OrgSimulator } from '@sync-doctor/org-simulator';
import { connect } from '../src/connect.js';
import { jwtSimulatorForAll } from './simulator.js';

// A login server that is down answers an HTML page, not an OAuth error document: the error keeps
// its HTTP status (so the relay retries a 503 instead of giving the delivery up) and says it in a
// line, not with the page's markup.
const clientId = '3MVG9loginDown';
let sim: OrgSimulator;

const { privatePem } = jwtSimulatorForAll(
  { fixture: 'healthy', clientId },
  (started) => (sim = started),
);

const login = () =>
  connect({
    kind: 'jwt',
    clientId,
    username: sim.adminUser.Username,
    loginUrl: sim.url,
    privateKey: privatePem,
  });

it('a 503 page from the token endpoint is HTTP_503 with status 503, its text in one short line', async () => {
  sim.injectFault({ path: '/services/oauth2/token', fault: 'SERVER_UNAVAILABLE', times: 1 });
  const error = await login().then(
    () => null,
    (e: unknown) => e as { errorCode: string; statusCode?: number; message: string },
  );
  expect(error).toMatchObject({ errorCode: 'HTTP_503', statusCode: 503 });
  expect(error!.message).toMatch(
    /^The JWT bearer token request failed: the token endpoint answered HTTP 503 \(.*unavailable.*\)$/,
  );
  expect(error!.message).not.toContain('<');
  await expect(login()).resolves.toMatchObject({ instanceUrl: sim.url });
});

it('an OAuth error document keeps its error as the code (unknown_error: retry your request)', async () => {
  sim.injectFault({ path: '/services/oauth2/token', fault: 'INTERNAL_SERVER_ERROR', times: 1 });
  await expect(login()).rejects.toMatchObject({
    errorCode: 'unknown_error',
    message: 'The JWT bearer token request failed: retry your request',
  });
});
