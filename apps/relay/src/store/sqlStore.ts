import { createHash, randomUUID } from 'node:crypto';
import type { RelayedStatus } from '@sync-doctor/core';
import { applySignal, type Signal } from '../domain/signal.js';
import type { SenderPolicy } from '../inputs/senderPolicy.js';
import { replaceNul, type SqlDb } from './sqlDb.js';
import {
  StatusesByChange,
  headJson,
  parseStored,
  withHistories,
  withHistory,
} from './statusRows.js';
import {
  type ClaimedDelivery,
  PortalExistsError,
  PortalGoneError,
  type ChangeRecord,
  type DeliveryRecord,
  type DeliveryState,
  type UndeliveredState,
  type InboundMessageRecord,
  type NewPortal,
  type Page,
  type PortalPatch,
  type PortalRecord,
  type RecordResult,
  type RelayStore,
  type SyncErrorReportRecord,
} from './types.js';

type Row = Record<string, unknown>;

const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();
const isoOrNull = (ms: unknown): string | null =>
  ms === null || ms === undefined ? null : iso(ms);
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const json = <T>(v: unknown): T | null =>
  v === null || v === undefined ? null : (JSON.parse(String(v)) as T);

function toPortal(row: Row): PortalRecord {
  return {
    id: String(row.id),
    name: str(row.name),
    signingSecretSealed: String(row.signing_secret),
    inboundTokenHash: String(row.inbound_token_hash),
    salesforceSealed: str(row.salesforce),
    salesforceVersion: Number(row.salesforce_version),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    senderPolicy: json<SenderPolicy>(row.sender_policy),
  };
}

/** The portals.sender_policy column: JSON, or NULL for no policy. */
const senderPolicyColumn = (policy: SenderPolicy | null): string | null =>
  policy ? JSON.stringify(policy) : null;

function toChange(row: Row): ChangeRecord {
  return {
    id: Number(row.id),
    portalId: String(row.portal_id),
    eventId: str(row.event_id),
    source: String(row.source) as ChangeRecord['source'],
    state: String(row.state) as ChangeRecord['state'],
    reason: str(row.reason) as ChangeRecord['reason'],
    title: str(row.title),
    excerpt: str(row.excerpt),
    occurredAt: String(row.occurred_at),
    receivedAt: iso(row.received_at),
    detail: json(row.detail),
  };
}

function toDelivery(row: Row): DeliveryRecord {
  return {
    id: Number(row.id),
    portalId: String(row.portal_id),
    changeId: Number(row.change_id),
    state: String(row.state) as DeliveryState,
    attempts: Number(row.attempts),
    nextAttemptAt: iso(row.next_attempt_at),
    leaseOwner: str(row.lease_owner),
    leaseUntil: isoOrNull(row.lease_until),
    lastError: str(row.last_error),
    deliveredAt: isoOrNull(row.delivered_at),
    result: json(row.result),
    createdAt: iso(row.created_at),
  };
}

/** Cursors are opaque to clients: the id of the last item seen, base64url-encoded. */
export function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}
/**
 * The outbox reads of every /health probe and /metrics scrape. The undelivered rows are named by
 * the predicate of the partial index outbox_undelivered (migration 10), so both databases read
 * them from it and never walk the delivered rows, which are kept for good. The delivered ones are
 * counted as all rows (COUNT(*) through the table's smallest index) less those, in the same
 * statement so the two agree.
 */
const UNDELIVERED = `state IN ('pending', 'failed', 'waitingForConnection')`;
export const OUTBOX_COUNTS_SQL = `SELECT state, COUNT(*) AS n FROM outbox WHERE ${UNDELIVERED} GROUP BY state UNION ALL SELECT '*', COUNT(*) FROM outbox`;
export const OLDEST_UNDELIVERED_SQL = `SELECT state, MIN(created_at) AS oldest FROM outbox WHERE ${UNDELIVERED} GROUP BY state`;

export class InvalidCursorError extends Error {}
export function decodeCursor(cursor: string | null | undefined): number | null {
  if (!cursor) return null;
  const match = /^id:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError('cursor is not one this relay handed out');
  return Number(match[1]);
}

/**
 * A page size the store was handed that is not a positive safe integer (Infinity, NaN, 2.5, 0,
 * -1, 2^53): a caller's bug, refused before any SQL. SQLite's LIMIT failed with "datatype
 * mismatch" on such values and PostgreSQL's with an invalid bigint, neither saying what was wrong.
 * The routes refuse them first (400); the store is an interface and checks for itself.
 */
export class InvalidPageLimitError extends RangeError {
  constructor(limit: unknown) {
    super(`a page limit must be a positive safe integer, not ${String(limit)}`);
    this.name = 'InvalidPageLimitError';
  }
}

/** The limit of listChanges, listDeliveries and listAlertDeliveries, checked (see InvalidPageLimitError). */
export function pageLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidPageLimitError(limit);
  return limit;
}

function page<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: unknown; message?: unknown; errcode?: unknown };
  return (
    e.code === '23505' ||
    (typeof e.message === 'string' && /UNIQUE constraint failed/.test(e.message))
  );
};

const isForeignKeyViolation = (error: unknown): boolean => {
  const e = error as { code?: unknown; message?: unknown };
  return (
    e.code === '23503' ||
    (typeof e.message === 'string' && /FOREIGN KEY constraint failed/.test(e.message))
  );
};

/** A write for a portal that is gone (deleted meanwhile) is a PortalGoneError, not a store failure. */
export async function forPortal<T>(portalId: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new PortalGoneError(portalId);
    throw error;
  }
}

