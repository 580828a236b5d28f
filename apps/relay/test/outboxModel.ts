/**
 * What the Salesforce outbox's store methods do, written as plain in-memory rules, for the
 * model-based test (outboxModel.contract.test.ts): the SQL of outboxStore.ts said once more, in the
 * simplest form, so a generated sequence of calls can be checked call by call against both
 * stores. Only what that test drives: record, claim, complete, fail, release, retry the failed,
 * park for want of a connection, set a connection, resume the parked, send the newest again.
 * Times are the test's own clock (ms); a row re-queued by retryFailedDeliveries is due at once
 * (the stores stamp it with the wall clock, behind the test's).
 */
export type ModelState = 'pending' | 'delivered' | 'failed' | 'waitingForConnection';

export interface ModelRow {
  id: number;
  portal: string;
  changeId: number;
  state: ModelState;
  attempts: number;
  dueAt: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
  /** The change whose delivery made this one needless (result.supersededBy), else null. */
  supersededBy: number | null;
}

/** The slice of a row that the test compares with the store's listDeliveries. */
export type RowView = Pick<ModelRow, 'id' | 'changeId' | 'state' | 'attempts' | 'supersededBy'>;

export class OutboxModel {
  private readonly rows: ModelRow[] = [];
  private readonly connected = new Set<string>();

  record(portal: string, id: number, changeId: number, at: number): void {
    const last = this.rows[this.rows.length - 1];
    if (last && id <= last.id) throw new Error(`outbox id ${id} is not after ${last.id}`);
    this.rows.push({
      id,
      portal,
      changeId,
      state: 'pending',
      attempts: 0,
      dueAt: at,
      leaseOwner: null,
      leaseUntil: null,
      supersededBy: null,
    });
  }

  /**
   * Each portal's oldest pending row, if due and unleased, in id order up to `limit`; with each,
   * the portal's pending rows right behind it, up to `perPortal`, while each is due and unleased.
   */
  claim(owner: string, at: number, leaseMs: number, limit: number, perPortal: number): number[] {
    const free = (row: ModelRow) =>
      row.dueAt <= at && (row.leaseUntil === null || row.leaseUntil < at);
    const heads = this.portals()
      .map((portal) => this.pendingOf(portal)[0])
      .filter((head): head is ModelRow => head !== undefined && free(head))
      .sort((a, b) => a.id - b.id)
      .slice(0, limit);
    const claimed: number[] = [];
    for (const head of heads) {
      for (const row of this.pendingOf(head.portal).slice(0, perPortal)) {
        if (!free(row)) break;
        row.leaseOwner = owner;
        row.leaseUntil = at + leaseMs;
        row.attempts += 1;
        claimed.push(row.id);
      }
    }
    return claimed;
  }

  /**
   * Records as delivered the rows still pending under this owner, of each portal whose oldest
   * pending row is one of them and this owner's; failed rows before them are superseded.
   */
  complete(owner: string, ids: readonly number[]): number[] {
    const ours = (row: ModelRow | undefined) =>
      row !== undefined && ids.includes(row.id) && row.leaseOwner === owner;
    const done = this.rows.filter(
      (row) => ours(row) && row.state === 'pending' && ours(this.pendingOf(row.portal)[0]),
    );
    for (const row of done) {
      row.state = 'delivered';
      row.leaseOwner = null;
      row.leaseUntil = null;
    }
    for (const row of this.rows) {
      if (row.state !== 'failed') continue;
      const after = done.find((d) => d.portal === row.portal && d.id > row.id);
      if (after) this.supersede(row, after.changeId);
    }
    return done.map((row) => row.id);
  }

  /** A retry at `retryAt` (pending again, due then) or, with null, given up (failed). */
  fail(owner: string, id: number, retryAt: number | null): boolean {
    const row = this.held(owner, id);
    if (!row) return false;
    row.state = retryAt === null ? 'failed' : 'pending';
    if (retryAt !== null) row.dueAt = retryAt;
    row.leaseOwner = null;
    row.leaseUntil = null;
    return true;
  }

  /** Given back unattempted: the claim's attempt is taken back. */
  release(owner: string, ids: readonly number[]): number {
    let released = 0;
    for (const id of ids) {
      const row = this.held(owner, id);
      if (!row) continue;
      row.leaseOwner = null;
      row.leaseUntil = null;
      row.attempts -= 1;
      released += 1;
    }
    return released;
  }

