import { randomBytes } from 'node:crypto';
import type { RelayConfig } from '../src/config.js';
import { changesChannel } from '../src/store/sqlStore.js';
import { databaseHop, type DatabaseHop } from './databaseHop.js';
import { listen, POSTGRES_URL, postgresSchema, startTestRelay, type TestRelay } from './helpers.js';

export interface HoppedInstances {
  /** The schema's NOTIFY channel, the one A LISTENs on. */
  channel: string;
  /** The hop between A and PostgreSQL, which can hold or cut A's LISTEN. */
  hop: DatabaseHop;
  a: TestRelay;
  b: TestRelay;
  /** A listening on loopback, for streams. */
  baseA: string;
  /** Closes both instances and the hop, and drops their schema. */
  close(): Promise<void>;
}

/**
 * Two relay instances on one new PostgreSQL schema with the same secret key, as instances behind
 * a balancer are: A reaches PostgreSQL through a hop, so a test can act on A's LISTEN connection;
 * B connects directly. `overrides` go to both.
 */
export async function hoppedInstances(
  overrides: Partial<RelayConfig> = {},
): Promise<HoppedInstances> {
  const { schema, drop } = await postgresSchema();
  const channel = changesChannel(schema);
  let hop: DatabaseHop | undefined;
  let a: TestRelay | undefined;
  let b: TestRelay | undefined;
  const close = async () => {
    await a?.close();
    await b?.close();
    await hop?.close();
    await drop();
  };
  try {
    hop = await databaseHop({ channel });
    const shared = { ...overrides, databaseSchema: schema, secretKey: randomBytes(32) };
    a = await startTestRelay({ ...shared, databaseUrl: hop.url });
    b = await startTestRelay({ ...shared, databaseUrl: POSTGRES_URL });
    const baseA = await listen(a.app);
    return { channel, hop, a, b, baseA, close };
  } catch (error) {
    // A suite whose beforeAll throws never gets an object to close: drop what did start here, so
    // no schema is left behind in the shared test database.
    await close().catch(() => undefined);
    throw error;
  }
}
