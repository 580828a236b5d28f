import { DATA_PATH } from './version.js';

/** A SOQL string literal: backslash and quote escaped (SOQL reference, "Quoted String Escape Sequences"). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function soqlList(values: readonly string[]): string {
  return `(${values.map(soqlString).join(', ')})`;
}

/**
 * Splits the values of an IN list so each chunk's SOQL text stays under `maxChars`. A query travels
 * in the URL of a GET (also inside composite), and Salesforce refuses URIs over 16,384 bytes
 * (REST API guide, "URI length"); the percent-encoding roughly doubles a quoted list, hence 4,000.
 */
export function chunkForInList(
  values: readonly string[],
  maxChars = 4000,
  maxItems = 500,
): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const value of values) {
    const cost = value.length + 4;
    if (current.length > 0 && (length + cost > maxChars || current.length >= maxItems)) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(value);
    length += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The URL of the Query resource for `soql`. Composite references such as `@{user.records[0].Id}`
 * are left unencoded: Salesforce substitutes them in the sub-request's url before running it.
 */
export function queryUrl(soql: string, resource: 'query' | 'queryAll' = 'query'): string {
  const encoded = soql
    .split(/(@\{[^}]+\})/)
    .map((part) => (part.startsWith('@{') ? part : encodeURIComponent(part)))
    .join('');
  return `${DATA_PATH}/${resource}?q=${encoded}`;
}

export { isUserId } from './ids.js';

/**
 * The column (or relationship) an INVALID_FIELD message names: Salesforce says "No such column
 * 'PermissionsFoo' on entity 'PermissionSet'" for a field and "Didn't understand relationship
 * 'PermissionSetGroup' in field path" for a relationship.
 */
export function missingColumnFromMessage(message: string): string | null {
  const column = /No such column '([^']+)' on entity/i.exec(message);
  if (column) return column[1]!;
  const relationship = /Didn't understand relationship '([^']+)'/i.exec(message);
  return relationship ? relationship[1]! : null;
}
