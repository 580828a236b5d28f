import { createHmac } from 'node:crypto';

/**
 * A request to the relay's signed inputs: `x-sync-doctor-signature: v1=<hex HMAC-SHA256 of
 * timestamp + "." + raw body>` with the portal's signing secret (the relay's documented scheme).
 */
export function signSuspensionRequest(options: {
  url: string;
  portalId: string;
  secret: string;
  route: 'suspensions' | 'clear';
  body: unknown;
  nowSeconds?: number;
}): { url: string; headers: Record<string, string>; body: string } {
  const body = JSON.stringify(options.body);
  const timestamp = String(options.nowSeconds ?? Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', options.secret)
    .update(`${timestamp}.${body}`)
    .digest('hex');
  return {
    url: `${options.url}/v1/portals/${encodeURIComponent(options.portalId)}/${options.route}`,
    headers: {
      'content-type': 'application/json',
      'x-sync-doctor-timestamp': timestamp,
      'x-sync-doctor-signature': `v1=${signature}`,
    },
    body,
  };
}
