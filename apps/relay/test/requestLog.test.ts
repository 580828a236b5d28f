import { ADMIN_TOKEN, tempDir } from './helpers.js';
import { startChildRelay, type ChildRelay } from './childRelay.js';

// The access log as production writes it (the built relay, its own pino set-up): one JSON line
// per request at info, with everything an operator searches by (request id, method, path without
// its query string, client, status, duration), so a request is found in one line instead of
// joining "incoming request" and "request completed" by request id. The probes a load balancer,
// Kubernetes and Prometheus send every few seconds while all is well are at debug.
describe('the request log', () => {
  const dir = tempDir();
  let relay: ChildRelay | undefined;
  afterAll(async () => {
    await relay?.kill('SIGKILL');
    dir.remove();
  });

  it('is one line per request, with the request id the answer carries', async () => {
    relay = await startChildRelay({ RELAY_DATA_DIR: dir.path, RELAY_ADMIN_TOKEN: ADMIN_TOKEN });
    const state = await fetch(`${relay.url}/v1/portals/none/state?token=abc`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const missing = await fetch(`${relay.url}/nowhere`);
    for (const path of ['/health', '/health/live', '/metrics']) await fetch(`${relay.url}${path}`);
    const ids = [state.headers.get('x-request-id'), missing.headers.get('x-request-id')];
    await relay.kill('SIGTERM');

    const lines = relay.output
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.reqId !== undefined && entry.level === 30);
    const completed = lines.filter((entry) => entry.msg === 'request completed');
    expect(completed).toEqual([
      expect.objectContaining({
        reqId: ids[0],
        req: expect.objectContaining({ method: 'GET', url: '/v1/portals/none/state' }),
        res: { statusCode: 404 },
        responseTime: expect.any(Number),
      }),
      expect.objectContaining({
        reqId: ids[1],
        req: expect.objectContaining({ method: 'GET', url: '/nowhere' }),
        res: { statusCode: 404 },
      }),
    ]);
    expect(lines.filter((entry) => entry.msg === 'incoming request')).toEqual([]);
  });
});
