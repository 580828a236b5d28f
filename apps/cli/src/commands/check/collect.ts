// The collect step of `sync-doctor check`: read the user's snapshot from the org, and let the core
// judge it.
import {
  evaluateAccess,
  mergeRequirements,
  currentSyncErrors,
  syncErrorRequirements,
  type Diagnosis,
  type Requirements,
} from '@sync-doctor/core';
import type { CollectResult, Connection } from '@sync-doctor/salesforce';
import { describeGiven, showable } from '../../io.js';
import type { Progress } from '../../progress.js';
import { chooseRelayed, chosenRecord, type RelayedView } from '../../render/relayed.js';
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
  const collect = (requirements: Requirements) =>
    collectSnapshot(conn, {
      user,
      requirements,
      relayedStatus: portal ? { portalId: portal } : {},
    });
  // The status record comes in the snapshot's first round at no cost. Only when its sync errors
  // name a field or object the requirements lack is the snapshot read again with it: a status read
  // of its own before the snapshot would cost every run a round trip, for what few runs need.
  let requirements = given;
  let collected = await collect(requirements);
  signal.throwIfAborted();
  const named = syncErrorsAsking(collected, portal, requirements);
  if (named.fields.length + named.objects.length > 0) {
    progress.update('reading what HubSpot failed to write…');
    requirements = mergeRequirements(requirements, named);
    const again = await collect(requirements);
    // The footer counts every request this check sent.
    collected = {
      ...again,
      requests: collected.requests + again.requests,
      rounds: collected.rounds + again.rounds,
    };
  }
  // Nothing is judged from reads an abort may have cut short.
  signal.throwIfAborted();
  progress.update('judging…');
  const diagnosis = evaluateAccess(collected.snapshot, requirements);
  const relayed = collected.relayedStatus
    ? chooseRelayed(collected.relayedStatus, diagnosis, portal)
    : undefined;
  return { collected, diagnosis, relayed, requirements };
}

/**
 * What the shown status's sync errors ask to be checked (the fields and objects HubSpot could not
 * write) that the requirements do not already ask as much of: empty when they add nothing.
 */
export function syncErrorsAsking(
  collected: Pick<CollectResult, 'relayedStatus'>,
  portal: string | undefined,
  requirements: Requirements,
): Pick<Requirements, 'objects' | 'fields'> {
  const record = collected.relayedStatus && chosenRecord(collected.relayedStatus, portal);
  // Only sync errors that speak for the org now: not an export from before a clearing.
  const asked = syncErrorRequirements(currentSyncErrors(record?.status));
  return {
    objects: asked.objects.filter((o) => !covered(requirements.objects, o)),
    fields: asked.fields.filter((f) => !covered(requirements.fields, f)),
  };
}

/** Whether `required` already asks every right `wanted` asks (names match case-insensitively). */
function covered(
  required: readonly { name: string; access: readonly string[] }[],
  wanted: { name: string; access: readonly string[] },
): boolean {
  const known = required.find((r) => r.name.toLowerCase() === wanted.name.toLowerCase());
  return !!known && wanted.access.every((right) => known.access.includes(right));
}
