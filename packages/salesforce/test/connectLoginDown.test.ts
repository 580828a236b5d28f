import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import { connect } from '../src/connect.js';
import { jwtKeyPair, jwtSimulatorForAll } from './simulator.js';

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

/** What connect says of a token endpoint that answers 503 with this page. */
async function loginFailureOn(page: string) {
  const { privatePem } = jwtKeyPair();
  const server = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'text/html' });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const error = await connect({
      kind: 'jwt',
      clientId,
      username: 'admin@example.com',
      loginUrl: `http://127.0.0.1:${port}`,
      privateKey: privatePem,
    }).then(
      () => null,
      (e: unknown) => e as { errorCode: string; statusCode?: number; message: string },
    );
    // A turn of the timers: jest's timeout (5 s), due while a blocked event loop parsed the page,
    // is heard before the test ends (the answer comes in the same turn, ahead of any timer).
    await new Promise((resolve) => setTimeout(resolve, 1));
    return error;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

// A page from the login server or a proxy in front of it is quoted in one pass over its first
// 64 KB: the patterns this replaced scanned to the page's end from every unclosed tag, which
// blocked the event loop for tens of seconds on these pages (6 s on 100,000 '<').
it.each([
  ["'<' after '<' without a '>'", '<'.repeat(200_000)],
  ['<script> after <script> never closed', '<script>'.repeat(100_000)],
  ['<style after <style without a >', '<style'.repeat(50_000)],
])('a 503 page of %s from the token endpoint is quoted at once', async (_case, page) => {
  const error = await loginFailureOn(`<html><title>Service Unavailable</title>${page}`);
  expect(error).toMatchObject({ errorCode: 'HTTP_503', statusCode: 503 });
  expect(error!.message).toMatch(
    /^The JWT bearer token request failed: the token endpoint answered HTTP 503 \(Service Unavailable( .*)?\)$/,
  );
  expect(error!.message.length).toBeLessThan(300);
});

it('only the first 64 KB of a page are read for its text', async () => {
  const markup = '<br>'.repeat(17_000); // 68,000 characters
  const error = await loginFailureOn(`${markup}Late text`);
  expect(error).toMatchObject({ errorCode: 'HTTP_503', statusCode: 503 });
  expect(error!.message).toBe(
    'The JWT bearer token request failed: the token endpoint answered HTTP 503',
  );
  const early = await loginFailureOn(`${'<br>'.repeat(15_000)}Early text`);
  expect(early!.message).toMatch(/answered HTTP 503 \(Early text\)$/);
});
