import type {
  ReasonCode,
  RelayedStatus,
  SignalSource,
  StatusChange,
  SuspensionState,
} from '@sync-doctor/core';
import { STATUS_FIELD_LIMITS } from '@sync-doctor/core';

/** One thing HubSpot (or an admin) told us about a portal, already authenticated and classified. */
export interface Signal {
  portalId: string;
  source: SignalSource;
  state: SuspensionState;
  reason: ReasonCode | null;
  title: string | null;
  excerpt: string | null;
  /** When it happened according to the sender (ISO). */
  occurredAt: string;
  /**
   * When the sender saw it, when that is later than when it happened (ISO): the stalled-sync
   * detector dates a suspicion from the portal's last sync and saw it at its check. The status's
   * lastSeenAt follows it; the change keeps it in its detail (detectedAt), not in a column.
   */
  seenAt?: string;
  /**
   * Set when occurredAt may be off by hours (an inline forward's quoted time that names no zone,
   * read in the forward's): such a date never judges the signal older than the state (isStaleFlip).
   */
  occurredAtApproximate?: boolean;
  /** The sender's id of this signal; a second signal with the same id is a redelivery. */
  eventId: string | null;
  /** Extra facts kept with the change for audit (classification language, e-mail subject ...). */
  detail?: Record<string, unknown>;
}

/**
 * How far ahead of the relay's clock a sender may date a signal: its clock may be off by as much
 * as a signed request's timestamp may (5 minutes by default). Beyond that the date is wrong, and
 * taken as it is it would become the suspension's `since`, in the future.
 */
export function secondsAhead(
  occurredAt: string,
  now: Date,
  toleranceSeconds: number,
): number | null {
  const ahead = (Date.parse(occurredAt) - now.getTime()) / 1000;
  return ahead > toleranceSeconds ? Math.round(ahead) : null;
}

const truncate = (text: string | null, max: number): string | null =>
  text === null ? null : text.length <= max ? text : text.slice(0, max - 1) + '…';

/**
 * When a signal last confirmed its state: its seenAt when that is a later instant than occurredAt,
 * so "since" says how long data has drifted and "last seen" when it was last confirmed.
 */
function seenAtOf(signal: Signal): string {
  const seen = signal.seenAt === undefined ? Number.NaN : Date.parse(signal.seenAt);
  return seen > Date.parse(signal.occurredAt) ? signal.seenAt! : signal.occurredAt;
}

/**
 * The later of a status's instant and a signal's: what a state that continues keeps. Signals
 * arrive out of order (a retried webhook, a notice forwarded late, two instances storing at once),
 * and an older one confirming the same state must not move "last seen" (or "cleared at") back in
 * time, before the since it already counts from.
 */
function later(kept: string | null, seen: string): string {
  return kept !== null && Date.parse(kept) > Date.parse(seen) ? kept : seen;
}

/**
 * How much older than the state it would end a signal must be to be stale (isStaleFlip): within
 * it, senders' clocks (a webhook sender's, a mail server's, an inline forward's date to the minute)
 * are not trusted to order two signals, and arrival order decides. The signature window's default.
 */
const STALE_SIGNAL_MARGIN_MS = 5 * 60_000;

/**
 * Whether a signal would flip the state (suspended or suspected <-> cleared) with news older than
 * the state it would end, by more than STALE_SIGNAL_MARGIN_MS: a suspension that began before the
 * portal was cleared, or a clearance from before the current suspension began. Signals arrive out
 * of order: HubSpot retries a webhook the relay answered 5xx for days, in any order with the ones
 * after it, and an admin forwards HubSpot's notice the day after it was cleared. Such a signal goes
 * into the history and changes nothing. A detector's suspicion counts from when it was seen (its
 * occurredAt is the last sync, which may well be before a clearance that did not make the sync run
 * again). A date that may be off by hours (occurredAtApproximate) judges nothing: arrival decides.
 */
function isStaleFlip(base: RelayedStatus, signal: Signal): boolean {
  if (signal.occurredAtApproximate) return false;
  const at = Date.parse(seenAtOf(signal)) + STALE_SIGNAL_MARGIN_MS;
  if (signal.state === 'cleared')
    return base.state !== 'cleared' && base.since !== null && at < Date.parse(base.since);
  return base.state === 'cleared' && base.clearedAt !== null && at < Date.parse(base.clearedAt);
}

