/**
 * What a diagnosis could not judge because an optional part of the snapshot was not read: the
 * integration user's frozen state (UserLogin, "Manage Users"), its Login History ("Manage Users"
 * or "Monitor Login History") and HubSpot's connected app ("Customize Application" plus "Modify
 * All Data" or "Manage Connected Apps"). No finding can come from a part not read
 * (RULES_OF_OPTIONAL_SECTIONS), so "nothing found" there means "not checked": a frozen or
 * IP-blocked user would pass. This is the one place that tells which parts those are, from the
 * snapshot alone; evaluateAccess puts the result in `Diagnosis.unchecked`, and the app's verdict,
 * the suspension steps, the CLI and the report qualify "healthy" with it.
 */
import { joinList } from '../diagnosis/text.js';
import { FROZEN_CHECK_BY_HAND, frozenNotReadLine, isFrozenReadCause } from './frozenRead.js';
import type { FrozenRead } from './frozenRead.js';
import { CONNECTED_APPS_NOT_READ_MESSAGE, LOGINS_NOT_READ_MESSAGE } from './notRead.js';
import type { Snapshot } from './types.js';

/** The parts, named as the CLI's --json names their read states and RULES_OF_OPTIONAL_SECTIONS its keys. */
export const UNCHECKED_CHECKS = ['frozen', 'loginHistory', 'connectedApps'] as const;
export type UncheckedCheckName = (typeof UNCHECKED_CHECKS)[number];

export interface UncheckedCheck {
  check: UncheckedCheckName;
  /** A few words for a list: 'frozen state', 'Login History', "HubSpot's connected app". */
  label: string;
  /** Why it was not read, as the report's not-read line says it. */
  line: string;
  /** What an admin checks by hand instead, in Setup. */
  byHand: string;
  /**
   * The permissions a reader needs for Sync Doctor to check it; '' when no permission would help:
   * the frozen state not read although the reader holds "Manage Users" (Salesforce has no UserLogin
   * row for the user, or refused the query all the same: frozenNeeds). Check it by hand then.
   */
  needs: string;
}

const LABELS: Record<UncheckedCheckName, string> = {
  frozen: 'frozen state',
  loginHistory: 'Login History',
  connectedApps: "HubSpot's connected app",
};

const NEEDS: Record<UncheckedCheckName, string> = {
  frozen: '"Manage Users"',
  loginHistory: '"Manage Users" or "Monitor Login History"',
  connectedApps: '"Customize Application" with "Modify All Data" or "Manage Connected Apps"',
};

const BY_HAND: Record<UncheckedCheckName, string> = {
  frozen: FROZEN_CHECK_BY_HAND,
  loginHistory:
    "Open the user's Login History (Setup > Users > the user > Login History): a login of HubSpot's refused by IP ranges, login hours or a lockout shows there with its Status.",
  connectedApps:
    "Open HubSpot's connected app in Setup > Connected Apps > Manage Connected Apps: its Permitted Users, IP Relaxation and the profiles or permission sets approved for it must admit the user.",
};

/**
 * What each check would have shown, had it been read: what may have suspended the sync unseen. Said
 * per check, so a partly checked verdict missing only the frozen state does not speak of IP ranges.
 */
const SHOWS: Record<UncheckedCheckName, string> = {
  frozen: 'a frozen user',
  loginHistory: 'logins refused by IP ranges, login hours or a lockout',
  connectedApps: 'its policies refusing the integration user',
};

/**
 * The snapshot's frozenRead when it says the frozen state was not read (both readers put it there:
 * the Apex reader and the Node collector), with an unknown cause read as 'error'.
 */
export function snapshotFrozenRead(
  snapshot: Pick<Snapshot, 'frozenRead'> | null | undefined,
): FrozenRead | undefined {
  const read: unknown = snapshot?.frozenRead;
  if (!read || typeof read !== 'object') return undefined;
  const r = read as { read?: unknown; cause?: unknown; message?: unknown };
  if (r.read !== false) return undefined;
  return {
    read: false,
    cause: isFrozenReadCause(r.cause) ? r.cause : 'error',
    message: typeof r.message === 'string' ? r.message : '',
  };
}

/**
 * What it takes for Sync Doctor to read the frozen state: "Manage Users" when the reader lacks it,
 * or when the snapshot does not say why (older snapshots); nothing ('') when the reader held it and
 * still got no answer: Salesforce has no UserLogin row for the user ('no-user-login'), or refused
 * the query in its own words ('error', which the Apex reader gives only to a holder of Manage
 * Users and the collector for anything but UserLogin hidden from it). Another admin would get the
 * same answer, so the admin is sent to Setup > Users instead.
 */
