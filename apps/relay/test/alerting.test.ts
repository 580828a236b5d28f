import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import {
  admin,
  createPortal,
  postgresSchema,
  signed,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.js';
import { databaseHop } from './databaseHop.js';
import { jwtApp, jwtConnection } from './orgDelivery.js';
import { signalsConfig, startSignalsRelay } from './signalsHelpers.js';

// The alerting rules an SRE loads (deploy/prometheus/relay-alerts.yml) and the metrics they read:
// promtool checks and unit-tests the rules, and checks the exposition of a real relay, which must
// carry every metric an alert names (a renamed metric would leave its alert silent forever).

const RULES_DIR = join(__dirname, '..', 'deploy', 'prometheus');
const RULES = join(RULES_DIR, 'relay-alerts.yml');
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

/** Runs promtool; a missing promtool fails the test (never skips it) and says how to get it. */
function promtool(args: string[], input?: string): { status: number; output: string } {
  const run = spawnSync(PROMTOOL, args, { cwd: RULES_DIR, input, encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error(
      `promtool is not installed (looked for "${PROMTOOL}"; set PROMTOOL to its path). Install it as .ci/run does: ` +
        '`apt-get download prometheus && dpkg -x prometheus_*.deb dir && install dir/usr/bin/promtool /usr/local/bin/`, ' +
        'or `apt-get install -y --no-install-recommends prometheus`.',
    );
  if (run.error) throw run.error;
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/** What promtool says of prom-client's default metrics (collectDefaultMetrics): not ours to rename. */
const PROM_CLIENT_DEFAULT_LINT = [
  'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_resources_total non-counter metrics should not have "_total" suffix',
];

/** Metric names in the rules' `expr:` fields (one line, or a folded block under it). */
function metricsNamedByAlerts(): string[] {
  const lines = readFileSync(RULES, 'utf8').split('\n');
  const exprs: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^(\s*)expr:\s*(.*)$/.exec(lines[i]!);
    if (!match) continue;
    if (!/^[>|]/.test(match[2]!)) {
      exprs.push(match[2]!);
      continue;
    }
    const indent = match[1]!.length;
    for (
      i++;
      i < lines.length && (/^\s*$/.test(lines[i]!) || /^\s*/.exec(lines[i]!)![0].length > indent);
      i++
    )
      exprs.push(lines[i]!);
    i--;
  }
  const names = new Set<string>();
  for (const expr of exprs)
    for (const [name] of expr.matchAll(/\brelay_[a-z0-9_]+/g)) names.add(name);
  return [...names].sort();
}

/** Whether an exposition has a metric: a sample of it, or its family (counters show none until counted). */
function exposes(exposition: string, name: string): boolean {
  const family = name.replace(/_(count|sum|bucket)$/, '');
  return (
    new RegExp(`^${name}[ {]`, 'm').test(exposition) ||
    new RegExp(`^# TYPE ${name} `, 'm').test(exposition) ||
    new RegExp(`^# TYPE ${family} histogram$`, 'm').test(exposition)
  );
}

/** One sample's value, or undefined when the exposition has no such series. */
function sample(exposition: string, series: string): number | undefined {
  const escaped = series.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(exposition);
  return match ? Number(match[1]) : undefined;
}

async function scrape(app: FastifyInstance): Promise<string> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  return response.body;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the alerting rules (deploy/prometheus/relay-alerts.yml)', () => {
  test('promtool check rules passes', () => {
    const { status, output } = promtool(['check', 'rules', 'relay-alerts.yml']);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  test('promtool test rules passes: every alert fires, and stays quiet, as its unit tests say', () => {
    const { status, output } = promtool(['test', 'rules', 'relay-alerts.test.yml']);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });
});

describe('the metrics the alerts read, on a real relay (PostgreSQL, org simulator)', () => {
  const jwt = jwtApp('3MVG9relay.alerting.consumer.key');
  const dir = tempDir();
  let sim: OrgSimulator;
  let app: FastifyInstance;
  let hop: Awaited<ReturnType<typeof databaseHop>>;
  let dropSchema: () => Promise<void>;
  let secret: string;
  // One portal delivering into the simulator, one without a connection, one whose org is unreachable.
  const DELIVERING = '8100001';
  const UNCONFIGURED = '8100002';
  const UNREACHABLE = '8100003';

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'read-only-contacts',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
    const { schema, drop } = await postgresSchema();
    dropSchema = drop;
    hop = await databaseHop();
    app = await buildApp(
      testConfig(dir.path, {
        databaseUrl: hop.url,
        databaseSchema: schema,
        outbox: {
          enabled: true,
          pollIntervalMs: 20,
          leaseMs: 10_000,
          batchSize: 20,
          maxAttempts: 1000,
          baseDelayMs: 20,
          maxDelayMs: 100,
        },
      }),
    );
    await app.ready();
    secret = (await createPortal(app, DELIVERING, jwtConnection(jwt, sim))).signingSecret;
    await createPortal(app, UNCONFIGURED, null);
    await createPortal(app, UNREACHABLE, {
      kind: 'token',
      instanceUrl: `http://127.0.0.1:${await closedPort()}`,
      accessToken: 'token-for-tests',
    });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await hop?.cut();
    await dropSchema?.();
    dir.remove();
  });

  let events = 0;
  const suspend = async (portalId: string) => {
    events++;
    const response = await app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secret, {
        reason: 'UNKNOWN_ERROR',
        title: `alerting #${events}`,
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        eventId: `alerting-${events}`,
      }),
    });
    expect(response.statusCode).toBe(202);
  };
  const age = async (state: string) =>
    sample(await scrape(app), `relay_oldest_undelivered_change_age_seconds{state="${state}"}`);

  test('the oldest undelivered change ages while Salesforce answers 503, and is 0 once it is delivered', async () => {
    expect(await age('pending')).toBe(0);
    sim.injectFault({ path: '/composite', fault: 'SERVER_UNAVAILABLE' });
    await suspend(DELIVERING);
    const first = await waitFor(
      async () => (await age('pending'))! > 0 && (await age('pending')),
      10_000,
      'an age',
    );
    // Still not delivered, so older at a later scrape: the age is measured from when it was queued.
    const later = await waitFor(
      async () => {
        const now = (await age('pending'))!;
        return now > first + 0.5 && now;
      },
      10_000,
      'an older age',
    );
    expect(later).toBeGreaterThan(first);
    const exposition = await scrape(app);
    expect(sample(exposition, 'relay_deliveries_total{outcome="retry"}')).toBeGreaterThan(0);
    expect(sample(exposition, 'relay_oldest_undelivered_change_age_seconds{state="failed"}')).toBe(
      0,
    );
    sim.clearFaults();
    await waitFor(async () => (await age('pending')) === 0, 10_000, 'the change delivered');
    expect(sample(await scrape(app), 'relay_outbox_deliveries{state="delivered"}')).toBe(1);
  });

  test('a delivery Salesforce refuses for good is counted failed, and ages as failed until retried', async () => {
    sim.injectFault({ path: '/composite', fault: 'API_DISABLED_FOR_ORG' });
    await suspend(DELIVERING);
    await waitFor(
      async () => sample(await scrape(app), 'relay_outbox_deliveries{state="failed"}') === 1,
      10_000,
      'a failed delivery',
    );
    const exposition = await scrape(app);
    expect(sample(exposition, 'relay_deliveries_total{outcome="failed"}')).toBe(1);
    expect(
      sample(exposition, 'relay_oldest_undelivered_change_age_seconds{state="failed"}'),
    ).toBeGreaterThan(0);
    expect(sample(exposition, 'relay_oldest_undelivered_change_age_seconds{state="pending"}')).toBe(
      0,
    );
    sim.clearFaults();
    const retried = await app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${DELIVERING}/deliveries/retry`,
      headers: admin,
    });
    expect(retried.statusCode).toBe(200);
    await waitFor(
      async () => {
        const text = await scrape(app);
        return (
          sample(text, 'relay_outbox_deliveries{state="failed"}') === 0 &&
          sample(text, 'relay_outbox_deliveries{state="pending"}') === 0
        );
      },
      10_000,
      'the retried delivery delivered',
    );
    expect(await age('failed')).toBe(0);
    expect(await age('pending')).toBe(0);
  });

  test("portals by their Salesforce org's reachability, as /health counts them", async () => {
    const exposition = await scrape(app);
    const health = (await app.inject({ method: 'GET', url: '/health' })).json();
    expect(health.portals).toEqual({ ok: 1, unreachable: 1, notConfigured: 1, unknown: 0 });
    for (const [state, count] of Object.entries(health.portals))
      expect(sample(exposition, `relay_portals{salesforce="${state}"}`)).toBe(count);
  });

  test('relay_portal_suspended: 1 per portal HubSpot suspended, 0 for the others and once cleared', async () => {
    let exposition = await scrape(app);
    expect(sample(exposition, `relay_portal_suspended{portal="${DELIVERING}"}`)).toBe(1);
    expect(sample(exposition, `relay_portal_suspended{portal="${UNCONFIGURED}"}`)).toBe(0);
    expect(sample(exposition, `relay_portal_suspended{portal="${UNREACHABLE}"}`)).toBe(0);
    const cleared = await app.inject({
      method: 'POST',
      url: `/v1/portals/${DELIVERING}/clear`,
      headers: admin,
    });
    expect(cleared.statusCode).toBe(202);
    exposition = await scrape(app);
    expect(sample(exposition, `relay_portal_suspended{portal="${DELIVERING}"}`)).toBe(0);
    // A deleted portal's series goes.
    await app.inject({ method: 'DELETE', url: `/v1/admin/portals/${UNREACHABLE}`, headers: admin });
    exposition = await scrape(app);
    expect(sample(exposition, `relay_portal_suspended{portal="${UNREACHABLE}"}`)).toBeUndefined();
    await createPortal(app, UNREACHABLE, {
      kind: 'token',
      instanceUrl: `http://127.0.0.1:${await closedPort()}`,
      accessToken: 'token-for-tests',
    });
  });

  test('relay_build_info: one series, 1, naming the package version, newest migration, Node.js and store', async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    const newest = Math.max(...MIGRATIONS.map((migration) => migration.version));
    const series = (await scrape(app))
      .split('\n')
      .filter((line) => line.startsWith('relay_build_info'));
    expect(series).toEqual([
      `relay_build_info{version="${pkg.version}",schema_version="${newest}",nodejs="${process.versions.node}",store="postgres"} 1`,
    ]);
  });

  test('the exposition passes promtool check metrics and carries every metric an alert names', async () => {
    const exposition = await scrape(app);
    const { status, output } = promtool(['check', 'metrics'], exposition);
    // Exit 3 is lint problems only (1 would be an exposition that does not parse). The only ones
    // allowed are of prom-client's default Node.js gauges, which end in _total and are not ours.
    const problems = output.split('\n').filter(Boolean);
    expect({ status: problems.length ? status : 0, output }).toEqual({
      status: problems.length ? 3 : 0,
      output: expect.any(String),
    });
    expect(problems.filter((line) => !PROM_CLIENT_DEFAULT_LINT.includes(line))).toEqual([]);
    const named = metricsNamedByAlerts();
    // The parse found the alerts' metrics (a broken parse would pass the check below vacuously).
    expect(named).toEqual(
      expect.arrayContaining([
        'relay_oldest_undelivered_change_age_seconds',
        'relay_database_up',
        'relay_http_request_duration_seconds_count',
      ]),
    );
    expect(named.filter((name) => !exposes(exposition, name))).toEqual([]);
  });

  test('the database going away: relay_database_up, relay_database_listen_up and relay_ready say 0 and the scrape still answers; 1 again once it is back', async () => {
    let exposition = await scrape(app);
    expect(sample(exposition, 'relay_database_up')).toBe(1);
    expect(sample(exposition, 'relay_database_listen_up')).toBe(1);
    expect(sample(exposition, 'relay_ready')).toBe(1);
    await hop.cut();
    exposition = await waitFor(
      async () => {
        const text = await scrape(app);
        return sample(text, 'relay_database_listen_up') === 0 && text;
      },
      15_000,
      'LISTEN lost',
    );
    expect(sample(exposition, 'relay_database_up')).toBe(0);
    expect(sample(exposition, 'relay_ready')).toBe(0);
    // Families read from the database have no values then, rather than stale ones.
    expect(sample(exposition, 'relay_outbox_deliveries{state="pending"}')).toBeUndefined();
    expect(
      sample(exposition, 'relay_oldest_undelivered_change_age_seconds{state="pending"}'),
    ).toBeUndefined();
    await hop.restore();
    exposition = await waitFor(
      async () => {
        const text = await scrape(app);
        return (
          sample(text, 'relay_database_up') === 1 &&
          sample(text, 'relay_database_listen_up') === 1 &&
          text
        );
      },
      30_000,
      'the database and LISTEN back',
    );
    expect(sample(exposition, 'relay_ready')).toBe(1);
  });
});

