/**
 * Which of the org's duplicate rules refuse HubSpot's writes. Salesforce's DUPLICATES_DETECTED
 * names no rule, and HubSpot's export says only "Duplicates". A rule refuses an API write when it
 * blocks, and also when it only alerts: an API client that does not ask to save anyway (the
 * DuplicateRuleHeader's allowSave) gets the same error a block gives, which the Setup page does
 * not say. The User Interface API's duplicates resource lists each object's active rules with
 * their actions (one request per object, read by the Node collector only when an export's
 * duplicate group asks for them). The app's Apex cannot reach that resource: it reads the
 * DuplicateRule object (one query for every scope object), which names the active rules but holds
 * no actions, so its rules are 'unread' and the Now line says what to look for in Setup.
 */
import type {
  DuplicateRuleAction,
  DuplicateRuleFact,
  DuplicateRulesOfObject,
} from '../diagnosis/types.js';
import { joinList } from '../diagnosis/text.js';
import type { SyncErrorNow } from './syncErrorNowBasics.js';
import { isDuplicateRuleRefusal } from './salesforceErrorText.js';
import { syncErrorGroupObjects } from './salesforceNames.js';
import { parseSyncErrors, type RelayedSyncErrors, type SyncErrorGroup } from './syncErrors.js';
import { syncErrorKind } from './syncErrorKinds.js';

/** Where an admin edits them. */
export const DUPLICATE_RULES_PLACE = 'Setup > Duplicate Management > Duplicate Rules';

/**
 * What a rule under conditions may already do, which the User Interface API does not say in a
 * form read here: the advice's own way out (a condition on Current User). One rule, several.
 */
const CONDITIONS_MAY_EXEMPT = [
  "Its conditions may already leave out the integration user (Current User: Username not equal to it): if they do, it refuses none of HubSpot's writes.",
  "Their conditions may already leave out the integration user (Current User: Username not equal to it): a rule whose conditions do refuses none of HubSpot's writes.",
] as const;

/** Why a rule that only alerts refuses HubSpot's writes, which its Setup page does not say. */
const ALERT_REFUSES =
  'a rule that alerts refuses an API write as a block does, unless the write asks to save anyway';

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/**
 * What a rule does to an API write: 'block', 'alert' (refused without allowSave), null, or
 * 'unread' when the reader gave no action at all (the app's names-only read).
 */
function refusal(action: unknown, operations: unknown): DuplicateRuleAction {
  if (action === undefined) return 'unread';
  if (action === 'Block') return 'block';
  if (action === 'Allow' && Array.isArray(operations) && operations.includes('Alert'))
    return 'alert';
  return null;
}

/**
 * The User Interface API's duplicates configurations (GET /ui-api/duplicates/{object}), one per
 * object read, as facts: each object's active rules with what they do to a create and an edit.
 * The app's Apex sends the same shape with each rule's name alone (no actionOnInsert or
 * actionOnUpdate): what it did not read is 'unread', never guessed. A configuration without an
 * object name is left out, a rule without a name too. Undefined when none was read.
 */
export function duplicateRuleFacts(configs: unknown): DuplicateRulesOfObject[] | undefined {
  if (!Array.isArray(configs)) return undefined;
  const read: DuplicateRulesOfObject[] = [];
  for (const c of configs as Record<string, unknown>[]) {
    const object = c && typeof c === 'object' ? text(c.apiName) : undefined;
    if (!object) continue;
    const rules: DuplicateRuleFact[] = [];
    for (const r of Array.isArray(c.duplicateRules) ? (c.duplicateRules as unknown[]) : []) {
      const rule = r as Record<string, unknown> | null;
      const name = rule && typeof rule === 'object' ? text(rule.name) : undefined;
      if (!name || rule!.active === false) continue;
      rules.push({
        name,
        onCreate: refusal(rule!.actionOnInsert, rule!.operationsOnInsert),
        onEdit: refusal(rule!.actionOnUpdate, rule!.operationsOnUpdate),
        ...(Array.isArray(rule!.duplicateRuleFilters) && rule!.duplicateRuleFilters.length > 0
          ? { conditions: true as const }
          : {}),
      });
    }
    read.push({ object, rules });
  }
  return read;
}

/** The Salesforce objects a duplicate group's records are on: a HubSpot contact is Contact and Lead. */
function groupObjects(object: string | null): string[] {
  return syncErrorGroupObjects({ reason: 'OBJECT_PERMISSIONS_MISSING', object });
}

