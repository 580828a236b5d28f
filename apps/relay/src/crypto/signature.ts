import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-sync-doctor-timestamp';
export const SIGNATURE_HEADER = 'x-sync-doctor-signature';

/** `v1=<hex HMAC-SHA256 of timestamp + "." + raw body>`: the scheme every sender implements. */
export function signPayload(
  secret: string,
  timestamp: string | number,
  rawBody: string | Buffer,
): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `v1=${hmac.digest('hex')}`;
}

type SignatureCheck =
  | { ok: true }
  | {
      ok: false;
      code:
        | 'SIGNATURE_MISSING'
        | 'TIMESTAMP_INVALID'
        | 'TIMESTAMP_OUT_OF_WINDOW'
        | 'SIGNATURE_MISMATCH';
      message: string;
    };

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
    return {
      ok: false,
      code: 'SIGNATURE_MISSING',
      message: `headers ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} are required`,
    };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return {
      ok: false,
      code: 'TIMESTAMP_INVALID',
      message: `${TIMESTAMP_HEADER} must be unix seconds`,
    };
  }
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > toleranceSeconds) {
    return {
      ok: false,
      code: 'TIMESTAMP_OUT_OF_WINDOW',
      message: `${TIMESTAMP_HEADER} is more than ${toleranceSeconds} seconds away from the relay's clock`,
    };
  }
  const digest = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  return signatureMatches(signature, digest)
    ? { ok: true }
    : {
        ok: false,
        code: 'SIGNATURE_MISMATCH',
        message: 'signature does not match the body and the portal secret',
      };
}

const SIGNATURE_VALUE = /^v1=([0-9a-fA-F]{64})$/;

/** Whether a signature header carries at least one value that could match (`v1=` and 64 hex digits). */
export function signatureWellFormed(header: string): boolean {
  return header.split(',').some((part) => SIGNATURE_VALUE.test(part.trim()));
}

/**
 * Whether a signature header carries the HMAC `digest`. Several `v1=` values may be sent (comma
 * separated) while a secret is being rotated. Hex is read in either case (senders whose tools
 * print uppercase are not refused) and compared as bytes, in constant time.
 */
export function signatureMatches(header: string, digest: Buffer): boolean {
  let matched = false;
  for (const part of header.split(',')) {
    const hex = SIGNATURE_VALUE.exec(part.trim())?.[1];
    // No early exit: every candidate costs the same whichever one matches.
    if (hex !== undefined && timingSafeEqual(Buffer.from(hex, 'hex'), digest)) matched = true;
  }
  return matched;
}
