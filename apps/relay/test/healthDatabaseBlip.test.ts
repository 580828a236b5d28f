import { buildApp } from '../src/app.js';
import { DatabaseConnectionError } from '../src/store/sqlDb.js';
import { admin, captureLogs, tempDir, testConfig } from './helpers.js';

// The database answers /health's ping, then fails the reads after it (a PostgreSQL backend
// terminated in between, a failover). The reviewer's relay answered 500: the error handler's 503
// body ({ statusCode, code, error }) does not fit the route's HealthBody, so the serializer threw
// ('"status" is required!'). A balancer must read 503 `unavailable` in the route's own shape.

const TERMINATED = 'terminating connection due to administrator command';

describe('GET /health when the database fails after its ping', () => {
  const dir = tempDir();
  const logs = captureLogs({ level: 'info' });
  let app: Awaited<ReturnType<typeof buildApp>>;
  let restore: (() => void)[] = [];

  beforeAll(async () => {
    app = await buildApp(testConfig(dir.path), { loggerInstance: logs.logger });
    await app.ready();
  });
  afterEach(() => {
    for (const undo of restore) undo();
    restore = [];
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  /** Makes one store read fail the way node-postgres reports a terminated backend. */
  function failing(method: 'countDeliveries' | 'listPortals'): void {
    const original = app.store[method];
    app.store[method] = (async () => {
      throw new DatabaseConnectionError(Object.assign(new Error(TERMINATED), { code: '57P01' }));
    }) as never;
    restore.push(() => {
      app.store[method] = original as never;
    });
  }

  it('is ready while the reads answer', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it.each(['countDeliveries', 'listPortals'] as const)(
    'answers 503 unavailable in its own shape when %s fails',
    async (method) => {
      failing(method);
      const response = await app.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        status: 'unavailable',
        store: 'sqlite',
        database: 'unavailable',
        portals: null,
        outbox: null,
        instance: app.config.instanceId,
      });
      expect(response.body).not.toContain(TERMINATED);
    },
  );

  it('gives the admin the reason, and logs it', async () => {
    failing('countDeliveries');
    const response = await app.inject({ method: 'GET', url: '/health', headers: admin });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'unavailable',
      database: `unavailable: ${TERMINATED}`,
      salesforce: {},
    });
    expect(
      logs.entries().some((entry) => entry.msg === 'health: the database does not answer'),
    ).toBe(true);
    expect(logs.entries().some((entry) => entry.msg === 'request failed')).toBe(false);
  });

  it('is ready again once the reads answer', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
  });
});
