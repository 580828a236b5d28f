import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The same scheme as the relay's inbound webhook (apps/relay, contracts): headers
 * `x-sync-doctor-timestamp` (unix seconds) and `x-sync-doctor-signature: v1=<hex HMAC-SHA256 of
 * timestamp + "." + raw body>`, so one verifier serves both directions.
 */
export const TIMESTAMP_HEADER = 'x-sync-doctor-timestamp';
export const SIGNATURE_HEADER = 'x-sync-doctor-signature';
export const EVENT_ID_HEADER = 'x-sync-doctor-event-id';

export function signBody(
  secret: string,
  timestamp: string | number,
  rawBody: string | Buffer,
): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** For receivers (and tests): constant-time check within a window (default 5 minutes). */
export function verifyBodySignature(o: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string | Buffer;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): boolean {
  if (!o.timestamp || !o.signature || !/^\d{1,12}$/.test(o.timestamp)) return false;
  const now = o.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(o.timestamp)) > (o.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signBody(o.secret, o.timestamp, o.rawBody));
  return o.signature.split(',').some((part) => {
    const candidate = Buffer.from(part.trim());
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
}
