import { buildApp } from '../src/app.js';
import { admin, captureLogs, tempDir, testConfig } from './helpers.js';

// Two instances behind one balancer: a request id has to name one request, not "req-1" on every
// instance and after every restart, and it must be findable from the answer and the balancer.
describe('request ids', () => {
  const dirs = [tempDir(), tempDir()];
  const logs = captureLogs({ level: 'info' });
  let apps: Awaited<ReturnType<typeof buildApp>>[];

  beforeAll(async () => {
    apps = [
      await buildApp(testConfig(dirs[0]!.path), { loggerInstance: logs.logger }),
      await buildApp(testConfig(dirs[1]!.path)),
    ];
    await Promise.all(apps.map((app) => app.ready()));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    for (const dir of dirs) dir.remove();
  });

  it('differ between instances and come back in X-Request-Id', async () => {
    const [first, second] = await Promise.all(
      apps.map((app) =>
        app.inject({ method: 'GET', url: '/v1/portals/none/state', headers: admin }),
      ),
    );
    const ids = [first!.headers['x-request-id'], second!.headers['x-request-id']];
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(ids[0]).not.toBe(ids[1]);
    const logged = logs.entries().filter((entry) => entry.msg === 'request completed');
    expect(logged.map((entry) => entry.reqId)).toContain(ids[0]);
  });

  it("keeps the balancer's X-Request-Id when it is a plain token, and replaces anything else", async () => {
    const kept = await apps[0]!.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'lb-7f3a9c.42' },
    });
    expect(kept.headers['x-request-id']).toBe('lb-7f3a9c.42');
    const replaced = await apps[0]!.inject({
      method: 'GET',
      url: '/v1/portals/none/state',
      headers: { ...admin, 'x-request-id': '"}, {"level":60 forged' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    expect(logs.text()).not.toContain('forged');
  });
});
