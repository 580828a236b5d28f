import type { ReasonCode } from './codes.js';

/**
 * Causes Sync Doctor names itself, where one of HubSpot's eleven reasons would hide what to fix: an
 * inactive or frozen integration user is what HubSpot reports as "Salesforce org API access
 * disabled", yet the API access of the org is fine. A finding with a cause keeps `reason` (HubSpot's
 * reason it leads to: the suspension steps and every reader that knows only reasons go by it) and
 * is headed and grouped by its cause, whose title still names that reason (findingTitle).
 */
export const CAUSE_CODES = ['USER_INACTIVE', 'USER_FROZEN'] as const;

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
};

export function isCauseCode(value: unknown): value is CauseCode {
  return typeof value === 'string' && (CAUSE_CODES as readonly string[]).includes(value);
}
