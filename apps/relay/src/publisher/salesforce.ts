import type { RelayedStatus } from '@sync-doctor/core';
import type { DeliveryTarget, SalesforceConnectionConfig, StatusPublisher } from './types.js';

// The subset of @sync-doctor/salesforce the relay uses (see /tmp/contracts.md: connect, publishStatus).
interface SalesforceModule {
  connect(options: Record<string, unknown>): Promise<unknown>;
  publishStatus(conn: unknown, status: RelayedStatus): Promise<{ id: string; created: boolean }>;
}

// Loaded on first delivery: a relay that never delivers (bench, a read-only replica, the
// preview's demo without an org) does not load jsforce at all.
const SALESFORCE_MODULE = '@sync-doctor/salesforce';
let loaded: Promise<SalesforceModule> | null = null;
function salesforceModule(): Promise<SalesforceModule> {
  loaded ??= import(SALESFORCE_MODULE) as Promise<SalesforceModule>;
  return loaded;
}

function connectOptions(config: SalesforceConnectionConfig): Record<string, unknown> {
  return config.kind === 'jwt'
    ? { kind: 'jwt', clientId: config.clientId, username: config.username, loginUrl: config.loginUrl, privateKey: config.privateKey }
    : { instanceUrl: config.instanceUrl, accessToken: config.accessToken };
}

/** Delivers with `publishStatus`, keeping one authenticated connection per portal. */
export class SalesforcePublisher implements StatusPublisher {
  private readonly connections = new Map<string, { version: number; conn: Promise<unknown> }>();

  private connection(target: DeliveryTarget): Promise<unknown> {
    const cached = this.connections.get(target.portalId);
    if (cached && cached.version === target.configVersion) return cached.conn;
    const conn = salesforceModule().then((sf) => sf.connect(connectOptions(target.salesforce)));
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

  async ping(target: DeliveryTarget): Promise<void> {
    const conn = (await this.connection(target)) as { request?: (url: string) => Promise<unknown>; limits?: () => Promise<unknown> };
    if (typeof conn.limits === 'function') await conn.limits();
    else if (typeof conn.request === 'function') await conn.request('/services/data');
  }

  async close(): Promise<void> {
    this.connections.clear();
  }
}