describe('HubSpot-side signals failing, in metrics', () => {
  test('a stalled-sync check that cannot reach HubSpot and a mailbox without IMAP are counted; 0 where none fail', async () => {
    const relay = await startSignalsRelay({
      signals: signalsConfig({
        alerts: { enabled: false },
        detector: {
          enabled: true,
          baseUrl: `http://127.0.0.1:${await closedPort()}`,
          intervalMs: 600_000,
          requestSpacingMs: 0,
        },
        mailbox: {
          enabled: true,
          allowPlainOnLoopback: true,
          pollIntervalMs: 1000,
          reconnect: { minDelayMs: 100, maxDelayMs: 500 },
          shared: null,
        },
      }),
    });
    try {
      let exposition = await scrape(relay.app);
      expect(sample(exposition, 'relay_hubspot_checks_failing')).toBe(0);
      expect(sample(exposition, 'relay_mailboxes_disconnected')).toBe(0);
      await createPortal(relay.app, '8200001', null);
      const token = await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/8200001/hubspot',
        headers: admin,
        payload: { token: 'pat-na1-00000000-0000-0000-0000-000000000000' },
      });
      expect(token.statusCode).toBe(200);
      const check = await relay.app.inject({
        method: 'POST',
        url: '/v1/admin/portals/8200001/hubspot/check',
        headers: admin,
      });
      expect(check.json()).toMatchObject({ verdict: 'inconclusive' });
      const mailbox = await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/8200001/mailbox',
        headers: admin,
        payload: {
          host: '127.0.0.1',
          port: await closedPort(),
          tls: 'implicit',
          user: 'alerts@example.com',
          password: 'app-password-for-tests',
        },
      });
      expect(mailbox.statusCode).toBe(200);
      exposition = await waitFor(
        async () => {
          const text = await scrape(relay.app);
          return sample(text, 'relay_mailboxes_disconnected') === 1 && text;
        },
        10_000,
        'the mailbox counted disconnected',
      );
      expect(sample(exposition, 'relay_hubspot_checks_failing')).toBe(1);
      // The same as /health counts them.
      expect((await relay.app.inject({ method: 'GET', url: '/health' })).json().signals).toEqual({
        detector: { running: true, failing: 1 },
        mailboxes: { reading: 1, disconnected: 1 },
      });
    } finally {
      await relay.close();
    }
  });
});
