import type { SqlDb } from './sqlDb.js';

// Versioned migrations, applied in order at start, each in its own transaction, recorded in
// schema_migrations. Never edit a released migration: add the next version instead.

interface Migration {
  version: number;
  name: string;
  statements: (dialect: SqlDb['dialect']) => string[];
}

const serial = (dialect: SqlDb['dialect']) => (dialect === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT');

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'portals, changes, status, outbox',
    statements: (d) => [
      `CREATE TABLE portals (
        id TEXT PRIMARY KEY,
        name TEXT,
        signing_secret TEXT NOT NULL,
        inbound_token_hash TEXT NOT NULL UNIQUE,
        salesforce TEXT,
        salesforce_version INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE changes (
        id ${serial(d)},
        portal_id TEXT NOT NULL REFERENCES portals(id),
        event_id TEXT,
        source TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        title TEXT,
        excerpt TEXT,
        occurred_at TEXT NOT NULL,
        received_at BIGINT NOT NULL,
        detail TEXT,
        UNIQUE (portal_id, event_id)
      )`,
      `CREATE INDEX changes_portal_id ON changes (portal_id, id)`,
      `CREATE TABLE portal_status (
        portal_id TEXT PRIMARY KEY REFERENCES portals(id),
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE outbox (
        id ${serial(d)},
        portal_id TEXT NOT NULL REFERENCES portals(id),
        change_id BIGINT NOT NULL REFERENCES changes(id),
        payload TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        lease_owner TEXT,
        lease_until BIGINT,
        last_error TEXT,
        delivered_at BIGINT,
        result TEXT,
        created_at BIGINT NOT NULL
      )`,
      `CREATE INDEX outbox_portal_pending ON outbox (portal_id, state, id)`,
      `CREATE INDEX outbox_state ON outbox (state, next_attempt_at)`,
    ],
  },
  {
    version: 2,
    name: 'inbound messages and sync error reports',
    statements: (d) => [
      `CREATE TABLE inbound_messages (
        id ${serial(d)},
        portal_id TEXT NOT NULL REFERENCES portals(id),
        message_id TEXT,
        subject TEXT,
        raw TEXT NOT NULL,
        truncated INTEGER NOT NULL,
        size_bytes INTEGER NOT NULL,
        received_at BIGINT NOT NULL
      )`,
      `CREATE TABLE sync_error_reports (
        id ${serial(d)},
        portal_id TEXT NOT NULL REFERENCES portals(id),
        received_at BIGINT NOT NULL,
        report TEXT NOT NULL
      )`,
      `CREATE INDEX sync_error_reports_portal ON sync_error_reports (portal_id, id)`,
    ],
  },
  {
    version: 3,
    name: 'index for finding each portal\'s oldest pending delivery',
    // Lets the outbox find every portal's head with one pass over a covering index.
    statements: () => [`CREATE INDEX outbox_pending_heads ON outbox (state, portal_id, id)`],
  },
  {
    version: 4,
    name: 'HubSpot-side signals: HubSpot tokens, mailboxes, mailbox checkpoints, alert targets and alert outbox',
    // Tables of their own (see signalsStore.ts), so nothing of the ingestion path changes.
    statements: (d) => [
      `CREATE TABLE portal_hubspot (
        portal_id TEXT PRIMARY KEY REFERENCES portals(id),
        token_sealed TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE portal_mailboxes (
        portal_id TEXT PRIMARY KEY REFERENCES portals(id),
        settings_sealed TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE mailbox_checkpoints (
        key TEXT PRIMARY KEY,
        uid_validity TEXT NOT NULL,
        last_uid BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE alert_targets (
        id TEXT PRIMARY KEY,
        portal_id TEXT NOT NULL REFERENCES portals(id),
        kind TEXT NOT NULL,
        target_sealed TEXT NOT NULL,
        summary TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE INDEX alert_targets_portal ON alert_targets (portal_id)`,
      `CREATE TABLE alert_deliveries (
        id ${serial(d)},
        portal_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        change_id BIGINT NOT NULL,
        dedup_key TEXT NOT NULL,
        message TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        lease_owner TEXT,
        lease_until BIGINT,
        last_error TEXT,
        created_at BIGINT NOT NULL,
        sent_at BIGINT,
        UNIQUE (target_id, dedup_key)
      )`,
      `CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_attempt_at)`,
      `CREATE INDEX alert_deliveries_portal ON alert_deliveries (portal_id, id)`,
      `CREATE TABLE alert_cursor (
        name TEXT PRIMARY KEY,
        last_change_id BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 5,
    name: 'status rows hold the head only; the history is read from changes',
    // portal_status.change_id: the change the status follows, so a process can tell whether the
    // status it computed last is the row's (see statusRows.ts). Two outbox indexes served no
    // query but were written with every outbox insert and state change: outbox_state (state,
    // next_attempt_at), and outbox_pending_heads (state, portal_id, id), which the per-portal
    // head lookup finds as well in outbox_portal_pending (portal_id, state, id). outbox_change
    // finds the head stored for a change (a stream's replay, RelayStore.statusAt).
    statements: () => [
      `ALTER TABLE portal_status ADD COLUMN change_id BIGINT`,
      `DROP INDEX IF EXISTS outbox_state`,
      `DROP INDEX IF EXISTS outbox_pending_heads`,
      `CREATE INDEX outbox_change ON outbox (change_id)`,
    ],
  },
  {
    version: 6,
    name: 'deliveries waiting for a Salesforce connection are a state of their own, not failed',
    // Before, the outbox gave them up as failed with NOT_CONFIGURED (re-queued when a connection
    // was set on this instance). Their portals may have a connection by now: the outbox's periodic
    // resume puts those back in the queue.
    statements: () => [`UPDATE outbox SET state = 'waitingForConnection' WHERE state = 'failed' AND last_error LIKE 'NOT_CONFIGURED%'`],
  },
];

/** Applies the missing migrations; `lock` serialises concurrent starts (PostgreSQL advisory lock). */
export async function migrate(db: SqlDb, lock?: (tx: SqlDb) => Promise<void>): Promise<number> {
  // Under the lock too: CREATE TABLE IF NOT EXISTS is not safe against a concurrent CREATE
  // (PostgreSQL: both pass the check, the second fails on the catalog's unique key).
  await db.transaction(async (tx) => {
    if (lock) await lock(tx);
    await tx.execute(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
  });
  let current = 0;
  for (const migration of MIGRATIONS) {
    await db.transaction(async (tx) => {
      if (lock) await lock(tx);
      const done = await tx.query(`SELECT version FROM schema_migrations WHERE version = $1`, [migration.version]);
      if (done.length > 0) return;
      for (const statement of migration.statements(tx.dialect)) await tx.execute(statement);
      await tx.execute(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [migration.version, migration.name, Date.now()]);
    });
    current = migration.version;
  }
  return current;
}
