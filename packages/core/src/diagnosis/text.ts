/** Small wording helpers so every message reads the same way. */
import type { ObjectAccess } from '../requirements/types.js';

/**
 * Each object right as Setup names it (Object Settings, a permission set's object permissions):
 * the app's object matrix, its fix dialog, the report and the CLI all name them with these.
 */
export const OBJECT_RIGHT_LABELS: Readonly<Record<ObjectAccess, string>> = Object.freeze({
  read: 'Read',
  create: 'Create',
  edit: 'Edit',
  delete: 'Delete',
  viewAll: 'View All',
  modifyAll: 'Modify All',
});
/** The former name of OBJECT_RIGHT_LABELS (apps/salesforce-package's apex-guards test imports it). */
export const RIGHT_LABEL = OBJECT_RIGHT_LABELS;

/** 'a', 'a and b', 'a, b and c'. */
export function joinList(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

export function quoteAll(items: readonly string[]): string[] {
  return items.map((i) => `'${i}'`);
}

/** 0.23 -> '23%', 1.005 -> '100.5%' (one decimal, never clamped: storage past its limit shows it); '?' when unknown. */
export function percent(ratio: number): string {
  return Number.isFinite(ratio) ? `${Math.round(ratio * 1000) / 10}%` : '?';
}

/** '2026-01-31T10:00:00.000+0000' -> '2026-01-31'. */
export function day(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * Milliseconds of a Salesforce date-time ('2026-11-29T09:31:12.000+0000'), NaN when it is none.
 * Its '+0000' offset is not ISO 8601's extended form; V8 reads it, other browsers' engines may not.
 */
export function salesforceTime(iso: string): number {
  return Date.parse(iso.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/** '2026-11-29T09:31:12.000+0000' -> '2026-11-29 09:31 UTC' (Salesforce's dates are UTC). */
export function minute(iso: string): string {
  const time = salesforceTime(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** 12345 -> "12,345" without locale APIs (identical output in Node and in the browser). */
export function thousands(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const [whole, fraction] = Math.abs(value)
    .toFixed(Number.isInteger(value) ? 0 : 1)
    .split('.');
  // The digits of a number: a few, never text from outside.
  // eslint-disable-next-line regexp/no-super-linear-move
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** The kinds of an ObjectResult's `reachedBy` entry, as collectObjects writes them, with their plural. */
const REACHED_BY_KINDS: readonly { one: string; many: string }[] = [
  { one: 'lookup from ', many: 'lookups from ' },
  { one: 'mapped field ', many: 'mapped fields ' },
];

/**
 * An object's `reachedBy` entries as one phrase, each source once (case-insensitively) and entries
 * of a kind together: ['lookup from Contact.AccountId', 'lookup from Opportunity.AccountId'] ->
 * 'lookups from Contact.AccountId and Opportunity.AccountId'. Kinds are joined with `separator`
 * ('; ' for a note, ' and ' inside a sentence); an entry of no known kind stays as it is.
 */
export function reachedByText(entries: readonly string[], separator = '; '): string {
  const seen = new Set<string>();
  const groups = new Map<string, string[]>();
  for (const entry of entries) {
    const key = entry.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const kind = REACHED_BY_KINDS.find((k) => entry.startsWith(k.one));
    const group = kind?.one ?? entry;
    groups.set(group, [...(groups.get(group) ?? []), kind ? entry.slice(kind.one.length) : entry]);
  }
  return [...groups]
    .map(([group, items]) => {
      const kind = REACHED_BY_KINDS.find((k) => k.one === group);
      if (!kind) return group;
      return `${items.length === 1 ? kind.one : kind.many}${joinList(items)}`;
    })
    .join(separator);
}
