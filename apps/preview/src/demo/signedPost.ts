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

/**
 * A signed upload of a Sync Health "Export errors" CSV (POST /v1/portals/:portalId/sync-errors):
 * the same signature as the webhook's, over the CSV's exact bytes.
 */
export function signSyncErrorsUpload(options: {
  url: string;
  portalId: string;
  secret: string;
  csv: string;
  nowSeconds?: number;
}): { url: string; headers: Record<string, string>; body: string } {
  const timestamp = String(options.nowSeconds ?? Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', options.secret)
    .update(`${timestamp}.${options.csv}`)
    .digest('hex');
  return {
    url: `${options.url}/v1/portals/${encodeURIComponent(options.portalId)}/sync-errors`,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'x-sync-doctor-timestamp': timestamp,
      'x-sync-doctor-signature': `v1=${signature}`,
    },
    body: options.csv,
  };
}
