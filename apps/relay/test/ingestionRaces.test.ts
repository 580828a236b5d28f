import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { RelayConfig } from '../src/config.js';
import {
  admin,
  createPortal,
  postgresSchema,
  POSTGRES_URL,
  signed,
  tempDir,
  testConfig,
} from './helpers.js';

// Signals of one portal reach several instances at once (a load balancer spreads HubSpot's and the
// mail services' retries), and in any order (a retry of an older one after a newer one).

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 10, minute)).toISOString();

describe('ingestion: two instances on PostgreSQL', () => {
  let apps: [FastifyInstance, FastifyInstance];
  let dirs: { path: string; remove: () => void }[];
  let drop: () => Promise<void>;
  let secret: string;

  beforeAll(async () => {
    const created = await postgresSchema();
    drop = created.drop;
    dirs = [tempDir(), tempDir()];
    const overrides: Partial<RelayConfig> = {
      databaseUrl: POSTGRES_URL,
      databaseSchema: created.schema,
      secretKey: randomBytes(32),
    };
    apps = [
      await buildApp(testConfig(dirs[0]!.path, { ...overrides, instanceId: 'relay-a' })),
      await buildApp(testConfig(dirs[1]!.path, { ...overrides, instanceId: 'relay-b' })),
    ];
    await Promise.all(apps.map((a) => a.ready()));
    await Promise.all(apps.map((a) => a.outbox.stop()));
    secret = '';
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await drop();
    for (const d of dirs) d.remove();
  });

  const suspend = (app: FastifyInstance, portalId: string, secretOf: string, body: object) =>
    app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secretOf, { reason: 'ORG_LOCKED', title: 'Salesforce org locked', ...body }),
    });
  const read = async (app: FastifyInstance, path: string) =>
    (await app.inject({ method: 'GET', url: path, headers: admin })).json();

  test('the same eventId sent to both instances at once is one change, answered to both', async () => {
    const portal = '7200001';
    secret = (await createPortal(apps[0], portal)).signingSecret;
    for (let round = 0; round < 10; round++) {
      // The first round is the portal's first signal (its status row does not exist yet).
      const body = { occurredAt: at(round), eventId: `same-${round}` };
      const answers = await Promise.all(apps.map((a) => suspend(a, portal, secret, body)));
      expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 202]);
      const [x, y] = answers.map((r) => r.json());
      expect(x.change.id).toBe(y.change.id);
      expect([x.duplicate, y.duplicate].sort()).toEqual([false, true]);
    }
    const history = await read(apps[1], `/v1/portals/${portal}/history?limit=100`);
    expect(history.items).toHaveLength(10);
  });

  test('different signals of one portal stored at once on both instances: none is lost, history and outbox in change order', async () => {
    const portal = '7200002';
    const secretOf = (await createPortal(apps[0], portal)).signingSecret;
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(
        apps.map((a, i) =>
          suspend(a, portal, secretOf, { occurredAt: at(20 + round), eventId: `r${round}-${i}` }),
        ),
      );
      expect(answers.map((r) => r.statusCode)).toEqual([202, 202]);
    }
    const history = await read(apps[0], `/v1/portals/${portal}/history?limit=100`);
    expect(history.items).toHaveLength(20);
    const ids = history.items.map((c: { id: number }) => c.id);
    expect(ids).toEqual([...ids].sort((p, q) => q - p));
    const state = await read(apps[1], `/v1/portals/${portal}/state`);
    expect(state.history).toHaveLength(20);
    expect(state.since).toBe(at(20));
    expect(state.lastSeenAt).toBe(at(29));
    const deliveries = await read(apps[0], `/v1/portals/${portal}/deliveries?limit=100`);
    const order = deliveries.items
      .map((d: { id: number; changeId: number }) => [d.id, d.changeId])
      .sort((p: number[], q: number[]) => p[0]! - q[0]!)
      .map((p: number[]) => p[1]);
    expect(order).toEqual([...ids].reverse());
  });

  test('a retry of an older suspension arriving after a newer one does not move lastSeenAt back before since', async () => {
    const portal = '7200003';
    const secretOf = (await createPortal(apps[0], portal)).signingSecret;
    expect(
      (await suspend(apps[0], portal, secretOf, { occurredAt: at(40), eventId: 'new' })).statusCode,
    ).toBe(202);
    // HubSpot's retry of an earlier webhook of the same suspension, through the other instance.
    const late = await suspend(apps[1], portal, secretOf, { occurredAt: at(38), eventId: 'old' });
    expect(late.statusCode).toBe(202);
    const state = await read(apps[0], `/v1/portals/${portal}/state`);
    expect(state).toMatchObject({ state: 'suspended', reason: 'ORG_LOCKED', lastSeenAt: at(40) });
    expect(Date.parse(state.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(state.since));
  });

  test('a retry of an older clearance arriving after a newer one does not move clearedAt or lastSeenAt back', async () => {
    const portal = '7200004';
    const secretOf = (await createPortal(apps[0], portal)).signingSecret;
    const clear = (app: FastifyInstance, body: object) =>
      app.inject({ method: 'POST', url: `/v1/portals/${portal}/clear`, ...signed(secretOf, body) });
    expect(
      (await suspend(apps[0], portal, secretOf, { occurredAt: at(50), eventId: 's' })).statusCode,
    ).toBe(202);
    expect((await clear(apps[0], { occurredAt: at(55), eventId: 'c-new' })).statusCode).toBe(202);
    // The other instance stores an earlier "Clear Suspension" (from before this suspension began).
    expect((await clear(apps[1], { occurredAt: at(45), eventId: 'c-old' })).statusCode).toBe(202);
    const state = await read(apps[0], `/v1/portals/${portal}/state`);
    expect(state).toMatchObject({
      state: 'cleared',
      since: at(50),
      clearedAt: at(55),
      lastSeenAt: at(55),
    });
    expect(state.history).toHaveLength(3);
  });
});
