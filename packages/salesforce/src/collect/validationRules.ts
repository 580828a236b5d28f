import type { ValidationRuleRecord } from '@sync-doctor/core';
import { isSalesforceError } from '../errors.js';
import { isTransientSalesforceFailure } from '../transient.js';
import { sendRest } from '../transport.js';
import { DATA_PATH } from '../version.js';
import { stripAttributes } from './records.js';

/**
 * The org's active validation rules, to name the rule behind a "custom code" sync error: Salesforce
 * sends a rule's Error Message, never its name (the core's validationRuleNow). ValidationRule is a
 * Tooling API object only, so neither the REST Query resource nor the Apex can read it; the CLI and
 * the relay (for the app) read it here. No ORDER BY: the Tooling API refuses ordering by the joined
 * EntityDefinition's fields ("SOQL Operation Limitations").
 */
export const VALIDATION_RULES_SOQL =
  'SELECT Id, ValidationName, Active, ErrorMessage, ErrorDisplayField, EntityDefinition.QualifiedApiName FROM ValidationRule WHERE Active = true';

export type ValidationRulesRead =
  | { read: true; records: ValidationRuleRecord[] }
  | {
      read: false;
      /**
       * 'needs-permissions': Salesforce hid ValidationRule from the caller (it needs "View Setup
       * and Configuration"); 'error': the org refused otherwise.
       */
      cause: 'needs-permissions' | 'error';
      errorCode?: string;
      message: string;
    };

/** What reading validation rules needs, in the words of Setup (for messages). */
export const VALIDATION_RULES_PERMISSION_NEEDED = '"View Setup and Configuration"';

/** Codes with which Salesforce says the caller may not see a Tooling object. */
const HIDDEN = new Set(['INVALID_TYPE', 'INSUFFICIENT_ACCESS', 'INSUFFICIENT_ACCESS_OR_READONLY']);

interface Page {
  done?: boolean;
  nextRecordsUrl?: string;
  records?: Record<string, unknown>[];
}

/** Pages followed at most: 2,000 rules a page; an org holds a few hundred. */
const MAX_PAGES = 10;

/**
 * Reads the org's active validation rules through the Tooling API's Query resource, every page.
 * A refusal that says the caller may not see ValidationRule is 'needs-permissions'; any other
 * Salesforce refusal is 'error'; a failure that passes (network, timeout, 503, the API limit)
 * or an abort throws, so a caller that retries (the relay) tries again.
 */
export async function readValidationRules(
  conn: Parameters<typeof sendRest>[0],
): Promise<ValidationRulesRead> {
  const records: ValidationRuleRecord[] = [];
  let url: string | undefined =
    `${DATA_PATH}/tooling/query?q=${encodeURIComponent(VALIDATION_RULES_SOQL)}`;
  try {
    for (let pages = 0; url && pages < MAX_PAGES; pages++) {
      const page: Page = await sendRest<Page>(conn, {
        method: 'GET',
        url,
        label: 'GET /tooling/query (ValidationRule)',
      });
      for (const record of page.records ?? [])
        records.push(stripAttributes(record) as unknown as ValidationRuleRecord);
      url = page.done === false ? page.nextRecordsUrl : undefined;
    }
  } catch (error) {
    if (!isSalesforceError(error) || isTransientSalesforceFailure(error)) throw error;
    return {
      read: false,
      cause: HIDDEN.has(error.errorCode) ? 'needs-permissions' : 'error',
      errorCode: error.errorCode,
      message: error.message,
    };
  }
  return { read: true, records };
}
