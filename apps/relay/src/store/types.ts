import type { RelayedStatus } from '@sync-doctor/core';
import type { Signal } from '../domain/signal.js';
import type { SenderPolicy } from '../inputs/senderPolicy.js';
import type { ConflictCounts } from './sqlDb.js';

export interface PortalRecord {
  id: string;
  name: string | null;
  /** AES-256-GCM sealed signing secret (see crypto/secrets). */
  signingSecretSealed: string;
  inboundTokenHash: string;
  /** Sealed JSON of the SalesforceConnectionConfig, or null when not configured yet. */
  salesforceSealed: string | null;
  /** Incremented on every change of the Salesforce connection. */
  salesforceVersion: number;
  /**
   * When this portal was created (ms precision). Also what tells one portal from another deleted
   * and created again under the same id (whose salesforceVersion and the rest may repeat).
   */
  createdAt: string;
  updatedAt: string;
  /**
   * Who may send the portal's notification e-mails (inputs/senderPolicy.ts); null: anyone the
   * inbound token or mailbox brings, as before the policy existed (migration 14).
   */
  senderPolicy: SenderPolicy | null;
}

export interface NewPortal {
  id: string;
  name: string | null;
  signingSecretSealed: string;
  inboundTokenHash: string;
  salesforceSealed: string | null;
}

export interface PortalPatch {
  name?: string | null;
  signingSecretSealed?: string;
  inboundTokenHash?: string;
  salesforceSealed?: string | null;
  senderPolicy?: SenderPolicy | null;
}

export interface ChangeRecord {
  id: number;
  portalId: string;
  eventId: string | null;
  source: Signal['source'];
  state: Signal['state'];
  reason: Signal['reason'];
  title: string | null;
  excerpt: string | null;
  occurredAt: string;
  receivedAt: string;
  detail: Record<string, unknown> | null;
}

export interface RecordResult {
  duplicate: boolean;
  change: ChangeRecord;
  status: RelayedStatus;
}

/**
 * `waitingForConnection`: the portal has no Salesforce connection yet (NOT_CONFIGURED). Nothing is
 * wrong with the change: it is delivered, in order, once a connection is set. Kept apart from
 * `failed`, which needs a person.
 */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'waitingForConnection';
export const DELIVERY_STATES: readonly DeliveryState[] = [
  'pending',
  'delivered',
  'failed',
  'waitingForConnection',
];

export interface DeliveryRecord {
  id: number;
  portalId: string;
  changeId: number;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  result: Record<string, unknown> | null;
  createdAt: string;
  /**
   * Failed on passing trouble and waiting for the org to answer again: when the relay next checks
   * and, if it answers, re-queues it by itself (null: no automatic re-queue).
   */
  recoverAt: string | null;
  /** When the automatic re-queues of this delivery began (its first give-up on passing trouble). */
  recoverSince: string | null;
  /** How many times the relay re-queued it by itself. */
  recoveries: number;
}

/** A delivery leased for sending, with the whole status it carries (as it was right after its change). */
export interface ClaimedDelivery extends DeliveryRecord {
  status: RelayedStatus;
  /**
   * The id of the sync-errors report whose summary the status carries, set by the deliverer when
   * it attaches the portal's newest one (0: the portal had none, and the status's sync errors are
   * null, which clears Sync_Errors__c); recorded in the delivery's result as syncErrorsReportId, so carrySyncErrors knows
   * what Salesforce holds.
   */
  syncErrorsReportId?: number;
}

/**
 * Where a portal's newest sync-errors summary stands towards Salesforce (carrySyncErrors):
 * - 'queued': a delivery of the portal's newest status is pending (re-queued for it, or already
 *   queued) and carries it when sent;
 * - 'delivered': the newest delivery already carried it;
 * - 'waits-for-retry': the newest delivery was given up; its retry (by hand, or the automatic
 *   re-queue) carries it;
 * - 'waits-for-first-status': nothing was ever queued for the portal; its first delivery carries it;
 * - 'no-connection': the portal has no Salesforce connection; its deliveries wait for one and
 *   carry it.
 */
