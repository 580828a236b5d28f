// The collect step of `sync-doctor check`: read the user's snapshot from the org, and let the core
// judge it.
import { evaluateAccess, type Diagnosis, type Requirements } from '@sync-doctor/core';
import type { CollectResult, Connection } from '@sync-doctor/salesforce';
import { describeGiven, showable } from '../../io.js';
import type { Progress } from '../../progress.js';
import { chooseRelayed, type RelayedView } from '../../render/relayed.js';
import type { CheckedUser } from './connect.js';

/** The snapshot as read, the core's diagnosis of it, and what HubSpot reported, as shown. */
export interface Judged {
  collected: CollectResult;
  diagnosis: Diagnosis;
  relayed: RelayedView | undefined;
}

export async function collectAndJudge(
  conn: Connection,
  { user, userLabel }: CheckedUser,
  requirements: Requirements,
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
  const collected = await collectSnapshot(conn, {
    user,
    requirements,
    relayedStatus: portal ? { portalId: portal } : {},
  });
  // Nothing is judged from reads an abort may have cut short.
  signal.throwIfAborted();
  progress.update('judging…');
  const diagnosis = evaluateAccess(collected.snapshot, requirements);
  const relayed = collected.relayedStatus
    ? chooseRelayed(collected.relayedStatus, diagnosis, portal)
    : undefined;
  return { collected, diagnosis, relayed };
}
