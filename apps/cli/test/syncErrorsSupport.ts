/**
 * What the end-to-end tests of HubSpot's exported sync errors share: the status and its
 * Sync_Errors__c written into the simulator as the relay writes them, and the readers of the
 * CLI's output they assert on.
 */
import { STATUS_OBJECT, type RelayedStatus, type RelayedSyncErrors } from '@sync-doctor/core';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import { connect, publishStatus } from '@sync-doctor/salesforce';

/**
 * The status as the relay publishes it, then Sync_Errors__c written as the relay writes it: the
 * JSON text (null clears it), by the record's external id, so the test holds whichever writer
 * sets the field. `errors` undefined leaves the field as it is.
 */
export async function relaySyncErrors(
  sim: OrgSimulator,
  status: RelayedStatus,
  errors?: RelayedSyncErrors | null,
) {
  const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
  await publishStatus(conn, status);
  if (errors === undefined) return conn;
  await conn.request({
    method: 'PATCH',
    url: `/services/data/v62.0/sobjects/${STATUS_OBJECT.name}/${STATUS_OBJECT.fields.portalId}/${status.portalId}`,
    body: JSON.stringify({
      [STATUS_OBJECT.fields.syncErrors]: errors ? JSON.stringify(errors) : null,
    }),
    headers: { 'content-type': 'application/json' },
  });
  return conn;
}

/** The output with its wrapping undone, so a sentence is found whatever the terminal's width. */
export const flat = (text: string) => text.replace(/\s+/g, ' ');

/** From "HubSpot reported" on, flat. */
export const reportedOf = (stdout: string) =>
  flat(stdout.slice(stdout.indexOf('HubSpot reported')));

/** The footer's count of the API requests the check spent reading the org. */
export const requestsOf = (stdout: string) =>
  Number(/(\d+) API requests? to read the org/.exec(stdout)?.[1]);

/** The first sync-error group of a --json document. */
export const firstGroupOf = (json: unknown) =>
  (json as { hubspotReported: { status: { syncErrors: { groups: Record<string, unknown>[] } } } })
    .hubspotReported.status.syncErrors.groups[0]!;
