/**
 * How the relay reads one environment variable: config.ts (the server) and signalsConfig.ts (the
 * HubSpot-side signals) read flags, integers and URLs alike, so "RELAY_OUTBOX=no" and
 * "RELAY_DETECTOR=no" are refused or taken the same way, with the same message.
 */

/** A setting the relay cannot start with: the binary prints its message in one line and exits 2. */
export class ConfigError extends Error {}

const TRUE_WORDS = new Set(['true', 'on', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'off', 'no', '0']);

/**
 * A flag: unset or empty is the default; on/off, true/false, yes/no, 1/0 in any case; anything
 * else is an error, so "RELAY_OUTBOX=no" or "RELAY_DETECTOR=true" does what it says instead of
 * silently keeping the default.
 */
export function flagFrom(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (TRUE_WORDS.has(raw)) return true;
  if (FALSE_WORDS.has(raw)) return false;
  throw new ConfigError(`${name} must be on or off (true/false, yes/no, 1/0), got "${env[name]}"`);
}

/** An integer from `min` to `max`; unset or empty is the default. */
export function intFrom(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(
      max === Number.MAX_SAFE_INTEGER
        ? `${name} must be an integer >= ${min}, got "${raw}"`
        : `${name} must be an integer from ${min} to ${max}, got "${raw}"`,
    );
  return value;
}

/**
 * An http(s) URL that people follow (the relay's own address, the app's link in alerts), or null
 * when unset: anything else would reach them as a broken link, so it is refused at start.
 */
export function httpUrlFrom(env: NodeJS.ProcessEnv, name: string, example: string): string | null {
  const raw = env[name];
  if (!raw) return null;
  let protocol = '';
  try {
    protocol = new URL(raw).protocol;
  } catch {
    // refused below
  }
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new ConfigError(`${name} must be an http(s):// URL, e.g. ${example}, got "${raw}"`);
  return raw;
}
