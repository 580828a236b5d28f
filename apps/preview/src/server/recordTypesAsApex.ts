import {
  MAX_RECORD_TYPES,
  readRecordTypePicklists,
  type Connection,
} from '@sync-doctor/salesforce';
import { recordTypeNotAnswered, recordTypesTooMany } from '@sync-doctor/core';
import { ApexCallError } from './apexErrors.js';
import { stringArg } from './controllerArgs.js';

/** SyncDoctorRecordTypePicklistReader's caps and name check. */
const MAX_FIELDS = 50;
const MAX_FIELDS_JSON_LENGTH = 20_000;
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * getRecordTypePicklists' fieldsJson as SyncDoctorRecordTypePicklistReader.parseFields reads it:
 * `{ "fields": ["Lead.LeadSource", ...] }`, each once ignoring case (first spelling kept), refused
 * in the Apex's words.
 */
export function fieldsArg(params: Record<string, unknown>, name: string): string[] {
  const text = stringArg(params, name, Number.MAX_SAFE_INTEGER, { optional: true });
  if (text === null || text.trim() === '')
    throw new ApexCallError(
      "Sync Doctor's page sends the fields whose record types it asks about: this request had none. Reload the page.",
      400,
    );
  if (text.length > MAX_FIELDS_JSON_LENGTH)
    throw new ApexCallError(
      `The fields are too long: at most ${MAX_FIELDS_JSON_LENGTH} characters.`,
      400,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ApexCallError(`The fields are not valid JSON: ${(error as Error).message}`, 400);
  }
  const entries =
    parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>).fields
      : undefined;
  if (!Array.isArray(entries) || Object.keys(parsed as object).length !== 1)
    throw new ApexCallError(
      'The fields must be a JSON object { "fields": ["Lead.LeadSource", ...] }.',
      400,
    );
  const fields: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const [object, field, extra] = typeof entry === 'string' ? entry.split('.') : [];
    if (!object || !field || extra !== undefined || !API_NAME.test(object) || !API_NAME.test(field))
      throw new ApexCallError(
        `The fields are Object.Field API names such as Lead.LeadSource, not ${JSON.stringify(entry).slice(0, 80)}.`,
        400,
      );
    if (!seen.has((entry as string).toLowerCase())) {
      seen.add((entry as string).toLowerCase());
      fields.push(entry as string);
    }
  }
  if (fields.length > MAX_FIELDS)
    throw new ApexCallError(
      `At most ${MAX_FIELDS} fields are asked about at once, not ${fields.length}.`,
      400,
    );
  return fields;
}

/**
 * What SyncDoctorRecordTypePicklistReader.read answers, `{ objects, notRead }`, from the org over
 * the REST API: the collector reads the record types (RecordType, then the User Interface API's
 * picklist values of each, the resource ConnectApi.RecordUi answers from in Apex); this keeps of it
 * what the Apex keeps. The fields' objects that exist, as Salesforce spells them, in the fields'
 * order; each record type's values only for the asked fields; an object with a record type left
 * unread not listed, and none when there are more than the collector's MAX_RECORD_TYPES (as the
 * Apex), each said in `notRead` in the Apex's words.
 */
export async function recordTypesAsApex(
  conn: Connection,
  fields: readonly string[],
): Promise<{ objects: Record<string, unknown>[]; notRead: string[] }> {
  const { sobjects } = await conn.describeGlobal();
  const spelled = new Map(sobjects.map((s) => [s.name.toLowerCase(), s.name]));
  const asked = new Map<string, { apiName: string; fields: Set<string> }>();
  for (const field of fields) {
    const [object = '', name = ''] = field.split('.');
    const apiName = spelled.get(object.toLowerCase());
    if (!apiName) continue;
    const entry = asked.get(apiName.toLowerCase()) ?? { apiName, fields: new Set<string>() };
    entry.fields.add(name.toLowerCase());
    asked.set(apiName.toLowerCase(), entry);
  }
  if (asked.size === 0) return { objects: [], notRead: [] };
  const objectNames = [...asked.values()].map((entry) => entry.apiName);
  const read = await readRecordTypePicklists(conn, objectNames);
  if (!read.read)
    return {
      objects: [],
      notRead: [
        read.cause === 'too-many'
          ? recordTypesTooMany(objectNames, MAX_RECORD_TYPES)
          : read.message,
      ],
    };
  const notRead = read.unread.map(({ object, recordType }) =>
    recordTypeNotAnswered(object, recordType),
  );
  const objects = read.objects.map((object) => {
    const wanted = asked.get(String(object.apiName).toLowerCase())?.fields ?? new Set<string>();
    const recordTypes = (object.recordTypes as Record<string, unknown>[]).map((recordType) => ({
      ...recordType,
      picklistFieldValues: Object.fromEntries(
        Object.entries((recordType.picklistFieldValues ?? {}) as Record<string, unknown>)
          .filter(([field]) => wanted.has(field.toLowerCase()))
          .map(([field, answer]) => [
            field,
            {
              values: (
                ((answer as { values?: unknown[] }).values ?? []) as Record<string, unknown>[]
              ).map(({ value, label }) => ({ value, label })),
            },
          ]),
      ),
    }));
    return { apiName: object.apiName, recordTypes };
  });
  return { objects, notRead };
}
