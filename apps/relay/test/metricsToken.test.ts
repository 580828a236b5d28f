import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { ADMIN_TOKEN, admin, captureLogs, createPortal, tempDir, testConfig } from './helpers.js';

// /metrics names every portal (relay_portal_suspended{portal}) and whether HubSpot suspended it:
// what unauthenticated /health keeps to counts. A relay HubSpot reaches over the internet serves
// /metrics there too, so RELAY_METRICS_TOKEN makes it answer only Prometheus' bearer token (or
// the admin token), as Prometheus' `authorization: { credentials_file: … }` sends it.
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

describe('GET /metrics with RELAY_METRICS_TOKEN', () => {
  const dir = tempDir();
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    app = await buildApp(testConfig(dir.path, { metricsToken: METRICS_TOKEN }));
    await app.ready();
    await createPortal(app, '9600001');
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  const scrape = (authorization?: string) =>
    app.inject({
      method: 'GET',
      url: '/metrics',
      headers: authorization ? { authorization } : {},
    });

  it('refuses a scrape without the token, or with another, naming no portal', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789ab', 'Basic abc']) {
      const response = await scrape(authorization);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'METRICS_TOKEN_INVALID' });
      expect(response.body).not.toContain('9600001');
    }
  });

  it('answers the metrics token and the admin token', async () => {
    for (const authorization of [`Bearer ${METRICS_TOKEN}`, admin.authorization]) {
      const response = await scrape(authorization);
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('relay_portal_suspended{portal="9600001"} 0');
    }
  });

  it('leaves /health/live and /health to the load balancer, without a token', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

// The refusal is the one error handler's, like every other (it was the only answer sent around
// it): the API's body, WWW-Authenticate for the scraper, and the handler's log line.
describe('GET /metrics refused through the error handler', () => {
  const dir = tempDir();
  const logs = captureLogs({ level: 'info' });
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    app = await buildApp(testConfig(dir.path, { metricsToken: METRICS_TOKEN }), {
      loggerInstance: logs.logger,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  it('answers 401 in the API shape with WWW-Authenticate: Bearer, and logs it as every refusal', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer wrong-token-0123456789ab' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      statusCode: 401,
      code: 'METRICS_TOKEN_INVALID',
      error: 'send the metrics token (RELAY_METRICS_TOKEN) as "Authorization: Bearer <token>"',
    });
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({
        level: 30,
        code: 'METRICS_TOKEN_INVALID',
        status: 401,
        msg: 'send the metrics token (RELAY_METRICS_TOKEN) as "Authorization: Bearer <token>"',
      }),
    );
  });
});

describe('RELAY_METRICS_TOKEN in the environment', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const load = (value: string) =>
    loadConfig({
      RELAY_DATA_DIR: dir.path,
      RELAY_ADMIN_TOKEN: ADMIN_TOKEN,
      RELAY_METRICS_TOKEN: value,
    });

  it('is read, unset by default, and refused when too short to be a secret', () => {
    expect(load(METRICS_TOKEN).metricsToken).toBe(METRICS_TOKEN);
    expect(load('').metricsToken).toBeNull();
    expect(() => load('short')).toThrow(ConfigError);
    expect(() => load('short')).toThrow('RELAY_METRICS_TOKEN must be at least 16 characters');
  });
});

// /metrics is never throttled nor shed (infrastructure reads it), and each exposition queries the
// store: a flood of scrapes, without a token where none is set, must not become a flood of queries.
describe('GET /metrics under a flood of scrapes', () => {
  const dir = tempDir();
  const logs = captureLogs({ level: 'warn' });
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    app = await buildApp(testConfig(dir.path, { host: '0.0.0.0' }), {
      loggerInstance: logs.logger,
    });
    await app.ready();
    await createPortal(app, '9600002');
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  it('shares one exposition among the scrapes that arrive while it is rendered', async () => {
    const counted = jest.spyOn(app.store, 'countDeliveries');
    try {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => app.inject({ method: 'GET', url: '/metrics' })),
      );
      expect(answers.map((a) => a.statusCode)).toEqual(Array(50).fill(200));
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      expect(answers[0]!.body).toContain('relay_portal_suspended{portal="9600002"} 0');
      const flood = counted.mock.calls.length;
      expect(flood).toBeGreaterThanOrEqual(1);
      expect(flood).toBeLessThanOrEqual(2);
      // Rendered afresh once that one is out: nothing stale is kept.
      await app.inject({ method: 'GET', url: '/metrics' });
      expect(counted.mock.calls.length).toBe(flood + 1);
    } finally {
      counted.mockRestore();
    }
  });

  it('says at start, on a host others reach, that /metrics is open without RELAY_METRICS_TOKEN', () => {
    expect(logs.entries().filter((e) => /set RELAY_METRICS_TOKEN/.test(e.msg))).toEqual([
      expect.objectContaining({ level: 40, host: '0.0.0.0' }),
    ]);
  });
});
