import { AUTO_RETRY_NOTE } from '../domain/retry.js';
import type { SqlDb } from './sqlDb.js';
import { SqlInboundStore } from './inboundStore.js';
import { decodeCursor, page, pageLimit, toDelivery } from './sqlRows.js';
import type {
  ClaimedDelivery,
  DeliveryRecord,
  DeliveryState,
  Page,
  SyncErrorsCarriage,
  UndeliveredState,
} from './types.js';

/**
 * A portal's failed deliveries back to pending, as the retry route and the automatic re-queue both
 * do it. Each delivery carries the whole status right after its change (history included), and the
 * head of a portal is its oldest pending delivery: a failed delivery with a later change delivered
 * or queued behind it is superseded (sent again it would put an older status over the newer one in
 * Salesforce), so it is recorded as delivered by that later change (result.supersededBy, its
 * lastError kept); only the failed deliveries newer than everything else are re-queued, in order.
 * `recovery`: how the automatic re-queue's own columns change; `lastError`: the note each gets.
 */
async function requeueFailed(
  tx: SqlDb,
  portalId: string,
  recovery: string,
  lastError: (previous: string | null) => string | null,
): Promise<number> {
  const now = Date.now();
  const newer = `FROM outbox n WHERE n.portal_id = outbox.portal_id AND n.id > outbox.id AND n.state <> 'failed'`;
  await tx.execute(
    `UPDATE outbox SET state = 'delivered', delivered_at = $2, lease_owner = NULL, lease_until = NULL,
       result = '{"supersededBy":' || (SELECT MIN(n.change_id) ${newer}) || '}'
     WHERE portal_id = $1 AND state = 'failed' AND EXISTS (SELECT 1 ${newer})`,
    [portalId, now],
  );
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const failed = await tx.query<{ id: unknown; last_error: unknown }>(
    `SELECT id, last_error FROM outbox WHERE portal_id = $1 AND state = 'failed' ORDER BY id${lock}`,
    [portalId],
  );
  let requeued = 0;
  for (const f of failed)
    requeued += await tx.execute(
      `UPDATE outbox SET state = 'pending', next_attempt_at = $2, attempts = 0, recover_at = NULL,
         ${recovery}, last_error = $3
       WHERE id = $1 AND state = 'failed'`,
      [Number(f.id), now, lastError(f.last_error === null ? null : String(f.last_error))],
    );
  return requeued;
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
/** How many changes are still to be delivered (`backup --check` says so of a copy). */
export const UNDELIVERED_COUNT_SQL = `SELECT COUNT(*) AS n FROM outbox WHERE ${UNDELIVERED}`;
export const OLDEST_UNDELIVERED_SQL = `SELECT state, MIN(created_at) AS oldest FROM outbox WHERE ${UNDELIVERED} GROUP BY state`;

/**
 * The failed deliveries due for an automatic re-queue check, each its portal's newest. Failed rows
 * are few: read from the partial index of the undelivered rows, which SQLite uses only when the
 * query names its predicate (without it, every check walked the whole outbox, kept for good).
 */
export const DUE_RECOVERIES_SQL = `SELECT * FROM outbox o WHERE o.state = 'failed' AND o.${UNDELIVERED}
  AND o.recover_at IS NOT NULL AND o.recover_at <= $1
  AND o.id = (SELECT MAX(n.id) FROM outbox n WHERE n.portal_id = o.portal_id)
  ORDER BY o.recover_at, o.id LIMIT $2`;

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

/** What a delivery re-queued by carrySyncErrors shows until it is sent again. */
const RESEND_SYNC_ERRORS =
  "RESEND: HubSpot's sync errors were uploaded after this delivery; its status (the portal's current one) is sent again, carrying them";

/** The sync-errors report a delivered row carried (its result's syncErrorsReportId), 0 for none. */
function carriedReportId(result: unknown): number {
  let parsed: unknown = result;
  if (typeof result === 'string') {
    try {
      parsed = JSON.parse(result);
    } catch {
      return 0;
    }
  }
  const id = (parsed as { syncErrorsReportId?: unknown } | null)?.syncErrorsReportId;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : 0;
}

/**
 * The Salesforce outbox: one delivery per change, claimed under a lease by the head of each
 * portal (so a portal's changes arrive in order), recorded, retried, parked while the portal has
 * no connection, and counted for /health and /metrics.
 */
export class SqlOutboxStore extends SqlInboundStore {
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
    // Only the portals whose oldest pending delivery is one of these and still this owner's: a
    // run whose lease ran out and whose head another run took (one that claimed fewer changes)
    // must not record the changes behind it, or that run, sending the head after them, would put
    // the older status over the newer one in Salesforce and nothing would send the newer again.
    // Unrecorded, they are claimed again after the head, and the landed check (the status record's
    // newest entry) finds the head's status there and sends them again. Found once a portal
    // (its first pending row here, with none pending before it), not once a row: on PostgreSQL
    // the pending index keeps the entries of rows just delivered until vacuum, and a seek for
    // the head a row walked them, 9 ms more a batch of 200 while a backlog drained.
    const byIds = byIdsOnly(tx);
    const firsts = `SELECT MIN(f.id) FROM outbox f${byIds} WHERE f.id IN (${ids.join(', ')}) AND f.state = 'pending' GROUP BY f.portal_id`;
    const ourHeads = `SELECT h.portal_id FROM outbox h${byIds} WHERE h.id IN (${firsts}) AND h.lease_owner = $2
         AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.portal_id = h.portal_id AND e.state = 'pending' AND e.id < h.id)`;
    const rows = await tx.query<{ id: unknown; portal_id: unknown; change_id: unknown }>(
      `UPDATE outbox${byIds} SET state = 'delivered', delivered_at = $1, result = CASE id ${results.join(' ')} END,
         delivered_version = ${version}, lease_owner = NULL, lease_until = NULL, last_error = NULL
       WHERE id IN (${ids.join(', ')}) AND lease_owner = $2 AND state = 'pending' AND portal_id IN (${ourHeads})
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
         lease_owner = NULL, lease_until = NULL, delivered_version = NULL,
         recover_at = NULL, recover_since = NULL, recoveries = 0
       WHERE id = (SELECT MAX(o.id) FROM outbox o WHERE o.portal_id = $1) AND state = 'delivered'
         AND EXISTS (SELECT 1 FROM portals p WHERE p.id = $1 AND p.salesforce IS NOT NULL
           AND (COALESCE(outbox.delivered_version, $4) < 0
             OR p.salesforce_version <> COALESCE(outbox.delivered_version, $4)))`,
      [portalId, options.at.getTime(), RESEND, options.sentWithVersion ?? -1],
    );
    return changed > 0;
  }

  async carrySyncErrors(
    portalId: string,
    options: { carried?: number } = {},
  ): Promise<SyncErrorsCarriage | null> {
    return this.db.transaction(async (tx) => {
      const [latest] = await tx.query<{ id: unknown }>(
        `SELECT MAX(id) AS id FROM sync_error_reports WHERE portal_id = $1`,
        [portalId],
      );
      const reportId = latest?.id === null || latest?.id === undefined ? null : Number(latest.id);
      if (reportId === null || (options.carried !== undefined && reportId <= options.carried))
        return null;
      const [portal] = await tx.query<{ connected: unknown }>(
        `SELECT CASE WHEN salesforce IS NULL THEN 0 ELSE 1 END AS connected FROM portals WHERE id = $1`,
        [portalId],
      );
      if (!portal) return null;
      if (Number(portal.connected) === 0) return 'no-connection';
      // Locked on PostgreSQL: another caller waits, then finds it pending (re-queued here).
      const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
      const [newest] = await tx.query<{ id: unknown; state: unknown; result: unknown }>(
        `SELECT id, state, result FROM outbox WHERE id = (SELECT MAX(o.id) FROM outbox o WHERE o.portal_id = $1)${lock}`,
        [portalId],
      );
      if (!newest) return 'waits-for-first-status';
      if (newest.state === 'failed') return 'waits-for-retry';
      // Pending (or in flight: the delivery asks again once recorded, see OutcomeRecorder).
      if (newest.state !== 'delivered') return 'queued';
      if (carriedReportId(newest.result) >= reportId) return 'delivered';
      const requeued = await tx.execute(
        `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, last_error = $3,
           lease_owner = NULL, lease_until = NULL, delivered_version = NULL,
           recover_at = NULL, recover_since = NULL, recoveries = 0
         WHERE id = $1 AND state = 'delivered'`,
        [Number(newest.id), Date.now(), RESEND_SYNC_ERRORS],
      );
      return requeued > 0 ? 'queued' : 'delivered';
    });
  }

  async failDelivery(
    id: number,
    owner: string,
    error: string,
    retryAt: Date | null,
    recoverAt: Date | null = null,
  ): Promise<boolean> {
    const now = Date.now();
    const recover = !retryAt && recoverAt ? recoverAt.getTime() : null;
    // Given up with an automatic re-queue due, nextAttemptAt shows when the relay checks.
    const changed = await this.db.execute(
      `UPDATE outbox SET state = $3, next_attempt_at = $4, last_error = $5, lease_owner = NULL, lease_until = NULL,
         recover_at = CAST($6 AS BIGINT),
         recover_since = CASE WHEN CAST($6 AS BIGINT) IS NULL THEN recover_since ELSE COALESCE(recover_since, CAST($7 AS BIGINT)) END
       WHERE id = $1 AND lease_owner = $2 AND state = 'pending'`,
      [
        id,
        owner,
        retryAt ? 'pending' : 'failed',
        retryAt ? retryAt.getTime() : (recover ?? now),
        error.slice(0, 2000),
        recover,
        now,
      ],
    );
    return changed > 0;
  }

  async dueRecoveries(now: Date, limit: number): Promise<DeliveryRecord[]> {
    const rows = await this.db.query(DUE_RECOVERIES_SQL, [now.getTime(), limit]);
    return rows.map(toDelivery);
  }

  async claimRecoveryCheck(id: number, expectedRecoverAt: string, until: Date): Promise<boolean> {
    const changed = await this.db.execute(
      `UPDATE outbox SET recover_at = $3 WHERE id = $1 AND state = 'failed' AND recover_at = $2`,
      [id, Date.parse(expectedRecoverAt), until.getTime()],
    );
    return changed > 0;
  }

  async postponeRecovery(
    id: number,
    expectedRecoverAt: string,
    next: Date | null,
    error: string,
  ): Promise<boolean> {
    const changed = await this.db.execute(
      `UPDATE outbox SET recover_at = CAST($3 AS BIGINT), next_attempt_at = COALESCE(CAST($3 AS BIGINT), next_attempt_at), last_error = $4
       WHERE id = $1 AND state = 'failed' AND recover_at = $2`,
      [id, Date.parse(expectedRecoverAt), next ? next.getTime() : null, error.slice(0, 2000)],
    );
    return changed > 0;
  }

  async recoverRequeue(
    id: number,
    expectedRecoverAt: string,
    note: (previousError: string | null) => string,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      // The check and the re-queue in one transaction, the row locked on PostgreSQL: of two
      // instances (a lead changing hands) or a check racing a manual retry, one re-queues; the
      // other finds the row pending (PostgreSQL re-reads a locked row's WHERE once it is free).
      const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
      const [row] = await tx.query<{ portal_id: unknown }>(
        `SELECT portal_id FROM outbox WHERE id = $1 AND state = 'failed' AND recover_at = $2
           AND id = (SELECT MAX(n.id) FROM outbox n WHERE n.portal_id = outbox.portal_id)${lock}`,
        [id, Date.parse(expectedRecoverAt)],
      );
      if (!row) return 0;
      // As the retry route, with the re-queue's own count kept for the next give-up.
      return requeueFailed(tx, String(row.portal_id), 'recoveries = recoveries + 1', (previous) =>
        note(previous).slice(0, 2000),
      );
    });
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

  async resumeWaitingDeliveries(portalId?: string, options: { now?: Date } = {}): Promise<number> {
    const now = (options.now ?? new Date()).getTime();
    const parkedOf = (portal: string): string =>
      `state = 'waitingForConnection' AND portal_id IN (SELECT id FROM portals WHERE salesforce IS NOT NULL AND (${portal} = '' OR id = ${portal}))`;
    const parked = parkedOf('$2');
    const later = `FROM outbox n WHERE n.portal_id = outbox.portal_id AND n.id > outbox.id`;
    return this.db.transaction(async (tx) => {
      // PostgreSQL: the later pending changes' rows first, in id order. A claim that took one as
      // its portal's head holds its row until its lease commits; unlocked, the statements below
      // read before that commit, found the change unleased and resumed this one beside it (two
      // heads: the later change sent, refused by the head rule, and sent again after this one).
      // Waiting here, they see the lease; a claim that comes after skips the locked rows, as
      // SKIP LOCKED does, and finds this one pending. SQLite's write lock serialises already.
      if (tx.dialect === 'postgres')
        await tx.query(
          `SELECT n.id FROM outbox n
           JOIN (SELECT portal_id, MIN(id) AS first FROM outbox WHERE ${parkedOf('$1')} GROUP BY portal_id) w
             ON n.portal_id = w.portal_id
           WHERE n.state = 'pending' AND n.id > w.first ORDER BY n.id FOR UPDATE OF n`,
          [portalId ?? ''],
        );
      // A later change may have been claimed while this one waited, and found the connection set
      // by the time it looked. Sent and recorded, its status (whose history has this one) is in
      // Salesforce: this one, resumed, would put an older status over it, so it is superseded,
      // as a failed one is (requeueFailed). Still in flight, it holds its portal: this one,
      // resumed, would be a second head beside it, free to land after it; it waits for the next
      // sweep (the outbox worker's), which finds the later one recorded, or given back.
      await tx.execute(
        `UPDATE outbox SET state = 'delivered', delivered_at = $1,
           result = (SELECT '{"supersededBy":' || CAST(MIN(n.change_id) AS TEXT) || '}' ${later} AND n.state = 'delivered')
         WHERE ${parked} AND EXISTS (SELECT 1 ${later} AND n.state = 'delivered')`,
        [now, portalId ?? ''],
      );
      return tx.execute(
        `UPDATE outbox SET state = 'pending', next_attempt_at = $1
         WHERE ${parked} AND NOT EXISTS (SELECT 1 ${later} AND n.state = 'pending' AND n.lease_until >= $1)`,
        [now, portalId ?? ''],
      );
    });
  }

  async retryFailedDeliveries(portalId: string): Promise<number> {
    // A fresh start, as resendLatest's: the automatic re-queue's schedule (recover_since,
    // recover_at, recoveries) and its [AUTO-RETRY …] note go. Kept, a later outage of the
    // delivery measured from the old recover_since, found RELAY_OUTBOX_RECOVERY_FOR_MS passed
    // and never re-queued it again, and lastError still said to re-queue by hand.
    return this.db.transaction((tx) =>
      requeueFailed(tx, portalId, 'recover_since = NULL, recoveries = 0', (previous) =>
        previous === null ? null : previous.replace(AUTO_RETRY_NOTE, ''),
      ),
    );
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
}
