/**
 * Login History: whether HubSpot can still log in as the integration user. Permissions can be
 * perfect while Salesforce refuses the login itself (the profile's Login IP Ranges or Login Hours,
 * a lockout, a freeze), and HubSpot then reports "API access disabled" or an unknown error. The
 * attempts say which, when, and from where; this is the evidence an admin otherwise digs out of
 * Setup > Users > Login History by hand.
 */
import type { Context } from './context.js';
import { approveForAppRemedy, hubSpotAppApprovals, isHubSpotAppName } from './hubspotApp.js';
import { RULES } from './rules.js';
import { HUBSPOT_SALESFORCE_PLACE, HUBSPOT_SYNC_HEALTH_PLACE } from './limits.js';
import { LOGIN_HISTORY_DAYS } from '../snapshot/schema.js';
import type { LoginHistoryRecord } from '../snapshot/types.js';
import { joinList, minute, salesforceTime } from './text.js';
import type { LoginFailureCause, LoginFailureGroup, LoginSilence, LoginSummary } from './types.js';
import type { CauseCode } from '../reasons/causes.js';

/** Salesforce leaves Application empty or 'N/A' for some refused attempts: they may be HubSpot's. */
const UNNAMED_APP = /^(n\/a|unknown|)$/i;

/** Salesforce's Status words, matched loosely: the texts are not documented and vary by release. */
const CAUSES: readonly [RegExp, LoginFailureCause][] = [
  // 'API Disabled for User': no active profile or permission set grants "API Enabled".
  [/api\b.*\bdisabled|api\b.*\bnot enabled/i, 'api-disabled'],
  [/restricted ip|\bip\b/i, 'ip-range'],
  [/restricted time|login hours/i, 'login-hours'],
  [/frozen/i, 'frozen'],
  [/inactive/i, 'inactive'],
  [/lock/i, 'lockout'],
  // 'Failed: Not approved for access': the connected app admits admin-approved users only.
  [/not approved|approv/i, 'app-not-approved'],
  [/password/i, 'password'],
  [/activation|security token|verification|identity/i, 'verification'],
];

/** Causes that refuse an OAuth refresh, HubSpot's way in; the others refuse password logins only. */
const BLOCKS_OAUTH: ReadonlySet<LoginFailureCause> = new Set([
  'api-disabled',
  'ip-range',
  'login-hours',
  'frozen',
  'inactive',
  'lockout',
  'app-not-approved',
  'other',
]);

/**
 * The cause that heads a refusal's finding, where HubSpot's reason ("API access disabled") would
 * hide what to fix: every refusal of HubSpot's OAuth refresh Salesforce names (BLOCKS_OAUTH but
 * 'other'). The password logins' refusals, and one Salesforce does not name, keep HubSpot's reason
 * as their heading. A refusal for "API Enabled" ('api-disabled') keeps it too: it is what the API
 * Enabled check (RULES.apiEnabled) heads its finding by, and the two are one problem.
 */
const CAUSE_OF: Partial<Record<LoginFailureCause, CauseCode>> = {
  'ip-range': 'LOGIN_IP_RESTRICTED',
  'login-hours': 'LOGIN_HOURS_RESTRICTED',
  frozen: 'USER_FROZEN',
  inactive: 'USER_INACTIVE',
  lockout: 'USER_LOCKED_OUT',
  'app-not-approved': 'CONNECTED_APP_NOT_APPROVED',
};

/** The cause of the refusals `groups`, when they all have the same one. */
function causeOf(groups: readonly LoginFailureGroup[]): { cause?: CauseCode } {
  const causes = new Set(groups.map((group) => CAUSE_OF[group.cause]));
  const [cause] = causes;
  return causes.size === 1 && cause ? { cause } : {};
}

export function isLoginSuccess(status: string): boolean {
  return /^\s*success/i.test(status);
}

export function loginFailureCause(status: string): LoginFailureCause {
  return CAUSES.find(([pattern]) => pattern.test(status))?.[1] ?? 'other';
}

