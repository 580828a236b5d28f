import { fieldsInSalesforceMessage } from '@sync-doctor/core';

/**
 * The Salesforce fields one row of a sync-errors export is about, when its field column cannot
 * say: HubSpot groups field-permission errors by error type, and its export's field column may be
 * missing or hold HubSpot's property ('hs_lead_score'), while Salesforce's own message, passed on,
 * names the fields by API name ("Unable to create/update fields: A, B. Please check...", "No such
 * column 'X' on entity 'Lead'"). Grouped by those names, every field any row names reaches the
 * findings, not only the first row's.
 *
 * Per row this is one regex test, and only for rows whose field column is not a Salesforce name:
 * the message is read further (the core's fieldsInSalesforceMessage) only when it has Salesforce's
 * field-error wording, and the answer for a message seen before is remembered (bounded), since an
 * export repeats one message for every record that failed the same way.
 */

/**
 * A field column's value that is a Salesforce field's API name ('Industry', 'Contact.Industry',
 * 'score__c'), as the core's syncErrorFieldCandidates reads it: standard fields start with a
 * capital, custom ones end in a suffix; HubSpot's internal names are lower case.
 */
const SALESFORCE_FIELD =
  /^(?:[A-Za-z][A-Za-z0-9_]*\.)?(?:[A-Z][A-Za-z0-9_]*|[A-Za-z][A-Za-z0-9_]*__[A-Za-z]+)$/;

/** Salesforce's wording for a field it refused (INVALID_FIELD_FOR_INSERT_UPDATE, INVALID_FIELD). */
const FIELD_ERROR_WORDING = /Unable to create\/update field|No such column/i;

/** Whether a message has Salesforce's wording for a field it refused: a field-permission error. */
export const saysFieldError = (message: string): boolean => FIELD_ERROR_WORDING.test(message);

/** Messages whose answer is remembered at most, and the longest one remembered (memory stays bounded). */
const MAX_REMEMBERED = 1000;
const MAX_REMEMBERED_LENGTH = 1000;

export class MessageFields {
  private readonly remembered = new Map<string, readonly string[]>();

  /**
   * The fields the row's message names ('Score__c', or 'Lead.Score__c' when Salesforce says on
   * which object), each once, or none when its field column names a Salesforce field already or
   * the message names none. `message` is what is read of it (the relay's kept start).
   */
  of(field: string | null, message: string): readonly string[] {
    if (message === '' || (field !== null && SALESFORCE_FIELD.test(field))) return [];
    if (!saysFieldError(message)) return [];
    const known = this.remembered.get(message);
    if (known) return known;
    const remember =
      message.length <= MAX_REMEMBERED_LENGTH && this.remembered.size < MAX_REMEMBERED;
    // Remembered, it is read from a copy: the names found are cut from the text they were found
    // in, and a copy holds on to none of the upload's chunk (see `own` in syncErrors.ts).
    const text = remember ? Buffer.from(message, 'utf16le').toString('utf16le') : message;
    const names = new Map<string, string>();
    for (const named of fieldsInSalesforceMessage(text)) {
      const name = named.object ? `${named.object}.${named.field}` : named.field;
      if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
    }
    const fields = [...names.values()];
    if (remember) this.remembered.set(text, fields);
    return fields;
  }
}
