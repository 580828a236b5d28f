/**
 * What an error message may say about a value the caller gave, and what it must not. A value in
 * the wrong place is often a secret: an admin who swaps two flags hands a session id to the URL
 * flag or a private key to the key-file flag, and the error then goes to a terminal, a CI log, a
 * JUnit report. Errors of this package therefore quote a given value only when it clearly is no
 * secret, and otherwise describe it by its length.
 */

/** A run of 16+ letters and digits mixing both, or 24+ letters mixing cases: random, as tokens and key text are. */
function randomLooking(run: string): boolean {
  return (
    (run.length >= 16 && /\d/.test(run) && /[A-Za-z]/.test(run)) ||
    (run.length >= 24 && /[a-z]/.test(run) && /[A-Z]/.test(run))
  );
}

/**
 * A UUID anywhere in a value: HubSpot's private app tokens ('pat-na1-' and a UUID) and its older
 * API keys (a bare UUID) are one, and their runs between hyphens are too short to look random.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * True when a value may be shown in an error: short, one line, printable ASCII, and nothing in it
 * of a session id ('!'), a PEM key ('BEGIN', 'PRIVATE KEY'), a UUID (HubSpot's tokens) or a random
 * string (a long run of letters and digits mixing both). Host names, aliases, usernames and ordinary file paths pass;
 * a few harmless values that look random do not, and are then described instead.
 */
export function showable(value: string): boolean {
  if (value.length === 0 || value.length > 120) return false;
  if (!/^[\x20-\x7e]+$/.test(value)) return false;
  if (value.includes('!') || /BEGIN|PRIVATE KEY/i.test(value) || UUID.test(value)) return false;
  return !(value.match(/[A-Za-z0-9]+/g) ?? []).some(randomLooking);
}

/**
 * A value for an error message: quoted when `showable`, else a description that gives away only
 * its length ("the value given (112 characters, not shown: it may be a secret)").
 */
export function describeGiven(value: string): string {
  if (value.length === 0) return 'an empty value';
  if (value.trim() === '') return `a value of ${value.length} blank characters`;
  if (showable(value)) return `'${value}'`;
  return `the value given (${value.length} characters, not shown: it may be a secret)`;
}

/** A session id (an org id, then '!' and the secret) anywhere in a text. */
const SESSION_ID = /\b00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?![^\s'"]+/g;
/** A bearer Authorization header's credentials (8+ characters up to a space or a quote), unless already replaced. */
const BEARER = /\bBearer\s+(?!\[)[^\s'"]{8,}/g;
const PRIVATE_KEY =
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

/**
 * Takes secrets out of a message that came from below (jsforce, node-fetch, undici, Node): each
 * known secret by its exact text (the session sent, a refresh token), wherever it stands and
 * whatever characters it holds, then anything shaped like a bearer Authorization header, a
 * session id or a PEM private key. Known secrets shorter than 8 characters are only found by
 * shape (replacing every 't' of a message would leave nothing readable; no real token is so short).
 */
export function scrubSecrets(
  text: string,
  known: readonly (string | null | undefined)[] = [],
): string {
  let scrubbed = text;
  const secrets = known
    .filter((s): s is string => typeof s === 'string' && s.length >= 8)
    .sort((a, b) => b.length - a.length);
  for (const secret of secrets) scrubbed = scrubbed.split(secret).join('[a secret, not shown]');
  return scrubbed
    .replace(PRIVATE_KEY, '[a private key, not shown]')
    .replace(SESSION_ID, '[an access token, not shown]')
    .replace(BEARER, 'Bearer [not shown]');
}
