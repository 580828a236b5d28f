import { describeGiven, showable } from '../secrets.js';

/**
 * A value a write refused, for its InputError: a string as `describeGiven` has it (quoted only
 * when it clearly is no secret; a value holding a UUID, as HubSpot's tokens do, never), anything
 * else by its kind. The writes take what a caller parsed from JSON (a relay's status, the page's
 * plan), so a refused value may be of any type.
 */
export function describeRefused(value: unknown): string {
  if (typeof value === 'string') return describeGiven(value);
  if (value === undefined || value === null) return 'no value';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'a list' : `a value of type ${typeof value}`;
}

/**
 * A refused value as JSON has it ("1", null, 1.5), where a message says so as the Apex twin's
 * does: numbers, booleans, null and showable strings; any other value as `describeRefused`.
 */
export function refusedAsJson(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean')
    return JSON.stringify(value);
  if (typeof value === 'string' && showable(value)) return JSON.stringify(value);
  return describeRefused(value);
}
