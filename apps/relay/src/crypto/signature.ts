import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-sync-doctor-timestamp';
export const SIGNATURE_HEADER = 'x-sync-doctor-signature';

/** `v1=<hex HMAC-SHA256 of timestamp + "." + raw body>`: the scheme every sender implements. */
export function signPayload(secret: string, timestamp: string | number, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `v1=${hmac.digest('hex')}`;
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; code: 'SIGNATURE_MISSING' | 'TIMESTAMP_INVALID' | 'TIMESTAMP_OUT_OF_WINDOW' | 'SIGNATURE_MISMATCH'; message: string };

export function verifySignature(options: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  toleranceSeconds: number;
  nowSeconds?: number;
}): SignatureCheck {
  const { secret, timestamp, signature, rawBody, toleranceSeconds } = options;
  if (!timestamp || !signature) {
    return { ok: false, code: 'SIGNATURE_MISSING', message: `headers ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} are required` };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, code: 'TIMESTAMP_INVALID', message: `${TIMESTAMP_HEADER} must be unix seconds` };
  }
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, code: 'TIMESTAMP_OUT_OF_WINDOW', message: `${TIMESTAMP_HEADER} is more than ${toleranceSeconds} seconds away from the relay's clock` };
  }
  // Several `v1=` values may be sent (comma separated) while a secret is being rotated.
  const expected = Buffer.from(signPayload(secret, timestamp, rawBody), 'utf8');
  const matches = signature
    .split(',')
    .map((part) => Buffer.from(part.trim(), 'utf8'))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  return matches ? { ok: true } : { ok: false, code: 'SIGNATURE_MISMATCH', message: 'signature does not match the body and the portal secret' };
}
