/**
 * Whether the integration user's frozen state (UserLogin.IsFrozen, Setup > Users > Freeze) was
 * read, and why not: the Node collector's `FrozenRead` (packages/salesforce, collect/frozen.ts) and
 * the Apex reader's snapshot `frozenRead` (SyncDoctorFrozenStateReader.frozenReadOf) have this shape,
 * these causes and these messages, which a contract test in apps/salesforce-package holds together.
 * A snapshot without `user.IsFrozen` is "not checked", never "not frozen": the report says why.
 */
export const FROZEN_READ_CAUSES = ['needs-manage-users', 'no-user-login', 'error'] as const;

/**
 * 'needs-manage-users': UserLogin is hidden from the reader (it needs "Manage Users");
 * 'no-user-login': the reader may read UserLogin and Salesforce has no row for the user;
 * 'error': Salesforce refused the query or gave no answer (its words in the message).
 */
export type FrozenReadCause = (typeof FROZEN_READ_CAUSES)[number];

export type FrozenRead =
  | { read: true; frozen: boolean }
  | { read: false; cause: FrozenReadCause; errorCode?: string; message: string };

export const FROZEN_NOT_READ_PREFIX = 'Whether the user is frozen was not read: ';

/** The message of each cause whose words do not come from Salesforce ('error' carries its own). */
export const FROZEN_NOT_READ_MESSAGES: Record<Exclude<FrozenReadCause, 'error'>, string> = {
  'needs-manage-users': `${FROZEN_NOT_READ_PREFIX}reading UserLogin needs the "Manage Users" permission.`,
  'no-user-login': `${FROZEN_NOT_READ_PREFIX}Salesforce has no UserLogin row for it.`,
};

/**
 * Where an admin sees whether a user is frozen when Sync Doctor could not read it: the report's
 * line for a user without a UserLogin row, and the app's line when the reader gave no reason.
 */
export const FROZEN_CHECK_BY_HAND =
  'Check the user in Setup > Users (a frozen user has an Unfreeze button).';

export function isFrozenReadCause(value: unknown): value is FrozenReadCause {
  return typeof value === 'string' && (FROZEN_READ_CAUSES as readonly string[]).includes(value);
}

/**
 * The report's line for a frozen state not read, or undefined when it was read (a frozen user is
 * then a finding). Manage Users is named only when the reader lacks it: one who holds it (no row,
 * or Salesforce's refusal) would look for a right they have. A cause this core does not know reads
 * as its message.
 */
export function frozenNotReadLine(read: FrozenRead | null | undefined): string | undefined {
  if (!read || read.read !== false) return undefined;
  if (read.cause === 'needs-manage-users') return FROZEN_NOT_READ_MESSAGES['needs-manage-users'];
  if (read.cause === 'no-user-login')
    return `${FROZEN_NOT_READ_MESSAGES['no-user-login']} ${FROZEN_CHECK_BY_HAND}`;
  const detail = (read.message ?? '').replace(FROZEN_NOT_READ_PREFIX, '').trim();
  return detail ? `${FROZEN_NOT_READ_PREFIX}${detail}` : 'Whether the user is frozen was not read.';
}