/**
 * The status after a signal. Arrival order decides, but for a signal that would flip the state
 * with news older than the current state (isStaleFlip): the relay reports what it was told last.
 * A *suspected* suspension (from a detector) never overrides one HubSpot confirmed in its own words,
 * a detector's *cleared* never lifts one, and a signal of no known reason never erases the reason
 * of the suspension it arrives during.
 */
export function applySignal(previous: RelayedStatus | null, signal: Signal): RelayedStatus {
  const base: RelayedStatus = previous ?? blankStatus(signal.portalId);
  const history = [historyEntryOf(signal), ...base.history].slice(
    0,
    STATUS_FIELD_LIMITS.historyEntries,
  );
  const title = truncate(signal.title, STATUS_FIELD_LIMITS.title);
  const excerpt = truncate(signal.excerpt, STATUS_FIELD_LIMITS.excerpt);

  if (
    signal.state === 'cleared' &&
    signal.source === 'detector' &&
    !(base.state === 'suspected' && base.source === 'detector')
  ) {
    // The detector only lifts what the detector raised. Checked here, inside the store's
    // transaction, so a suspension confirmed a moment before the detector's lift still stands.
    return { ...base, history };
  }
  // Checked inside the store's transaction too: of a clearance and a suspension racing, the
  // later in time stands, whichever is stored last.
  if (isStaleFlip(base, signal)) return { ...base, history };
  if (signal.state === 'cleared') {
    // Keep what was cleared (reason, since) so the app can say "cleared: API limit since ...".
    // Cleared again (a retried or second clearance): the clearance stands from the later date.
    const stillCleared = base.state === 'cleared';
    return {
      ...base,
      state: 'cleared',
      clearedAt: stillCleared ? later(base.clearedAt, signal.occurredAt) : signal.occurredAt,
      lastSeenAt: stillCleared ? later(base.lastSeenAt, seenAtOf(signal)) : seenAtOf(signal),
      source: signal.source,
      history,
    };
  }
  if (signal.state === 'suspected' && base.state === 'suspended') {
    return { ...base, history };
  }
  // A signal whose reason nobody could read (null) during an active suspension says "still
  // suspended", not "the reason is now unknown": the known reason, and the title and text that
  // explain it, stay; lastSeenAt and source follow the signal, and the history records it as it
  // came. After a clearance there is nothing to keep, so it starts a suspension of unknown reason.
  const keepsKnownReason =
    signal.reason === null &&
    base.reason !== null &&
    base.state !== 'cleared' &&
    base.since !== null;
  const reason = keepsKnownReason ? base.reason : signal.reason;
  // A reason learnt during a suspension of unknown reason names that suspension; it did not
  // begin when its reason was read, so its since stays.
  const namesUnknown = base.reason === null && reason !== null && signal.state === 'suspended';
  const continues =
    base.state === signal.state && (base.reason === reason || namesUnknown) && base.since !== null;
  const keepsText = keepsKnownReason && continues;
  return {
    portalId: base.portalId,
    state: signal.state,
    reason,
    title: keepsText ? base.title : (title ?? (continues ? base.title : null)),
    since: continues ? base.since : signal.occurredAt,
    lastSeenAt: continues ? later(base.lastSeenAt, seenAtOf(signal)) : seenAtOf(signal),
    clearedAt: null,
    source: signal.source,
    excerpt: keepsText ? base.excerpt : (excerpt ?? (continues ? base.excerpt : null)),
    history,
  };
}

/**
 * The history entry a signal (or the change stored for it) adds. Every stored change adds exactly
 * one, so a status's history is always its portal's newest changes: the store rebuilds it from
 * the changes table with this same function instead of writing the history again per change.
 */
export function historyEntryOf(
  change: Pick<Signal, 'occurredAt' | 'state' | 'reason' | 'source' | 'title'>,
): StatusChange {
  return {
    at: change.occurredAt,
    state: change.state,
    reason: change.reason,
    source: change.source,
    title: truncate(change.title, STATUS_FIELD_LIMITS.title),
  };
}

/** The status of a portal HubSpot has never reported on: not suspended, no history. */
export function blankStatus(portalId: string): RelayedStatus {
  return {
    portalId,
    state: 'cleared',
    reason: null,
    title: null,
    since: null,
    lastSeenAt: null,
    clearedAt: null,
    source: null,
    excerpt: null,
    history: [],
  };
}
