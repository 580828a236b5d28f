/**
 * What the Salesforce outbox's store methods do, written as plain in-memory rules, for the
 * model-based test (outboxModel.contract.test.ts): the SQL of outboxStore.ts said once more, in the
 * simplest form, so a generated sequence of calls can be checked call by call against both
 * stores. Only what that test drives: record, claim, complete, fail, release, retry the failed.
 * Times are the test's own clock (ms); a row re-queued by retryFailedDeliveries is due at once.
 */
export type ModelState = 'pending' | 'delivered' | 'failed';

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
