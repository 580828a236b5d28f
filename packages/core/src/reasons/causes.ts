import type { ReasonCode } from './codes.js';

/**
 * Causes Sync Doctor names itself, where one of HubSpot's eleven reasons would hide what to fix: an
 * inactive, frozen or locked-out integration user, logins refused by IP restrictions or login hours,
 * a user not approved for HubSpot's connected app, are all what HubSpot reports as "Salesforce org
 * API access disabled", yet the API access of the org is fine. A finding with a cause keeps `reason` (HubSpot's
 * reason it leads to: the suspension steps and every reader that knows only reasons go by it) and
 * is headed and grouped by its cause, whose title still names that reason (findingTitle).
 */
export const CAUSE_CODES = [
  'USER_INACTIVE',
  'USER_FROZEN',
  'USER_LOCKED_OUT',
  'LOGIN_IP_RESTRICTED',
  'LOGIN_HOURS_RESTRICTED',
  'CONNECTED_APP_NOT_APPROVED',
] as const;

export type CauseCode = (typeof CAUSE_CODES)[number];

export interface Cause {
  code: CauseCode;
  /** The heading of the cause's findings, in the words an admin would use. */
  title: string;
  /** HubSpot's suspension reason it leads to (the findings' `reason`). */
  reason: ReasonCode;
}

export const CAUSES: Record<CauseCode, Cause> = {
  // User.IsActive = false: no login at all, so every API call and token refresh fails.
  USER_INACTIVE: {
    code: 'USER_INACTIVE',
    title: 'Integration user inactive',
    reason: 'API_ACCESS_DISABLED',
  },
  // UserLogin.IsFrozen = true: the user stays active but cannot log in.
  USER_FROZEN: {
    code: 'USER_FROZEN',
    title: 'Integration user frozen',
    reason: 'API_ACCESS_DISABLED',
  },
  // Login History "Password Lockout": too many invalid logins (the password policy's lockout) lock the
  // user until an admin unlocks it or the lockout period ends; HubSpot's OAuth refresh fails meanwhile.
  USER_LOCKED_OUT: {
    code: 'USER_LOCKED_OUT',
    title: 'Integration user locked out',
    reason: 'API_ACCESS_DISABLED',
  },
  // Login History "Restricted IP": the profile's Login IP Ranges (or the app's IP policy) refuse HubSpot.
  LOGIN_IP_RESTRICTED: {
    code: 'LOGIN_IP_RESTRICTED',
    title: "HubSpot's logins refused by IP restrictions",
    reason: 'API_ACCESS_DISABLED',
  },
  // Login History "Restricted Time": the profile's Login Hours refuse HubSpot outside them.
  LOGIN_HOURS_RESTRICTED: {
    code: 'LOGIN_HOURS_RESTRICTED',
    title: "HubSpot's logins refused by the profile's Login Hours",
    reason: 'API_ACCESS_DISABLED',
  },
  // HubSpot's connected app admits admin-approved users only, and the user is not approved.
  CONNECTED_APP_NOT_APPROVED: {
    code: 'CONNECTED_APP_NOT_APPROVED',
    title: "Integration user not approved for HubSpot's connected app",
    reason: 'API_ACCESS_DISABLED',
  },
};

export function isCauseCode(value: unknown): value is CauseCode {
  return typeof value === 'string' && (CAUSE_CODES as readonly string[]).includes(value);
}
