import {
  candidateLine,
  chooseIntegrationUser,
  DEFAULT_REQUIREMENTS,
  evaluateAccess,
  HUBSPOT_PERMISSION_SET,
  RULES_OF_OPTIONAL_SECTIONS,
  type Finding,
  type Requirements,
  type Verdict,
} from '@sync-doctor/core';
import type * as Salesforce from '@sync-doctor/salesforce';

type SalesforceModule = typeof Salesforce;

// Loaded on the first check, as the publisher loads it on the first delivery.
const SALESFORCE_MODULE = '@sync-doctor/salesforce';
let loaded: Promise<SalesforceModule> | null = null;
const salesforceModule = (): Promise<SalesforceModule> =>
  (loaded ??= import(SALESFORCE_MODULE) as Promise<SalesforceModule>);

/** A finding the watch keeps: errors and warnings (the core's info findings are no news). */
export interface AccessFinding {
  severity: 'error' | 'warning';
  reason: string;
  rule: string | null;
  subject: string;
  message: string;
  remedy: string;
}

/** What one check of a portal's org found. */
type AccessCheckOutcome =
  | {
      concluded: true;
      verdict: Verdict;
      user: { id: string | null; username: string };
      findings: AccessFinding[];
      /** HTTP requests to Salesforce this check sent. */
      requests: number;
    }
  | {
      concluded: false;
      /** Why not, for the admin: the candidates of a tie, the permission the relay's user lacks. */
      error: string;
      requests: number;
    };

/**
 * Salesforce's answers to a user who may not see permission sets: the permission objects are
 * "not supported" (INVALID_TYPE: ObjectPermissions, FieldPermissions and SetupEntityAccess need
 * "View Setup and Configuration" since Summer '20) or access is refused outright.
 */
const PERMISSIONS_REFUSED = new Set([
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_PRIVILEGES',
]);
const PERMISSION_OBJECTS = /\b(ObjectPermissions|FieldPermissions|PermissionSet(Assignment)?)\b/;

function permissionsRefused(error: unknown): boolean {
  const { errorCode, message } = error as { errorCode?: unknown; message?: unknown };
  if (typeof errorCode !== 'string') return false;
  if (PERMISSIONS_REFUSED.has(errorCode)) return true;
  return errorCode === 'INVALID_TYPE' && PERMISSION_OBJECTS.test(String(message ?? ''));
}

/** Salesforce's own words, first line only (a SOQL error repeats the whole query after it). */
function salesforceWords(error: unknown): string {
  const { errorCode, message } = error as { errorCode?: unknown; message?: unknown };
  const lines = String(message ?? error)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  // A SOQL error is "query\nERROR at Row...\nsObject type ... is not supported": its last line says why.
  const why = lines.find((line) => /not supported|insufficient|denied/i.test(line)) ?? lines[0];
  return `${typeof errorCode === 'string' ? `${errorCode}: ` : ''}${why ?? 'unknown error'}`.slice(
    0,
    500,
  );
}

/** Why a check failed, worded for the admin reading GET access or /health. */
export function failureReason(error: unknown, relayUser: string | null): string {
  const who = relayUser
    ? `the relay's Salesforce user ${relayUser}`
    : "the relay's Salesforce user";
  if (permissionsRefused(error))
    return `${who} may not read permissions, so the integration user's access cannot be judged: give it "View Setup and Configuration" (Salesforce said ${salesforceWords(error)})`;
  return `could not read the org: ${salesforceWords(error)}`;
}

const SET_IT =
  "Set integrationUser (its username or User Id) on the portal's Salesforce connection (PUT /v1/admin/portals/:portalId/salesforce).";

/** The reason of the warning that the evidence for the integration user was read in part. */
const EVIDENCE_UNREAD_REASON = 'INTEGRATION_USER_EVIDENCE_UNREAD';

const UNREAD_EVIDENCE: Record<
  Salesforce.UnreadEvidence['source'],
  { subject: string; what: string }
