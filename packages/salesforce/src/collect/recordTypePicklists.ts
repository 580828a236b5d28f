import { isSalesforceError } from '../errors.js';
import { isTransientSalesforceFailure } from '../transient.js';
import { queryUrl, soqlList } from '../soql.js';
import { sendRest } from '../transport.js';
import { DATA_PATH } from '../version.js';

/**
 * The active record types of the objects of a picklist sync error, with the values each offers for
 * the objects' picklists (the core's recordTypesLacking): a restricted picklist refuses a value
 * the record's record type does not offer, and the field's describe lists only the field's own
 * values. One query of RecordType, then the User Interface API's picklist values of each active
 * record type (GET /ui-api/object-info/{object}/picklist-values/{recordTypeId}: every picklist of
 * the object in one answer), sent together; no composite carries a UI API resource.
 */
export type RecordTypePicklistsRead =
  | {
      read: true;
      /** One entry per object asked: `{ apiName, recordTypes: [{ name, developerName, picklistFieldValues }] }`. */
      objects: Record<string, unknown>[];
      /**
       * The record types whose values Salesforce did not show the reader (NOT_FOUND), their
       * objects left out of `objects`: what a "not read" line names.
       */
      unread: { object: string; recordType: string }[];
    }
  | { read: false; cause: 'too-many' | 'error'; errorCode?: string; message: string };

/**
 * The most record types read at once: each costs a request. An org with more on the asked objects
 * is told so rather than charged them all (a HubSpot contact's objects have a handful at most).
 */
export const MAX_RECORD_TYPES = 20;

interface RecordTypeRow {
  Id: string;
  Name: string;
  DeveloperName: string;
  SobjectType: string;
}

/**
 * Reads the record types of `objects` (API names) and the picklist values each offers. An object
 * without active record types is listed with none (its records take the field's own values); an
 * object with a record type whose values the reader may not see (NOT_FOUND: no Read on the object)
 * is left out, so its groups are not judged on part of its record types, and named in `unread`.
 * More than MAX_RECORD_TYPES is 'too-many' (nothing read); any other Salesforce refusal is
 * 'error'; a failure that passes (network, timeout, 503, the API limit) or an abort throws.
 */
export async function readRecordTypePicklists(
  conn: Parameters<typeof sendRest>[0],
  objects: readonly string[],
): Promise<RecordTypePicklistsRead> {
  try {
    const soql = `SELECT Id, Name, DeveloperName, SobjectType FROM RecordType WHERE IsActive = true AND SobjectType IN ${soqlList(objects)} ORDER BY SobjectType, Name`;
    const page = await sendRest<{ records?: RecordTypeRow[] }>(conn, {
      method: 'GET',
      url: queryUrl(soql),
      label: 'GET /query (RecordType)',
    });
    const rows = page.records ?? [];
    if (rows.length > MAX_RECORD_TYPES)
      return {
        read: false,
        cause: 'too-many',
        message: `${rows.length} active record types, more than the ${MAX_RECORD_TYPES} read at once`,
      };
    const answers = await Promise.all(
      rows.map(async (row) => {
        try {
          const answer = await sendRest<{ picklistFieldValues?: unknown }>(conn, {
            method: 'GET',
            url: `${DATA_PATH}/ui-api/object-info/${encodeURIComponent(row.SobjectType)}/picklist-values/${encodeURIComponent(row.Id)}`,
            label: `GET /ui-api/object-info/${row.SobjectType}/picklist-values`,
          });
          return { row, picklistFieldValues: answer.picklistFieldValues };
        } catch (error) {
          if (isSalesforceError(error) && error.errorCode === 'NOT_FOUND') return null;
          throw error;
        }
      }),
    );
    // An object with a record type whose values went unread is left out: "every record type
    // offers it" must never stand on part of them.
    const unreadRows = rows.filter((_, i) => !answers[i]);
    const unread = new Set(unreadRows.map((row) => row.SobjectType.toLowerCase()));
    return {
      read: true,
      unread: unreadRows.map((row) => ({ object: row.SobjectType, recordType: row.Name })),
      objects: objects
        .filter((apiName) => !unread.has(apiName.toLowerCase()))
        .map((apiName) => ({
          apiName,
          recordTypes: answers
            .filter((a) => a && a.row.SobjectType.toLowerCase() === apiName.toLowerCase())
            .map((a) => ({
              name: a!.row.Name,
              developerName: a!.row.DeveloperName,
              picklistFieldValues: a!.picklistFieldValues,
            })),
        })),
    };
  } catch (error) {
    if (!isSalesforceError(error) || isTransientSalesforceFailure(error)) throw error;
    return { read: false, cause: 'error', errorCode: error.errorCode, message: error.message };
  }
}
