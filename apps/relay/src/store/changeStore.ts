import type { RelayedStatus } from '@sync-doctor/core';
import { applySignal, type Signal } from '../domain/signal.js';
import { replaceNul, type SqlDb } from './sqlDb.js';
import { headJson, parseStored, withHistory } from './statusRows.js';
import { SqlOutboxStore } from './outboxStore.js';
import { decodeCursor, forPortal, page, pageLimit, toChange, type Row } from './sqlRows.js';
import type { ChangeRecord, Page, RecordResult } from './types.js';

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

/**
 * Signals and status: each signal stored as a change with the portal's new status and its outbox
 * entry in one transaction (signed ingestion), the current status (GET state, kept in memory on
 * SQLite), and the change history read back (pages, streams).
 */
export class SqlChangeStore extends SqlOutboxStore {
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
