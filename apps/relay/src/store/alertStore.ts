import type { RelayedStatus } from '@sync-doctor/core';
import type { SqlDb } from './sqlDb.js';
import { iso, isoOrNull, page, str, type Row } from './sqlRows.js';
import { decodeCursor, pageLimit, type SqlRelayStore } from './sqlStore.js';
import type { Page, RelayStore } from './types.js';

// What the alert sender keeps (migration 4 and later): the alert targets (sealed), the sweep's
// cursor over the change stream (the Salesforce outbox rows, read after they commit; on
// PostgreSQL up to the outbox horizon) and the alert outbox of deliveries. Tables of their own,
// so the ingestion path (changes, status, Salesforce outbox) is untouched. The HubSpot tokens and
// mailboxes are in hubspotStore.ts.

export type AlertDeliveryStatus = 'pending' | 'sent' | 'failed';

export interface AlertTargetRecord {
  id: string;
  portalId: string;
  kind: 'webhook' | 'slack' | 'email';
  /** Sealed JSON of the whole target (secrets included). */
  targetSealed: string;
  /** What the admin API shows: no secrets. */
  summary: Record<string, unknown>;
  createdAt: string;
}

export interface AlertDeliveryRecord {
  id: number;
  portalId: string;
  targetId: string;
  changeId: number;
  dedupKey: string;
  /** The rendered AlertMessage (JSON), sent identically on every attempt. */
  message: Record<string, unknown>;
  status: AlertDeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface NewAlertDelivery {
  portalId: string;
  targetId: string;
  changeId: number;
  dedupKey: string;
  message: Record<string, unknown>;
}

/** A stored status change, read back from the Salesforce outbox (one row per change, written in its transaction). */
interface StoredStatusChange {
  /** Position in the change stream (the outbox row id). */
  position: number;
  portalId: string;
  changeId: number;
  after: RelayedStatus;
  createdAtMs: number;
  /**
   * No change can still be stored below this position: every row with a lower id is committed
   * or rolled back for good, so the sweep's cursor may pass it (see outboxHorizon).
   */
  settled: boolean;
}

/**
 * PostgreSQL: the instant (the database's clock, as ISO 8601 text at UTC, to the microsecond)
 * before which an outbox row's insert settles every lower id, and the relay transaction that
 * holds it back, if any. Read by statusChangesAfter, which must start after this was read.
 */
export interface OutboxHorizon {
  before: string;
  /** The oldest open relay transaction with a transaction id, which may still insert below. */
  heldBy: { pid: number; sinceMs: number } | null;
  /** false: track_activities is off, so open transactions are unknown (see outboxHorizon). */
  tracking: boolean;
  /**
   * true: the relay's role may not see when some relay session's transaction began (see
   * outboxHorizon), so the 10 s grace stood in for it.
   */
  hidden: boolean;
}

function toTarget(row: Row): AlertTargetRecord {
  return {
    id: String(row.id),
    portalId: String(row.portal_id),
    kind: String(row.kind) as AlertTargetRecord['kind'],
    targetSealed: String(row.target_sealed),
    summary: JSON.parse(String(row.summary)) as Record<string, unknown>,
    createdAt: iso(row.created_at),
  };
}

function toAlertDelivery(row: Row): AlertDeliveryRecord {
  return {
    id: Number(row.id),
    portalId: String(row.portal_id),
    targetId: String(row.target_id),
    changeId: Number(row.change_id),
    dedupKey: String(row.dedup_key),
    message: JSON.parse(String(row.message)) as Record<string, unknown>,
    status: String(row.status) as AlertDeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: iso(row.next_attempt_at),
    lastError: str(row.last_error),
    createdAt: iso(row.created_at),
    sentAt: isoOrNull(row.sent_at),
  };
}

class SqlAlertStore {
  constructor(
    private readonly db: SqlDb,
    /** Rebuilds whole statuses from outbox rows (their heads) and the changes (their history). */
    private readonly statuses: Pick<SqlRelayStore, 'statusesOfOutboxRows'>,
  ) {}

  // --- Alert targets ---------------------------------------------------------------------------

