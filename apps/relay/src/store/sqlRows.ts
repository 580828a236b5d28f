// What the SQL store's modules share: rows read back as records, the opaque page cursors and
// limits, and the constraint errors of both databases told apart.
import type { SenderPolicy } from '../inputs/senderPolicy.js';
import {
  PortalGoneError,
  type ChangeRecord,
  type DeliveryRecord,
  type DeliveryState,
  type Page,
  type PortalRecord,
} from './types.js';

export type Row = Record<string, unknown>;

export const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();
export const isoOrNull = (ms: unknown): string | null =>
  ms === null || ms === undefined ? null : iso(ms);
export const str = (v: unknown): string | null =>
  v === null || v === undefined ? null : String(v);
const json = <T>(v: unknown): T | null =>
  v === null || v === undefined ? null : (JSON.parse(String(v)) as T);

export function toPortal(row: Row): PortalRecord {
  return {
    id: String(row.id),
    name: str(row.name),
    signingSecretSealed: String(row.signing_secret),
    inboundTokenHash: String(row.inbound_token_hash),
    salesforceSealed: str(row.salesforce),
    salesforceVersion: Number(row.salesforce_version),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    senderPolicy: json<SenderPolicy>(row.sender_policy),
  };
}

/** The portals.sender_policy column: JSON, or NULL for no policy. */
export const senderPolicyColumn = (policy: SenderPolicy | null): string | null =>
  policy ? JSON.stringify(policy) : null;

export function toChange(row: Row): ChangeRecord {
  return {
    id: Number(row.id),
    portalId: String(row.portal_id),
    eventId: str(row.event_id),
    source: String(row.source) as ChangeRecord['source'],
    state: String(row.state) as ChangeRecord['state'],
    reason: str(row.reason) as ChangeRecord['reason'],
    title: str(row.title),
    excerpt: str(row.excerpt),
    occurredAt: String(row.occurred_at),
    receivedAt: iso(row.received_at),
    detail: json(row.detail),
  };
}

export function toDelivery(row: Row): DeliveryRecord {
  return {
    id: Number(row.id),
    portalId: String(row.portal_id),
    changeId: Number(row.change_id),
    state: String(row.state) as DeliveryState,
    attempts: Number(row.attempts),
    nextAttemptAt: iso(row.next_attempt_at),
    leaseOwner: str(row.lease_owner),
    leaseUntil: isoOrNull(row.lease_until),
    lastError: str(row.last_error),
    deliveredAt: isoOrNull(row.delivered_at),
    result: json(row.result),
    createdAt: iso(row.created_at),
    recoverAt: isoOrNull(row.recover_at),
    recoverSince: isoOrNull(row.recover_since),
    recoveries: Number(row.recoveries ?? 0),
  };
}

/** Cursors are opaque to clients: the id of the last item seen, base64url-encoded. */
export function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

export class InvalidCursorError extends Error {}
export function decodeCursor(cursor: string | null | undefined): number | null {
  if (!cursor) return null;
  const match = /^id:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError('cursor is not one this relay handed out');
  return Number(match[1]);
}

/**
 * A page size the store was handed that is not a positive safe integer (Infinity, NaN, 2.5, 0,
 * -1, 2^53): a caller's bug, refused before any SQL. SQLite's LIMIT failed with "datatype
 * mismatch" on such values and PostgreSQL's with an invalid bigint, neither saying what was wrong.
 * The routes refuse them first (400); the store is an interface and checks for itself.
 */
class InvalidPageLimitError extends RangeError {
  constructor(limit: unknown) {
    super(`a page limit must be a positive safe integer, not ${String(limit)}`);
    this.name = 'InvalidPageLimitError';
  }
}

/** The limit of listChanges, listDeliveries and listAlertDeliveries, checked (see InvalidPageLimitError). */
export function pageLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidPageLimitError(limit);
  return limit;
}

export function page<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

export const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: unknown; message?: unknown; errcode?: unknown };
  return (
    e.code === '23505' ||
    (typeof e.message === 'string' && /UNIQUE constraint failed/.test(e.message))
  );
};

const isForeignKeyViolation = (error: unknown): boolean => {
  const e = error as { code?: unknown; message?: unknown };
  return (
    e.code === '23503' ||
    (typeof e.message === 'string' && /FOREIGN KEY constraint failed/.test(e.message))
  );
};

/** A write for a portal that is gone (deleted meanwhile) is a PortalGoneError, not a store failure. */
export async function forPortal<T>(portalId: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new PortalGoneError(portalId);
    throw error;
  }
}
