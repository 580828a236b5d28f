import { generateKeyPairSync } from 'node:crypto';
import { buildApp } from '../src/app.js';
import { admin, RecordingPublisher, tempDir, testConfig } from './helpers.js';

// GET /health is what a load balancer and a Kubernetes readiness probe call, often with a 1 s
// timeout. Salesforce is not part of readiness: an org that has stopped answering must not make
// /health wait for its ping (up to 3 s) every time its 30 s answer expires. The answer on hand is
// given while the new check runs, and calls at the same moment share that one check.
describe('GET /health while an org does not answer', () => {
  const dir = tempDir();
  const publisher = new RecordingPublisher();
  let pings = 0;
  let hang: { release: (error?: Error) => void } | null = null;
  publisher.ping = () => {
    pings++;
    if (!hang) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      hang = { release: (error) => (error ? reject(error) : resolve()) };
    });
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
    jest.restoreAllMocks();
    await app.close();
    dir.remove();
  });

  const health = async () => {
    const response = await app.inject({ method: 'GET', url: '/health', headers: admin });
    expect(response.statusCode).toBe(200);
    return (response.json() as { salesforce: Record<string, string> }).salesforce;
  };

  it('answers from the last check while the next one waits on Salesforce, and shows its outcome after', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/admin/portals',
      headers: admin,
      payload: {
        id: '9500001',
        salesforce: {
          kind: 'jwt',
          clientId: 'consumer-key',
          username: 'relay@example.com',
          loginUrl: 'http://127.0.0.1:9',
          privateKey,
        },
      },
    });
    expect(created.statusCode).toBe(201);
    expect(await health()).toEqual({ '9500001': 'ok' });
    expect(pings).toBe(1);

    // 31 s later the org stops answering: its ping hangs.
    const now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now + 31_000);
    hang = { release: () => undefined };
    const [first, second] = await Promise.all([health(), health()]);
    expect(first).toEqual({ '9500001': 'ok' });
    expect(second).toEqual({ '9500001': 'ok' });
    expect(pings).toBe(2);

    // The check ends (Salesforce refuses): the next call says so, without another ping.
    hang.release(new Error('connect ETIMEDOUT'));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await health())['9500001']).toMatch(/^unreachable: /);
    expect(pings).toBe(2);
  });
});
