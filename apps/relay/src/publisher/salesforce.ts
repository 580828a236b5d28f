import type { RelayedStatus } from '@sync-doctor/core';
import type { DeliveryTarget, SalesforceConnectionConfig, StatusPublisher } from './types.js';

import type * as Salesforce from '@sync-doctor/salesforce';

type SalesforceModule = typeof Salesforce;
type Connection = Salesforce.Connection;

// Loaded on first delivery: a relay that never delivers (bench, a read-only replica, the
// preview's demo without an org) does not load jsforce at all.
const SALESFORCE_MODULE = '@sync-doctor/salesforce';
let loaded: Promise<SalesforceModule> | null = null;
function salesforceModule(): Promise<SalesforceModule> {
  loaded ??= import(SALESFORCE_MODULE) as Promise<SalesforceModule>;
  return loaded;
}

function connectOptions(config: SalesforceConnectionConfig, timeoutMs: number): Salesforce.ConnectOptions {
  return config.kind === 'jwt'
    ? { kind: 'jwt', clientId: config.clientId, username: config.username, loginUrl: config.loginUrl, privateKey: config.privateKey, timeoutMs }
    : { kind: 'token', instanceUrl: config.instanceUrl, accessToken: config.accessToken, timeoutMs };
}

/** Delivers with `publishStatus`, keeping one authenticated connection per portal. */
export class SalesforcePublisher implements StatusPublisher {
  private readonly connections = new Map<string, { version: number; conn: Promise<Connection> }>();

  /** @param timeoutMs abort a Salesforce request after this long (below the outbox lease). */
  constructor(private readonly timeoutMs = 15_000) {}

  private connection(target: DeliveryTarget): Promise<Connection> {
    const cached = this.connections.get(target.portalId);
    if (cached && cached.version === target.configVersion) return cached.conn;
    const conn = salesforceModule().then((sf) => sf.connect(connectOptions(target.salesforce, this.timeoutMs)));
    // A failed log-in must not be cached: the next attempt logs in again.
    conn.catch(() => this.connections.delete(target.portalId));
    this.connections.set(target.portalId, { version: target.configVersion, conn });
    return conn;
  }

  async publish(target: DeliveryTarget, status: RelayedStatus): Promise<{ id: string; created: boolean }> {
    const sf = await salesforceModule();
    const conn = await this.connection(target);
    try {
      return await sf.publishStatus(conn, status);
    } catch (error) {
      // An expired or revoked session: log in afresh on the next attempt.
      if ((error as { errorCode?: string }).errorCode === 'INVALID_SESSION_ID') this.connections.delete(target.portalId);
      throw error;
    }
  }

  /** GET /limits: cheap, needs a valid session, and answers only when the org is up. */
  async ping(target: DeliveryTarget): Promise<void> {
    const conn = await this.connection(target);
    await conn.limits();
  }

  async close(): Promise<void> {
    this.connections.clear();
  }
}
