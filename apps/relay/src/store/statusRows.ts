import { STATUS_FIELD_LIMITS, type RelayedStatus, type StatusChange } from '@sync-doctor/core';
import { historyEntryOf, type Signal } from '../domain/signal.js';
import type { SqlDb } from './sqlDb.js';

// How a status is kept (migration 5). A status is its head (state, reason, since, ...) plus a
// history of its portal's newest changes, and every change is already a row of `changes`. So the
// status row and each outbox row hold only the head (a few hundred bytes), and the history is
// read back from `changes` (newest first, up to the change in question) when a whole status is
// needed. Writing the history with every change cost two ~6 KB writes per signal.
// Rows written before migration 5 hold the whole status, history included; it is the same
// history, so they are read as they are.

const HISTORY_ENTRIES = STATUS_FIELD_LIMITS.historyEntries;

/** The stored form of a status: everything but its history. */
export function headJson(status: RelayedStatus): string {
  const { portalId, state, reason, title, since, lastSeenAt, clearedAt, source, excerpt } = status;
  // `satisfies` makes a new field of RelayedStatus a compile error here until it is stored too.
  const head = {
    portalId,
    state,
    reason,
    title,
    since,
    lastSeenAt,
    clearedAt,
    source,
    excerpt,
  } satisfies Omit<RelayedStatus, 'history'>;
  return JSON.stringify(head);
}

/** A stored head (or a whole status written before migration 5). */
export function parseStored(text: string): RelayedStatus | Omit<RelayedStatus, 'history'> {
  return JSON.parse(text) as RelayedStatus | Omit<RelayedStatus, 'history'>;
}

const isWhole = (status: RelayedStatus | Omit<RelayedStatus, 'history'>): status is RelayedStatus =>
  Array.isArray((status as RelayedStatus).history);

type HistoryRow = {
  id: unknown;
  occurred_at: unknown;
  state: unknown;
  reason: unknown;
  source: unknown;
  title: unknown;
};

const HISTORY_SQL = `SELECT id, occurred_at, state, reason, source, title FROM changes WHERE portal_id = $1 AND id <= $2 ORDER BY id DESC LIMIT $3`;

const entryOf = (row: HistoryRow): StatusChange =>
  historyEntryOf({
    occurredAt: String(row.occurred_at),
    state: String(row.state) as Signal['state'],
    reason: (row.reason === null ? null : String(row.reason)) as Signal['reason'],
    source: String(row.source) as Signal['source'],
    title: row.title === null ? null : String(row.title),
  });

/** The portal's newest changes up to `changeId`, newest first, as history entries (with their ids). */
async function historyRows(
  db: SqlDb,
  portalId: string,
  changeId: number,
  limit: number,
): Promise<{ id: number; entry: StatusChange }[]> {
  const rows = await db.query<HistoryRow>(HISTORY_SQL, [portalId, changeId, limit]);
  return rows.map((row) => ({ id: Number(row.id), entry: entryOf(row) }));
}

/** The whole status of a stored head as it was right after change `changeId`. */
export async function withHistory(
  db: SqlDb,
  portalId: string,
  changeId: number,
  stored: string,
): Promise<RelayedStatus> {
  const parsed = parseStored(stored);
  if (isWhole(parsed)) return parsed;
  const rows = await historyRows(db, portalId, changeId, HISTORY_ENTRIES);
  return { ...parsed, history: rows.map((r) => r.entry) };
}

/**
 * Whole statuses for several stored heads of one portal with one query: the changes up to the
 * newest of them, enough for each one's history. A change missing from that read (not one of the
 * portal's consecutive changes) is read on its own.
 */
export async function withHistories(
  db: SqlDb,
  portalId: string,
  items: { changeId: number; stored: string }[],
): Promise<RelayedStatus[]> {
  const parsed = items.map((item) => ({ ...item, head: parseStored(item.stored) }));
  const needing = parsed.filter((p) => !isWhole(p.head));
  if (needing.length === 0) return parsed.map((p) => p.head as RelayedStatus);
  const newest = Math.max(...needing.map((p) => p.changeId));
  const limit = HISTORY_ENTRIES + needing.length - 1;
  const rows = await historyRows(db, portalId, newest, limit);
  const complete = rows.length < limit; // the portal has no older changes than these
  const position = new Map(rows.map((r, i) => [r.id, i]));
  // One after the other: `db` is often a transaction's one connection (the outbox's claim), and
  // queries sent to a pg client at once only queue in the driver, which pg 9 refuses.
  const statuses: RelayedStatus[] = [];
  for (const p of parsed) {
    if (isWhole(p.head)) {
      statuses.push(p.head);
      continue;
    }
    const at = position.get(p.changeId);
    statuses.push(
      at !== undefined && (complete || at + HISTORY_ENTRIES <= rows.length)
        ? { ...p.head, history: rows.slice(at, at + HISTORY_ENTRIES).map((r) => r.entry) }
        : await withHistory(db, portalId, p.changeId, p.stored),
    );
  }
  return statuses;
}

/**
 * Whole statuses by the change they followed. A status after a committed change never changes,
 * so this is safe to share across instances and needs no invalidation; only statuses of committed
 * changes may be put in it. Bounded: the oldest entries go first.
 */
export class StatusesByChange {
  private readonly entries = new Map<number, RelayedStatus>();

  constructor(private readonly capacity = 4096) {}

  get(changeId: number): RelayedStatus | undefined {
    return this.entries.get(changeId);
  }

  set(changeId: number, status: RelayedStatus): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(changeId, status);
  }

  /** Drops every status of a portal (it was deleted). */
  forgetPortal(portalId: string): void {
    for (const [changeId, status] of this.entries)
      if (status.portalId === portalId) this.entries.delete(changeId);
  }
}