export function frozenNeeds(read: FrozenRead | null | undefined): string {
  if (read && read.read === false && read.cause !== 'needs-manage-users') return '';
  return NEEDS.frozen;
}

function entry(check: UncheckedCheckName, line: string, needs = NEEDS[check]): UncheckedCheck {
  return { check, label: LABELS[check], line, byHand: BY_HAND[check], needs };
}

/**
 * The optional parts the snapshot lacks, in UNCHECKED_CHECKS order (empty when all were read):
 * - frozen: the snapshot has a user whose `IsFrozen` is not a boolean (a snapshot without a user
 *   already has a finding that says so); its line and needs follow the snapshot's `frozenRead`;
 * - loginHistory: no `logins` (null or absent);
 * - connectedApps: no `connectedApps`.
 */
export function uncheckedOf(snapshot: Snapshot): UncheckedCheck[] {
  const out: UncheckedCheck[] = [];
  if (snapshot.user && typeof snapshot.user.IsFrozen !== 'boolean') {
    const read = snapshotFrozenRead(snapshot);
    out.push(
      entry(
        'frozen',
        (read && frozenNotReadLine(read)) ?? 'Whether the user is frozen was not read.',
        frozenNeeds(read),
      ),
    );
  }
  if (snapshot.logins == null) out.push(entry('loginHistory', LOGINS_NOT_READ_MESSAGE));
  if (snapshot.connectedApps == null)
    out.push(entry('connectedApps', CONNECTED_APPS_NOT_READ_MESSAGE));
  return out;
}

/** 'frozen state, Login History and HubSpot's connected app'; '' for none. */
export function uncheckedList(unchecked: readonly UncheckedCheck[] | null | undefined): string {
  return joinList((unchecked ?? []).map((u) => u.label));
}

/**
 * Each check not made with what it would have shown: "the frozen state, where a frozen user would
 * show; Login History, where logins refused by IP ranges, login hours or a lockout would show; and
 * HubSpot's connected app, where its policies refusing the integration user would show" (';' between
 * them, Login History's own list having commas). '' for none.
 */
export function uncheckedWhereShown(
  unchecked: readonly UncheckedCheck[] | null | undefined,
): string {
  const parts = (unchecked ?? []).map((u, i) => {
    const name = `${i === 0 && u.check === 'frozen' ? 'the ' : ''}${u.label}`;
    const shows = SHOWS[u.check] as string | undefined;
    return shows ? `${name}, where ${shows} would show` : name;
  });
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join('; ')}; and ${parts[parts.length - 1]}`;
}

/**
 * One sentence saying what was not checked and what to ask for, each check once with its own
 * permissions: "Not checked: frozen state and Login History. Check them by hand, or ask an admin
 * who has these to check again: frozen state: "Manage Users"; Login History: "Manage Users" or
 * "Monitor Login History"." (one list, per check: "ask an admin with "Manage Users", and
 * "Customize Application" plus ..." was hard to parse and left Monitor Login History out). A part
 * no permission would let Sync Doctor read (needs '') is only checked by hand. `named: false`
 * leaves out "Not checked: <list>." where the line before already names them. '' when all was read.
 */
export function uncheckedSentence(
  unchecked: readonly UncheckedCheck[] | null | undefined,
  options: { named?: boolean } = {},
): string {
  const list = unchecked ?? [];
  if (!list.length) return '';
  const it = list.length === 1 ? 'it' : 'them';
  const byHand =
    options.named === false
      ? `Check ${it} by hand`
      : `Not checked: ${uncheckedList(list)}. Check ${it} by hand`;
  const needs = uncheckedNeeds(list);
  if (!needs) return `${byHand}.`;
  return `${byHand}, or ask an admin who has ${list.filter((u) => u.needs).length === 1 ? 'this' : 'these'} to check again: ${needs}.`;
}

/**
 * What to ask for, per check not read that a permission would let Sync Doctor read: 'frozen state:
 * "Manage Users"; Login History: "Manage Users" or "Monitor Login History"'. '' when none would.
 */
export function uncheckedNeeds(unchecked: readonly UncheckedCheck[] | null | undefined): string {
  return (unchecked ?? [])
    .filter((u) => u.needs)
    .map((u) => `${u.label}: ${u.needs}`)
    .join('; ');
}
