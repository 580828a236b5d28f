/**
 * ObjectPermissions rows saved in waves, as the core planned them, and the refusals of the sObject
 * Collections requests that save a wave's new rows together.
 */
import { saveWaves } from '@sync-doctor/core';
import type { SubResponse } from '../composite.js';
import { SalesforceError } from '../errors.js';

/** Records an sObject Collections request carries at most. */
export const COLLECTION_MAX_RECORDS = 200;

/**
 * The ObjectPermissions rows to write (each with the `index` of its grant in the plan) in the order
 * they are saved: waves, each saved by one DML statement after the waves before it. Which wave a
 * row is in is the core's decision (saveWaves: a row after the rows whose Read it needs, rows that
 * need each other together, a chain one wave a link), made when it plans and handed in as each
 * grant's `saveWave`, the one the Apex applier follows too. A plan whose grants do not all carry
 * one (a hand-made plan) has them computed by the same saveWaves from its `requiredBy`. Within a
 * wave the plan's order is kept; a wave with no row to write is skipped.
 */
export function savingWaves<R extends { index: number }>(
  planned: readonly { sobjectType: string; requiredBy?: string[]; saveWave?: number }[],
  rows: readonly R[],
): R[][] {
  const waveOf = planned.every((grant) => grant.saveWave !== undefined)
    ? planned.map((grant) => grant.saveWave!)
    : saveWaves(planned);
  const waves = new Map<number, R[]>();
  for (const row of rows) {
    const wave = waveOf[row.index]!;
    const members = waves.get(wave);
    if (members) members.push(row);
    else waves.set(wave, [row]);
  }
  return [...waves.keys()].sort((a, b) => a - b).map((wave) => waves.get(wave)!);
}

/**
 * The first record an sObject Collections subrequest refused for itself (not one rolled back
 * because of another), as an error; null when every collection saved. Such a subrequest answers
 * 200 with a result per record, which firstFailure does not look into.
 */
export function collectionRefusal(responses: Map<string, SubResponse>): SalesforceError | null {
  for (const [referenceId, response] of responses) {
    if (!Array.isArray(response.body)) continue;
    for (const result of response.body as Array<{
      success?: boolean;
      errors?: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
    }>) {
      const error = result?.success === false ? result.errors?.[0] : undefined;
      if (!error || error.statusCode === 'ALL_OR_NONE_OPERATION_ROLLED_BACK') continue;
      return new SalesforceError({
        errorCode: String(error.statusCode ?? 'UNKNOWN_ERROR'),
        statusCode: response.httpStatusCode >= 400 ? response.httpStatusCode : 400,
        message: String(error.message ?? 'the record was refused'),
        fields: error.fields,
        request: `composite:${referenceId}`,
      });
    }
  }
  return null;
}
