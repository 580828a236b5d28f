import { SUSPENSION_REASONS, type ReasonCode } from '@sync-doctor/core';
import type { FixtureName } from '@sync-doctor/org-simulator';

/**
 * The suspension HubSpot would send for each demo org's story, so the relayed reason agrees with
 * the cards: a user Salesforce refuses (deactivated, without "API Enabled", outside the IP ranges,
 * not approved for the connected app) is HubSpot's "Salesforce org API access disabled"; the
 * healthy org's is a suspension already fixed, as after a repair.
 */
export const DEMO_SUSPENSION_REASONS: Record<FixtureName, ReasonCode> = {
  healthy: 'OBJECT_PERMISSIONS_MISSING',
  'missing-permission-set': 'OBJECT_PERMISSIONS_MISSING',
  'read-only-contacts': 'OBJECT_PERMISSIONS_MISSING',
  'muted-group': 'OBJECT_PERMISSIONS_MISSING',
  'expired-assignment': 'OBJECT_PERMISSIONS_MISSING',
  'api-disabled': 'API_ACCESS_DISABLED',
  'api-limit-near': 'API_LIMIT_EXCEEDED',
  'storage-full': 'STORAGE_LIMIT_EXCEEDED',
  'inactive-user': 'API_ACCESS_DISABLED',
  'hidden-mapped-field': 'FIELD_PERMISSIONS_MISSING',
  'restricted-ip': 'API_ACCESS_DISABLED',
  'admin-approved-app': 'API_ACCESS_DISABLED',
  // Its story: HubSpot's own API allocation ran out, which Salesforce cannot see.
  'sync-stopped': 'HUBSPOT_API_LIMIT_EXCEEDED',
};

/** The reason of a demo suspension for this demo org: a frozen integration user is refused too. */
export function demoSuspensionReason(
  fixture?: FixtureName,
  variants: readonly string[] = [],
): ReasonCode {
  if (variants.includes('frozen-integration-user')) return 'API_ACCESS_DISABLED';
  return fixture ? DEMO_SUSPENSION_REASONS[fixture] : 'OBJECT_PERMISSIONS_MISSING';
}

/**
 * A shell snippet that sends one signed demo suspension to the relay: the signature is computed by
 * openssl from the timestamp and the exact body, as any automation would do it. With a demo org,
 * the suspension is the one its story would bring (demoSuspensionReason), with HubSpot's title.
 */
export function demoSuspensionCurl({
  url,
  portalId,
  signingSecret,
  fixture,
  variants,
}: {
  url: string;
  portalId: string;
  signingSecret: string;
  fixture?: FixtureName;
  variants?: readonly string[];
}): string {
  const reason = demoSuspensionReason(fixture, variants);
  const title = SUSPENSION_REASONS[reason].titles.en;
  const body = `{"reason":"${reason}","title":"${title}","occurredAt":"'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'","eventId":"demo-'"$(date +%s)"'"}`;
  return [
    `secret='${signingSecret}'`,
    `body='${body}'`,
    'ts=$(date +%s)',
    `sig=$(printf '%s' "$ts.$body" | openssl dgst -sha256 -hmac "$secret" -hex | sed 's/^.* //')`,
    `curl -sS -X POST '${url}/v1/portals/${portalId}/suspensions' -H 'content-type: application/json' -H "x-sync-doctor-timestamp: $ts" -H "x-sync-doctor-signature: v1=$sig" --data-raw "$body"`,
  ].join('\n');
}