/** Attempts HubSpot may have made: its connected app's, or unnamed ones. */
function mayBeHubSpots(login: LoginHistoryRecord): boolean {
  const app = (login.Application ?? '').trim();
  return UNNAMED_APP.test(app) || isHubSpotAppName(app);
}

function summarize(judged: LoginHistoryRecord[], others: number): LoginSummary {
  const groups = new Map<string, LoginFailureGroup>();
  let lastSuccessAt: string | null = null;
  for (const login of judged) {
    if (isLoginSuccess(login.Status)) {
      lastSuccessAt ??= login.LoginTime;
      continue;
    }
    const key = login.Status.trim();
    let group = groups.get(key);
    if (!group) {
      group = {
        status: key,
        cause: loginFailureCause(key),
        count: 0,
        lastAt: login.LoginTime,
        sourceIps: [],
      };
      groups.set(key, group);
    }
    group.count += 1;
    const ip = login.SourceIp?.trim();
    if (ip && group.sourceIps.length < 3 && !group.sourceIps.includes(ip)) group.sourceIps.push(ip);
  }
  // The run of failures at the top: how long HubSpot has been locked out.
  let failingSince: string | null = null;
  for (const login of judged) {
    if (isLoginSuccess(login.Status)) break;
    failingSince = login.LoginTime;
  }
  return {
    days: LOGIN_HISTORY_DAYS,
    attempts: judged.length,
    otherApplications: others,
    lastAttemptAt: judged[0]?.LoginTime ?? null,
    lastSuccessAt,
    failingSince,
    failures: [...groups.values()],
  };
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** The remedy in a few words, for the fix card's to-do list (Finding.action), where it is long. */
function actionFor(cause: LoginFailureCause): { action?: string } {
  if (cause === 'ip-range')
    return {
      action: `Set IP Relaxation of HubSpot's connected app to "Relax IP restrictions" (Setup > App Manager > HubSpot > Manage > Edit Policies), then click "Clear Suspension" in HubSpot.`,
    };
  return {};
}

/**
 * What to do about a refusal. The addresses HubSpot's logins came from are the message's to list
 * (its "from 198.51.100.21 and ..."): the remedy says where to let them in, not them again.
 */
function remedyFor(cause: LoginFailureCause, who: string, profile: string): string {
  const clear = 'then click "Clear Suspension" in HubSpot so it logs in again.';
  switch (cause) {
    case 'api-disabled':
      return `Turn on "API Enabled" (System Permissions) in ${profile} or in a permission set assigned to ${who}; ${clear}`;
    case 'ip-range':
      return `Let HubSpot's servers in: in Setup > App Manager, open HubSpot's connected app > Manage > Edit Policies and set IP Relaxation to "Relax IP restrictions", or add HubSpot's addresses to the Login IP Ranges of ${profile} (Setup > Profiles); ${clear}`;
    case 'login-hours':
      return `A sync runs around the clock: clear the Login Hours of ${profile} (Setup > Profiles > Login Hours), or give ${who} a profile without them; ${clear}`;
    case 'frozen':
      return `Open ${who} in Setup > Users and click Unfreeze; ${clear}`;
    case 'inactive':
      return `Reactivate ${who} in Setup > Users; ${clear}`;
    case 'lockout':
      return `Open ${who} in Setup > Users and click Unlock. Check the password policy's lockout (Setup > Password Policies, or the profile's: Maximum invalid login attempts, Lockout effective period) and find the client that logs in as ${who} with an old password (Login History shows its address and application) before it locks the user again; ${clear}`;
    case 'app-not-approved':
      return `HubSpot's connected app admits admin-approved users only, and ${who} is not among them: ${lowerFirst(approveForAppRemedy(who, profile))}; ${clear}`;
    case 'password':
      return `HubSpot signs in with OAuth and sends no password: find the client that uses a wrong password as ${who} by its address and application in Setup > Users > Login History. Repeated failures lock the user out, which stops HubSpot too.`;
    case 'verification':
      return `Salesforce asked for identity verification (a security token or a code) for a password login from an unknown network, not for HubSpot's OAuth refresh: find that client in Setup > Users > Login History and give it its own user.`;
    default:
      return `Setup > Users > ${who} > Login History shows each attempt with its status; fix what it names, ${clear}`;
  }
}

/**
 * Whether the user is approved for HubSpot's connected app today, for a refusal "not approved":
 * `missing` when an admin-approved-only HubSpot app approves none of the user's active sources, else
 * `admitted`, what admits the user now; null when the connected apps were not read or HubSpot's
 * app is not among them.
 */
function approvalNow(
  ctx: Context,
): { missing: true } | { missing: false; admitted: string } | null {
  const approvals = hubSpotAppApprovals(ctx);
  if (!approvals || !ctx.snapshot.connectedApps!.apps.some((app) => isHubSpotAppName(app.Name)))
    return null;
  if (approvals.some((approval) => approval.approvedBy.length === 0)) return { missing: true };
  const by = [...new Set(approvals.flatMap((approval) => approval.approvedBy))];
  return {
    missing: false,
    admitted: by.length
      ? `approved for HubSpot's connected app now (by ${joinList(by)})`
      : "admitted by HubSpot's connected app now (it lets every user self-authorize)",
  };
}

/**
 * Whether an active source grants the user "API Enabled" today, as the API Enabled check judges it
 * (user.ts); null when that check does not run (permissions not read, not required, not in the org).
 */
function apiEnabledNow(ctx: Context): boolean | null {
  const permission = 'PermissionsApiEnabled';
  if (!ctx.permissionsKnown || !ctx.requirements.systemPermissions.includes(permission))
    return null;
  const grant = ctx.system(permission);
  return grant.absent ? null : grant.granted;
}

/** Successful logins needed before their rhythm says anything (three gaps between them). */
const RHYTHM_MIN_LOGINS = 4;
/** A silence counts when it lasts this many of HubSpot's usual gaps between logins... */
const SILENCE_GAPS = 4;
/** ...and at least this long, so a short pause of a busy sync is not taken for a stop. */
const SILENCE_MIN_MS = 3 * 3_600_000;

/** '3 hours', '45 minutes', '2 days': a span as an admin reads it. */
function span(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(ms / 3_600_000);
  if (hours < 48) return `${hours} hours`;
  return `${Math.round(ms / 86_400_000)} days`;
}

/**
 * 'hour', '2 hours', '45 minutes': HubSpot's usual gap between logins as an admin says it, after
 * "about every". Login times jitter (HubSpot refreshes when a call finds its token expired), so a
 * median within a tenth of a whole number of hours is that many hours: 56 minutes is "about every
 * hour", not "about every 56 minutes". Short gaps keep their minutes.
 */
function every(ms: number): string {
  const hours = ms / 3_600_000;
  const whole = Math.round(hours);
  if (whole >= 1 && whole < 48 && Math.abs(hours - whole) <= whole / 10)
    return whole === 1 ? 'hour' : `${whole} hours`;
  return span(ms);
}

/**
 * "No login for 20 hours, while HubSpot logged in about every hour: its sync has stopped.": the
 * silence in one sentence, for a card or a line beside the last login's time (the finding
 * 'hubspot-logins-stopped' says the same at length).
 */
export function loginSilenceText(stopped: LoginSilence): string {
  return `No login for ${span(stopped.silentForMs)}, while HubSpot logged in about every ${every(stopped.usualGapMs)}: its sync has stopped.`;
}

/**
 * HubSpot refreshes its OAuth token whenever its access token expires, which it does on a steady
 * rhythm while the sync runs (the session timeout: every hour or two). When the logins stop for
 * several of those gaps, the sync has stopped: the first sign of a suspension Salesforce itself
 * holds, often before HubSpot's e-mail arrives. The rhythm is the median gap of the logins read, so
 * an org with a 24-hour session timeout is judged by its own rhythm. Returns the silence, for the
 * summary, when it counts.
 */
function judgeSilence(
  ctx: Context,
  judged: readonly LoginHistoryRecord[],
  capturedAt: number,
  subject: string,
): LoginSilence | undefined {
  const successes = judged
    .filter((login) => isLoginSuccess(login.Status))
    .map((login) => salesforceTime(login.LoginTime))
    .filter((time) => !Number.isNaN(time));
  if (successes.length < RHYTHM_MIN_LOGINS || Number.isNaN(capturedAt)) return undefined;
  const gaps = successes
    .slice(1)
    .map((time, i) => successes[i]! - time)
    .sort((a, b) => a - b);
  const usual = gaps[Math.floor(gaps.length / 2)]!;
  const silence = capturedAt - successes[0]!;
  if (usual <= 0 || silence < Math.max(SILENCE_GAPS * usual, SILENCE_MIN_MS)) return undefined;
  const lastLoginAt = judged.find((login) => isLoginSuccess(login.Status))!.LoginTime;
  ctx.add({
    reason: 'API_ACCESS_DISABLED',
    // Every suspension reason (and a disconnect in HubSpot) stops the logins alike: not API access.
    symptom: 'SYNC_STOPPED',
    // A stopped sync is no risk but what the admin came for: it blocks, its cause not known here.
    severity: 'error',
    subject,
    rule: RULES.loginsStopped,
    message: `HubSpot has not logged in as ${ctx.who} for ${span(silence)} (last at ${minute(lastLoginAt)}), while before that it logged in about every ${every(usual)}: HubSpot's sync has stopped. HubSpot suspended, paused or disconnected it, or connects as another user now.`,
    action: `Open ${HUBSPOT_SYNC_HEALTH_PLACE} to see why the sync stopped.`,
    remedy: `Open ${HUBSPOT_SYNC_HEALTH_PLACE} to see why: fix the suspension it names (the findings here say how for most), then click "Clear Suspension"; resume a paused sync; if HubSpot shows another Salesforce user, check that user here.`,
  });
  return { lastLoginAt, silentForMs: silence, usualGapMs: usual };
}

/** Findings from Login History, and the summary the app and the CLI show. Null when it was not read. */
export function judgeLogins(ctx: Context): LoginSummary | null {
  const logins = ctx.snapshot.logins;
  if (logins == null) return null;
  // The window is the core's, not the readers': SOQL's LAST_N_DAYS:7 (the collector) reaches back
  // to midnight eight days ago, the Apex reader exactly seven days; both are cut to the same week.
  const capturedAt = salesforceTime(ctx.snapshot.capturedAt);
  const windowStart = capturedAt - LOGIN_HISTORY_DAYS * 86_400_000;
  const sorted = logins
    .filter((login) => Number.isNaN(capturedAt) || !(salesforceTime(login.LoginTime) < windowStart))
    .sort((a, b) => salesforceTime(b.LoginTime) - salesforceTime(a.LoginTime));
  const judged = sorted.filter(mayBeHubSpots);
  const summary = summarize(judged, sorted.length - judged.length);
  const user = ctx.snapshot.user;
  const subject = user?.Username ?? 'user';
  const profile = user?.Profile?.Name ? `the profile "${user.Profile.Name}"` : "the user's profile";
  const latest = judged[0];

  if (!latest) {
    ctx.add({
      reason: 'API_ACCESS_DISABLED',
      // No login at all says the sync is not running as this user, not why.
      symptom: 'NO_RECENT_LOGIN',
      severity: 'info',
      subject,
      rule: RULES.noRecentLogin,
      message: `HubSpot has not logged in as ${ctx.who} in the last ${LOGIN_HISTORY_DAYS} days${summary.otherApplications ? ` (only other applications did: ${summary.otherApplications} attempts)` : ''}: HubSpot connects as another user, or its connection is suspended or disconnected.`,
      remedy: `In ${HUBSPOT_SALESFORCE_PLACE}, see which Salesforce user HubSpot is connected as, and check that user here.`,
    });
    return summary;
  }

  const describe = (group: LoginFailureGroup) => {
    const from = group.sourceIps.length ? ` from ${joinList(group.sourceIps)}` : '';
    return `"${group.status}" ${group.count === 1 ? 'once' : `${group.count} times`}${from}, last at ${minute(group.lastAt)}`;
  };
  const lastGood = summary.lastSuccessAt
    ? `the last successful login was at ${minute(summary.lastSuccessAt)}`
    : `no login succeeded in the last ${LOGIN_HISTORY_DAYS} days`;

  if (!isLoginSuccess(latest.Status)) {
    const group = summary.failures.find((g) => g.status === latest.Status.trim())!;
    const cause = group.cause;
    const api = cause === 'api-disabled' ? apiEnabledNow(ctx) : null;
    const userSays =
      (cause === 'frozen' && user?.IsFrozen === true) ||
      (cause === 'inactive' && user?.IsActive === false) ||
      // The API Enabled check already says it (API_ACCESS_DISABLED, with which source to fix).
      api === false;
    // The user rule already says it, with its remedy: the login history adds nothing to act on.
    if (userSays) return summary;
    const approval = cause === 'app-not-approved' ? approvalNow(ctx) : null;
    // The app's policy says it, with the app a fix approves the user for (connectedApps.ts).
    if (approval?.missing) return summary;
    const nowFine =
      cause === 'frozen' && user?.IsFrozen === false
        ? 'no longer frozen'
        : cause === 'inactive' && user?.IsActive === true
          ? 'no longer inactive'
          : api === true
            ? 'granted "API Enabled" now'
            : approval && !approval.missing
              ? approval.admitted
              : null;
    if (nowFine) {
      ctx.add({
        reason: 'API_ACCESS_DISABLED',
        severity: 'warning',
        subject,
        // A rule of its own: what is left to do is in HubSpot (planRemediation's HUBSPOT_RULES).
        rule: RULES.loginFailureCleared,
        message: `HubSpot's last login as ${ctx.who} failed at ${minute(latest.LoginTime)} ("${group.status}"); the user is ${nowFine}, and HubSpot has not logged in since.`,
        remedy:
          'Re-enter the Salesforce credentials in HubSpot\'s Salesforce settings, or click "Clear Suspension", so HubSpot logs in again.',
      });
      return summary;
    }
    const run = summary.failingSince ? ` since ${minute(summary.failingSince)}` : '';
    ctx.add({
      reason: 'API_ACCESS_DISABLED',
      ...causeOf([group]),
      severity: BLOCKS_OAUTH.has(cause) ? 'error' : 'warning',
      subject,
      rule: RULES.loginFailures,
      message: `Salesforce refuses logins as ${ctx.who}${run}: ${describe(group)}; ${lastGood}.`,
      remedy: remedyFor(cause, ctx.who, profile),
      ...actionFor(cause),
    });
    return summary;
  }

  const stopped = judgeSilence(ctx, judged, capturedAt, subject);
  if (stopped) summary.stopped = stopped;

  // HubSpot logs in now; failures earlier in the window may come back (login hours, every night).
  const recurring = summary.failures.filter((g) => BLOCKS_OAUTH.has(g.cause));
  const passing = summary.failures.filter((g) => !BLOCKS_OAUTH.has(g.cause));
  if (recurring.length) {
    const first = recurring[0]!;
    ctx.add({
      reason: 'API_ACCESS_DISABLED',
      ...causeOf(recurring),
      severity: 'warning',
      subject,
      rule: RULES.loginFailures,
      message: `Salesforce refused logins as ${ctx.who} in the last ${LOGIN_HISTORY_DAYS} days: ${recurring.map(describe).join('; ')}. Logins succeed again (last at ${minute(summary.lastSuccessAt!)}), but what refused them may refuse them again.`,
      remedy: remedyFor(first.cause, ctx.who, profile),
      ...actionFor(first.cause),
    });
  }
  if (passing.length) {
    const first = passing[0]!;
    ctx.add({
      reason: 'API_ACCESS_DISABLED',
      severity: 'info',
      subject,
      rule: RULES.loginFailures,
      message: `Password logins as ${ctx.who} failed in the last ${LOGIN_HISTORY_DAYS} days: ${passing.map(describe).join('; ')}. HubSpot's own logins succeed.`,
      remedy: remedyFor(first.cause, ctx.who, profile),
    });
  }
  return summary;
}
