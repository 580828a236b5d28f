import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { createStore, type RelayStore } from '../src/store/index.js';
import { admin, POSTGRES_URL, waitFor } from './helpers.js';
import { signalsConfig, startSignalsRelay, type SignalsRelay } from './signalsHelpers.js';

// What the PostgreSQL tests of the alert sweep's horizon share: their own application_name (other
// test files' relays share the database, and the horizon counts the sessions of one name), a
// relay whose rounds run only when the test asks, and an outbox insert held between its insert and
// its commit.

/** POSTGRES_URL whose sessions carry `applicationName`, and these server options if given. */
export function postgresUrl(applicationName: string, options?: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('application_name', applicationName);
  if (options) url.searchParams.set('options', options);
  return url.toString();
}

/** A client of its own in `schema`, named `applicationName`. */
export async function schemaClient(
  schema: string,
  applicationName = 'sync-doctor-test',
): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: POSTGRES_URL,
    application_name: applicationName,
    options: `-c search_path=${schema}`,
  });
  await client.connect();
  return client;
}

/**
 * A relay with alerts on in `schema`, its sessions named `applicationName`, sweeping only when a
 * signal wakes it or the test runs a round (a poll would race the test's checks).
 */
export function startAlertRelay(schema: string, applicationName: string): Promise<SignalsRelay> {
  return startSignalsRelay({
    signals: signalsConfig({ alerts: { enabled: true, pollIntervalMs: 3_600_000 } }),
    overrides: { databaseUrl: postgresUrl(applicationName), databaseSchema: schema },
  });
}

/** A webhook target nothing listens on (port 9): sends fail and are retried; what is queued counts. */
export async function addUnreachableTarget(app: FastifyInstance, portalId: string): Promise<void> {
  const created = await app.inject({
    method: 'POST',
    url: `/v1/admin/portals/${portalId}/alert-targets`,
    headers: admin,
    payload: {
      kind: 'webhook',
      id: `hook-${portalId}`,
      url: 'http://127.0.0.1:9/hook',
      secret: 'whsec-sweep-0123456789abcdef',
    },
  });
  if (created.statusCode !== 201)
    throw new Error(`alert target: ${created.statusCode} ${created.body}`);
}

/**
 * Makes every outbox insert matching `when` (a condition on NEW) wait, after the insert (its id
 * taken), for an advisory lock `control` holds: a database stall between insert and commit.
 */
export async function stallOutboxInserts(control: pg.Client, when: string) {
  const key = randomInt(1, 2 ** 31 - 1);
  await control.query(`SELECT pg_advisory_lock(${key})`);
  await control.query(`CREATE FUNCTION stall_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock_shared(${key}); RETURN NEW; END $$`);
  await control.query(`CREATE TRIGGER stall_after_insert AFTER INSERT ON outbox FOR EACH ROW
    WHEN (${when}) EXECUTE FUNCTION stall_after_insert()`);
  return {
    /** Resolves once an insert waits on the lock. */
    stalled: (label: string) =>
      waitFor(
        async () =>
          (
            await control.query(
              `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1`,
              [key],
            )
          ).rowCount === 1,
        10_000,
        label,
      ),
    release: () => control.query(`SELECT pg_advisory_unlock(${key})`),
    /** Lets everything go and drops the trigger (for finally blocks). */
    remove: async () => {
      await control.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
      await control.query(`DROP TRIGGER IF EXISTS stall_after_insert ON outbox`).catch(() => {
        // The schema may be gone already.
      });
    },
  };
}

/**
 * For a describe block: a schema of its own (then `setUp` on a control client, e.g. a role and
 * its grant; `tearDown` after the schema is dropped), and a store opened through `url()`, which
 * names the schema.
 */
export function storeInOwnSchema(
  schema: string,
  url: () => string,
  { setUp = [], tearDown = [] }: { setUp?: string[]; tearDown?: string[] } = {},
) {
  let control: pg.Client | undefined;
  let store: RelayStore | undefined;
  beforeAll(async () => {
    control = new pg.Client({ connectionString: POSTGRES_URL });
    await control.connect();
    for (const statement of [`CREATE SCHEMA ${schema}`, ...setUp]) await control.query(statement);
    store = await createStore({
      databaseUrl: url(),
      databaseSchema: null,
      dataDir: '/nonexistent',
    });
  });
  afterAll(async () => {
    await store?.close();
    await control?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const statement of tearDown) await control?.query(statement);
    await control?.end();
  });
  return { control: () => control!, store: () => store! };
}