export type SyncErrorsCarriage =
  'queued' | 'delivered' | 'waits-for-retry' | 'waits-for-first-status' | 'no-connection';

export interface InboundMessageRecord {
  portalId: string;
  messageId: string | null;
  subject: string | null;
  raw: string;
  truncated: boolean;
  sizeBytes: number;
}

export interface SyncErrorReportRecord {
  id: number;
  portalId: string;
  receivedAt: string;
  report: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

/**
 * Everything the relay keeps. One contract test suite (test/store.contract.test.ts) runs against
 * every implementation. All writes that belong together happen in one transaction.
 */
export interface RelayStore {
  readonly kind: 'sqlite' | 'postgres';
  ping(): Promise<void>;
  /**
   * PostgreSQL: the database's clock now (ms since the epoch), which instances sharing it compare
   * theirs with (plugins/clockCheck.ts). Absent on SQLite: one process, one clock.
   */
  databaseTime?(): Promise<number>;
  /**
   * PostgreSQL: how many transactions the database rolled back for a deadlock or a serialization
   * failure and the relay ran again, and how many failed so on their last attempt (503
   * DATABASE_CONFLICT). Zeros on SQLite, whose single writer waits instead.
   */
  databaseConflicts(): ConflictCounts;
  close(): Promise<void>;
  /** Highest migration version applied. */
  schemaVersion(): Promise<number>;

  createPortal(portal: NewPortal): Promise<PortalRecord>;
  getPortal(id: string): Promise<PortalRecord | null>;
  listPortals(): Promise<PortalRecord[]>;
  updatePortal(id: string, patch: PortalPatch): Promise<PortalRecord | null>;
  findPortalByInboundTokenHash(hash: string): Promise<PortalRecord | null>;
  /**
   * Deletes a portal and everything kept for it (secrets and Salesforce connection with the
   * portal row; status, changes, outbox, kept e-mails, sync-error reports, HubSpot token, mailbox,
   * alert targets and alerts) in one transaction, and forgets what this store keeps of it in
   * memory. False when there is no such portal. A signal of the portal stored meanwhile either
   * lands before (and is deleted with it) or fails with PortalGoneError.
   */
  deletePortal(id: string): Promise<boolean>;

  /**
   * Stores a signal: the change, the new status and an outbox entry, atomically. A signal whose
   * eventId was seen before for the portal from the same source changes nothing and reports
   * `duplicate: true` (each source has its own ids: a webhook's cannot shadow an e-mail's).
   */
  recordSignal(signal: Signal, receivedAt?: Date): Promise<RecordResult>;
  getStatus(portalId: string): Promise<RelayedStatus | null>;
  getChange(portalId: string, id: number): Promise<ChangeRecord | null>;
  /**
   * The portal's changes among `ids` (ids of other portals or deleted changes are left out),
   * oldest first, each with the status right after it (null for a change
   * stored without one). A few reads whatever the number of ids: what a stream sends for changes
   * it did not store itself (a replay, another instance's changes). Pass at most a few hundred ids.
   */
  changesWithStatus(
    portalId: string,
    ids: readonly number[],
  ): Promise<{ change: ChangeRecord; status: RelayedStatus | null }[]>;
  /**
   * Calls back when another process stored a change (PostgreSQL LISTEN/NOTIFY), so live streams
   * on every instance see every change. Absent for SQLite (one process owns the file).
   * `{ own: true }`: this process's own changes too, as LISTEN hears them (`own: true` on each),
   * in the order LISTEN hears everything, so a listener that follows LISTEN alone never sends a
   * change of its own ahead of an earlier one of another process that LISTEN did not deliver yet
   * (or never will: a connection lost unnoticed).
   */
  onForeignChange?(
    listener: (change: ForeignChange) => void,
    options?: { own?: boolean },
  ): Promise<() => Promise<void>>;
  /**
   * Calls back when the LISTEN behind onForeignChange loses its connection (`lost`: other
   * processes' changes stop arriving) and when it listens again after that (`resumed`: the changes
   * they stored meanwhile never will; read them from the store). Returns the unsubscribe. Absent
   * for SQLite, as onForeignChange.
   */
  onListenGap?(listener: (state: 'lost' | 'resumed') => void): () => void;
  listChanges(
    portalId: string,
    options: { cursor?: string | null; limit: number },
  ): Promise<Page<ChangeRecord>>;
  /** The portal's changes after `afterId`, oldest first (what a resuming stream missed). */
  listChangesAfter(portalId: string, afterId: number, limit: number): Promise<ChangeRecord[]>;

