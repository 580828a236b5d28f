import { Histogram, Registry } from 'prom-client';
import { DurationHistogram } from '../src/plugins/durationHistogram.js';
import { admin, startTestRelay } from './helpers.js';

const BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

describe('DurationHistogram', () => {
  test("writes the same exposition as prom-client's Histogram for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const histogram = new DurationHistogram(
      'relay_http_request_duration_seconds',
      'HTTP request duration by route',
      ['method', 'route', 'status'],
      BUCKETS,
      ours,
    );
    const reference = new Histogram({
      name: 'relay_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    const series: [string, string, string][] = [
      ['GET', '/v1/portals/:portalId/state', '200'],
      ['POST', '/v1/portals/:portalId/suspensions', '202'],
      ['GET', 'unmatched', '404'],
    ];
    // Values on bucket bounds, between them, below the first and above the last.
    const values = [
      0, 0.0005, 0.001, 0.003, 0.005, 0.0100001, 0.07, 0.1, 0.3, 0.5, 0.99, 1, 4.2, 5, 7.5, 120,
    ];
    const observers = series.map((labels) => histogram.seriesOf(labels));
    values.forEach((value, i) => {
      const which = i % series.length;
      observers[which]!(value);
      const [method, route, status] = series[which]!;
      reference.labels({ method, route, status }).observe(value);
    });
    // A series asked for twice is the same series.
    histogram.seriesOf(series[0]!)(0.002);
    reference
      .labels({ method: 'GET', route: '/v1/portals/:portalId/state', status: '200' })
      .observe(0.002);
    expect(await ours.metrics()).toBe(await theirs.metrics());

    ours.resetMetrics();
    theirs.resetMetrics();
    observers[1]!(0.2);
    reference
      .labels({ method: 'POST', route: '/v1/portals/:portalId/suspensions', status: '202' })
      .observe(0.2);
    const after = await ours.metrics();
    expect(after).toMatch(
      /relay_http_request_duration_seconds_count\{method="POST",route="\/v1\/portals\/:portalId\/suspensions",status="202"\} 1\n/,
    );
    expect(after).toMatch(
      /relay_http_request_duration_seconds_count\{method="GET",route="\/v1\/portals\/:portalId\/state",status="200"\} 0\n/,
    );
  });

  test('the relay counts every answer by route, unmatched paths included; unknown paths are throttled, health and metrics never', async () => {
    const relay = await startTestRelay({
      rateLimit: { perIpPerMinute: 2, perPortalPerMinute: 100 },
    });
    try {
      // Unknown paths share the per-IP budget of two with the routes.
      const codes = [];
      for (const url of ['/nowhere', '/v1/admin/portals', '/v1/admin/portals', '/nowhere'])
        codes.push((await relay.app.inject({ method: 'GET', url, headers: admin })).statusCode);
      expect(codes).toEqual([404, 200, 429, 429]);
      const throttledUnknown = await relay.app.inject({ method: 'GET', url: '/nowhere/else' });
      expect(throttledUnknown.json()).toMatchObject({ code: 'RATE_LIMITED' });
      expect(throttledUnknown.headers['x-content-type-options']).toBe('nosniff');
      for (let n = 0; n < 3; n++) {
        expect((await relay.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(
          200,
        );
        expect((await relay.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      }
      const metrics = await relay.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toMatch(
        /relay_http_request_duration_seconds_count\{method="GET",route="\/v1\/admin\/portals",status="200"\} 1\n/,
      );
      expect(metrics.body).toMatch(
        /relay_http_request_duration_seconds_count\{method="GET",route="\/v1\/admin\/portals",status="429"\} 1\n/,
      );
      expect(metrics.body).toMatch(
        /relay_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1\n/,
      );
      expect(metrics.body).toMatch(
        /relay_http_request_duration_seconds_count\{method="GET",route="unmatched",status="429"\} 2\n/,
      );
      expect(metrics.body).toMatch(
        /relay_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} 3\n/,
      );
      expect(metrics.body).toMatch(
        /relay_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/health",status="200"\} 3\n/,
      );
    } finally {
      await relay.close();
    }
  });
});
