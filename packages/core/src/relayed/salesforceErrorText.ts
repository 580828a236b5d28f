/*
 * Salesforce's own error text as HubSpot passes it on in a sync error: the fields it names, the
 * picklist values it refused, the inactive owner, a validation rule's message, a duplicate rule's
 * refusal. The relay groups rows by what sets them apart here (syncErrorRowDetail); the readers
 * judge a group by it.
 */
import { isApiName } from './salesforceNames.js';

/** A field Salesforce's own error text names: always its API name, with its object when it says. */
interface NamedInMessage {
  object: string | null;
  field: string;
}

/**
 * "No such column 'Score__c' on entity 'Lead'" (SOQL and Apex) or "... on sobject of type Lead"
 * (REST): Salesforce's INVALID_FIELD, also what a field hidden by field-level security gives.
 */
const NO_SUCH_COLUMN =
  /No such column '([A-Za-z0-9_]+)' on (?:entity|sobject of type) '?([A-Za-z0-9_]+)'?/gi;
/**
 * "Unable to create/update fields: Score__c, Industry. Please check the security settings of this
 * field...": INVALID_FIELD_FOR_INSERT_UPDATE, the field-level security error; the list runs to
 * the full stop (or the end of a cut example).
 */
const UNABLE_TO_UPDATE = /Unable to create\/update fields?:\s*([^.\n]*)(\.?)/gi;
/**
 * Salesforce's words for INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, in the integration user's
 * language: English, French, Spanish, German, Japanese and Korean as Salesforce writes them (seen
 * in real messages; Danish and Dutch were not found). French puts a space before the colon.
 */
const RESTRICTED_PICKLIST_WORDS = [
  'bad value for restricted picklist field',
  'valeur incorrecte pour le champ de liste de sélection restreinte',
  'valor inapropiado para el campo de lista de selección restringida',
  'ungültiger Wert für eingeschränktes Auswahllistenfeld',
  '制限つき選択リスト項目の値が不適切',
  '제한된 선택 목록 필드의 잘못된 값',
];
const PICKLIST_WORDS = RESTRICTED_PICKLIST_WORDS.map((w) =>
  w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
).join('|');
/**
 * "Lead Source: bad value for restricted picklist field: Webinar: [LeadSource]": the field's label,
 * Salesforce's words, the refused value, then the fields by API name: in brackets as a DML error
 * has them, or ":LeadSource --" as a Bulk API result has them; the REST error's message has none.
 * The words are found by this expression, the rest of their line read by code (picklistRefusal):
 * one expression with a lazy value before optional fields tried the fields from every character of
 * the line, quadratic in a long one.
 */
const RESTRICTED_PICKLIST_HEAD = new RegExp(`(?:${PICKLIST_WORDS})\\s?[:：][ \\t]*`, 'giu');
const BULK_FIELDS = /^[A-Za-z0-9_]+(?:,[ \t]*[A-Za-z0-9_]+)*$/;
const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const inBulkFields = (c: string) => /[A-Za-z0-9_, \t]/.test(c);

interface PicklistRefusal {
  value: string;
  /** The fields in brackets ("[LeadSource]"), or after a Bulk API value (":LeadSource --"). */
  brackets?: string;
  bulk?: string;
}

/** The start of the spaces and tabs that end `line` before `end`. */
function blanksStart(line: string, end: number): number {
  let at = end;
  while (at > 0 && isBlank(line[at - 1])) at--;
  return at;
}

/**
 * The refused value and the fields named after it, read from the rest of the line after
 * Salesforce's words: "Webinar: [LeadSource]", "Webinar:LeadSource,Type --", or "Webinar".
 */