  saveInboundMessage(message: InboundMessageRecord): Promise<number>;
  saveSyncErrorReport(
    portalId: string,
    report: Record<string, unknown>,
  ): Promise<SyncErrorReportRecord>;
  latestSyncErrorReport(portalId: string): Promise<SyncErrorReportRecord | null>;
  /** The id and receipt time of the portal's newest sync-errors report (no report body), or null. */
  latestSyncErrorReportId(portalId: string): Promise<{ id: number; receivedAt: string } | null>;
  /**
   * Gets the portal's newest sync-errors report into Salesforce: when its newest delivery was
   * delivered without it, that delivery is re-queued (due now, as resendLatest does after a
   * connection change), so the newest status goes again and carries it, in order with the
   * portal's other deliveries; in one transaction that locks the delivery (PostgreSQL), so of two
   * callers (an upload, a delivery that finished meanwhile, another instance) one re-queues it.
   * Answers where it stands, or null when there is nothing to carry (no report, or none newer than
   * `carried`, the report id a delivery just carried), or no such portal.
   */
  carrySyncErrors(
    portalId: string,
    options?: { carried?: number },
  ): Promise<SyncErrorsCarriage | null>;

  /**
   * Leases the oldest pending delivery of each portal (the head, so order holds), and with
   * `perPortal` > 1 up to that many changes queued right behind it, returned in id order.
   */
  claimDeliveries(
    owner: string,
    options: { leaseMs: number; limit: number; perPortal?: number; now?: Date },
  ): Promise<ClaimedDelivery[]>;
  /** Extends the lease of claimed deliveries; answers how many are still this owner's. */
  renewLeases(ids: number[], owner: string, leaseMs: number): Promise<number>;
  /** Gives back claimed deliveries that were not attempted. */
  releaseDeliveries(ids: number[], owner: string): Promise<number>;
  /**
   * Records a leased delivery delivered. `sentWithVersion`: the version of the portal's
   * connection it went with, kept with it so resendLatest knows where the status already is.
   */
  completeDelivery(
    id: number,
    owner: string,
    result: Record<string, unknown>,
    sentWithVersion?: number,
  ): Promise<boolean>;
  /**
   * completeDelivery for a run of one portal's deliveries sent together (in id order), in one
   * transaction: each recorded with its own result, and the failed ones older than each
   * superseded by it. Answers the ids recorded (those still this owner's).
   */
  completeDeliveries(
    owner: string,
    items: ReadonlyArray<{ id: number; result: Record<string, unknown> }>,
    sentWithVersion?: number,
  ): Promise<number[]>;
  /**
   * Re-queues the portal's newest delivery, due `at`, when it was delivered, so the status it
   * carries (the portal's current one) goes to the portal's Salesforce connection as it is now:
   * after a connection was set (`sentWithVersion` absent), or after a delivery sent with version
   * `sentWithVersion` of a connection that has changed since (another org may have it now). Only
   * while the portal has a connection, and never when the newest delivery went with the
   * connection the portal has now (recorded by completeDelivery): a check that comes late finds
   * the resend it asks for already done. Answers whether it re-queued one.
   */
  resendLatest(portalId: string, options: { at: Date; sentWithVersion?: number }): Promise<boolean>;
  /**
   * Records a failed attempt; with `retryAt` null the delivery is given up ('failed'). Given up
   * with `recoverAt` (passing trouble outlasted the backoff), the relay checks then whether the
   * org answers again and re-queues it by itself (recoverRequeue); its recoverSince is set once.
   */
  failDelivery(
    id: number,
    owner: string,
    error: string,
    retryAt: Date | null,
    recoverAt?: Date | null,
  ): Promise<boolean>;
  /**
   * Failed deliveries due for an automatic re-queue check (recoverAt at or before `now`), at most
   * one per portal: its newest, and only when nothing newer of the portal is pending, delivered
   * or waiting (a later change carries the newest status then). Oldest check first.
   */
  dueRecoveries(now: Date, limit: number): Promise<DeliveryRecord[]>;
  /**
   * Takes a due check of a failed delivery for this instance: moves its due time on to `until`,
   * if it is still failed and due at `expectedRecoverAt`. Of several instances sharing the
   * database, the one this answers true checks the org; one that stops before it is done leaves
   * the check to whoever finds it due again at `until`.
   */
  claimRecoveryCheck(id: number, expectedRecoverAt: string, until: Date): Promise<boolean>;
  /**
   * Puts off a due check of a failed delivery to `next` (null: no more automatic re-queues),
   * with `error` as its lastError, if it is still failed and due at `expectedRecoverAt` (another
   * instance may have handled it). Answers whether it did.
   */
  postponeRecovery(
    id: number,
    expectedRecoverAt: string,
    next: Date | null,
    error: string,
  ): Promise<boolean>;
  /**
   * The automatic re-queue: when delivery `id` is still failed, due at `expectedRecoverAt`, and
   * still its portal's newest delivery but failed ones, re-queues the portal's failed deliveries
   * exactly as retryFailedDeliveries does (older ones superseded, only those newer than everything
   * else in order), each counting one more recovery, its lastError `note(previous lastError)`.
   * Answers how many were re-queued: 0 when another instance (or a change) came first.
   */
  recoverRequeue(
    id: number,
    expectedRecoverAt: string,
    note: (previousError: string | null) => string,
  ): Promise<number>;
  /**
   * Parks a claimed delivery whose portal has no Salesforce connection ('waitingForConnection',
   * the claim's attempt taken back: nothing was sent). If the portal has a connection by now (set
   * on another instance, or just now), the delivery is given back as pending, due `retryAt`.
   */
  awaitConnection(id: number, owner: string, error: string, retryAt: Date): Promise<boolean>;
  /**
   * Puts the deliveries waiting for a connection back in the queue, for the portals that have one
   * now (one portal, or every portal): answers how many. One behind a later change of its portal
   * already delivered is superseded by it instead; one behind a later change in flight (leased
   * at `now`) waits on, so a portal has one run in flight and its statuses land in order.
   */
  resumeWaitingDeliveries(portalId?: string, options?: { now?: Date }): Promise<number>;
  /**
   * Puts failed deliveries of a portal back in the queue: those newer than every other delivery
   * of the portal. An older one is superseded by the later change delivered or queued after it
   * (sent again, it would put an older status over a newer one): recorded as delivered with
   * result `{ supersededBy: <that change's id> }`. Answers how many were re-queued.
   */
  retryFailedDeliveries(portalId: string): Promise<number>;
  listDeliveries(
    portalId: string,
    options: { cursor?: string | null; limit: number; state?: DeliveryState },
  ): Promise<Page<DeliveryRecord>>;
  countDeliveries(): Promise<Record<DeliveryState, number>>;
  /**
   * For each state but `delivered`, when its oldest outbox entry was queued (unix ms; a state
   * with no entry is absent): how long Salesforce has been waiting for a change (metrics).
   */
  oldestUndelivered(): Promise<Partial<Record<UndeliveredState, number>>>;
  /** Every configured portal's current state (null: nothing reported yet), in one read (metrics). */
  portalStates(): Promise<Record<string, Signal['state'] | null>>;
}

export type UndeliveredState = Exclude<DeliveryState, 'delivered'>;

/** What another process did: stored a change of a portal, or deleted the portal (`deleted`, `changeId` 0). */
export interface ForeignChange {
  portalId: string;
  changeId: number;
  deleted?: boolean;
  /** Stored by this process (only with `{ own: true }`). */
  own?: boolean;
}

/** The portal was deleted (or never existed) when something was to be stored for it. */
export class PortalGoneError extends Error {
  constructor(readonly portalId: string) {
    super(`portal ${portalId} is not configured on this relay`);
    this.name = 'PortalGoneError';
  }
}

export class PortalExistsError extends Error {
  constructor(id: string) {
    super(`portal ${id} already exists`);
  }
}
