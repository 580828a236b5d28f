/**
 * The remediation applier's read of the permission sets it may assign or write into, robust to an
 * org whose edition lacks some of the columns it asks.
 */
import type { Connection } from 'jsforce';
import { subOutcome, type SubResponse } from '../composite.js';
import { SalesforceError } from '../errors.js';
import { missingColumnFromMessage, queryUrl } from '../soql.js';
import { sendRest } from '../transport.js';
import { DATA_PATH } from '../version.js';

/** A row of a query answer: its Id and the columns asked. */
export interface Row {
  Id: string;
  [column: string]: unknown;
}

/**
 * The PermissionSet rows of the sets query, asked again without the never-granted columns the org
 * lacks: a query naming an absent column fails whole (INVALID_FIELD), and an edition without the
 * column has no set that can hold that permission. Salesforce names one absent column per answer,
 * so on the first such answer the PermissionSet describe is read once and the query asked again
 * with only the columns it lists: an org lacking several columns pays two requests, not one per
 * column (the list of never-granted permissions grows; an edition lacking them all would otherwise
 * pay a request for each). Only orgs lacking one pay anything. Should the describe list a column
 * the query still refuses, that one is dropped as named and the query asked again.
 */
export async function readSets(
  conn: Connection,
  response: SubResponse | undefined,
  columns: readonly string[],
  soql: (columns: readonly string[]) => string,
): Promise<Row[]> {
  let remaining = [...columns];
  let outcome = subOutcome<{ records: Row[] }>(response, 'sets');
  let described = false;
  for (;;) {
    if (outcome.ok) return outcome.value.records;
    const missing =
      outcome.error.errorCode === 'INVALID_FIELD'
        ? missingColumnFromMessage(outcome.error.message)?.toLowerCase()
        : undefined;
    let fewer = remaining.filter((column) => column.toLowerCase() !== missing);
    if (fewer.length === remaining.length) throw outcome.error;
    if (!described) {
      described = true;
      const describe = await sendRest<{ fields?: { name?: unknown }[] }>(conn, {
        method: 'GET',
        url: `${DATA_PATH}/sobjects/PermissionSet/describe`,
        label: 'GET PermissionSet describe (remediation read)',
      });
      const present = new Set(
        (describe.fields ?? [])
          .map((field) => field.name)
          .filter((name): name is string => typeof name === 'string')
          .map((name) => name.toLowerCase()),
      );
      fewer = fewer.filter((column) => present.has(column.toLowerCase()));
    }
    remaining = fewer;
    try {
      outcome = {
        ok: true,
        value: await sendRest<{ records: Row[] }>(conn, {
          method: 'GET',
          url: queryUrl(soql(remaining)),
          label: 'GET PermissionSet (remediation read)',
        }),
      };
    } catch (error) {
      if (!(error instanceof SalesforceError)) throw error;
      outcome = { ok: false, error };
    }
  }
}
