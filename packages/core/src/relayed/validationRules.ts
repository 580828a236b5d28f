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
import { comparableMessage, validationExceptionMessage } from './salesforceErrorText.js';
import { syncErrorGroupObjects } from './salesforceNames.js';
import { type RelayedSyncErrors, type SyncErrorGroup } from './syncErrors.js';
import { syncErrorKind } from './syncErrorKinds.js';

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

/**
 * A message's own full stop aside: Salesforce answers the rule's message as written. A loop, not
 * /[.。!]+$/: that tries every stop of a long run of them, one after the other, to its end.
 */
function unstopped(s: string): string {
  let end = s.length;
  while (end > 0 && STOPS.includes(s[end - 1]!)) end--;
  return s.slice(0, end);
}
const STOPS = '.。!';

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

/** A rule as a Now line names it: its object and name. */
type Named = Pick<ValidationRuleFact, 'object' | 'name'>;

/** "Contact's Phone_10" or "Contact's Phone_10 and Lead's Lead_Phone". */
const ruleNames = (rules: readonly Named[]) =>
  joinList(
    rules.map((r) => `${r.object}'s ${r.name}`),
    'and',
  );

/** Where the rules are edited: one object's list, or each object's. */
const rulesPlace = (rules: readonly Named[]) => {
  const objects = [...new Set(rules.map((r) => r.object))];
  return `Setup > Object Manager > ${joinList(objects, 'and')} > Validation Rules`;
};

/**
 * How a line says what the rules show: read now (the CLI), or as the relay read them when it
 * carried the export into Salesforce (the app, whose Apex cannot read them).
 */
const WORDS = {
  now: {
    lead: 'Now:',
    sends: 'sends',
    send: 'send',
    does: 'does',
    do: 'do',
    changed: 'since the export, and then a resync is all these records need',
  },
  relayed: {
    lead: 'When the export arrived,',
    sends: 'sent',
    send: 'sent',
    does: 'did',
    do: 'did',
    changed: 'before the export arrived',
  },
} as const;

/**
 * What the org's active validation rules say of a custom-code group: the rule that sends its
 * message (on the group's objects, else on another object an automation updates), or, for a
 * validation refusal no active rule sends, that a flow or Apex does unless the rule changed. The
 * rules read now (`rules`, the CLI's) come first; else those the relay found when it carried the
 * export (the group's `validationRules`, the app's). Null when neither was read, the example is
 * cut, or the group is no validation refusal and no rule's message is in it.
 */
export function validationRuleNow(
  group: Pick<SyncErrorGroup, 'object' | 'example' | 'validationRules'>,
  rules: readonly ValidationRuleFact[] | undefined,
): SyncErrorNow | null {
  const example = group.example;
  if (typeof example !== 'string' || CUT.test(example)) return null;
  let sending: readonly Named[];
  let w: (typeof WORDS)[keyof typeof WORDS];
  if (rules) [sending, w] = [validationRulesSending(example, rules), WORDS.now];
  else if (group.validationRules) [sending, w] = [group.validationRules, WORDS.relayed];
  else return null;
  const objects = syncErrorGroupObjects({
    reason: 'OBJECT_PERMISSIONS_MISSING',
    object: group.object,
  });
  const own = (r: Named) => objects.some((o) => o.toLowerCase() === r.object.toLowerCase());
  const onObject = objects.length ? sending.filter(own) : sending;
  if (onObject.length) {
    const several = onObject.length > 1;
    return {
      ok: false,
      text: `${w.lead} ${several ? 'the active validation rules' : 'the active validation rule'} ${ruleNames(onObject)} ${several ? w.send : w.sends} this message (${rulesPlace(onObject)}).`,
    };
  }
  if (sending.length) {
    const onObjects = ` on ${joinList(objects, 'or')}`;
    const elsewhere = [...new Set(sending.map((r) => r.object))];
    const several = sending.length > 1;
    return {
      ok: false,
      text: `${w.lead} no validation rule${onObjects} ${w.sends} this message, but the active ${several ? 'rules' : 'rule'} ${ruleNames(sending)} ${several ? w.do : w.does}: a flow or trigger that updates ${joinList(elsewhere, 'or')} when HubSpot writes the record meets it (${rulesPlace(sending)}).`,
    };
  }
  // Only a FIELD_CUSTOM_VALIDATION_EXCEPTION (a flow's Custom Error sends it too) is a rule's.
  if (!validationExceptionMessage(example)) return null;
  return {
    ok: false,
    text: `${w.lead} no active validation rule ${w.sends} this message, so a flow's Custom Error element or Apex (a trigger's addError) ${w.does}; or the rule was turned off or reworded ${w.changed}.`,
  };
}

/** Rules kept per group at most: one message is rarely more than a rule or two. */
const RULES_KEPT = 5;

/**
 * The summary with each custom-code group's `validationRules`: the org's active rules (`records`,
 * the Tooling API's ValidationRule rows) that send its message, [] for a validation refusal none
 * sends. The relay calls it once per export it carries, since the app cannot read the rules
 * itself. The summary unchanged when `records` is no list (not read).
 */
export function withValidationRules(
  summary: RelayedSyncErrors,
  records: unknown,
): RelayedSyncErrors {
  const facts = validationRuleFacts(records);
  if (!facts) return summary;
  const groups = summary.groups.map((g): SyncErrorGroup => {
    if (syncErrorKind(g) !== 'custom-code' || !g.example || CUT.test(g.example)) return g;
    const sending = validationRulesSending(g.example, facts);
    if (sending.length === 0 && !validationExceptionMessage(g.example)) return g;
    return {
      ...g,
      validationRules: sending.slice(0, RULES_KEPT).map(({ object, name }) => ({ object, name })),
    };
  });
  return { ...summary, groups };
}