/**
 * The objects whose duplicate rules HubSpot's sync errors ask about: those of each group a
 * duplicate rule refused (DUPLICATES_DETECTED), in the export's order. [] costs no request.
 */
export function syncErrorsDuplicateRuleObjects(
  syncErrors: RelayedSyncErrors | string | null | undefined,
): string[] {
  const objects: string[] = [];
  for (const g of parseSyncErrors(syncErrors)?.groups ?? [])
    if (syncErrorKind(g) === 'duplicate' && isDuplicateRuleRefusal(g.example))
      for (const o of groupObjects(g.object)) if (!objects.includes(o)) objects.push(o);
  return objects;
}

/** Whether a rule was read by name only (the app's Apex): what it does is on its Setup page. */
const byNameOnly = (rule: DuplicateRuleFact): boolean =>
  rule.onCreate === 'unread' && rule.onEdit === 'unread';

/**
 * 'blocks on create and edit', 'alerts on create', 'blocks on create, alerts on edit'; 'actions
 * not read' for a rule read by name only.
 */
function actions(rule: DuplicateRuleFact): string {
  if (byNameOnly(rule)) return 'actions not read';
  const verb = { block: 'blocks', alert: 'alerts', unread: 'not read' } as const;
  if (rule.onCreate && rule.onCreate === rule.onEdit)
    return `${verb[rule.onCreate]} on create and edit`;
  return [
    rule.onCreate ? `${verb[rule.onCreate]} on create` : '',
    rule.onEdit ? `${verb[rule.onEdit]} on edit` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * What the org's duplicate rules say now of a group a duplicate rule refused: the active rules on
 * its objects that refuse an API write (block, or alert), or, when every object was read and none
 * does, that a resync is all its records need. Null for other duplicate errors (a unique field,
 * HubSpot's own e-mail check), or when an object of the group was not read.
 */
export function duplicateRuleNow(
  group: Pick<SyncErrorGroup, 'object' | 'example'>,
  read: readonly DuplicateRulesOfObject[] | undefined,
): SyncErrorNow | null {
  if (!read || !isDuplicateRuleRefusal(group.example)) return null;
  const objects = groupObjects(group.object);
  const of = (o: string) => read.find((r) => r.object.toLowerCase() === o.toLowerCase());
  if (objects.length === 0 || objects.some((o) => !of(o))) return null;
  const refusing = objects.flatMap((o) =>
    of(o)!
      .rules.filter((r) => r.onCreate || r.onEdit)
      .map((rule) => ({ object: of(o)!.object, rule })),
  );
  if (refusing.length === 0)
    return {
      ok: true,
      text: `Now: no active duplicate rule on ${joinList(objects, 'or')} blocks or alerts; resync these records.`,
    };
  const several = refusing.length > 1;
  if (refusing.every(({ rule }) => byNameOnly(rule))) {
    // Why an alert refuses is the group's advice, shown above this line wherever it is shown.
    const names = joinList(
      refusing.map(({ object, rule }) => `${object}'s ${rule.name}`),
      'and',
    );
    return {
      ok: false,
      text: several
        ? `Now: the active duplicate rules ${names} refuse a duplicate HubSpot writes if they block or alert, as their pages in ${DUPLICATE_RULES_PLACE} show.`
        : `Now: the active duplicate rule ${names} refuses a duplicate HubSpot writes if it blocks or alerts, as its page in ${DUPLICATE_RULES_PLACE} shows.`,
    };
  }
  const named = joinList(
    refusing.map(
      ({ object, rule }) =>
        `${object}'s ${rule.name} (${actions(rule)}${rule.conditions ? ', under conditions' : ''})`,
    ),
    'and',
  );
  const alerts = refusing.some(({ rule }) => rule.onCreate === 'alert' || rule.onEdit === 'alert');
  const conditional = refusing.filter(({ rule }) => rule.conditions).length;
  return {
    ok: false,
    text: `Now: the active duplicate ${several ? 'rules' : 'rule'} ${named} ${several ? 'refuse' : 'refuses'} a duplicate HubSpot writes${
      alerts ? `: ${ALERT_REFUSES}` : ''
    } (${DUPLICATE_RULES_PLACE}).${conditional ? ` ${CONDITIONS_MAY_EXEMPT[conditional > 1 ? 1 : 0]}` : ''}`,
  };
}