function picklistRefusal(line: string): PicklistRefusal {
  const end = blanksStart(line, line.length);
  if (line[end - 1] === ']') {
    // Brackets with no "]" inside, opened after a colon: the first such "[" gives the longest fields.
    const close = end - 1;
    for (
      let open = line.indexOf('[', line.lastIndexOf(']', close - 1) + 1);
      open >= 0 && open < close;
      open = line.indexOf('[', open + 1)
    ) {
      const colon = blanksStart(line, open) - 1;
      if (line[colon] === ':' || line[colon] === '：')
        return {
          value: line.slice(0, blanksStart(line, colon)),
          brackets: line.slice(open + 1, close),
        };
    }
  } else if (line.endsWith('--', end)) {
    const namesEnd = blanksStart(line, end - 2);
    let namesStart = namesEnd;
    while (namesStart > 0 && inBulkFields(line[namesStart - 1]!)) namesStart--;
    const names = line.slice(namesStart, namesEnd);
    if (namesEnd < end - 2 && line[namesStart - 1] === ':' && BULK_FIELDS.test(names))
      return { value: line.slice(0, blanksStart(line, namesStart - 1)), bulk: names };
  }
  return { value: line.slice(0, end) };
}

/** Each restricted-picklist refusal in the text, in order: one per line that holds the words. */
function picklistRefusals(text: string): PicklistRefusal[] {
  const found: PicklistRefusal[] = [];
  const head = new RegExp(RESTRICTED_PICKLIST_HEAD);
  for (let match = head.exec(text); match; match = head.exec(text)) {
    const from = match.index + match[0].length;
    const lineEnd = text.indexOf('\n', from);
    found.push(picklistRefusal(text.slice(from, lineEnd < 0 ? text.length : lineEnd)));
    if (lineEnd < 0) break;
    head.lastIndex = lineEnd + 1;
  }
  return found;
}
const RESTRICTED_PICKLIST_TEXT = new RegExp(`(?:${PICKLIST_WORDS})\\s?[:：]`, 'iu');

/** Whether the text is Salesforce's restricted-picklist error, in one of the languages it is read in. */
export function mentionsRestrictedPicklist(text: string | null | undefined): boolean {
  return typeof text === 'string' && RESTRICTED_PICKLIST_TEXT.test(text.normalize('NFC'));
}

/** A value cut short by the relay ('…') or by HubSpot's export ('...'): not to be believed. */
const CUT = /(?:…|\.\.\.)$/;

/**
 * The values a restricted picklist refused, as Salesforce's message names them ('Webinar'), each
 * once, as written: a multi-select picklist's 'Webinar;Trade Show' is one entry, split only where
 * the field is known to be multi-select (a plain picklist refuses 'Web;Other' as one value). []
 * when the message names none, or is cut short where the value would be.
 */
export function refusedPicklistValues(text: string | null | undefined): string[] {
  if (typeof text !== 'string' || text === '') return [];
  const values = new Set<string>();
  for (const { value } of picklistRefusals(text.normalize('NFC'))) {
    const one = value.trim();
    if (one !== '' && !CUT.test(one)) values.add(one);
  }
  return [...values];
}

/** "operation performed with inactive user [0055g00000AbCdEAAZ] as owner of contact". */
const INACTIVE_OWNER = /inactive user \[(005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\]/;

/** The inactive owner's user Id Salesforce's INACTIVE_OWNER_OR_USER message names, as written, or null. */
export function inactiveOwnerId(text: string | null | undefined): string | null {
  return typeof text === 'string' ? (INACTIVE_OWNER.exec(text)?.[1] ?? null) : null;
}

/**
 * "FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must have 10 digits: [Phone]": the code and what
 * separates it from the message. The message is the rest of that line without the display field's
 * brackets (messageOfLine). Not one expression ending in `(.*?)\s*(?:[:：]?\s*\[[^\]\n]*\]\s*)?`:
 * that tried the brackets from every character of the line, quadratic in a long one.
 */
const VALIDATION_CODE = /FIELD_CUSTOM_VALIDATION_EXCEPTION\s*[,:：\-–]?\s*/;
/** The rest of a line: up to the first line break (`.` stops at \n, \r, U+2028 and U+2029). */
const REST_OF_LINE = /^.*/;
/** The display field's brackets alone on the lines after a message that ends in a colon. */
const BRACKETS_BELOW = /^\s*\[[^\]\n]*\]\s*(?:\n|$)/;
const ENDS_IN_COLON = /[:：]$/;

/**
 * The message of a line: without the display field's brackets at its end, a colon before them
 * allowed ("...: [Phone]", "... []"), or on the lines after it ("...:\n[Phone]"), nor the spaces
 * around. `after` is the text after the line.
 */