> = {
  oauth: { subject: 'OauthToken', what: "HubSpot's OAuth tokens" },
  permissionSet: {
    subject: 'PermissionSetGroupComponent',
    what: `the permission set groups holding '${HUBSPOT_PERMISSION_SET}'`,
  },
  saved: { subject: 'Sync_Doctor_Settings__c', what: "Sync Doctor's saved choice" },
};

/**
 * Evidence for the integration user the relay's user could not read, worded for the admin. Its
 * OAuth tokens above all: without "Customize Application" (which the relay's user does not get)
 * Salesforce shows it only its own tokens, so the finder leaves them out rather than count a
 * partial list; naming the integration user on the connection spares the guess.
 */
function unreadWords(unread: Salesforce.UnreadEvidence, relayUser: string | null): string {
  const who = relayUser
    ? `the relay's Salesforce user ${relayUser}`
    : "the relay's Salesforce user";
  const { what } = UNREAD_EVIDENCE[unread.source];
  if (unread.errorCode === 'CUSTOMIZE_APPLICATION_REQUIRED')
    return `${what} were no evidence: ${who} lacks "Customize Application", without which Salesforce shows it only its own tokens`;
  return `${what} could not be read by ${who} (${unread.errorCode}: ${unread.message.split('\n')[0] ?? ''})`;
}

function unreadFindings(
  unread: readonly Salesforce.UnreadEvidence[],
  relayUser: string | null,
  chosen: string,
): AccessFinding[] {
  return unread.map((u) => ({
    severity: 'warning',
    reason: EVIDENCE_UNREAD_REASON,
    rule: null,
    subject: UNREAD_EVIDENCE[u.source].subject,
    message: `${chosen} was chosen as HubSpot's integration user on the other evidence: ${unreadWords(u, relayUser)}.`,
    remedy: SET_IT,
  }));
}

/** The reason of the warning that a section of the check was not read, so not judged. */
export const SECTION_UNREAD_REASON = 'ACCESS_SECTION_UNREAD';

/**
 * The sections the collector may leave unread (collectSnapshot's `frozen`, `loginHistory`,
 * `connectedApps`): the subject of their ACCESS_SECTION_UNREAD warning, what the admin misses, and
 * the core's rules that judge them, as the core lists them (an error of those rules alerted before
 * is neither there nor gone while its section is unread: access/alert.ts keeps it, so an unread
 * section never alerts "restored").
 */
const UNREAD_SECTIONS = {
  frozen: {
    subject: 'UserLogin.IsFrozen',
    what: 'whether the integration user is frozen (a frozen user cannot log in)',
    rules: RULES_OF_OPTIONAL_SECTIONS.frozen,
  },
  loginHistory: {
    subject: 'LoginHistory',
    what: "whether Salesforce refuses the integration user's logins (Login History)",
    rules: RULES_OF_OPTIONAL_SECTIONS.loginHistory,
  },
  connectedApps: {
    subject: 'ConnectedApplication',
    what: "HubSpot's connected app policy (installed, approval, session and token policy)",
    rules: RULES_OF_OPTIONAL_SECTIONS.connectedApps,
  },
} as const;

type UnreadSection = keyof typeof UNREAD_SECTIONS;

/** The core's rules of the sections a check's ACCESS_SECTION_UNREAD warnings name. */
export function unreadRules(findings: readonly AccessFinding[]): Set<string> {
  const rules = new Set<string>();
  for (const f of findings) {
    if (f.reason !== SECTION_UNREAD_REASON) continue;
    const section = Object.values(UNREAD_SECTIONS).find((s) => s.subject === f.subject);
    section?.rules.forEach((rule) => rules.add(rule));
  }
  return rules;
}

/**
 * A warning per section the relay's user could not read: with the README's permission sets (View
 * Setup, no Manage Users, Monitor Login History or Customize Application) that is all three, every
 * check, and "no error finding" must not read as "none of these are wrong".
 */
