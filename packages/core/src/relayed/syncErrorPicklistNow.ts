/**
 * What the org shows now of a picklist group (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST): whether
 * each field takes the value Salesforce refused, as its active values read now, and where to add
 * it. Apart from syncErrorsNow.ts for its size.
 */
import type { FieldResult } from '../diagnosis/types.js';
import { joinList } from '../diagnosis/text.js';
import { recordTypesLacking } from './recordTypePicklists.js';
import {
  goneNow,
  inOrder,
  lacking,
  same,
  type SyncErrorNow,
  type SyncErrorNowDiagnosis,
} from './syncErrorNowBasics.js';

/** Values an admin can read in one line: the first few, then how many more. */
const PICKLIST_VALUES_SHOWN = 5;

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`);

function someValues(values: readonly string[]): string {
  const shown = quoted(values.slice(0, PICKLIST_VALUES_SHOWN));
  const more = values.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : joinList(shown, 'and');
}

/**
 * Where an admin adds a value: Setup's State and Country/Territory Picklists for an address's
 * state or country code (one list for the whole org), else the fields' own values ('Contact and
 * Lead' for a HubSpot contact's field on both).
 */
function valuesPlace(names: readonly string[]): string {
  const parts = names.map((name) => name.split('.'));
  if (parts.every(([, field = '']) => /(?:State|Country)Code$/i.test(field)))
    return 'Setup > State and Country/Territory Picklists';
  const fields = new Set(parts.map(([, field = '']) => field.toLowerCase()));
  return fields.size === 1
    ? `Setup > Object Manager > ${joinList(
        parts.map(([object = '']) => object),
        'and',
      )} > Fields & Relationships > ${parts[0]![1]}`
    : `each field's values in Setup > Object Manager`;
}

/** 'one of its 6 active values (...)', 'its only active value ('Web')', 'their' for several fields. */
const activeValues = (active: readonly string[], several: boolean) => {
  const its = several ? 'their' : 'its';
  return active.length === 1
    ? `${its} only active value (${someValues(active)})`
    : `one of ${its} ${active.length} active values (${someValues(active)})`;
};

/**
 * One picklist's state now: not restricted; restricted and the refused values unknown; having
 * them all (`has`); having some only in another case (`cased`: 'Web' for a refused 'web'); or
 * still lacking some (`refuses`). A value is taken as Salesforce spells it only when it matches
 * exactly: whether Salesforce would take 'web' for 'Web' is not settled, and a line saying
 * "fixed" while the org still refuses is worse than one asking for the exact spelling.
 */
type PicklistState =
  | { state: 'free' }
  | { state: 'unknown'; active: readonly string[] }
  | { state: 'has'; has: string[] }
  | { state: 'cased'; cased: [refused: string, stored: string][] }
  | { state: 'refuses'; refused: string[]; active: readonly string[] };

function picklistState(field: FieldResult, values: readonly string[]): PicklistState | null {
  const picklist = field.picklist;
  if (!picklist) return null;
  if (!picklist.restricted) return { state: 'free' };
  const active = picklist.values;
  // A multi-select picklist's 'A;B' is two values; a plain picklist refused 'A;B' as one.
  const asked = picklist.multi
    ? [...new Set(values.flatMap((v) => v.split(';').map((one) => one.trim())))].filter(Boolean)
    : values;
  if (asked.length === 0) return { state: 'unknown', active };
  const exact = new Set(active);
  const byCase = new Map(active.map((v) => [v.toLowerCase(), v]));
  const missing = asked.filter((v) => !exact.has(v));
  if (missing.length === 0) return { state: 'has', has: [...asked] };
  const refused = missing.filter((v) => !byCase.has(v.toLowerCase()));
  if (refused.length) return { state: 'refuses', refused, active };
  return { state: 'cased', cased: missing.map((v) => [v, byCase.get(v.toLowerCase())!]) };
}

/** 'its 5 active values ('Web', ...)' when the fields share their values, else how many each has. */
function activeList(names: readonly string[], actives: readonly (readonly string[])[]): string {
  const first = actives[0]!;
  const same = actives.every((a) => a.length === first.length && a.every((v, i) => v === first[i]));
  if (same) return activeValues(first, names.length > 1);
  return `a value each of them has (${joinList(
    names.map((name, i) => `${name}: ${actives[i]!.length} active`),
    'and',
  )})`;
}

