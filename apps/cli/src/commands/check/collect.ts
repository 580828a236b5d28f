// The collect step of `sync-doctor check`: read the user's snapshot from the org, and let the core
// judge it.
import {
  evaluateAccess,
  isEmptyScope,
  mergeRequirements,
  currentSyncErrors,
  scopeUnread,
  snapshotScope,
  syncErrorRequirements,
  type Diagnosis,
  type Requirements,
  type SnapshotScope,
} from '@sync-doctor/core';
import type { CollectResult, Connection } from '@sync-doctor/salesforce';
import { describeGiven, showable } from '../../io.js';
import type { Progress } from '../../progress.js';
import { chooseRelayed, chosenRecord, type RelayedView } from '../../render/relayed.js';
import { readOrgRules } from './orgRules.js';
import type { CheckedUser } from './connect.js';

/** The snapshot as read, the core's diagnosis of it, and what HubSpot reported, as shown. */
export interface Judged {
  collected: CollectResult;
  diagnosis: Diagnosis;
  relayed: RelayedView | undefined;
  /** The requirements judged: the given ones and the fields and objects HubSpot's sync errors name. */
  requirements: Requirements;
}

export async function collectAndJudge(
  conn: Connection,
  { user, userLabel }: CheckedUser,
  given: Requirements,
  portal: string | undefined,
  progress: Progress,
  signal: AbortSignal,
): Promise<Judged> {
  // A token given to --user by mistake is not repeated.
  progress.update(
    userLabel === undefined || showable(userLabel)
      ? `reading ${userLabel}'s access…`
      : `reading the access of ${describeGiven(userLabel)}…`,
  );
  const { collectSnapshot } = await import('@sync-doctor/salesforce');
  const collect = (requirements: Requirements, absentColumns?: readonly string[]) =>
    collectSnapshot(conn, {
      user,
      requirements,
      relayedStatus: portal ? { portalId: portal } : {},
      absentColumns,
    });
  // The status record comes in the snapshot's first round at no cost. Its sync errors' fields and
  // objects are always judged; the snapshot is read again only when they name one the first read
  // did not read (the core's scopeUnread, as the app decides): it holds every right of what it
  // read, so edit asked of a field read for read only needs a new judgement, not a new read. A
  // status read of its own before the snapshot would cost every run a round trip.
  let collected = await collect(given);
  signal.throwIfAborted();
  const { requirements, unread } = syncErrorsAsking(collected, portal, given);
  if (!isEmptyScope(unread)) {
    progress.update('reading what HubSpot failed to write…');
    // A column the first read found absent (an org without "Update Records with Inactive Owners")
    // is not asked again: the second read costs no retry.
    const again = await collect(requirements, collected.absentColumns);
    // The footer counts every request this check sent.
    collected = {
      ...again,
      requests: collected.requests + again.requests,
      rounds: collected.rounds + again.rounds,
    };
  }
  // The rules behind the groups no permission explains (a validation rule names itself only by
  // its message, a duplicate rule not at all), read only when the shown sync errors hold them.
  const shown = collected.relayedStatus && chosenRecord(collected.relayedStatus, portal);
  const rules = await readOrgRules(
    conn,
    currentSyncErrors(shown?.status),
    collected.snapshot.fields,
    progress,
    signal,
  );
  collected = {
    ...collected,
    snapshot: { ...collected.snapshot, ...rules.snapshot },
    requests: collected.requests + rules.requests,
  };
  // Nothing is judged from reads an abort may have cut short.
  signal.throwIfAborted();
  progress.update('judging…');
  const diagnosis = evaluateAccess(collected.snapshot, requirements);
  const chosen = collected.relayedStatus
    ? chooseRelayed(collected.relayedStatus, diagnosis, portal)
    : undefined;
  const relayed =
    chosen && rules.notRead.length ? { ...chosen, rulesNotRead: rules.notRead } : chosen;
  return { collected, diagnosis, relayed, requirements };
}

/**
 * What the shown status's sync errors make of the requirements `read` was read for: `requirements`,
 * those merged with every field and object the errors name (what is judged), and `unread`, what of
 * that the read of `read` did not read (scopeUnread): empty lists when no new read is needed.
 */
export function syncErrorsAsking(
  collected: Pick<CollectResult, 'relayedStatus'>,
  portal: string | undefined,
  read: Requirements,
): { requirements: Requirements; unread: SnapshotScope } {
  const record = collected.relayedStatus && chosenRecord(collected.relayedStatus, portal);
  // Only sync errors that speak for the org now: not an export from before a clearing.
  const requirements = mergeRequirements(
    read,
    syncErrorRequirements(currentSyncErrors(record?.status)),
  );
  return { requirements, unread: scopeUnread(snapshotScope(read), requirements) };
}