function sectionFindings(
  collected: Salesforce.CollectResult,
  relayUser: string | null,
): AccessFinding[] {
  const who = relayUser
    ? `The relay's Salesforce user ${relayUser}`
    : "The relay's Salesforce user";
  const out: AccessFinding[] = [];
  for (const key of Object.keys(UNREAD_SECTIONS) as UnreadSection[]) {
    const read = collected[key];
    if (!read || read.read) continue;
    const section = UNREAD_SECTIONS[key];
    out.push({
      severity: 'warning',
      reason: SECTION_UNREAD_REASON,
      rule: null,
      subject: section.subject,
      message: `Not checked: ${section.what}. ${who} could not read it (${read.cause}). ${read.message.split('\n')[0] ?? ''}`,
      remedy:
        "Check it in Setup, or run `sync-doctor check` as an admin: the relay's user is not meant to hold the permissions it needs.",
    });
  }
  return out;
}

/**
 * One check: HubSpot's integration user (the configured one, else the core's chooser over the
 * org's evidence, as `sync-doctor check` finds it), its snapshot (collectSnapshot, the CLI's
 * reader, scoped to the requirements) judged by evaluateAccess with the requirements: the core's
 * defaults, or the portal's own (requirementsFromDocument, as the CLI's --requirements). Never
 * throws: what keeps it from concluding is the outcome's `error`.
 */
export async function checkAccess(
  conn: Salesforce.Connection,
  options: {
    integrationUser?: string | undefined;
    relayUser: string | null;
    requirements?: Requirements;
  },
): Promise<AccessCheckOutcome> {
  const requirements = options.requirements ?? DEFAULT_REQUIREMENTS;
  let requests = 0;
  try {
    const sf = await salesforceModule();
    let user = options.integrationUser;
    let evidenceWarnings: AccessFinding[] = [];
    if (!user) {
      const search = await sf.findIntegrationUserCandidates(conn);
      requests += search.requests;
      const choice = chooseIntegrationUser(search.candidates);
      const unread = search.unread
        .map((u) => ` Note: ${unreadWords(u, options.relayUser)}.`)
        .join('');
      if (choice.outcome === 'none')
        return {
          concluded: false,
          requests,
          error: `found no HubSpot integration user: no user holds an OAuth token of HubSpot's connected app, is assigned the '${HUBSPOT_PERMISSION_SET}' permission set or was saved in Sync Doctor's settings.${unread} ${SET_IT}`,
        };
      if (choice.outcome !== 'chosen')
        return {
          concluded: false,
          requests,
          error: `${choice.tied.length} users are equally likely to be HubSpot's integration user: ${choice.tied.map(candidateLine).join(', ')}.${unread} ${SET_IT}`,
        };
      user = choice.user.username;
      evidenceWarnings = unreadFindings(search.unread, options.relayUser, user);
    }
    // The relay's own user reads the org, with fewer rights than an admin: naming it spares the
    // collector asking Salesforce who it is when an object or field is hidden from it.
    const collected = await sf.collectSnapshot(conn, {
      user,
      requirements,
      ...(options.relayUser ? { reader: options.relayUser } : {}),
    });
    requests += collected.requests;
    const diagnosis = evaluateAccess(collected.snapshot, requirements);
    return {
      concluded: true,
      verdict: diagnosis.verdict,
      user: {
        id: collected.snapshot.user?.Id ?? null,
        username: collected.snapshot.user?.Username ?? user,
      },
      findings: [
        ...diagnosis.findings
          .filter((f): f is Finding & { severity: 'error' | 'warning' } => f.severity !== 'info')
          .map((f) => ({
            severity: f.severity,
            reason: f.reason,
            rule: f.rule ?? null,
            subject: f.subject,
            message: f.message,
            remedy: f.remedy,
          })),
        // Warnings alert nobody (access/alert.ts): GET access and the app show them.
        ...evidenceWarnings,
        ...sectionFindings(collected, options.relayUser),
      ],
      requests,
    };
  } catch (error) {
    return { concluded: false, requests, error: failureReason(error, options.relayUser) };
  }
}
