import type { Snapshot } from '@sync-doctor/core';
import type { Connection } from '@sync-doctor/salesforce';
import { soqlString } from './controllerArgs.js';

/**
 * The snapshot's `duplicateRules` as SyncDoctorDuplicateRuleReader.cls writes them: each scope
 * object the snapshot found (its `objects` section), in the scope's order, with its active
 * duplicate rules by label, `{ apiName, duplicateRules: [{ name, active }] }`, from one query of
 * the DuplicateRule object. No actions: DuplicateRule holds none (the core keeps them 'unread').
 * Undefined, the section left out, when the org refuses the query (a user without View Setup and
 * Configuration), as the Apex leaves it out: never an empty list read as "no rule is active".
 */
export async function duplicateRulesAsApex(
  conn: Connection,
  snapshot: Pick<Snapshot, 'objects'>,
  scopeObjects: readonly string[],
): Promise<Record<string, unknown>[] | undefined> {
  const described = Object.entries(snapshot.objects ?? {});
  const existing: string[] = [];
  for (const name of scopeObjects) {
    const found = described.find(([key]) => key.toLowerCase() === name.toLowerCase());
    if (found?.[1].exists && !existing.includes(found[0])) existing.push(found[0]);
  }
  if (existing.length === 0) return [];
  let rows: { MasterLabel?: unknown; SobjectType?: unknown }[];
  try {
    rows = (
      await conn.query<{ MasterLabel?: unknown; SobjectType?: unknown }>(
        `SELECT MasterLabel, SobjectType FROM DuplicateRule WHERE IsActive = TRUE AND SobjectType IN (${existing
          .map(soqlString)
          .join(', ')}) ORDER BY SobjectType, MasterLabel`,
      )
    ).records;
  } catch (error) {
    if (isRefusal(error)) return undefined;
    throw error;
  }
  return existing.map((apiName) => ({
    apiName,
    duplicateRules: rows
      .filter((row) => String(row.SobjectType).toLowerCase() === apiName.toLowerCase())
      .map((row) => ({ name: String(row.MasterLabel), active: true })),
  }));
}

/**
 * Salesforce refused the query (jsforce's error carries its errorCode: INVALID_TYPE for a user
 * without View Setup), as a QueryException the Apex catches; a network failure is no refusal.
 */
function isRefusal(error: unknown): boolean {
  return (
    !!error &&
    typeof error === 'object' &&
    typeof (error as { errorCode?: unknown }).errorCode === 'string'
  );
}
