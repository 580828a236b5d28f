/**
 * Signs that HubSpot's sync is not running, as opposed to one of HubSpot's eleven suspension
 * reasons: every reason (and a disconnect or pause in HubSpot) looks the same from Salesforce when
 * HubSpot stops logging in. A finding that is a symptom is headed and grouped by it, so the admin is
 * never told which reason it is when Sync Doctor does not know.
 */
export const SYMPTOM_CODES = ['SYNC_STOPPED', 'NO_RECENT_LOGIN'] as const;

export type SymptomCode = (typeof SYMPTOM_CODES)[number];

/** The heading of a symptom's findings, in the words an admin would use. */
export const SYMPTOM_TITLES: Record<SymptomCode, string> = {
  // HubSpot's steady logins stopped: its sync stopped, for a reason Login History does not show.
  SYNC_STOPPED: "HubSpot's sync has stopped",
  // No login of HubSpot's as this user in the window: stopped long ago, or another user syncs.
  NO_RECENT_LOGIN: 'HubSpot has not logged in as this user',
};

export function isSymptomCode(value: unknown): value is SymptomCode {
  return typeof value === 'string' && (SYMPTOM_CODES as readonly string[]).includes(value);
}
