import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

// Portal secrets at rest. The signing secret must be read back to verify HMACs, and the Salesforce
// private key to sign JWTs, so both are encrypted (AES-256-GCM, key from the environment). The
// inbound e-mail token is only ever compared, so only its SHA-256 is kept.

const VERSION = 'v1';

export function encryptSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64'),
    cipher.getAuthTag().toString('base64'),
    body.toString('base64'),
  ].join(':');
}

export function decryptSecret(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(':');
  if (version !== VERSION || !iv || !tag || body === undefined)
    throw new Error('unrecognised sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** URL-safe random secret with a readable prefix, e.g. `sdwh_...` for a webhook signing secret. */
export function generateSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** The secret's bytes, kept while the secret is the same (the admin token is one per process). */
let expectedFor: { secret: string; bytes: Buffer } | null = null;

/**
 * Compares a presented secret (the admin token) with the real one in time that depends on neither
 * the real one's content nor how far the two differ or differ in length: the presented bytes are
 * written into a buffer of the real secret's length, and timingSafeEqual always compares that many
 * bytes. Comparing the strings stopped at a length mismatch, which told a caller how long the
 * token is. (Reducing both sides to HMAC digests hides the length too, but costs two HMACs on
 * every authenticated read.)
 */
export function constantTimeEqual(presented: string, secret: string): boolean {
  if (expectedFor?.secret !== secret) expectedFor = { secret, bytes: Buffer.from(secret, 'utf8') };
  const expected = expectedFor.bytes;
  const given = Buffer.alloc(expected.length);
  given.write(presented, 'utf8');
  const sameLength = Buffer.byteLength(presented, 'utf8') === expected.length;
  return timingSafeEqual(given, expected) && sameLength;
}
