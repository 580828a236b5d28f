import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RelayedStatus } from '@sync-doctor/core';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig, type RelayConfig } from '../src/config.js';
import { signPayload } from '../src/crypto/signature.js';
import type { Signal } from '../src/domain/signal.js';
import type { DeliveryTarget, StatusPublisher } from '../src/publisher/types.js';
import { createStore } from '../src/store/index.js';
import type { RelayStore } from '../src/store/types.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Records what would be published; `failNext` makes the next calls throw like Salesforce would. */
export class RecordingPublisher implements StatusPublisher {
  readonly published: { target: DeliveryTarget; status: RelayedStatus }[] = [];
  private faults: Error[] = [];

  failNext(...errors: Error[]): void {
    this.faults.push(...errors);
  }

  async publish(
    target: DeliveryTarget,
    status: RelayedStatus,
  ): Promise<{ id: string; created: boolean }> {
    const fault = this.faults.shift();
    if (fault) throw fault;
    this.published.push({ target, status });
    return { id: `a0X${this.published.length}`, created: this.published.length === 1 };
  }

  async ping(): Promise<void> {}

  isDelivered?: StatusPublisher['isDelivered'];
}

export function salesforceError(errorCode: string, statusCode: number): Error {
  return Object.assign(new Error(`${errorCode}: simulated`), { errorCode, statusCode });
}

/**
 * A fresh data directory. Under jest it lives in the run's folder (test/tempRootSetup.cjs), which
 * the teardown removes, so one a test forgets to `remove` does not outlive the run.
 */
export function tempDir(): { path: string; remove: () => void } {
  const root = process.env.SYNC_DOCTOR_RELAY_TEST_TMP ?? tmpdir();
  const path = mkdtempSync(join(root, 'relay-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function testConfig(dataDir: string, overrides: Partial<RelayConfig> = {}): RelayConfig {
  const config = loadConfig(
    {},
    {
      dataDir,
      databaseUrl: null,
      adminToken: ADMIN_TOKEN,
      secretKey: randomBytes(32),
      logEnabled: false,
      // Jest compiles modules on first use, blocking the loop for seconds: not load to shed.
      maxEventLoopDelayMs: 0,
      // The simulators, receivers and mail servers of the tests listen on 127.0.0.1.
      allowPrivateTargets: true,
      ...overrides,
      outbox: {
        enabled: true,
        pollIntervalMs: 20,
        leaseMs: 5000,
        batchSize: 20,
        maxAttempts: 8,
        baseDelayMs: 5,
        maxDelayMs: 50,
        ...overrides.outbox,
      },
    },
  );
  // The access watch reads each portal's org on a timer: off unless a test asks for it (signals),
  // so no test's org receives reads it did not expect.
  if (!overrides.signals)
    config.signals = {
      ...config.signals,
      accessWatch: { ...config.signals.accessWatch, enabled: false },
    };
  return config;
}

export interface TestRelay {
  app: FastifyInstance;
  publisher: RecordingPublisher;
  close: () => Promise<void>;
}

export async function startTestRelay(overrides: Partial<RelayConfig> = {}): Promise<TestRelay> {
  const dir = tempDir();
  const publisher = new RecordingPublisher();
  const app = await buildApp(testConfig(dir.path, { publisher, ...overrides }));
  await app.ready();
  return {
    app,
    publisher,
    close: async () => {
      await app.close();
      dir.remove();
    },
  };
}

export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** The n-th webhook suspension of a portal, as the store receives it (titles `event n`, ids `evt-n`). */
export const suspension = (portalId: string, n: number, extra: Partial<Signal> = {}): Signal => ({
  portalId,
  source: 'webhook',
  state: 'suspended',
  reason: 'API_LIMIT_EXCEEDED',
  title: `event ${n}`,
  excerpt: null,
  occurredAt: new Date(Date.UTC(2026, 10, 1, 10, 0, n)).toISOString(),
  eventId: `evt-${n}`,
  ...extra,
});

export async function createPortal(
  app: FastifyInstance,
  id = '4471337',
  salesforce: Record<string, unknown> | null = {
    kind: 'token',
    instanceUrl: 'http://127.0.0.1:9',
    accessToken: 'token-for-tests',
  },
) {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/admin/portals',
    headers: admin,
    payload: { id, name: 'Test portal', ...(salesforce ? { salesforce } : {}) },
  });
  if (response.statusCode !== 201)
    throw new Error(`create portal: ${response.statusCode} ${response.body}`);
  return response.json() as { signingSecret: string; inboundToken: string; portal: { id: string } };
}

export function signed(
  secret: string,
  body: unknown,
  timestamp: number = Math.floor(Date.now() / 1000),
) {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    payload,
    headers: {
      'content-type': 'application/json',
      'x-sync-doctor-timestamp': String(timestamp),
      'x-sync-doctor-signature': signPayload(secret, timestamp, payload),
    },
  };
}

export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  label = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A fresh PostgreSQL schema for one test file, dropped afterwards. */
export async function postgresSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `relay_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Each store implementation a contract test runs against: SQLite (the embedded default) in a
 * temporary directory, and PostgreSQL (several instances) in a schema of its own. `open` may be
 * called again on the same data (a restart); `cleanup` removes the data.
 */
export const STORE_IMPLEMENTATIONS: [
  string,
  () => Promise<{ open: () => Promise<RelayStore>; cleanup: () => Promise<void> }>,
][] = [
  [
    'sqlite',
    async () => {
      const dir = tempDir();
      return { open: () => createStore({ dataDir: dir.path }), cleanup: async () => dir.remove() };
    },
  ],
  [
    'postgres',
    async () => {
      const { schema, drop } = await postgresSchema();
      return {
        open: () =>
          createStore({
            dataDir: '/nonexistent',
            databaseUrl: POSTGRES_URL,
            databaseSchema: schema,
          }),
        cleanup: drop,
      };
    },
  ],
];

/** A portal row as the admin API creates it, with sealed values no test decrypts. */
export const storedPortal = (id: string, salesforceSealed: string | null = null) => ({
  id,
  name: `Portal ${id}`,
  signingSecretSealed: 'sealed-secret',
  inboundTokenHash: `hash-${id}`,
  salesforceSealed,
});

export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/** A pino logger whose lines are kept, for tests of what the relay logs. */
export function captureLogs(options: pino.LoggerOptions = { level: 'warn' }): {
  logger: pino.Logger;
  text: () => string;
  entries: () => { level: number; msg: string; [field: string]: unknown }[];
} {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const text = () => chunks.join('');
  return {
    logger: pino(options, sink),
    text,
    entries: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}