const storedText = (text: string | null): string | null =>
  text === null ? null : replaceNul(text);

/**
 * The signal with its text as the store keeps it (U+0000 becomes U+FFFD, sqlDb.ts), so the change
 * and status recordSignal answers, streams and delivers equal what is read back later. The signal
 * itself when there is no NUL. (`detail` is stored as JSON, which escapes U+0000: kept exact.)
 */
function withStoredText(signal: Signal): Signal {
  const title = storedText(signal.title);
  const excerpt = storedText(signal.excerpt);
  const eventId = storedText(signal.eventId);
  const occurredAt = replaceNul(signal.occurredAt);
  if (
    title === signal.title &&
    excerpt === signal.excerpt &&
    eventId === signal.eventId &&
    occurredAt === signal.occurredAt
  )
    return signal;
  return { ...signal, title, excerpt, eventId, occurredAt };
}

const CHANGES_CHANNEL = 'sync_doctor_relay_changes';

/**
 * The channel on which the instances sharing a schema tell each other of changes and deleted
 * portals. NOTIFY channels are database-wide, not per schema: on one fixed channel, relays in
 * other schemas of the same database (staging beside production, parallel test runs) heard them
 * too, forgot portals deleted elsewhere, ended their streams, and read change ids that were not
 * theirs. So each schema gets its own channel: a short hash of its name (a channel is an identifier,
 * at most 63 bytes and here lower-case; a schema name may be long). No schema, or `public` (the
 * default one), keeps the original channel, so instances of a single-schema deployment being
 * upgraded one by one keep hearing each other. Computed here only; the database says its schema.
 */