function messageOfLine(line: string, after: string): string {
  const text = line.trimEnd();
  if (text.endsWith(']')) {
    // The brackets open at the first "[" after the last "]" before the closing one.
    const open = text.indexOf('[', text.lastIndexOf(']', text.length - 2) + 1);
    if (open >= 0) {
      const before = text.slice(0, open).trimEnd();
      return (ENDS_IN_COLON.test(before) ? before.slice(0, -1) : before).trimEnd();
    }
  }
  return ENDS_IN_COLON.test(text) && BRACKETS_BELOW.test(after)
    ? text.slice(0, -1).trimEnd()
    : text;
}

/** A message as compared with a rule's: case, width and spacing aside. */
export const comparableMessage = (s: string): string =>
  s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The refusing message of a validation rule or a flow's Custom Error, as Salesforce wrote it, or
 * null when `text` holds no FIELD_CUSTOM_VALIDATION_EXCEPTION. The relay keeps rows with different
 * messages apart (syncErrorRowDetail), so each group's example speaks for one rule.
 */
export function validationExceptionMessage(text: string | null | undefined): string | null {
  if (typeof text !== 'string') return null;
  const code = VALIDATION_CODE.exec(text);
  if (!code) return null;
  const rest = text.slice(code.index + code[0].length);
  const line = REST_OF_LINE.exec(rest)![0];
  const message = messageOfLine(line, rest.slice(line.length)).trim();
  return message ? message : null;
}

/** Only a duplicate rule's refusal says DUPLICATES_DETECTED (a unique field says DUPLICATE_VALUE). */
export const isDuplicateRuleRefusal = (text: string | null | undefined): boolean =>
  typeof text === 'string' && /\bDUPLICATES_DETECTED\b/.test(text);

/**
 * What sets a row of the export apart within its error type, object and field, so the relay keeps
 * it in a group of its own and that group's example speaks for all its rows: the values a
 * restricted picklist refused, the inactive owner, a validation rule's message (a rule names
 * itself by its message only), or a duplicate rule's refusal. '' for any other row. Without it, rows
 * refusing 'Webinar' and 'Trade Show' share one example, and the group reads fixed once 'Trade
 * Show' is added while 'Webinar' is still refused.
 */
export function syncErrorRowDetail(message: string): string {
  // A user's 15- and 18-character Ids are one user.
  const owner = inactiveOwnerId(message)?.slice(0, 15);
  if (owner) return owner;
  if (mentionsRestrictedPicklist(message)) return refusedPicklistValues(message).join('\u0000');
  // Each validation rule's refusals apart, compared as the rule matcher compares them.
  const refusal = validationExceptionMessage(message);
  if (refusal) return comparableMessage(refusal);
  // A duplicate rule's refusals apart from a unique field's (DUPLICATE_VALUE): only the rules'
  // group can be judged from the org's duplicate rules.
  return isDuplicateRuleRefusal(message) ? 'DUPLICATES_DETECTED' : '';
}

/**
 * The fields Salesforce's error text names: HubSpot passes its message on, and it names fields by
 * API name where the export's field column may hold a HubSpot property or a label. A list that
 * runs into the end of an example cut short ('…') loses its last, possibly cut, name.
 */
export function fieldsInSalesforceMessage(text: string | null | undefined): NamedInMessage[] {
  if (typeof text !== 'string' || text === '') return [];
  const named: NamedInMessage[] = [];
  for (const [, field = '', object = ''] of text.matchAll(NO_SUCH_COLUMN))
    if (isApiName(field) && isApiName(object)) named.push({ object, field });
  for (const match of text.matchAll(UNABLE_TO_UPDATE)) {
    const names = match[1]!.split(',').map((n) => n.trim());
    const runsToCut = match[2] === '' && /…\s*$/.test(text);
    if (runsToCut) names.pop();
    for (const field of names) if (isApiName(field)) named.push({ object: null, field });
  }
  for (const { brackets, bulk } of picklistRefusals(text.normalize('NFC')))
    for (const field of (brackets ?? bulk ?? '').split(',').map((n) => n.trim()))
      if (isApiName(field)) named.push({ object: null, field });
  return named;
}
