/**
 * A shell snippet that sends one signed demo suspension to the relay: the signature is computed by
 * openssl from the timestamp and the exact body, as any automation would do it.
 */
export function demoSuspensionCurl({
  url,
  portalId,
  signingSecret,
}: {
  url: string;
  portalId: string;
  signingSecret: string;
}): string {
  const body = `{"reason":"OBJECT_PERMISSIONS_MISSING","title":"Salesforce object permissions missing","occurredAt":"'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'","eventId":"demo-'"$(date +%s)"'"}`;
  return [
    `secret='${signingSecret}'`,
    `body='${body}'`,
    'ts=$(date +%s)',
    `sig=$(printf '%s' "$ts.$body" | openssl dgst -sha256 -hmac "$secret" -hex | sed 's/^.* //')`,
    `curl -sS -X POST '${url}/v1/portals/${portalId}/suspensions' -H 'content-type: application/json' -H "x-sync-doctor-timestamp: $ts" -H "x-sync-doctor-signature: v1=$sig" --data-raw "$body"`,
  ].join('\n');
}