export function changesChannel(schema: string | null | undefined): string {
  if (!schema || schema === 'public') return CHANGES_CHANNEL;
  return `${CHANGES_CHANNEL}_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
}

/**
 * For updates of outbox rows picked by a list of ids: given `state = 'pending'` as well,
 * SQLite's planner walks the pending index (every queued row) instead of looking the ids up, 2 ms
 * instead of 25 us with 20,000 queued. NOT INDEXED still lets it use the rowid.
 */
const byIdsOnly = (db: SqlDb): string => (db.dialect === 'sqlite' ? ' NOT INDEXED' : '');

/**
 * Deliveries recorded per pair of statements by completeDeliveries: 2 parameters each plus 3, well
 * under SQLite's 32,766 and PostgreSQL's 65,535. The outbox's batches (200) fit in one; each
 * length is a statement of its own in the SQLite adapter's cache, so it stays bounded.
 */
const COMPLETE_CHUNK = 1000;

/** What a delivery re-queued by resendLatest shows until it is sent again. */
const RESEND =
  "RESEND: the portal's Salesforce connection changed after this delivery; its status (the portal's current one) is sent again, to the connection set now";

export class SqlRelayStore implements RelayStore {
  /** Tells this store's own notifications from other processes'. */
  private readonly origin = randomUUID();
  /** Where this store notifies and listens: the instances in its schema, and only those. */
  private readonly channel: string;
  private unlisten: (() => Promise<void>) | null = null;
  private readonly gapListeners = new Set<(state: 'lost' | 'resumed') => void>();

  constructor(
    protected readonly db: SqlDb,
    private readonly onClose: () => Promise<void> = () => db.close(),
  ) {
    this.channel = changesChannel(db.schema);
    if (db.dialect === 'postgres')
      this.databaseTime = async () => {
        const [row] = await db.query<{ ms: unknown }>(
          'SELECT EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS ms',
        );
        return Number(row?.ms);
      };
    if (db.listen) {
      this.onListenGap = (listener) => {
        this.gapListeners.add(listener);
        return () => this.gapListeners.delete(listener);
      };
      const tell = (state: 'lost' | 'resumed'): void => {
        for (const listener of [...this.gapListeners]) listener(state);
      };
      this.onForeignChange = async (listener, options) => {
        const stop = await db.listen!(
          this.channel,
          (payload) => {
            try {
              const message = JSON.parse(payload) as {
                origin: string;
                portalId: string;
                changeId: number;
                deleted?: boolean;
              };
              if (message.origin === this.origin) {
                // A deletion here was forgotten here when it was made.
                if (options?.own && !message.deleted)
                  listener({ portalId: message.portalId, changeId: message.changeId, own: true });
                return;
              }
              if (message.deleted) {
                this.forgetPortal(message.portalId);
                listener({ portalId: message.portalId, changeId: 0, deleted: true });
              } else {
                listener({ portalId: message.portalId, changeId: message.changeId });
              }
            } catch {
              // not ours
            }
          },
          { lost: () => tell('lost'), resumed: () => tell('resumed') },
        );
        this.unlisten = stop;
        return stop;
      };
    }
  }

  onForeignChange?: RelayStore['onForeignChange'];
  onListenGap?: RelayStore['onListenGap'];
  databaseTime?: RelayStore['databaseTime'];

  /**
   * SQLite only: the file belongs to this one process, so the current status of each portal can
   * be kept in memory, written through after every commit (GET state then never reads the disk).
   * PostgreSQL is shared by several instances: always read.
   */
  private readonly statusCache = new Map<string, RelayedStatus | null>();
  private get cacheStatus(): boolean {
    return this.db.dialect === 'sqlite';
  }

  /** Whole statuses after committed changes: what the outbox delivers, the stream replays and alerts read. */
  private readonly statusesByChange = new StatusesByChange();

  /**
   * The status each portal's last recordSignal on this process computed, with the change it
   * follows. Set inside the transaction (the next signal of the portal in the same group commit
   * needs it before anything is committed) and trusted only while the portal's row names the same
   * change: a rolled-back write leaves the row at an older change, and another instance's write
   * at a newer one (PostgreSQL never hands out a change id twice; SQLite only re-issues the id of a
   * rolled-back insert, which never reached the row).
   */
  private readonly lastComputed = new Map<string, { changeId: number; status: RelayedStatus }>();

  get kind(): 'sqlite' | 'postgres' {
    return this.db.dialect;
  }

  private get forUpdate(): string {
    return this.db.dialect === 'postgres' ? ' FOR UPDATE' : '';
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1 AS ok');
    // Not ready until live streams hear other instances again (a load balancer sends their
    // clients elsewhere meanwhile).
    const problem = this.db.listenProblem?.();
    if (problem) throw new Error(problem);
  }

  async close(): Promise<void> {
    await this.unlisten?.();
    await this.onClose();
  }

  async schemaVersion(): Promise<number> {
    const rows = await this.db.query<{ v: unknown }>(
      'SELECT MAX(version) AS v FROM schema_migrations',
    );
    return Number(rows[0]?.v ?? 0);
  }

  async createPortal(portal: NewPortal): Promise<PortalRecord> {
    const now = Date.now();
    try {
      const rows = await this.db.query(
        `INSERT INTO portals (id, name, signing_secret, inbound_token_hash, salesforce, salesforce_version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING *`,
        [
          portal.id,
          portal.name,
          portal.signingSecretSealed,
          portal.inboundTokenHash,
          portal.salesforceSealed,
          portal.salesforceSealed ? 1 : 0,
          now,
        ],
      );
      return toPortal(rows[0]!);
    } catch (error) {
      if (isUniqueViolation(error)) throw new PortalExistsError(portal.id);
      throw error;
    }
  }

  async getPortal(id: string): Promise<PortalRecord | null> {
    const rows = await this.db.query('SELECT * FROM portals WHERE id = $1', [id]);
    return rows[0] ? toPortal(rows[0]) : null;
  }

  async listPortals(): Promise<PortalRecord[]> {
    return (await this.db.query('SELECT * FROM portals ORDER BY id')).map(toPortal);
  }

  async updatePortal(id: string, patch: PortalPatch): Promise<PortalRecord | null> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(`SELECT * FROM portals WHERE id = $1${this.forUpdate}`, [id]);
      if (!rows[0]) return null;
      const current = toPortal(rows[0]);
      const salesforceChanged = patch.salesforceSealed !== undefined;
      const updated = await tx.query(
        `UPDATE portals SET name = $2, signing_secret = $3, inbound_token_hash = $4, salesforce = $5, salesforce_version = $6, updated_at = $7, sender_policy = $8
         WHERE id = $1 RETURNING *`,
        [
          id,
          patch.name !== undefined ? patch.name : current.name,
          patch.signingSecretSealed ?? current.signingSecretSealed,
          patch.inboundTokenHash ?? current.inboundTokenHash,
          salesforceChanged ? patch.salesforceSealed : current.salesforceSealed,
          current.salesforceVersion + (salesforceChanged ? 1 : 0),
          Date.now(),
          senderPolicyColumn(
            patch.senderPolicy !== undefined ? patch.senderPolicy : current.senderPolicy,
          ),
        ],
      );
      return toPortal(updated[0]!);
    });
  }

  async findPortalByInboundTokenHash(hash: string): Promise<PortalRecord | null> {
    const rows = await this.db.query('SELECT * FROM portals WHERE inbound_token_hash = $1', [hash]);
    return rows[0] ? toPortal(rows[0]) : null;
  }

  /** Portal deletions started by this process: a cache write racing one is not made. */
  private deletions = 0;

  async deletePortal(id: string): Promise<boolean> {
    this.deletions++;
    const deleted = await this.db.transaction(async (tx) => {
      // Locks in recordSignal's order (PostgreSQL), or the two deadlock: the status row first,
      // then the portal row. A signal being stored meanwhile (it holds the status row, and a
      // key-share lock on the portal row through its foreign keys) lands first and is deleted
      // here; one that comes later waits, then finds the portal gone (PortalGoneError).
      await tx.query(`SELECT portal_id FROM portal_status WHERE portal_id = $1${this.forUpdate}`, [
        id,
      ]);
      const rows = await tx.query(`SELECT id FROM portals WHERE id = $1${this.forUpdate}`, [id]);
      if (!rows[0]) return false;
      // Children before parents (outbox rows reference changes, everything references portals).
      for (const table of [
        'outbox',
        'alert_deliveries',
        'changes',
        'portal_status',
        'inbound_messages',
        'sync_error_reports',
        'alert_targets',
        'portal_mailboxes',
        'portal_hubspot',
      ]) {
        await tx.execute(`DELETE FROM ${table} WHERE portal_id = $1`, [id]);
      }
      await tx.execute('DELETE FROM portals WHERE id = $1', [id]);
      if (tx.dialect === 'postgres')
        await tx.query('SELECT pg_notify($1, $2)', [
          this.channel,
          JSON.stringify({ origin: this.origin, portalId: id, changeId: 0, deleted: true }),
        ]);
      return true;
    });
    // After the commit, like every cache write here. Also when there was nothing to delete: a
    // cached "never reported" (null) status of an id that is not a portal must not stay either.
    this.forgetPortal(id);
    return deleted;
  }

  /** Drops what this process keeps in memory of a portal (deleted here or by another instance). */
  private forgetPortal(id: string): void {
    this.statusCache.delete(id);
    this.lastComputed.delete(id);
    this.statusesByChange.forgetPortal(id);
  }

  async recordSignal(received: Signal, receivedAt: Date = new Date()): Promise<RecordResult> {
    const signal = withStoredText(received);
    const deletions = this.deletions;
    const result = await forPortal(signal.portalId, this.recordInTransaction(signal, receivedAt));
    // After the commit: the caches never show what a rolled-back transaction wrote, nor what a
    // portal deleted meanwhile had (its deletion may have committed with this signal and forgotten
    // the portal before this line runs).
    if (this.deletions !== deletions) this.forgetPortal(signal.portalId);
    else if (!result.duplicate) {
      this.statusesByChange.set(result.change.id, result.status);
      if (this.cacheStatus) this.statusCache.set(signal.portalId, result.status);
    }
    return result;
  }

  /**
   * The whole status a portal_status row stands for. Rows written before migration 5 hold it
   * whole; newer ones hold the head, whose history is read up to the row's change (so a change
   * committed in between cannot mix in), unless `known` already has that change's status.
   */
  private async statusOfRow(
    db: SqlDb,
    portalId: string,
    row: { status: string; change_id: unknown },
    known?: RelayedStatus,
  ): Promise<RelayedStatus | null> {
    if (row.status === 'null') return null;
    if (row.change_id === null || row.change_id === undefined)
      return JSON.parse(row.status) as RelayedStatus;
    const changeId = Number(row.change_id);
    return (
      known ??
      this.statusesByChange.get(changeId) ??
      withHistory(db, portalId, changeId, row.status)
    );
  }

  /** The portal's status as its locked row holds it: what this process computed last, when the row still names that change. */
  private currentStatus(
    tx: SqlDb,
    portalId: string,
    row: { status: string; change_id: unknown },
  ): Promise<RelayedStatus | null> {
    const last = this.lastComputed.get(portalId);
    return this.statusOfRow(
      tx,
      portalId,
      row,
      last && last.changeId === Number(row.change_id) ? last.status : undefined,
    );
  }

  private recordInTransaction(signal: Signal, receivedAt: Date): Promise<RecordResult> {
    return this.db.transaction(async (tx) => {
      // Lock the portal's status row first: concurrent signals of one portal apply one at a time.
      const lockRow = () =>
        tx.query<{ status: string; change_id: unknown }>(
          `SELECT status, change_id FROM portal_status WHERE portal_id = $1${this.forUpdate}`,
          [signal.portalId],
        );
      let statusRows = await lockRow();
      if (!statusRows[0]) {
        // The portal's first signal (ON CONFLICT: two first signals at once on PostgreSQL).
        await tx.execute(
          `INSERT INTO portal_status (portal_id, status, version, updated_at) VALUES ($1, 'null', 0, $2) ON CONFLICT (portal_id) DO NOTHING`,
          [signal.portalId, receivedAt.getTime()],
        );
        statusRows = await lockRow();
      }
      const previous = await this.currentStatus(tx, signal.portalId, statusRows[0]!);
      // The (portal_id, source, event_id) unique key decides idempotency: a redelivered eventId
      // inserts nothing (no row returned) and the change stored the first time is answered. Per
      // source (migration 7), so an eventId a client chooses can never match the ids the relay
      // makes for e-mails (`email:<Message-ID>`) or the detector (`detector:...`).
      const inserted = await tx.query(
        `INSERT INTO changes (portal_id, event_id, source, state, reason, title, excerpt, occurred_at, received_at, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
        [
          signal.portalId,
          signal.eventId,
          signal.source,
          signal.state,
          signal.reason,
          signal.title,
          signal.excerpt,
          signal.occurredAt,
          receivedAt.getTime(),
          signal.detail ? JSON.stringify(signal.detail) : null,
        ],
      );
      if (!inserted[0]) {
        const seen = await tx.query(
          'SELECT * FROM changes WHERE portal_id = $1 AND source = $2 AND event_id = $3',
          [signal.portalId, signal.source, signal.eventId],
        );
        if (!seen[0])
          throw new Error(`change of portal ${signal.portalId} was neither stored nor found`);
        return {
          duplicate: true,
          change: toChange(seen[0]),
          status: previous ?? applySignal(null, signal),
        };
      }
      // What was just stored, without reading it back.
      const change: ChangeRecord = {
        id: Number(inserted[0].id),
        portalId: signal.portalId,
        eventId: signal.eventId,
        source: signal.source,
        state: signal.state,
        reason: signal.reason,
        title: signal.title,
        excerpt: signal.excerpt,
        occurredAt: signal.occurredAt,
        receivedAt: receivedAt.toISOString(),
        detail: signal.detail ?? null,
      };
      const status = applySignal(previous, signal);
      // The head only, for both rows (statusRows.ts): the history is the changes table's.
      const head = headJson(status);
      await tx.execute(
        `UPDATE portal_status SET status = $2, change_id = $3, version = version + 1, updated_at = $4 WHERE portal_id = $1`,
        [signal.portalId, head, change.id, receivedAt.getTime()],
      );
      await tx.execute(
        `INSERT INTO outbox (portal_id, change_id, payload, state, attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, 'pending', 0, $4, $4)`,
        [signal.portalId, change.id, head, receivedAt.getTime()],
      );
      if (this.lastComputed.size > 10_000) this.lastComputed.clear();
      this.lastComputed.set(signal.portalId, { changeId: change.id, status });
      if (tx.dialect === 'postgres') {
        // Delivered to listeners when (and only if) this transaction commits.
        await tx.query('SELECT pg_notify($1, $2)', [
          this.channel,
          JSON.stringify({ origin: this.origin, portalId: signal.portalId, changeId: change.id }),
        ]);
      }
      return { duplicate: false, change, status };
    });
  }

  async getChange(portalId: string, id: number): Promise<ChangeRecord | null> {
    const rows = await this.db.query('SELECT * FROM changes WHERE portal_id = $1 AND id = $2', [
      portalId,
      id,
    ]);
    return rows[0] ? toChange(rows[0]) : null;
  }

  async getStatus(portalId: string): Promise<RelayedStatus | null> {
    if (this.cacheStatus && this.statusCache.has(portalId)) return this.statusCache.get(portalId)!;
    const deletions = this.deletions;
    // Through the portal, so a configured portal that has never been reported on is told from an
    // unknown id: only the first is remembered (a flood of unknown ids must not grow the map).
    const rows = await this.db.query<{ status: string | null; change_id: unknown }>(
      'SELECT s.status, s.change_id FROM portals p LEFT JOIN portal_status s ON s.portal_id = p.id WHERE p.id = $1',
      [portalId],
    );
    const row = rows[0];
    const status =
      !row || row.status === null
        ? null
        : await this.statusOfRow(this.db, portalId, {
            status: row.status,
            change_id: row.change_id,
          });
    // Only fills a gap: a signal committed while this read was under way has already put its
    // newer status here (recordSignal writes after every commit), and must not be overwritten.
    if (this.cacheStatus && row && !this.statusCache.has(portalId) && this.deletions === deletions)
      this.statusCache.set(portalId, status);
    return status;
  }

  async changesWithStatus(
    portalId: string,
    ids: readonly number[],
  ): Promise<{ change: ChangeRecord; status: RelayedStatus | null }[]> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return [];
    const placeholders = wanted.map((_, i) => `$${i + 2}`).join(', ');
    // Each change's head is its outbox row's payload (written in the change's transaction).
    const rows = await this.db.query<Row & { payload: string | null }>(
      `SELECT c.*, o.payload FROM changes c LEFT JOIN outbox o ON o.change_id = c.id
       WHERE c.portal_id = $1 AND c.id IN (${placeholders}) ORDER BY c.id`,
      [portalId, ...wanted],
    );
    const changes = rows.map(toChange);
    const withHead = rows.flatMap((row, i) =>
      row.payload === null ? [] : [{ i, portalId, changeId: changes[i]!.id, payload: row.payload }],
    );
    const statuses = await this.statusesOfOutboxRows(this.db, withHead);
    const byIndex = new Map(withHead.map((row, k) => [row.i, statuses[k]!]));
    return changes.map((change, i) => ({ change, status: byIndex.get(i) ?? null }));
  }

  /** Whole statuses of outbox rows (history included), one history read per portal at most. */
  async statusesOfOutboxRows(
    db: SqlDb,
    rows: { portalId: string; changeId: number; payload: string }[],
  ): Promise<RelayedStatus[]> {
    const result: (RelayedStatus | undefined)[] = rows.map((r) =>
      this.statusesByChange.get(r.changeId),
    );
    const missing = new Map<string, number[]>();
    rows.forEach((r, i) => {
      if (result[i] === undefined) missing.set(r.portalId, [...(missing.get(r.portalId) ?? []), i]);
    });
    for (const [portalId, indexes] of missing) {
      const statuses = await withHistories(
        db,
        portalId,
        indexes.map((i) => ({ changeId: rows[i]!.changeId, stored: rows[i]!.payload })),
      );
      indexes.forEach((i, k) => {
        result[i] = statuses[k]!;
        this.statusesByChange.set(rows[i]!.changeId, statuses[k]!);
      });
    }
    return result as RelayedStatus[];
  }

  async listChanges(
    portalId: string,
    options: { cursor?: string | null; limit: number },
  ): Promise<Page<ChangeRecord>> {
    const limit = pageLimit(options.limit);
    const before = decodeCursor(options.cursor);
    const rows = await this.db.query(
      `SELECT * FROM changes WHERE portal_id = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3`,
      [portalId, before ?? 0, limit + 1],
    );
    return page(rows.map(toChange), limit);
  }

  async listChangesAfter(
    portalId: string,
    afterId: number,
    limit: number,
  ): Promise<ChangeRecord[]> {
    const rows = await this.db.query(
      `SELECT * FROM changes WHERE portal_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [portalId, afterId, limit],
    );
    return rows.map(toChange);
  }

  async saveInboundMessage(message: InboundMessageRecord): Promise<number> {
    const rows = await forPortal(
      message.portalId,
      this.db.query<{ id: unknown }>(
        `INSERT INTO inbound_messages (portal_id, message_id, subject, raw, truncated, size_bytes, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          message.portalId,
          message.messageId,
          message.subject,
          message.raw,
          message.truncated ? 1 : 0,
          message.sizeBytes,
          Date.now(),
        ],
      ),
    );
    return Number(rows[0]!.id);
  }

  async saveSyncErrorReport(
    portalId: string,
    report: Record<string, unknown>,
  ): Promise<SyncErrorReportRecord> {
    const now = Date.now();
    const rows = await forPortal(
      portalId,
      this.db.query<{ id: unknown }>(
        `INSERT INTO sync_error_reports (portal_id, received_at, report) VALUES ($1, $2, $3) RETURNING id`,
        [portalId, now, JSON.stringify(report)],
      ),
    );
    return { id: Number(rows[0]!.id), portalId, receivedAt: iso(now), report };
  }

  async latestSyncErrorReport(portalId: string): Promise<SyncErrorReportRecord | null> {
    const rows = await this.db.query(
      `SELECT * FROM sync_error_reports WHERE portal_id = $1 ORDER BY id DESC LIMIT 1`,
      [portalId],
    );
    const row = rows[0];
    return row
      ? {
          id: Number(row.id),
          portalId,
          receivedAt: iso(row.received_at),
          report: JSON.parse(String(row.report)),
        }
      : null;
  }

  async claimDeliveries(
    owner: string,
    options: { leaseMs: number; limit: number; perPortal?: number; now?: Date },
  ): Promise<ClaimedDelivery[]> {
    const now = (options.now ?? new Date()).getTime();
    const perPortal = Math.max(1, options.perPortal ?? 1);
    return this.db.transaction(async (tx) => {
      // Only the oldest pending delivery of a portal is eligible, so a portal's changes arrive
      // in order even while an earlier one waits for its retry. SKIP LOCKED lets several
      // PostgreSQL instances claim different portals at once; SQLite's write lock serialises.
      const skipLocked = tx.dialect === 'postgres' ? ' FOR UPDATE OF o SKIP LOCKED' : '';
      // Each portal's head by one index seek (MIN over outbox_portal_pending's (portal_id, state)
      // prefix): the cost grows with the number of portals, not with the backlog. A GROUP BY over
      // every pending row took milliseconds per round once thousands were queued (Salesforce
      // down, or a burst).
      const heads = await tx.query<{ id: unknown; portal_id: unknown }>(
        `SELECT o.id, o.portal_id FROM portals p
         JOIN outbox o ON o.id = (SELECT MIN(h.id) FROM outbox h WHERE h.state = 'pending' AND h.portal_id = p.id)
         WHERE o.next_attempt_at <= $1 AND (o.lease_until IS NULL OR o.lease_until < $1)
         ORDER BY o.id LIMIT $2${skipLocked}`,
        [now, options.limit],
      );
      const claimed: ClaimedDelivery[] = [];
      for (const head of heads) {
        // The head and the changes queued right behind it, in order, as long as each is due and
        // unleased: one claim for a run of a backlog, delivered one by one by the same owner.
        const queue = await tx.query<{
          id: unknown;
          next_attempt_at: unknown;
          lease_until: unknown;
        }>(
          `SELECT id, next_attempt_at, lease_until FROM outbox WHERE portal_id = $1 AND state = 'pending' AND id >= $2 ORDER BY id LIMIT $3`,
          [String(head.portal_id), Number(head.id), perPortal],
        );
        const ids: number[] = [];
        for (const row of queue) {
          if (
            Number(row.next_attempt_at) > now ||
            (row.lease_until !== null && Number(row.lease_until) >= now)
          )
            break;
          ids.push(Number(row.id));
        }
        if (ids.length === 0) continue;
        const placeholders = ids.map((_, i) => `$${i + 4}`).join(', ');
        const rows = await tx.query(
          `UPDATE outbox${byIdsOnly(tx)} SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
           WHERE state = 'pending' AND (lease_until IS NULL OR lease_until < $3) AND id IN (${placeholders}) RETURNING *`,
          [owner, now + options.leaseMs, now, ...ids],
        );
        rows.sort((a, b) => Number(a.id) - Number(b.id));
        const statuses = await this.statusesOfOutboxRows(
          tx,
          rows.map((row) => ({
            portalId: String(row.portal_id),
            changeId: Number(row.change_id),
            payload: String(row.payload),
          })),
        );
        rows.forEach((row, i) => claimed.push({ ...toDelivery(row), status: statuses[i]! }));
      }
      return claimed;
    });
  }

  async renewLeases(ids: number[], owner: string, leaseMs: number): Promise<number> {
    if (ids.length === 0) return 0;
    const placeholders = ids.map((_, i) => `$${i + 3}`).join(', ');
    return this.db.execute(
      `UPDATE outbox${byIdsOnly(this.db)} SET lease_until = $2 WHERE lease_owner = $1 AND state = 'pending' AND id IN (${placeholders})`,
      [owner, Date.now() + leaseMs, ...ids],
    );
  }

  async releaseDeliveries(ids: number[], owner: string): Promise<number> {
    if (ids.length === 0) return 0;
    const placeholders = ids.map((_, i) => `$${i + 2}`).join(', ');
    // Not attempted after all: the claim's attempt is taken back.
    return this.db.execute(
      `UPDATE outbox${byIdsOnly(this.db)} SET lease_owner = NULL, lease_until = NULL, attempts = attempts - 1 WHERE lease_owner = $1 AND state = 'pending' AND id IN (${placeholders})`,
      [owner, ...ids],
    );
  }

  async completeDelivery(
    id: number,
    owner: string,
    result: Record<string, unknown>,
    sentWithVersion?: number,
  ): Promise<boolean> {
    // One rule for one delivery and for a run (recordDeliveredRun), in one transaction.
    return (await this.completeDeliveries(owner, [{ id, result }], sentWithVersion)).length > 0;
  }

  async completeDeliveries(
    owner: string,
    items: ReadonlyArray<{ id: number; result: Record<string, unknown> }>,
    sentWithVersion?: number,
  ): Promise<number[]> {
    if (items.length === 0) return [];
    // In id order, an id given twice recorded with its first result (as one by one would).
    const byId = new Map<number, Record<string, unknown>>();
    for (const item of [...items].sort((a, b) => a.id - b.id))
      if (!byId.has(item.id)) byId.set(item.id, item.result);
    const sorted = [...byId];
    return this.db.transaction(async (tx) => {
      const now = Date.now();
      const recorded: number[] = [];
      for (let start = 0; start < sorted.length; start += COMPLETE_CHUNK)
        recorded.push(
          ...(await this.recordDeliveredRun(
            tx,
            sorted.slice(start, start + COMPLETE_CHUNK),
            owner,
            now,
            sentWithVersion ?? null,
          )),
        );
      return recorded;
    });
  }

  /**
   * Records a run of deliveries (in id order; one delivery is a run of one) in two statements,
   * whatever its length: two statements per delivery, 400 per batch of 200, had cost the outbox
   * twice the CPU (2.2 ms a batch instead of 4.9 to 5.9 ms on SQLite), CPU the request paths lose
   * while it drains a backlog (docs/relay-performance.md).
   * The same rows end the same way: each delivery still this owner's is recorded with its own
   * result, and each failed delivery of its portal before it is superseded by the first recorded
   * one after it (the one that, one by one, would have come first). Answers the ids recorded.
   */
  private async recordDeliveredRun(
    tx: SqlDb,
    run: ReadonlyArray<[id: number, result: Record<string, unknown>]>,
    owner: string,
    now: number,
    sentWithVersion: number | null,
  ): Promise<number[]> {
    // The ids by list (with NOT INDEXED: looked up by rowid), each row's result picked by a CASE
    // on its id. Cheaper on SQLite than joining a VALUES list (UPDATE ... FROM), whose cost grew
    // with the table. The CASTs give PostgreSQL the parameters' types.
    const ids = run.map((_, i) => `CAST($${2 * i + 3} AS BIGINT)`);
    const results = run.map((_, i) => `WHEN ${ids[i]} THEN CAST($${2 * i + 4} AS TEXT)`);
    const version = `CAST($${2 * run.length + 3} AS INTEGER)`;
    const rows = await tx.query<{ id: unknown; portal_id: unknown; change_id: unknown }>(
      `UPDATE outbox${byIdsOnly(tx)} SET state = 'delivered', delivered_at = $1, result = CASE id ${results.join(' ')} END,
         delivered_version = ${version}, lease_owner = NULL, lease_until = NULL, last_error = NULL
       WHERE id IN (${ids.join(', ')}) AND lease_owner = $2 AND state = 'pending'
       RETURNING id, portal_id, change_id`,
      [now, owner, ...run.flatMap(([id, result]) => [id, JSON.stringify(result)]), sentWithVersion],
    );
    if (rows.length === 0) return [];
    const done = rows
      .map((row) => ({
        id: Number(row.id),
        portalId: String(row.portal_id),
        changeId: Number(row.change_id),
      }))
      .sort((a, b) => a.id - b.id);
    // Salesforce now holds each recorded change's status, whose history has the portal's earlier
    // changes: a failed delivery before it (given up) needs nobody any more, and re-queued it would
    // put an older status over the newer one. Each is recorded as delivered by the first recorded
    // change of its portal after it, its lastError kept. Only the recorded ids are passed: the JSON a superseded row gets is built from the recorded
    // row's change_id, as JSON.stringify({ supersededBy }) would write it. The subqueries are
    // evaluated only for the portal's failed rows, usually none.
    const portals = [...new Set(done.map((d) => d.portalId))];
    const portalList = portals.map((_, i) => `$${i + 3}`).join(', ');
    const idList = done.map((_, i) => `$${portals.length + i + 3}`).join(', ');
    const after = `FROM outbox r WHERE r.id IN (${idList}) AND r.portal_id = outbox.portal_id AND r.id > outbox.id`;
    await tx.execute(
      `UPDATE outbox SET state = 'delivered', delivered_at = $1,
         result = (SELECT '{"supersededBy":' || CAST(r.change_id AS TEXT) || '}' ${after} ORDER BY r.id LIMIT 1)
       WHERE state = 'failed' AND id < $2 AND portal_id IN (${portalList}) AND EXISTS (SELECT 1 ${after})`,
      [now, done[done.length - 1]!.id, ...portals, ...done.map((d) => d.id)],
    );
    return done.map((d) => d.id);
  }

  async resendLatest(
    portalId: string,
    options: { at: Date; sentWithVersion?: number },
  ): Promise<boolean> {
    const changed = await this.db.execute(
      `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, last_error = $3,
         lease_owner = NULL, lease_until = NULL, delivered_version = NULL
       WHERE id = (SELECT MAX(o.id) FROM outbox o WHERE o.portal_id = $1) AND state = 'delivered'
         AND EXISTS (SELECT 1 FROM portals p WHERE p.id = $1 AND p.salesforce IS NOT NULL
           AND (COALESCE(outbox.delivered_version, $4) < 0
             OR p.salesforce_version <> COALESCE(outbox.delivered_version, $4)))`,
      [portalId, options.at.getTime(), RESEND, options.sentWithVersion ?? -1],
    );
    return changed > 0;
  }

  async failDelivery(
    id: number,
    owner: string,
    error: string,
    retryAt: Date | null,
  ): Promise<boolean> {
    const changed = await this.db.execute(
      `UPDATE outbox SET state = $3, next_attempt_at = $4, last_error = $5, lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2 AND state = 'pending'`,
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

  async awaitConnection(id: number, owner: string, error: string, retryAt: Date): Promise<boolean> {
    // One statement reads the portal and parks the delivery, so a connection committed before it
    // is seen here (the delivery stays pending), and one committed after it re-queues what it parked.
    return this.db.transaction(async (tx) => {
      // PostgreSQL: the portal's row first, as updatePortal and deletePortal lock it. The
      // statement reads the portal with the snapshot it starts with; when it then waits for the
      // delivery's row, a connection set meanwhile and the re-queue after it (which finds the
      // delivery still pending) both passed it by, and it parked the delivery for a portal that
      // has a connection: its later changes went first, and it, resumed later, put the older
      // status over them. Holding the portal's row, a connection is set before this (seen) or
      // after it (and re-queues what it parked). SQLite's write lock serialises already.
      if (tx.dialect === 'postgres')
        await tx.query(
          `SELECT 1 FROM portals WHERE id = (SELECT portal_id FROM outbox WHERE id = $1) FOR SHARE`,
          [id],
        );
      const changed = await tx.execute(
        `UPDATE outbox SET
           state = CASE WHEN EXISTS (SELECT 1 FROM portals p WHERE p.id = outbox.portal_id AND p.salesforce IS NULL) THEN 'waitingForConnection' ELSE 'pending' END,
           next_attempt_at = CASE WHEN EXISTS (SELECT 1 FROM portals p WHERE p.id = outbox.portal_id AND p.salesforce IS NULL) THEN CAST($4 AS BIGINT) ELSE CAST($5 AS BIGINT) END,
           attempts = attempts - 1, last_error = $3, lease_owner = NULL, lease_until = NULL
         WHERE id = $1 AND lease_owner = $2 AND state = 'pending'`,
        [id, owner, error.slice(0, 2000), Date.now(), retryAt.getTime()],
      );
      return changed > 0;
    });
  }

  async resumeWaitingDeliveries(portalId?: string): Promise<number> {
    return this.db.execute(
      `UPDATE outbox SET state = 'pending', next_attempt_at = $1
       WHERE state = 'waitingForConnection' AND portal_id IN (SELECT id FROM portals WHERE salesforce IS NOT NULL AND ($2 = '' OR id = $2))`,
      [Date.now(), portalId ?? ''],
    );
  }

  async retryFailedDeliveries(portalId: string): Promise<number> {
    // Each delivery carries the whole status right after its change (history included), and the
    // head of a portal is its oldest pending delivery. A failed delivery with a later change
    // delivered or queued behind it is superseded: sent again it would be delivered next and put
    // an older status over the newer one in Salesforce. It is recorded as delivered by that later
    // change (result.supersededBy, its lastError kept); only the failed deliveries newer than
    // everything else of the portal are re-queued, in order.
    const newer = `FROM outbox n WHERE n.portal_id = outbox.portal_id AND n.id > outbox.id AND n.state <> 'failed'`;
    return this.db.transaction(async (tx) => {
      const now = Date.now();
      await tx.execute(
        `UPDATE outbox SET state = 'delivered', delivered_at = $2, lease_owner = NULL, lease_until = NULL,
           result = '{"supersededBy":' || (SELECT MIN(n.change_id) ${newer}) || '}'
         WHERE portal_id = $1 AND state = 'failed' AND EXISTS (SELECT 1 ${newer})`,
        [portalId, now],
      );
      return tx.execute(
        `UPDATE outbox SET state = 'pending', next_attempt_at = $2, attempts = 0 WHERE portal_id = $1 AND state = 'failed'`,
        [portalId, now],
      );
    });
  }

  async listDeliveries(
    portalId: string,
    options: { cursor?: string | null; limit: number; state?: DeliveryState },
  ): Promise<Page<DeliveryRecord>> {
    const limit = pageLimit(options.limit);
    const before = decodeCursor(options.cursor);
    const rows = await this.db.query(
      `SELECT * FROM outbox WHERE portal_id = $1 AND ($2 = 0 OR id < $2) AND ($3 = '' OR state = $3) ORDER BY id DESC LIMIT $4`,
      [portalId, before ?? 0, options.state ?? '', limit + 1],
    );
    return page(rows.map(toDelivery), limit);
  }

  async countDeliveries(): Promise<Record<DeliveryState, number>> {
    const rows = await this.db.query<{ state: string; n: unknown }>(OUTBOX_COUNTS_SQL);
    const counts: Record<DeliveryState, number> = {
      pending: 0,
      delivered: 0,
      failed: 0,
      waitingForConnection: 0,
    };
    let all = 0;
    let undelivered = 0;
    for (const row of rows) {
      if (row.state === '*') all = Number(row.n);
      else {
        counts[row.state as DeliveryState] = Number(row.n);
        undelivered += Number(row.n);
      }
    }
    counts.delivered = Math.max(0, all - undelivered);
    return counts;
  }

  async oldestUndelivered(): Promise<Partial<Record<UndeliveredState, number>>> {
    const rows = await this.db.query<{ state: string; oldest: unknown }>(OLDEST_UNDELIVERED_SQL);
    const oldest: Partial<Record<UndeliveredState, number>> = {};
    for (const row of rows) oldest[row.state as UndeliveredState] = Number(row.oldest);
    return oldest;
  }

  async portalStates(): Promise<Record<string, Signal['state'] | null>> {
    // Only the stored head's state is wanted: no history is read.
    const rows = await this.db.query<{ id: string; status: string | null }>(
      'SELECT p.id, s.status FROM portals p LEFT JOIN portal_status s ON s.portal_id = p.id',
    );
    const states: Record<string, Signal['state'] | null> = {};
    for (const row of rows)
      states[row.id] =
        row.status === null || row.status === 'null' ? null : parseStored(row.status).state;
    return states;
  }
}