  async createAlertTarget(
    target: Omit<AlertTargetRecord, 'createdAt'>,
  ): Promise<AlertTargetRecord> {
    const rows = await this.db.query(
      `INSERT INTO alert_targets (id, portal_id, kind, target_sealed, summary, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        target.id,
        target.portalId,
        target.kind,
        target.targetSealed,
        JSON.stringify(target.summary),
        Date.now(),
      ],
    );
    return toTarget(rows[0]!);
  }

  async listAlertTargets(portalId?: string): Promise<AlertTargetRecord[]> {
    const rows =
      portalId === undefined
        ? await this.db.query('SELECT * FROM alert_targets ORDER BY created_at, id')
        : await this.db.query(
            'SELECT * FROM alert_targets WHERE portal_id = $1 ORDER BY created_at, id',
            [portalId],
          );
    return rows.map(toTarget);
  }

  async getAlertTarget(portalId: string, id: string): Promise<AlertTargetRecord | null> {
    const rows = await this.db.query(
      'SELECT * FROM alert_targets WHERE portal_id = $1 AND id = $2',
      [portalId, id],
    );
    return rows[0] ? toTarget(rows[0]) : null;
  }

  async deleteAlertTarget(portalId: string, id: string): Promise<boolean> {
    return (
      (await this.db.execute('DELETE FROM alert_targets WHERE portal_id = $1 AND id = $2', [
        portalId,
        id,
      ])) > 0
    );
  }

  async countAlertTargets(): Promise<number> {
    const rows = await this.db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM alert_targets');
    return Number(rows[0]?.n ?? 0);
  }

  // --- The change stream the alert outbox is filled from ----------------------------------------

  /**
   * Where the alert sweep stands. Created on first use at the newest change, so turning alerts
   * on never alerts history.
   */
  async alertCursor(name: string): Promise<number> {
    const existing = await this.db.query<{ last_change_id: unknown }>(
      'SELECT last_change_id FROM alert_cursor WHERE name = $1',
      [name],
    );
    if (existing[0]) return Number(existing[0].last_change_id);
    await this.db.execute(
      `INSERT INTO alert_cursor (name, last_change_id) SELECT CAST($1 AS TEXT), COALESCE(MAX(id), 0) FROM outbox WHERE true ON CONFLICT (name) DO NOTHING`,
      [name],
    );
    const rows = await this.db.query<{ last_change_id: unknown }>(
      'SELECT last_change_id FROM alert_cursor WHERE name = $1',
      [name],
    );
    return Number(rows[0]?.last_change_id ?? 0);
  }

  /**
   * PostgreSQL: how far the change stream is settled (null on SQLite, whose one writer commits
   * ids in order: every row read is settled).
   *
   * Every transaction that inserts an outbox row has a transaction id before it takes the row's
   * id (it locks or inserts the portal's status row and inserts the change first), and the row's
   * inserted_at is the database's clock after that (migration 12). So for a row Y and any
   * uncommitted row X below it: X's transaction began before X's id, which was taken before Y's,
   * before Y.inserted_at. This reads, at time T, the start of the oldest relay transaction still
   * open with a transaction id; a row inserted before both that start and T cannot have an
   * uncommitted row below it once the rows are read after T: a writer open at T started no later
   * than the horizon, and one that got its transaction id after T took its row's id after T too,
   * so Y.inserted_at would be after T. Hence rows are read in a later statement (statusChangesAfter).
   *
   * "Relay transaction": this database and this application_name (every connection of the
   * relay's pool has the same, 'sync-doctor-relay' unless DATABASE_URL sets one), so a session
   * left open in psql does not hold alerts back. Or no application_name: relays before schema 12
   * set none, and during a rolling upgrade their transactions write outbox rows too (a nameless
   * session of another program can only hold the cursor back, never make it skip a change). Not the role: pg_stat_activity names a session
   * by its login role, which is not current_user when the login role switches to an owner role
   * (ALTER ROLE ... SET role), and instances may log in as roles of their own (per-instance
   * credentials); a role filter then sees none of the other sessions, and the horizon is T.
   * A session's xact_start shows only to roles with the privileges of its login role or
   * pg_read_all_stats; the others see its transaction id but not when it began. With
   * track_activities off, or such a start hidden, nothing can be known about when an open
   * transaction began: rows settle 10 s after their insert, the fallback (and no later than a known
   * start). A NULL start also shows, briefly, for a transaction that began after this read
   * started: the 10 s grace is then only more cautious.
   */
  async outboxHorizon(): Promise<OutboxHorizon | null> {
    // `before` in ISO 8601 at UTC, read the same in any session: ::text follows the session's
    // DateStyle, whose zone abbreviations may read back as another zone (SQL style, Asia/Kolkata:
    // "IST", read as Israel's, 3.5 h later).
    if (this.db.dialect !== 'postgres') return null;
    const [row] = await this.db.query<{
      before: string;
      tracking: boolean;
      hidden: unknown;
      pid: unknown;
      since_ms: unknown;
    }>(
      `WITH relay AS MATERIALIZED (
         SELECT pid, xact_start, query FROM pg_stat_activity
          WHERE datname = current_database()
            AND application_name IN (current_setting('application_name'), '')
            -- Not autovacuum or replication workers (nameless too); a hidden session's type is NULL.
            AND COALESCE(backend_type, 'client backend') = 'client backend'
            AND backend_xid IS NOT NULL AND pid <> pg_backend_pid())
       SELECT to_char(CASE WHEN current_setting('track_activities')::boolean
                            AND NOT EXISTS (SELECT 1 FROM relay WHERE xact_start IS NULL)
                           THEN LEAST(statement_timestamp(), oldest.xact_start)
                           ELSE LEAST(statement_timestamp() - interval '10 seconds', oldest.xact_start)
                           END AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS before,
              current_setting('track_activities')::boolean AS tracking,
              EXISTS (SELECT 1 FROM relay WHERE query = '<insufficient privilege>') AS hidden,
              oldest.pid, EXTRACT(EPOCH FROM oldest.xact_start) * 1000 AS since_ms
         FROM (SELECT 1) AS one
         LEFT JOIN LATERAL (
           SELECT pid, xact_start FROM relay WHERE xact_start IS NOT NULL
            ORDER BY xact_start LIMIT 1) AS oldest ON true`,
    );
    if (!row) throw new Error('the outbox horizon query returned no row');
    return {
      before: String(row.before),
      heldBy:
        row.pid === null || row.pid === undefined
          ? null
          : { pid: Number(row.pid), sinceMs: Number(row.since_ms) },
      tracking: row.tracking === true || String(row.tracking) === 'true',
      hidden: row.hidden === true || String(row.hidden) === 'true',
    };
  }

  /**
   * Status changes stored after `position`, oldest first. On PostgreSQL `horizon` (read just
   * before) says which are settled.
   */
  async statusChangesAfter(
    position: number,
    limit: number,
    horizon: OutboxHorizon | null,
  ): Promise<StoredStatusChange[]> {
    const rows =
      this.db.dialect === 'postgres'
        ? await this.db.query(
            `SELECT id, portal_id, change_id, payload, created_at,
                    (inserted_at IS NULL OR inserted_at < CAST($3 AS TIMESTAMPTZ)) AS settled
               FROM outbox WHERE id > $1 ORDER BY id LIMIT $2`,
            [position, limit, requireHorizon(horizon).before],
          )
        : await this.db.query(
            `SELECT id, portal_id, change_id, payload, created_at, 1 AS settled FROM outbox WHERE id > $1 ORDER BY id LIMIT $2`,
            [position, limit],
          );
    const after = await this.statuses.statusesOfOutboxRows(
      this.db,
      rows.map((r) => ({
        portalId: String(r.portal_id),
        changeId: Number(r.change_id),
        payload: String(r.payload),
      })),
    );
    return rows.map((r, i) => ({
      position: Number(r.id),
      portalId: String(r.portal_id),
      changeId: Number(r.change_id),
      after: after[i]!,
      createdAtMs: Number(r.created_at),
      settled: r.settled === true || Number(r.settled) === 1,
    }));
  }

  /** The portal's status before the change at `position` (null before its first change). */
  async statusBefore(portalId: string, position: number): Promise<RelayedStatus | null> {
    const rows = await this.db.query<{ payload: string; change_id: unknown }>(
      `SELECT payload, change_id FROM outbox WHERE portal_id = $1 AND id < $2 ORDER BY id DESC LIMIT 1`,
      [portalId, position],
    );
    const row = rows[0];
    if (!row) return null;
    const [status] = await this.statuses.statusesOfOutboxRows(this.db, [
      { portalId, changeId: Number(row.change_id), payload: row.payload },
    ]);
    return status ?? null;
  }

  /**
   * Queues alerts and moves the cursor, in one transaction. A (target, dedup key) pair already
   * queued is left alone, so a sweep that runs twice (two instances, a restart) alerts once.
   */
  async enqueueAlerts(
    alerts: NewAlertDelivery[],
    cursor: { name: string; position: number } | null,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      let queued = 0;
      const now = Date.now();
      for (const a of alerts) {
        queued += await tx.execute(
          `INSERT INTO alert_deliveries (portal_id, target_id, change_id, dedup_key, message, status, attempts, next_attempt_at, created_at)
           VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) ON CONFLICT (target_id, dedup_key) DO NOTHING`,
          [a.portalId, a.targetId, a.changeId, a.dedupKey, JSON.stringify(a.message), now],
        );
      }
      if (cursor) {
        await tx.execute(
          `UPDATE alert_cursor SET last_change_id = $2 WHERE name = $1 AND last_change_id < $2`,
          [cursor.name, cursor.position],
        );
      }
      return queued;
    });
  }

  // --- The alert outbox worker -----------------------------------------------------------------

  /** Leases due alerts (SKIP LOCKED on PostgreSQL, so instances never send one twice at once). */
  async claimAlerts(
    owner: string,
    options: { leaseMs: number; limit: number; now?: Date },
  ): Promise<AlertDeliveryRecord[]> {
    const now = (options.now ?? new Date()).getTime();
    return this.db.transaction(async (tx) => {
      const skipLocked = tx.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
      const due = await tx.query<{ id: unknown }>(
        `SELECT id FROM alert_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
         ORDER BY id LIMIT $2${skipLocked}`,
        [now, options.limit],
      );
      if (due.length === 0) return [];
      const ids = due.map((r) => Number(r.id));
      const placeholders = ids.map((_, i) => `$${i + 4}`).join(', ');
      const rows = await tx.query(
        `UPDATE alert_deliveries SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
         WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < $3) AND id IN (${placeholders}) RETURNING *`,
        [owner, now + options.leaseMs, now, ...ids],
      );
      return rows.map(toAlertDelivery).sort((a, b) => a.id - b.id);
    });
  }

  async completeAlert(id: number, owner: string): Promise<boolean> {
    const changed = await this.db.execute(
      `UPDATE alert_deliveries SET status = 'sent', sent_at = $3, lease_owner = NULL, lease_until = NULL, last_error = NULL
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
      [id, owner, Date.now()],
    );
    return changed > 0;
  }

