import type { FieldSchema } from '../schema.js';
import { parseDateTime } from '../org/time.js';

/** A comparable value: strings lower-cased (SOQL compares text case-insensitively), dates as epoch ms. */
export type Comparable = string | number | boolean | null;

/** A date literal such as TODAY or LAST_N_DAYS:7: the half-open range [start, end) in epoch ms (UTC). */
export interface DateRange {
  start: number;
  end: number;
}

const DAY = 86_400_000;

export function isTextual(field: FieldSchema): boolean {
  return !['boolean', 'int', 'double', 'currency', 'percent', 'date', 'datetime'].includes(
    field.type,
  );
}

export function isIdLike(field: FieldSchema): boolean {
  return field.type === 'id' || field.type === 'reference';
}

export function isTemporal(field: FieldSchema): boolean {
  return field.type === 'date' || field.type === 'datetime';
}

/** A stored value in comparable form for its field's type. */
export function toComparable(field: FieldSchema, value: unknown): Comparable {
  if (value === null || value === undefined || value === '') return null;
  if (isIdLike(field)) return String(value);
  if (isTemporal(field)) {
    const ms = parseDateTime(value);
    return Number.isNaN(ms) ? null : ms;
  }
  if (field.type === 'boolean') return Boolean(value);
  if (typeof value === 'number') return value;
  if (['int', 'double', 'currency', 'percent'].includes(field.type)) return Number(value);
  return String(value).toLowerCase();
}

/** Unquote a SOQL string literal: 'O\'Brien' -> O'Brien. */
export function unquote(raw: string): string {
  const inner = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  return inner.replace(/\\(.)/g, (_match, ch: string) => {
    switch (ch) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      default:
        return ch;
    }
  });
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** SOQL date literals (UTC here; Salesforce uses the user's time zone). Undefined when unsupported. */
export function dateLiteralRange(literal: string, now: Date): DateRange | undefined {
  const today = startOfDay(now.getTime());
  const [name = '', nText] = literal.toUpperCase().split(':');
  const n = nText === undefined ? 0 : Number(nText);
  const d = new Date(today);
  switch (name) {
    case 'TODAY':
      return { start: today, end: today + DAY };
    case 'YESTERDAY':
      return { start: today - DAY, end: today };
    case 'TOMORROW':
      return { start: today + DAY, end: today + 2 * DAY };
    case 'LAST_N_DAYS':
      return { start: today - n * DAY, end: today + DAY };
    case 'NEXT_N_DAYS':
      return { start: today + DAY, end: today + (n + 1) * DAY };
    case 'N_DAYS_AGO':
      return { start: today - n * DAY, end: today - (n - 1) * DAY };
    case 'THIS_MONTH':
      return {
        start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
        end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
      };
    case 'THIS_YEAR':
      return {
        start: Date.UTC(d.getUTCFullYear(), 0, 1),
        end: Date.UTC(d.getUTCFullYear() + 1, 0, 1),
      };
    default:
      return undefined;
  }
}