  /**
   * The retry route: a failed row with anything newer not failed is superseded by the oldest of
   * those; the rest of the portal's failed rows are pending again, due now, attempts from zero.
   */
  retryFailed(portal: string): number {
    const ofPortal = this.rows.filter((row) => row.portal === portal);
    for (const row of ofPortal) {
      if (row.state !== 'failed') continue;
      const newer = ofPortal.filter((n) => n.id > row.id && n.state !== 'failed');
      if (newer.length > 0) this.supersede(row, Math.min(...newer.map((n) => n.changeId)));
    }
    let requeued = 0;
    for (const row of ofPortal) {
      if (row.state !== 'failed') continue;
      row.state = 'pending';
      row.dueAt = 0;
      row.attempts = 0;
      requeued += 1;
    }
    return requeued;
  }

  /**
   * A worker found no connection for the row (its portal cache may be behind): parked until one
   * is set, or, when the portal has one now, pending again at `retryAt`. The attempt is taken back.
   */
  park(owner: string, id: number, retryAt: number): boolean {
    const row = this.held(owner, id);
    if (!row) return false;
    row.attempts -= 1;
    row.leaseOwner = null;
    row.leaseUntil = null;
    if (this.connected.has(row.portal)) row.dueAt = retryAt;
    else row.state = 'waitingForConnection';
    return true;
  }

  connect(portal: string): void {
    this.connected.add(portal);
  }

  /**
   * The parked rows of connected portals (of `portal` only, if named): superseded by the oldest
   * later change delivered, if any; else pending again, due `at`, unless a later change of the
   * portal is leased at `at` (in flight): then still parked.
   */
  resume(at: number, portal?: string): number {
    const parked = this.rows.filter(
      (row) =>
        row.state === 'waitingForConnection' &&
        this.connected.has(row.portal) &&
        (portal === undefined || row.portal === portal),
    );
    const later = (row: ModelRow) =>
      this.rows.filter((n) => n.portal === row.portal && n.id > row.id);
    for (const row of parked) {
      const delivered = later(row).filter((n) => n.state === 'delivered');
      if (delivered.length > 0) this.supersede(row, Math.min(...delivered.map((n) => n.changeId)));
    }
    let resumed = 0;
    for (const row of parked) {
      if (row.state !== 'waitingForConnection') continue;
      const inFlight = (n: ModelRow) =>
        n.state === 'pending' && n.leaseUntil !== null && n.leaseUntil >= at;
      if (later(row).some(inFlight)) continue;
      row.state = 'pending';
      row.dueAt = at;
      resumed += 1;
    }
    return resumed;
  }

  /**
   * A new connection (perhaps to another org): the portal's newest row, if delivered, is pending
   * again from zero attempts, due at `at`. Answers its id, or null.
   */
  resendLatest(portal: string, at: number): number | null {
    const ofPortal = this.rows.filter((row) => row.portal === portal);
    const newest = ofPortal[ofPortal.length - 1];
    if (!newest || newest.state !== 'delivered' || !this.connected.has(portal)) return null;
    newest.state = 'pending';
    newest.attempts = 0;
    newest.dueAt = at;
    newest.supersededBy = null;
    return newest.id;
  }

  view(portal: string): RowView[] {
    return this.rows
      .filter((row) => row.portal === portal)
      .map(({ id, changeId, state, attempts, supersededBy }) => ({
        id,
        changeId,
        state,
        attempts,
        supersededBy,
      }));
  }

  portalOf(id: number): string | undefined {
    return this.rows.find((row) => row.id === id)?.portal;
  }

  undelivered(): number {
    return this.rows.filter((row) => row.state !== 'delivered').length;
  }

  private supersede(row: ModelRow, changeId: number): void {
    row.state = 'delivered';
    row.supersededBy = changeId;
  }

  private held(owner: string, id: number): ModelRow | undefined {
    return this.rows.find(
      (row) => row.id === id && row.state === 'pending' && row.leaseOwner === owner,
    );
  }

  private pendingOf(portal: string): ModelRow[] {
    return this.rows.filter((row) => row.portal === portal && row.state === 'pending');
  }

  private portals(): string[] {
    return [...new Set(this.rows.map((row) => row.portal))];
  }
}
