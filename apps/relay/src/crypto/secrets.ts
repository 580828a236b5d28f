import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Portal secrets at rest. The signing secret must be read back to verify HMACs, and the Salesforce
// private key to sign JWTs, so both are encrypted (AES-256-GCM, key from the environment). The
// inbound e-mail token is only ever compared, so only its SHA-256 is kept.

const VERSION = 'v1';

export function encryptSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
}

export function decryptSecret(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(':');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unrecognised sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** URL-safe random secret with a readable prefix, e.g. `sdwh_...` for a webhook signing secret. */
export function generateSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** A key of this process only, so the digests compared below cannot be precomputed. */
const COMPARE_KEY = randomBytes(32);

/**
 * Compares two secrets (the admin token) in time that depends on neither their content nor their
 * lengths: both sides are reduced to HMAC-SHA256 digests (32 bytes whatever the input), which are
 * compared with timingSafeEqual. Comparing the strings themselves had to stop at a length
 * mismatch, which told a caller how long the token is.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHmac('sha256', COMPARE_KEY).update(a, 'utf8').digest();
  const right = createHmac('sha256', COMPARE_KEY).update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}
