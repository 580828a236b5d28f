import { maskSummary } from './alertSummary.js';
import type { SqlDb } from './sqlDb.js';

// Versioned migrations, applied in order at start, each in its own transaction, recorded in
// schema_migrations. Never edit a released migration: add the next version instead.

export interface Migration {
  version: number;
  name: string;
  statements: (dialect: SqlDb['dialect']) => string[];
  /** Work SQL alone cannot do (rows rewritten by the relay's own code), after the statements, in the same transaction. */
  run?: (tx: SqlDb) => Promise<void>;
  /**
   * SQLite: the migration rebuilds a table other tables reference, which needs foreign keys off
   * (a PRAGMA that does nothing inside a transaction, so it is set around it). They are checked
   * (PRAGMA foreign_key_check) before the transaction ends, and turned on again after it.
   */
  sqliteForeignKeysOff?: boolean;
}

const serial = (dialect: SqlDb['dialect']) =>
  dialect === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';

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
    name: "index for finding each portal's oldest pending delivery",
    // Lets the outbox find every portal's head with one pass over a covering index.
    statements: () => [`CREATE INDEX outbox_pending_heads ON outbox (state, portal_id, id)`],
  },
  {
    version: 4,
    name: 'HubSpot-side signals: HubSpot tokens, mailboxes, mailbox checkpoints, alert targets and alert outbox',
    // Tables of their own (see hubspotStore.ts, alertStore.ts), so nothing of the ingestion path changes.
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
    // finds the head stored for a change (a stream's replay, RelayStore.changesWithStatus).
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
    statements: () => [
      `UPDATE outbox SET state = 'waitingForConnection' WHERE state = 'failed' AND last_error LIKE 'NOT_CONFIGURED%'`,
    ],
  },
  {
    version: 7,
    name: 'idempotency keys per source: a client-chosen eventId cannot collide with an e-mail or detector event id',
    // The unique key was (portal_id, event_id), across sources: a webhook (or clear) sent with the
    // eventId `email:<Message-ID>` or `detector:<portal>:suspected:<outage>` made the real e-mail
    // or detector signal look like a redelivery and dropped it. Each source has its own ids now.
    // Every existing row stays unique under the new key (it was unique under a stricter one), and a
    // redelivery still comes from the same source, so it is still found. SQLite cannot drop a
    // table's UNIQUE constraint: the table is rebuilt (same columns, same ids, its AUTOINCREMENT
    // counter kept so no id is handed out twice).
    sqliteForeignKeysOff: true,
    statements: (d) =>
      d === 'postgres'
        ? [
            `ALTER TABLE changes DROP CONSTRAINT changes_portal_id_event_id_key`,
            `ALTER TABLE changes ADD CONSTRAINT changes_portal_id_source_event_id_key UNIQUE (portal_id, source, event_id)`,
          ]
        : [
            `CREATE TABLE changes_per_source (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
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
              UNIQUE (portal_id, source, event_id)
            )`,
            `INSERT INTO changes_per_source (id, portal_id, event_id, source, state, reason, title, excerpt, occurred_at, received_at, detail)
             SELECT id, portal_id, event_id, source, state, reason, title, excerpt, occurred_at, received_at, detail FROM changes ORDER BY id`,
            `INSERT INTO sqlite_sequence (name, seq) SELECT 'changes_per_source', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'changes_per_source')`,
            `UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)) WHERE name = 'changes_per_source'`,
            `DROP TABLE changes`,
            `ALTER TABLE changes_per_source RENAME TO changes`,
            `CREATE INDEX changes_portal_id ON changes (portal_id, id)`,
          ],
  },
  {
    version: 8,
    name: 'alert target summaries hold masked URLs at rest',
    // Summaries written before URLs were masked hold a webhook's or Slack's whole URL, whose path or
    // query is the credential (anyone holding a Slack webhook URL can post to the channel). The
    // admin API masked them only when read; now the row itself holds what the API shows (the same
    // maskSummary). The whole URL stays only in target_sealed, encrypted. Masking is idempotent:
    // masked rows are left as they are.
    statements: () => [],
    run: async (tx) => {
      const rows = await tx.query<{ id: string; summary: string }>(
        `SELECT id, summary FROM alert_targets`,
      );
      for (const row of rows) {
        let summary: unknown;
        try {
          summary = JSON.parse(String(row.summary));
        } catch {
          continue; // Not JSON: no field to mask (the relay never wrote such a row).
        }
        if (!summary || typeof summary !== 'object' || Array.isArray(summary)) continue;
        const masked = JSON.stringify(maskSummary(summary as Record<string, unknown>));
        if (masked !== JSON.stringify(summary))
          await tx.execute(`UPDATE alert_targets SET summary = $1 WHERE id = $2`, [masked, row.id]);
      }
    },
  },
  {
    version: 9,
    name: "the access watch's last check and requirements per portal, shared by every instance",
    // The last check was kept in the leading instance's memory only: behind a load balancer GET
    // access answered 'off' from every other instance. Now the leader writes it here and any
    // instance reads it. A portal's own requirements document (its mapped custom fields) is set
    // with the admin API. Both go with their portal (ON DELETE CASCADE, so deletePortal's delete of
    // the portal row takes them on both stores). New tables: existing data is untouched.
    statements: () => [
      `CREATE TABLE portal_access_checks (
        portal_id TEXT PRIMARY KEY REFERENCES portals(id) ON DELETE CASCADE,
        checked_at BIGINT NOT NULL,
        error TEXT,
        checked_by TEXT NOT NULL,
        next_check_at BIGINT,
        detail TEXT NOT NULL
      )`,
      `CREATE TABLE portal_access_requirements (
        portal_id TEXT PRIMARY KEY REFERENCES portals(id) ON DELETE CASCADE,
        document TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 10,
    name: 'an index of the undelivered outbox rows, read by every /health probe and /metrics scrape',
    // Migration 5 dropped outbox_state, which no delivery query used; /health and /metrics count
    // and age the outbox by state and had used it, so each probe walked every delivered row (kept
    // for good; on SQLite on the event loop: ~0.5-1.5 s at 2 million rows). A partial index of the
    // undelivered rows only, whose predicate the reads repeat (sqlStore.ts, OUTBOX_COUNTS_SQL): a
    // row leaves it once delivered, so it stays small and costs delivery little. Building it reads
    // the outbox once (~1.5 s at 2 million rows on SQLite).
    statements: () => [
      `CREATE INDEX outbox_undelivered ON outbox (state, created_at) WHERE state IN ('pending', 'failed', 'waitingForConnection')`,
    ],
  },
  {
    version: 11,
    name: "when HubSpot itself last failed the detector's check of each portal, shared by every instance",
    // The detector calls no stall for RELAY_DETECTOR_OUTAGE_CATCH_UP_MS after HubSpot failed one of
    // its checks (5xx, no answer), while the connector catches up. That time was kept in the
    // leading instance's memory only: a restart or a change of leader during or after HubSpot's
    // outage forgot it, and the new leader's first check called the backlog a stall for every
    // portal. One row per portal, the latest failure; it goes with its portal (ON DELETE CASCADE).
    // A new table: existing data is untouched.
    statements: () => [
      `CREATE TABLE portal_hubspot_failures (
        portal_id TEXT PRIMARY KEY REFERENCES portals(id) ON DELETE CASCADE,
        failed_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 12,
    name: "when each outbox row was inserted, by the database's clock, so the alert sweep's cursor never passes an uncommitted change",
    // PostgreSQL hands out outbox ids at insert time, but transactions commit in any order: the
    // alert sweep may see a committed id above one still uncommitted. Its cursor passed every row
    // whose created_at (the request's arrival, on the relay's clock, before the transaction even
    // had a connection) was 10 s old, so a database stall over 10 s let it pass a change that then
    // raised no alert. inserted_at is the database's clock after the row's id was taken (a BEFORE
    // INSERT trigger runs after the column defaults, nextval included): the sweep passes a row
    // only when no transaction that could still insert a lower id was open before it
    // (AlertStore.outboxHorizon). SQLite has one writer and commits ids in order: nothing to do.
    // Rows inserted before this migration keep NULL: long committed, they count as settled.
    statements: (d) =>
      d === 'postgres'
        ? [
            `ALTER TABLE outbox ADD COLUMN inserted_at TIMESTAMPTZ`,
            `CREATE FUNCTION outbox_stamp_inserted_at() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.inserted_at := clock_timestamp();
              RETURN NEW;
            END
            $$`,
            `CREATE TRIGGER outbox_inserted_at BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_stamp_inserted_at()`,
          ]
        : [],
  },
  {
    version: 13,
    name: 'the connection version each delivery went with, so a late connection check resends nothing twice',
    // A delivery that lands checks, after recording it, whether the portal's connection changed
    // while it was on its way (resendLatest), and if so queues the newest status again for the
    // new connection. Setting a connection queues it again too. A check delayed past that resend
    // (a database stall over 2 s) found the resend delivered and queued it a third time: the new
    // org got the same status twice. Each delivery now keeps the connection version it went with;
    // resendLatest does nothing when the newest went with the connection the portal has now. Rows
    // delivered before this migration keep NULL and are judged as before.
    statements: () => [`ALTER TABLE outbox ADD COLUMN delivered_version INTEGER`],
  },
  {
    version: 14,
    name: "each portal's opt-in sender policy for notification e-mails",
    // The inbound token says which mail service posts, not who wrote the message: anyone who can
    // send mail to a portal's inbound address could post a suspension. A portal may now name the
    // authserv-id of its inbound mail service and the sender domains it accepts (JSON, see
    // inputs/senderPolicy.ts). NULL, as every existing portal keeps, is no policy: as before.
    statements: () => [`ALTER TABLE portals ADD COLUMN sender_policy TEXT`],
  },
  {
    version: 15,
    name: "the HubSpot detector's last check of each portal, and the checks handed to it, shared by every instance",
    // The last check (GET .../hubspot lastCheck) was kept in the leading instance's memory only:
    // behind a load balancer every other instance answered null, and a restart or a change of
    // leader forgot it. Now whoever runs the check writes it here and any instance reads it. No
    // token in it, sealed or not: the outcome only, and the instance that checked. A check handed
    // over by another instance (POST .../hubspot/check, 202) is recorded by the leader when it
    // accepts it and removed once its outcome is applied: a leader that stops before that leaves
    // it to the next one. Both rows go with their portal (ON DELETE CASCADE). New tables: existing
    // data is untouched.
    statements: () => [
      `CREATE TABLE portal_hubspot_checks (
        portal_id TEXT PRIMARY KEY REFERENCES portals(id) ON DELETE CASCADE,
        checked_at BIGINT NOT NULL,
        verdict TEXT NOT NULL,
        state TEXT NOT NULL,
        error TEXT,
        failing_since BIGINT,
        warnings TEXT NOT NULL,
        checked_by TEXT NOT NULL
      )`,
      `CREATE TABLE portal_hubspot_check_requests (
        portal_id TEXT PRIMARY KEY REFERENCES portals(id) ON DELETE CASCADE,
        request_id TEXT NOT NULL,
        requested_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 16,
    name: 'automatic re-queue of deliveries given up on passing trouble (a Salesforce outage longer than the backoff)',
    // A delivery given up after its last attempt on passing trouble (503, row lock, request limit,
    // network) left Salesforce on a stale status until the portal's next change or a manual retry.
    // recover_at: when the relay next checks whether the org answers again and, if so, re-queues it
    // (NULL: no automatic re-queue: settings to fix, storage full, or given up for good).
    // recover_since: when the first of those give-ups happened, kept across re-queues, so checks
    // space out from it and stop after RELAY_OUTBOX_RECOVERY_FOR_MS. recoveries: how many times it
    // was re-queued automatically. Existing rows get NULL, NULL, 0: none is re-queued by itself.
    statements: () => [
      `ALTER TABLE outbox ADD COLUMN recover_at BIGINT`,
      `ALTER TABLE outbox ADD COLUMN recover_since BIGINT`,
      `ALTER TABLE outbox ADD COLUMN recoveries INTEGER NOT NULL DEFAULT 0`,
    ],
  },
];

/** The schema version these migrations leave a store at. */
export function newestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/** The newest migration this relay knows: the schema version it leaves a store at. */
export const LATEST_SCHEMA_VERSION = newestVersion(MIGRATIONS);

/**
 * The store was migrated by a newer relay (a rollback, or an older instance started beside newer
 * ones): what this relay writes may break what the newer migrations set up, so it does not start.
 * `code` makes the start failure one line (bin.ts), and on PostgreSQL names the database.
 */
export class SchemaTooNewError extends Error {
  readonly code = 'SCHEMA_TOO_NEW';
  constructor(
    readonly storedVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `the store is at schema version ${storedVersion}, set up by a newer relay; this one knows up to ${knownVersion}. ` +
        'Run the newer relay, or restore a backup taken before the upgrade; the store was left as it is.',
    );
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Applies the missing migrations; `lock` serialises concurrent starts (PostgreSQL advisory lock).
 * `migrations`: all of them, except in tests that build a store as an older relay left it.
 */
export async function migrate(
  db: SqlDb,
  lock?: (tx: SqlDb) => Promise<void>,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number> {
  // Under the lock too: CREATE TABLE IF NOT EXISTS is not safe against a concurrent CREATE
  // (PostgreSQL: both pass the check, the second fails on the catalog's unique key).
  await db.transaction(async (tx) => {
    if (lock) await lock(tx);
    await tx.execute(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
    );
  });
  const known = newestVersion(migrations);
  const [stored] = await db.query<{ v: unknown }>(
    'SELECT MAX(version) AS v FROM schema_migrations',
  );
  const storedVersion = Number(stored?.v ?? 0);
  if (storedVersion > known) throw new SchemaTooNewError(storedVersion, known);
  let current = 0;
  for (const migration of migrations) {
    // SQLite has one process (lockDataDir): whether the migration is still to do cannot change
    // between this look and the transaction.
    const foreignKeysOff =
      migration.sqliteForeignKeysOff === true &&
      db.dialect === 'sqlite' &&
      (
        await db.query(`SELECT version FROM schema_migrations WHERE version = $1`, [
          migration.version,
        ])
      ).length === 0;
    if (foreignKeysOff) await db.query('PRAGMA foreign_keys = OFF');
    try {
      await db.transaction(async (tx) => {
        if (lock) await lock(tx);
        const done = await tx.query(`SELECT version FROM schema_migrations WHERE version = $1`, [
          migration.version,
        ]);
        if (done.length > 0) return;
        for (const statement of migration.statements(tx.dialect)) await tx.execute(statement);
        if (migration.run) await migration.run(tx);
        if (foreignKeysOff) {
          const broken = await tx.query<{ table: string; parent: string }>(
            'PRAGMA foreign_key_check',
          );
          if (broken.length > 0)
            throw new Error(
              `migration ${migration.version} would break ${broken.length} foreign key(s), e.g. ${broken[0]!.table} -> ${broken[0]!.parent}`,
            );
        }
        await tx.execute(
          `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
          [migration.version, migration.name, Date.now()],
        );
      });
    } finally {
      if (foreignKeysOff) await db.query('PRAGMA foreign_keys = ON');
    }
    current = migration.version;
  }
  return current;
}
