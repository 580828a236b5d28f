import {
  candidateLine,
  chooseIntegrationUser,
  HUBSPOT_PERMISSION_SET,
  type IntegrationUserCandidate,
  type IntegrationUserSource,
} from '@sync-doctor/core';
import type { Connection, IntegrationUserSearch } from '@sync-doctor/salesforce';

/**
 * `check` without --user: find HubSpot's integration user from the org's evidence. The rule (who
 * wins, what is a tie) is the core's chooseIntegrationUser; this file only words the outcome.
 */

/** Why the chosen user was chosen, in a sentence; a candidate's short labels are the core's (candidateLine). */
const EVIDENCE: Record<IntegrationUserSource, string> = {
  oauth: "holds an OAuth token of HubSpot's connected app",
  permissionSet: `is assigned the '${HUBSPOT_PERMISSION_SET}' permission set (directly or through a permission set group)`,
  saved: "was saved as the integration user in Sync Doctor's settings",
};

/** No user, or no single user, to check: exit 2 with the candidates listed. */
export class IntegrationUserNotChosen extends Error {
  constructor(
    readonly errorCode: 'INTEGRATION_USER_NOT_FOUND' | 'INTEGRATION_USER_AMBIGUOUS',
    message: string,
    readonly candidates: IntegrationUserCandidate[],
  ) {
    super(message);
    this.name = 'IntegrationUserNotChosen';
  }

  toJSON(): { errorCode: string; message: string; candidates: object[] } {
    const candidates = this.candidates.map(({ username, name, isActive, sources }) => ({
      username,
      name,
      isActive,
      sources,
    }));
    return { errorCode: this.errorCode, message: this.message, candidates };
  }
}

function joinAnd(parts: string[]): string {
  return parts.length <= 1
    ? (parts[0] ?? '')
    : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

const UNREAD: Record<IntegrationUserSource, string> = {
  oauth:
    "the OAuth tokens (seeing other users' tokens needs Customize Application; without it Salesforce shows only your own, so none counted)",
  permissionSet: `which permission set groups hold '${HUBSPOT_PERMISSION_SET}' (reading permission set groups needs View Setup and Configuration), so only users assigned the set directly count`,
  saved: "Sync Doctor's saved choice",
};

function unreadNote(search: IntegrationUserSearch): string[] {
  return search.unread.map(
    (u) => `could not read ${UNREAD[u.source]}: ${u.errorCode}: ${u.message}`,
  );
}

/** What the choice means for the admin: the user to check and the lines to print, or a thrown IntegrationUserNotChosen. */
export function explainChoice(search: IntegrationUserSearch): {
  userId: string;
  username: string;
  notes: string[];
} {
  const choice = chooseIntegrationUser(search.candidates);
  const unread = unreadNote(search);
  if (choice.outcome === 'chosen') {
    const { user, others } = choice;
    const why = joinAnd(user.sources.map((s) => EVIDENCE[s]));
    const notes = [
      `checking ${user.username}${user.name ? ` (${user.name})` : ''}${user.isActive ? '' : ', an inactive user,'} as HubSpot's integration user: it ${why}.`,
    ];
    if (others.length > 0)
      notes.push(
        `also found, with less evidence: ${others.map(candidateLine).join(', ')}. Pass --user to check one of them instead.`,
      );
    return { userId: user.userId, username: user.username, notes: [...notes, ...unread] };
  }
  const advice = 'Pass --user with the username of the Salesforce user HubSpot connects as.';
  if (choice.outcome === 'none') {
    const message = [
      `Found no HubSpot integration user in this org: no user holds an OAuth token of a connected app named like 'HubSpot', is assigned the '${HUBSPOT_PERMISSION_SET}' permission set (directly or through a permission set group) or was saved in Sync Doctor's settings.`,
      ...unread.map((line) => `Note: ${line}.`),
      advice,
    ].join('\n');
    throw new IntegrationUserNotChosen('INTEGRATION_USER_NOT_FOUND', message, []);
  }
  const message = [
    `${choice.tied.length} users are equally likely to be HubSpot's integration user:`,
    ...choice.tied.map((c) => `  ${candidateLine(c)}`),
    ...(choice.others.length > 0
      ? [`With less evidence: ${choice.others.map(candidateLine).join(', ')}.`]
      : []),
    ...unread.map((line) => `Note: ${line}.`),
    `${advice} For example: --user ${choice.tied[0]!.username}`,
  ].join('\n');
  throw new IntegrationUserNotChosen('INTEGRATION_USER_AMBIGUOUS', message, [
    ...choice.tied,
    ...choice.others,
  ]);
}

/** Reads the evidence (one composite request) and chooses, or throws IntegrationUserNotChosen. */
export async function findIntegrationUser(
  conn: Connection,
): Promise<{ userId: string; username: string; notes: string[]; requests: number }> {
  const { findIntegrationUserCandidates } = await import('@sync-doctor/salesforce');
  const search = await findIntegrationUserCandidates(conn);
  return { ...explainChoice(search), requests: search.requests };
}
