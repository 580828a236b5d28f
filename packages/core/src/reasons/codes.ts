/**
 * The eleven reasons for which HubSpot suspends its Salesforce connector, in the order of
 * HubSpot's help article "Resolve Salesforce integration suspension errors".
 */
export const REASON_CODES = [
  'API_LIMIT_EXCEEDED',
  'API_ACCESS_DISABLED',
  'UNKNOWN_ERROR',
  'OBJECT_PERMISSIONS_MISSING',
  'FIELD_PERMISSIONS_MISSING',
  'ORG_LOCKED',
  'STORAGE_LIMIT_EXCEEDED',
  'ORG_UNAVAILABLE',
  'SERVER_ERROR',
  'HUBSPOT_API_LIMIT_EXCEEDED',
  'FIELD_MAPPINGS_MISSING',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && (REASON_CODES as readonly string[]).includes(value);
}
