/**
 * Which of the org's validation rules sent a "custom code" sync error. Salesforce's message for a
 * validation rule is the rule's own Error Message ("FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must
 * have 10 digits: [Phone]"), never its name, and Setup has no search over rules' messages: an admin
 * opens every rule of the object to find it. With the org's active rules read (the Tooling API's
 * ValidationRule, so only the Node collector reads them: the app's Apex cannot reach the Tooling
 * API without a callout), the message names its rule.
 */
import type { ValidationRuleRecord } from '../snapshot/types.js';
import type { ValidationRuleFact } from '../diagnosis/types.js';
import { joinList } from '../diagnosis/text.js';
import type { SyncErrorNow } from './syncErrorNowBasics.js';
import {
  comparableMessage,
  syncErrorGroupObjects,
  validationExceptionMessage,
  type SyncErrorGroup,
} from './syncErrors.js';

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/**
 * The snapshot's ValidationRule records as facts: active ones only, each with an object, a name
 * and a message; anything else is left out, not trusted (the snapshot's schema does not list
 * them, since the Apex never writes them). Undefined when they were not read.
 */
export function validationRuleFacts(records: unknown): ValidationRuleFact[] | undefined {
  if (!Array.isArray(records)) return undefined;
  const facts: ValidationRuleFact[] = [];
  for (const r of records as Partial<ValidationRuleRecord>[]) {
    if (!r || typeof r !== 'object' || r.Active === false) continue;
    const object = text(r.EntityDefinition?.QualifiedApiName);
    const name = text(r.ValidationName);
    const message = text(r.ErrorMessage);
    if (!object || !name || !message) continue;
    const field = text(r.ErrorDisplayField);
    facts.push({ object, name, message, ...(field ? { field } : {}) });
  }
  return facts;
}

const normal = comparableMessage;

/** A value cut short by the relay ('…') or by HubSpot's export ('...'). */
const CUT = /(?:…|\.\.\.)\s*$/;

/** Whole words only: 'Invalid' is not the rule of 'Invalid phone'. */
function holds(said: string, message: string): boolean {
  const at = said.indexOf(message);
  if (message.length < 4 || at < 0) return false;
  const edge = (c: string | undefined) => c === undefined || !/[\p{L}\p{N}]/u.test(c);
  return edge(said[at - 1]) && edge(said[at + message.length]);
}

/** A message's own full stop aside: Salesforce answers the rule's message as written. */
const unstopped = (s: string) => s.replace(/[.。!]+$/u, '');

/**
 * The active rules that sent the example's message. A FIELD_CUSTOM_VALIDATION_EXCEPTION's message
 * is the rule's message whole, so it is compared whole ("Region is required" is not the rule of
 * "Region is required for EMEA"); other text (HubSpot's own words around it) is searched for the
 * longest message it holds. [] when the example is cut short or holds none.
 */
export function validationRulesSending(
  example: string | null | undefined,
  rules: readonly ValidationRuleFact[],
): ValidationRuleFact[] {
  if (typeof example !== 'string' || CUT.test(example)) return [];
  const refusal = validationExceptionMessage(example);
  if (refusal) {
    const said = unstopped(normal(refusal));
    return rules.filter((rule) => unstopped(normal(rule.message)) === said);
  }
  const said = normal(example);
  const found = rules.filter((rule) => holds(said, normal(rule.message)));
  const longest = Math.max(0, ...found.map((r) => normal(r.message).length));
  return found.filter((r) => normal(r.message).length === longest);
}

/** "Contact's rule Phone_10" or "Contact's Phone_10 and Lead's Lead_Phone". */
const ruleNames = (rules: readonly ValidationRuleFact[]) =>
  joinList(
    rules.map((r) => `${r.object}'s ${r.name}`),
    'and',
  );

/** Where the rules are edited: one object's list, or each object's. */
const rulesPlace = (rules: readonly ValidationRuleFact[]) => {
  const objects = [...new Set(rules.map((r) => r.object))];
  return objects.length === 1
    ? `Setup > Object Manager > ${objects[0]} > Validation Rules`
    : `Setup > Object Manager > ${joinList(objects, 'and')} > Validation Rules`;
};

/**
 * What the org's active validation rules say now of a custom-code group: the rule that sends its
 * message (on the group's objects, else on another object an automation updates), or, for a
 * validation refusal no active rule sends, that a flow or Apex does unless the rule changed since.
 * Null when the rules were not read, the example is cut, or the group is no validation refusal
 * and no rule's message is in it.
 */
export function validationRuleNow(
  group: Pick<SyncErrorGroup, 'object' | 'example'>,
  rules: readonly ValidationRuleFact[] | undefined,
): SyncErrorNow | null {
  if (!rules || typeof group.example !== 'string' || CUT.test(group.example)) return null;
  const objects = syncErrorGroupObjects({
    reason: 'OBJECT_PERMISSIONS_MISSING',
    object: group.object,
  });
  const own = (r: ValidationRuleFact) =>
    objects.some((o) => o.toLowerCase() === r.object.toLowerCase());
  const sending = validationRulesSending(group.example, rules);
  const onObject = objects.length ? sending.filter(own) : sending;
  const onObjects = objects.length ? ` on ${joinList(objects, 'or')}` : '';
  if (onObject.length) {
    const several = onObject.length > 1;
    return {
      ok: false,
      text: `Now: ${several ? 'the active validation rules' : 'the active validation rule'} ${ruleNames(onObject)} ${several ? 'send' : 'sends'} this message (${rulesPlace(onObject)}).`,
    };
  }
  if (sending.length) {
    const elsewhere = [...new Set(sending.map((r) => r.object))];
    return {
      ok: false,
      text: `Now: no validation rule${onObjects} sends this message, but the active ${sending.length > 1 ? 'rules' : 'rule'} ${ruleNames(sending)} ${sending.length > 1 ? 'do' : 'does'}: a flow or trigger that updates ${joinList(elsewhere, 'or')} when HubSpot writes the record meets it (${rulesPlace(sending)}).`,
    };
  }
  // Only a FIELD_CUSTOM_VALIDATION_EXCEPTION (a flow's Custom Error sends it too) is a rule's.
  if (!validationExceptionMessage(group.example)) return null;
  return {
    ok: false,
    text: `Now: no active validation rule sends this message, so a flow's Custom Error element or Apex (a trigger's addError) does; or the rule was turned off or reworded since the export, and then a resync is all these records need.`,
  };
}
