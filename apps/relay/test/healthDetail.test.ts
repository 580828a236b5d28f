import { buildApp } from '../src/app.js';
import { admin, captureLogs, tempDir, testConfig } from './helpers.js';

// GET /health needs no token (load balancers call it): when the database fails it says only
// `unavailable`. The driver's message, which can name internal hosts and database users, goes to
// the admin and to the log.

const DRIVER_MESSAGE =
  'password authentication failed for user "relay_owner" (db-primary.internal.example:5432)';

describe('GET /health when the database fails', () => {
  const dir = tempDir();
  const logs = captureLogs({ level: 'info' });
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    app = await buildApp(testConfig(dir.path), { loggerInstance: logs.logger });
    await app.ready();
    // The database stops answering as a driver would say it.
    app.store.ping = async () => {
      throw new Error(DRIVER_MESSAGE);
    };
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  it('tells an unauthenticated caller only that it is unavailable', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'unavailable', database: 'unavailable' });
    expect(response.body).not.toContain('relay_owner');
    expect(response.body).not.toContain('internal');
  });

  it('gives the admin the driver message', async () => {
    const response = await app.inject({ method: 'GET', url: '/health', headers: admin });
    expect(response.statusCode).toBe(503);
    expect(response.json().database).toBe(`unavailable: ${DRIVER_MESSAGE}`);
  });

  it('logs the driver message, once while it stays the same', async () => {
    await app.inject({ method: 'GET', url: '/health' });
    const logged = logs
      .entries()
      .filter((entry) => entry.msg === 'health: the database does not answer');
    expect(logged).toHaveLength(1);
    expect((logged[0]!.err as { message: string }).message).toBe(DRIVER_MESSAGE);
  });
});
