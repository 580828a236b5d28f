import { generateKeyPairSync } from 'node:crypto';
import { buildApp } from '../src/app.js';
import { admin, RecordingPublisher, tempDir, testConfig } from './helpers.js';

// The README's set-up ends with "GET /health with the admin token then shows the org as ok": right
// after the connection is set, not 30 s later. Reachability is kept 30 s per portal and per
// connection, so a new portal or a new connection is checked at the next call, and a balancer
// polling /health still does not ping Salesforce every time.
describe('GET /health after a portal or its connection changes', () => {
  const dir = tempDir();
  const publisher = new RecordingPublisher();
  let pings = 0;
  publisher.ping = async () => {
    pings++;
  };
  let app: Awaited<ReturnType<typeof buildApp>>;
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

  beforeAll(async () => {
    app = await buildApp(testConfig(dir.path, { publisher }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  const health = async () => {
    const response = await app.inject({ method: 'GET', url: '/health', headers: admin });
    expect(response.statusCode).toBe(200);
    return response.json() as { salesforce: Record<string, string>; portals: { ok: number } };
  };

  it('shows a new portal, then its new connection, at the next call', async () => {
    expect((await health()).salesforce).toEqual({});
    const created = await app.inject({
      method: 'POST',
      url: '/v1/admin/portals',
      headers: admin,
      payload: { id: '9400001' },
    });
    expect(created.statusCode).toBe(201);
    expect((await health()).salesforce).toEqual({ '9400001': 'not configured' });

    const set = await app.inject({
      method: 'PUT',
      url: '/v1/admin/portals/9400001/salesforce',
      headers: admin,
      payload: {
        kind: 'jwt',
        clientId: 'consumer-key',
        username: 'relay@example.com',
        loginUrl: 'http://127.0.0.1:9',
        privateKey,
      },
    });
    expect(set.statusCode).toBe(200);
    const after = await health();
    expect(after.salesforce).toEqual({ '9400001': 'ok' });
    expect(after.portals.ok).toBe(1);
    expect(pings).toBe(1);
    // Unchanged: the org is not pinged again within the 30 s.
    expect((await health()).salesforce).toEqual({ '9400001': 'ok' });
    expect(pings).toBe(1);
  });
});
