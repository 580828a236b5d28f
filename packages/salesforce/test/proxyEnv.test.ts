/**
 * A connection without `lookup` (the CLI's) takes the proxy jsforce's own transport would take
 * (HTTPS_PROXY / HTTP_PROXY), which knows no NO_PROXY: a pipeline behind a proxy that exempts an
 * address (127.0.0.1 for `check --demo`, an internal host) must still reach it directly, and
 * everything else must still go through the proxy (a tunnel of its own: proxyAbort.test.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const saved = {
  HTTP_PROXY: process.env.HTTP_PROXY,
  HTTPS_PROXY: process.env.HTTPS_PROXY,
  NO_PROXY: process.env.NO_PROXY,
  http_proxy: process.env.http_proxy,
  https_proxy: process.env.https_proxy,
  no_proxy: process.env.no_proxy,
};
let org: Server;
let orgUrl: string;

beforeAll(async () => {
  for (const name of Object.keys(saved)) delete process.env[name];
  // Nothing listens on port 1: a request sent to this proxy fails with ECONNREFUSED.
  process.env.HTTP_PROXY = 'http://127.0.0.1:1';
  process.env.HTTPS_PROXY = 'http://127.0.0.1:1';
  org = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ DailyApiRequests: { Max: 100, Remaining: 90 } }));
  });
  await new Promise<void>((resolve) => org.listen(0, '127.0.0.1', resolve));
  orgUrl = `http://127.0.0.1:${(org.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await new Promise((resolve) => org.close(resolve));
});

async function limits(): Promise<unknown> {
  // Loaded after the environment is set, as in a process started with it.
  const { connect } = await import('../src/connect.js');
  const { sendRest } = await import('../src/transport.js');
  const conn = await connect({ instanceUrl: orgUrl, accessToken: 'token', timeoutMs: 5000 });
  return sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' });
}

describe('the proxy of the environment, without a lookup', () => {
  it('is bypassed for a host NO_PROXY names', async () => {
    process.env.NO_PROXY = 'localhost,127.0.0.1';
    await expect(limits()).resolves.toMatchObject({ DailyApiRequests: { Max: 100 } });
  });

  it('is used for a host NO_PROXY does not name', async () => {
    process.env.NO_PROXY = 'internal.example';
    // Nothing listens where the proxy should: the proxy is named as the one not reached.
    await expect(limits()).rejects.toMatchObject({
      errorCode: 'PROXY_UNREACHABLE',
      message: expect.stringMatching(
        /^The proxy http:\/\/127\.0\.0\.1:1 could not be reached: .*ECONNREFUSED/,
      ),
    });
  });
});
