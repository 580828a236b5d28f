import { isSalesforceError } from '../errors.js';
import { isTransientSalesforceFailure } from '../transient.js';
import { sendRest } from '../transport.js';
import { DATA_PATH } from '../version.js';

/**
 * The duplicate rules of the objects a duplicate sync error names, to say which refuse HubSpot's
 * writes (the core's duplicateRuleNow): Salesforce's DUPLICATES_DETECTED names no rule. The User
 * Interface API's duplicates resource lists an object's active rules with their actions (what the
 * DuplicateRule object does not give); it is no sObject resource, so a composite cannot carry it:
 * one request per object, sent together.
 */
export type DuplicateRulesRead =
  | {
      read: true;
      /** The duplicates configurations answered, one per object the reader may see. */
      configs: Record<string, unknown>[];
    }
  | { read: false; cause: 'error'; errorCode?: string; message: string };

/** An object the reader may not see, or the org lacks: Salesforce answers it as no resource. */
const ABSENT = new Set(['NOT_FOUND', 'INVALID_TYPE']);

/**
 * Reads the duplicates configuration of each of `objects` (API names). An object the reader may not
 * see, or the org lacks, is left out (its groups are then not judged); any other Salesforce refusal
 * is 'error'; a failure that passes (network, timeout, 503, the API limit) or an abort throws, so
 * a caller that retries tries again.
 */
export async function readDuplicateRules(
  conn: Parameters<typeof sendRest>[0],
  objects: readonly string[],
): Promise<DuplicateRulesRead> {
  try {
    const answers = await Promise.all(
      objects.map(async (object) => {
        try {
          return await sendRest<Record<string, unknown>>(conn, {
            method: 'GET',
            url: `${DATA_PATH}/ui-api/duplicates/${encodeURIComponent(object)}`,
            label: `GET /ui-api/duplicates/${object}`,
          });
        } catch (error) {
          if (isSalesforceError(error) && ABSENT.has(error.errorCode)) return null;
          throw error;
        }
      }),
    );
    return { read: true, configs: answers.filter((a): a is Record<string, unknown> => !!a) };
  } catch (error) {
    if (!isSalesforceError(error) || isTransientSalesforceFailure(error)) throw error;
    return { read: false, cause: 'error', errorCode: error.errorCode, message: error.message };
  }
}