  /** A failed attempt; `retryAt` null gives the alert up ('failed'). */
  async failAlert(
    id: number,
    owner: string,
    error: string,
    retryAt: Date | null,
  ): Promise<boolean> {
    const changed = await this.db.execute(
      `UPDATE alert_deliveries SET status = $3, next_attempt_at = $4, last_error = $5, lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
      [
        id,
        owner,
        retryAt ? 'pending' : 'failed',
        retryAt ? retryAt.getTime() : Date.now(),
        error.slice(0, 2000),
      ],
    );
    return changed > 0;
  }

  /**
   * The newest alert queued for the portal whose dedup key starts with `prefix` (any target; a
   * deleted target's rows stay), or null: the access watch's memory of what it last alerted.
   */
  async lastAlertWithPrefix(
    portalId: string,
    prefix: string,
  ): Promise<{ dedupKey: string; message: Record<string, unknown> } | null> {
    const rows = await this.db.query(
      `SELECT dedup_key, message FROM alert_deliveries WHERE portal_id = $1 AND dedup_key LIKE $2 ORDER BY id DESC LIMIT 1`,
      [portalId, `${prefix.replace(/[%_\\]/g, '')}%`],
    );
    const row = rows[0];
    return row
      ? {
          dedupKey: String(row.dedup_key),
          message: JSON.parse(String(row.message)) as Record<string, unknown>,
        }
      : null;
  }

  async listAlertDeliveries(
    portalId: string,
    options: { cursor?: string | null; limit: number; status?: AlertDeliveryStatus },
  ): Promise<Page<AlertDeliveryRecord>> {
    const limit = pageLimit(options.limit);
    const before = decodeCursor(options.cursor);
    const rows = await this.db.query(
      `SELECT * FROM alert_deliveries WHERE portal_id = $1 AND ($2 = 0 OR id < $2) AND ($3 = '' OR status = $3) ORDER BY id DESC LIMIT $4`,
      [portalId, before ?? 0, options.status ?? '', limit + 1],
    );
    return page(rows.map(toAlertDelivery), limit);
  }
}

// The relay's store keeps its own interface; this part hangs off it here (as hubspotStore.ts and
// accessStore.ts), so the ingestion store (and its contract suite) stays as it is.
const attached = new WeakMap<RelayStore, SqlAlertStore>();

export function attachAlertStore<T extends SqlRelayStore>(store: T, db: SqlDb): T {
  attached.set(store, new SqlAlertStore(db, store));
  return store;
}

export function alertStoreOf(store: RelayStore): SqlAlertStore {
  const found = attached.get(store);
  if (!found) throw new Error('this relay store has no alert tables (open it with createStore)');
  return found;
}

function requireHorizon(horizon: OutboxHorizon | null): OutboxHorizon {
  if (!horizon)
    throw new Error('PostgreSQL: read the outbox horizon before the changes it settles');
  return horizon;
}
