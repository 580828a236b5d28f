import { classifySalesforceError } from './classifySalesforceError.js';
import { classifySuspensionText } from './classifySuspensionText.js';
import type { ReasonCode } from './codes.js';
import { normalizeText } from './normalizeText.js';

export interface SyncErrorTextMatch {
  reason: ReasonCode;
  /**
   * What placed it: a Salesforce error code or message inside the text, one of the article's
   * suspension headings, or HubSpot's own Sync Health wording for a permission error.
   */
  matchedBy: 'salesforce-error' | 'suspension-heading' | 'sync-health-phrase';
  /** The language of the heading or phrase that matched; null for a Salesforce code. */
  language: string | null;
}

/**
 * HubSpot's own words for permission errors on its Sync Health tab and in its "Export errors"
 * CSV (its article "Manage Salesforce integration API calls and sync errors": "Salesforce field
 * permission error", "Insufficient access or missing Salesforce record"), English and Danish,
 * in normalizeText form (lower case, no diacritics: "æ" -> "ae", single spaces). Each phrase is
 * matched at the start of a word, and may run on ("field permissions", "objekttilladelser").
 */
const SYNC_HEALTH_PHRASES: { reason: ReasonCode; language: string; phrases: string[] }[] = [
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    language: 'en',
    phrases: ['field permission', 'field level security'],
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    language: 'da',
    phrases: ['felttilladelse', 'tilladelse til salesforce feltet'],
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    language: 'en',
    phrases: ['insufficient access', 'object permission'],
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    language: 'da',
    phrases: ['utilstraekkelig adgang', 'objekttilladelse'],
  },
];

/**
 * Salesforce codes that, in one record's sync error, speak of that record and not of the org or the
 * integration user: INACTIVE_OWNER_OR_USER there is the record's inactive owner (a suspension
 * e-mail or an API call of the integration user's own would mean the user itself). No suspension
 * follows from them, so they place no reason even though classifySalesforceError maps the code.
 */
const RECORD_CODES: ReadonlySet<string> = new Set(['INACTIVE_OWNER_OR_USER']);
const FIRST_CODE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/;

/** A Sync Health error is a line or two; only the start of a longer text is read. */
const MAX_TEXT_CHARS = 20_000;

/**
 * Classifies the text of one HubSpot Sync Health error (its error type and message, as the
 * "Export errors" CSV or the Sync Health tab shows them, e.g. "Field permission error\nUnable
 * to update field Industry"). In this order, the first that places it wins:
 * 1. a Salesforce error code or message in the text (`classifySalesforceError`), e.g.
 *    "INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry";
 * 2. a suspension heading of HubSpot's article (`classifySuspensionText`), in any language it knows;
 * 3. HubSpot's Sync Health wording for field and object permission errors.
 * Returns null for errors that do not lead to a suspension (picklist values, duplicates, a record's
 * inactive owner, ...).
 * Pure and LWC-safe; never throws.
 */
export function classifySyncErrorText(text: string): SyncErrorTextMatch | null {
  if (typeof text !== 'string') return null;
  const input = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
  if (input.trim() === '') return null;

  const code = FIRST_CODE.exec(input)?.[0];
  if (code && RECORD_CODES.has(code)) return null;

  const bySalesforce = classifySalesforceError(input);
  if (bySalesforce !== 'UNKNOWN_ERROR')
    return { reason: bySalesforce, matchedBy: 'salesforce-error', language: null };

  const byHeading = classifySuspensionText(input);
  if (byHeading && byHeading.reason !== 'UNKNOWN_ERROR')
    return {
      reason: byHeading.reason,
      matchedBy: 'suspension-heading',
      language: byHeading.language,
    };

  const normalized = normalizeText(input);
  for (const { reason, language, phrases } of SYNC_HEALTH_PHRASES) {
    if (phrases.some((phrase) => normalized.includes(` ${phrase}`)))
      return { reason, matchedBy: 'sync-health-phrase', language };
  }
  return null;
}