/** One sentence for the fields in the same state (a HubSpot contact's field on Contact and Lead). */
function picklistSentence(
  names: readonly string[],
  s: PicklistState,
  actives: readonly (readonly string[])[],
): string {
  const several = names.length > 1;
  const subject = joinList(names, 'and');
  switch (s.state) {
    case 'free':
      return `${subject} ${several ? 'are not restricted picklists' : 'is not a restricted picklist'}, so Salesforce takes any value HubSpot sends`;
    case 'unknown':
      return `${subject} ${several ? 'are restricted picklists' : 'is a restricted picklist'}, and Sync Doctor could not read which value Salesforce refused: HubSpot's property must send ${activeList(names, actives)}`;
    case 'has':
      return `${subject} ${several ? 'have' : 'has'} ${joinList(quoted(s.has), 'and')} among ${several ? 'their' : 'its'} active values`;
    case 'cased':
      return `${subject} ${several ? 'have' : 'has'} ${joinList(
        s.cased.map(([refused, stored]) => `'${stored}', not '${refused}'`),
        'and',
      )}: make HubSpot's property send ${s.cased.length === 1 ? 'it' : 'them'} spelled exactly so`;
    case 'refuses':
      return `${subject} still ${several ? 'have' : 'has'} no active value ${joinList(quoted(s.refused), 'or')}: add ${s.refused.length === 1 ? 'it' : 'them'} (or activate ${s.refused.length === 1 ? 'it' : 'them'}, if there but inactive) in ${valuesPlace(names)}, or change HubSpot's property to send ${activeList(names, actives)}`;
  }
}

/**
 * 'Lead's record types Partner and Reseller do not offer 'Webinar' for LeadSource: add it to each
 * in Setup > Object Manager > Lead > Record Types'; the field has the value, its record types not.
 */
function recordTypeSentence(object: string, field: string, types: string[], values: string[]) {
  const several = types.length > 1;
  return `${object}'s record ${several ? 'types' : 'type'} ${joinList(types, 'and')} ${
    several ? 'do' : 'does'
  } not offer ${joinList(quoted(values), 'or')} for ${field}: add ${values.length > 1 ? 'them' : 'it'} to ${
    several ? 'each' : 'it'
  } in Setup > Object Manager > ${object} > Record Types (${field}'s values)`;
}

/**
 * A picklist group now: whether each of its fields the org has takes the value Salesforce refused
 * (its active values as read now), said once for fields in the same state, and whether the
 * integration user may still edit them. A HubSpot contact's field is judged on Contact and on Lead
 * (the export does not say which refused it), so it reads fixed once both take the value. Where
 * the record types were read (the CLI), a field that has the value still refuses it on a record
 * type that does not offer it; elsewhere the line says the record type may not.
 */
export function picklistNow(
  names: readonly string[],
  values: readonly string[],
  diagnosis: SyncErrorNowDiagnosis,
): SyncErrorNow | null {
  const results = inOrder(diagnosis.fields.filter(same(names)), names);
  if (results.length === 0) return goneNow(names, diagnosis);
  // Fields in the same state are said once, whatever values each has besides.
  const alike = new Map<
    string,
    { names: string[]; state: PicklistState; actives: (readonly string[])[] }
  >();
  // Each field's state, judged once: the sentences and the record types both read it.
  const judged = results.map((field) => ({ field, state: picklistState(field, values) }));
  for (const { field, state } of judged) {
    if (!state) continue;
    const { active, ...said } = { active: [] as readonly string[], ...state };
    const key = JSON.stringify(said);
    const known = alike.get(key);
    if (known) {
      known.names.push(field.name);
      known.actives.push(active);
    } else alike.set(key, { names: [field.name], state, actives: [active] });
  }
  const states = [...alike.values()];
  // A field that has the values: do its object's record types offer them (null: not read)?
  const offered = judged.flatMap(({ field, state }) => {
    if (state?.state !== 'has') return [];
    const [object = '', name = ''] = field.name.split('.');
    return [
      {
        object,
        field: name,
        has: state.has,
        lacking: recordTypesLacking(diagnosis.recordTypePicklists, object, name, state.has),
      },
    ];
  });
  const short = results.filter((f) => !(f.effective.read && f.effective.edit));
  const parts = [
    ...states.map(({ names: same, state, actives }) => picklistSentence(same, state, actives)),
    ...offered
      .filter((o) => o.lacking?.length)
      .map((o) => recordTypeSentence(o.object, o.field, o.lacking!, o.has)),
    ...(short.length ? [`the integration user still lacks ${joinList(short.map(lacking))}`] : []),
  ];
  if (parts.length === 0) return null;
  const fixed = (s: PicklistState) => s.state === 'free' || s.state === 'has';
  const ok =
    short.length === 0 &&
    states.length > 0 &&
    states.every((s) => fixed(s.state)) &&
    offered.every((o) => !o.lacking?.length);
  // Salesforce refuses an active value of a restricted picklist too when the records' record type
  // does not offer it, or a controlling field does not allow it: the field alone cannot say.
  const recordTypesRead = offered.length > 0 && offered.every((o) => o.lacking !== null);
  const caveat = !offered.length
    ? ''
    : recordTypesRead
      ? "; every active record type offers it, so if they fail again, the picklist's controlling field does not allow it (its field dependencies)"
      : "; if they fail again, the records' record type does not offer the value (add it there) or the picklist's controlling field does not allow it (its field dependencies)";
  return {
    ok,
    text: `Now: ${parts.join('; ')}${ok ? `. Resync these records${caveat}.` : '.'}`,
  };
}
