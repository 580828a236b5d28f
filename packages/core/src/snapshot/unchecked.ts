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
  /** The permissions a reader needs for Sync Doctor to check it. */
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
  connectedApps: '"Customize Application" plus "Modify All Data" or "Manage Connected Apps"',
};

const BY_HAND: Record<UncheckedCheckName, string> = {
  frozen: FROZEN_CHECK_BY_HAND,
  loginHistory:
    "Open the user's Login History (Setup > Users > the user > Login History): a login of HubSpot's refused by IP ranges, login hours or a frozen user shows there with its Status.",
  connectedApps:
    "Open HubSpot's connected app in Setup > Connected Apps > Manage Connected Apps: its Permitted Users, IP Relaxation and the profiles or permission sets approved for it must admit the user.",
};

/** The snapshot's frozenRead (the Apex reader puts it there), when it is one. */
function frozenReadOf(snapshot: Snapshot): FrozenRead | undefined {
  const read = (snapshot as { frozenRead?: unknown }).frozenRead;
  if (!read || typeof read !== 'object') return undefined;
  const r = read as { read?: unknown; cause?: unknown; message?: unknown };
  if (r.read !== false) return undefined;
  return {
    read: false,
    cause: isFrozenReadCause(r.cause) ? r.cause : 'error',
    message: typeof r.message === 'string' ? r.message : '',
  };
}

function entry(check: UncheckedCheckName, line: string): UncheckedCheck {
  return { check, label: LABELS[check], line, byHand: BY_HAND[check], needs: NEEDS[check] };
}

/**
 * The optional parts the snapshot lacks, in UNCHECKED_CHECKS order (empty when all were read):
 * - frozen: the snapshot has a user whose `IsFrozen` is not a boolean (a snapshot without a user
 *   already has a finding that says so);
 * - loginHistory: no `logins` (null or absent);
 * - connectedApps: no `connectedApps`.
 */
export function uncheckedOf(snapshot: Snapshot): UncheckedCheck[] {
  const out: UncheckedCheck[] = [];
  if (snapshot.user && typeof snapshot.user.IsFrozen !== 'boolean') {
    const read = frozenReadOf(snapshot);
    out.push(
      entry(
        'frozen',
        (read && frozenNotReadLine(read)) ?? 'Whether the user is frozen was not read.',
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
 * One sentence saying what was not checked and what it takes: "Not checked: frozen state and Login
 * History (reading them needs "Manage Users" ...)." '' when everything was read.
 */
export function uncheckedSentence(unchecked: readonly UncheckedCheck[] | null | undefined): string {
  const list = unchecked ?? [];
  if (!list.length) return '';
  return `Not checked: ${uncheckedList(list)}. Check ${list.length === 1 ? 'it' : 'them'} by hand, or ask an admin with ${uncheckedNeeds(list)} to check again.`;
}

/**
 * The permissions an admin needs for Sync Doctor to check them all: "Manage Users" reads both the
 * frozen state and Login History, so it is named once for the two.
 */
export function uncheckedNeeds(unchecked: readonly UncheckedCheck[] | null | undefined): string {
  const checks = new Set((unchecked ?? []).map((u) => u.check));
  const needs: string[] = [];
  if (checks.has('frozen')) needs.push(NEEDS.frozen);
  else if (checks.has('loginHistory')) needs.push(NEEDS.loginHistory);
  if (checks.has('connectedApps')) needs.push(NEEDS.connectedApps);
  return needs.join(', and ');
}
