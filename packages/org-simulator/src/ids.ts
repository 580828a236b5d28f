/**
 * Salesforce record ids: 15 case-sensitive characters (3-char key prefix, instance, counter) plus a
 * 3-character case-safe suffix, so the 18-character form survives case-insensitive comparisons.
 * https://help.salesforce.com/s/articleView?id=000385008 (What are Salesforce IDs composed of?)
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character case-safe suffix of a 15-character id. */
function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charCodeAt(chunk * 5 + i);
      if (ch >= 65 && ch <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

export function isSalesforceId(value: unknown): value is string {
  return typeof value === 'string' && /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/.test(value);
}

/** Same record? Accepts 15- and 18-character forms, as SOQL and the REST API do. */
export function sameId(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (a.length === b.length) return a === b;
  return a.slice(0, 15) === b.slice(0, 15);
}

/** Deterministic id factory: the same fixture always gets the same ids. */
export class IdFactory {
  private readonly counters = new Map<string, number>();

  next(keyPrefix: string): string {
    const n = (this.counters.get(keyPrefix) ?? 0) + 1;
    this.counters.set(keyPrefix, n);
    // key prefix (3) + pod "5g000" (5) + counter (7, base 36) = 15 characters.
    const id15 = `${keyPrefix}5g000${n.toString(36).toUpperCase().padStart(7, '0')}`;
    return id15 + caseSafeSuffix(id15);
  }
}
