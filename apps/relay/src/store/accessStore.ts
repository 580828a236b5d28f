import type { Verdict } from '@sync-doctor/core';
import { SECTION_UNREAD_REASON, type AccessFinding } from '../access/check.js';
import type { SqlDb } from './sqlDb.js';
import { forPortal } from './sqlStore.js';
import type { RelayStore } from './types.js';

// What the access watch keeps (migration 9): each portal's last check of its integration user,
// written by the instance that runs the watch and read by every instance (GET access, /health,
// the metric), and each portal's own requirements document (the admin API's, judged with the
// core's rules). Both rows reference the portal with ON DELETE CASCADE: deletePortal takes them.

type Row = Record<string, unknown>;
const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();
const isoOrNull = (ms: unknown): string | null =>
  ms === null || ms === undefined ? null : iso(ms);
const msOrNull = (at: string | null): number | null => (at === null ? null : Date.parse(at));

/** Which requirements judged a check: HubSpot's defaults, or the portal's document of that time. */
export interface AccessRequirementsUsed {
  source: 'default' | 'portal';
  /** When the portal's document was set (null for the defaults). */
  updatedAt: string | null;
}

/** A portal's last access check, as the watch keeps it in the store. */
export interface AccessCheckRecord {
  /** When the last check ran, whether or not it concluded. */
  checkedAt: string;
  /** The last concluded check: the core's verdict, the user judged, its error and warning findings. */
  verdict: Verdict | null;
  concludedAt: string | null;
  integrationUser: { id: string | null; username: string } | null;
  findings: AccessFinding[];
  /** The requirements the last concluded check was judged with (null before one concluded). */
  requirements: AccessRequirementsUsed | null;
  /** Why the last check could not conclude; null when it did. */
  error: string | null;
  /** First of the consecutive checks that could not conclude. */
  failingSince: string | null;
  /** HTTP requests to Salesforce the last check sent. */
  requests: number;
  /** The instance (RELAY_INSTANCE_ID) that ran the last check. */
  checkedBy: string;
  /** When the instance running the watch has the next check due (null: not scheduled). */
  nextCheckAt: string | null;
}

export interface AccessRequirementsRecord {
  portalId: string;
  /** The requirements document as it was set (the CLI's --requirements JSON). */
  document: Record<string, unknown>;
  updatedAt: string;
}

/** The detail column: everything of the record but what has columns of its own. */
type Detail = Omit<AccessCheckRecord, 'checkedAt' | 'error' | 'checkedBy' | 'nextCheckAt'>;

function toCheck(row: Row): AccessCheckRecord {
  const detail = JSON.parse(String(row.detail)) as Detail;
  return {
    ...detail,
    checkedAt: iso(row.checked_at),
    error: row.error === null || row.error === undefined ? null : String(row.error),
    checkedBy: String(row.checked_by),
    nextCheckAt: isoOrNull(row.next_check_at),
  };
}

class SqlAccessStore {
  constructor(private readonly db: SqlDb) {}

  /** Replaces the portal's last check. PortalGoneError when the portal is gone. */
  async saveAccessCheck(portalId: string, check: AccessCheckRecord): Promise<void> {
    const { checkedAt, error, checkedBy, nextCheckAt, ...detail } = check;
    await forPortal(
      portalId,
      this.db.execute(
        `INSERT INTO portal_access_checks (portal_id, checked_at, error, checked_by, next_check_at, detail)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (portal_id) DO UPDATE SET checked_at = excluded.checked_at, error = excluded.error,
           checked_by = excluded.checked_by, next_check_at = excluded.next_check_at, detail = excluded.detail`,
        [
          portalId,
          Date.parse(checkedAt),
          error,
          checkedBy,
          msOrNull(nextCheckAt),
          JSON.stringify(detail satisfies Detail),
        ],
      ),
    );
  }

  /** Sets when the next check of the portal is due, on its stored check (none stored: nothing). */
  async setAccessCheckDue(portalId: string, nextCheckAt: string | null): Promise<boolean> {
    return (
      (await this.db.execute(
        `UPDATE portal_access_checks SET next_check_at = $2 WHERE portal_id = $1`,
        [portalId, msOrNull(nextCheckAt)],
      )) > 0
    );
  }

  async getAccessCheck(portalId: string): Promise<AccessCheckRecord | null> {
    const rows = await this.db.query(`SELECT * FROM portal_access_checks WHERE portal_id = $1`, [
      portalId,
    ]);
    return rows[0] ? toCheck(rows[0]) : null;
  }

  /** Forgets the portal's last check (its Salesforce connection was removed). */
  async deleteAccessCheck(portalId: string): Promise<boolean> {
    return (
      (await this.db.execute(`DELETE FROM portal_access_checks WHERE portal_id = $1`, [portalId])) >
      0
    );
  }

  /**
   * The portals whose last check could not conclude, with why, in one read (/health, the metric).
   * Only portals that still have a Salesforce connection: a removed one is watched no more.
   */
  async failingAccessChecks(): Promise<Map<string, string>> {
    const rows = await this.db.query<{ portal_id: unknown; error: unknown }>(
      `SELECT c.portal_id, c.error FROM portal_access_checks c JOIN portals p ON p.id = c.portal_id
       WHERE c.error IS NOT NULL AND p.salesforce IS NOT NULL ORDER BY c.portal_id`,
    );
    return new Map(rows.map((r) => [String(r.portal_id), String(r.error)]));
  }

  /**
   * The portals whose findings on record (the last check that concluded, which GET access shows)
   * include ACCESS_SECTION_UNREAD warnings, each with the sections they name, in one read (/health,
   * the metric). Only portals that still have a Salesforce connection, as failingAccessChecks.
   */
  async unreadAccessSections(): Promise<Map<string, string[]>> {
    const rows = await this.db.query<{ portal_id: unknown; detail: unknown }>(
      `SELECT c.portal_id, c.detail FROM portal_access_checks c JOIN portals p ON p.id = c.portal_id
       WHERE p.salesforce IS NOT NULL AND c.detail LIKE $1 ORDER BY c.portal_id`,
      [`%${SECTION_UNREAD_REASON}%`],
    );
    const unread = new Map<string, string[]>();
    for (const row of rows) {
      const { findings } = JSON.parse(String(row.detail)) as Pick<Detail, 'findings'>;
      const sections = (findings ?? [])
        .filter((f) => f.reason === SECTION_UNREAD_REASON)
        .map((f) => f.subject);
      if (sections.length > 0) unread.set(String(row.portal_id), sections);
    }
    return unread;
  }

  /** Sets (or with null removes) the portal's requirements document. PortalGoneError when the portal is gone. */
  async setAccessRequirements(
    portalId: string,
    document: Record<string, unknown> | null,
  ): Promise<AccessRequirementsRecord | null> {
    if (document === null) {
      await this.db.execute(`DELETE FROM portal_access_requirements WHERE portal_id = $1`, [
        portalId,
      ]);
      return null;
    }
    const now = Date.now();
    await forPortal(
      portalId,
      this.db.execute(
        `INSERT INTO portal_access_requirements (portal_id, document, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (portal_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at`,
        [portalId, JSON.stringify(document), now],
      ),
    );
    return { portalId, document, updatedAt: iso(now) };
  }

  async getAccessRequirements(portalId: string): Promise<AccessRequirementsRecord | null> {
    const rows = await this.db.query(
      `SELECT portal_id, document, updated_at FROM portal_access_requirements WHERE portal_id = $1`,
      [portalId],
    );
    const row = rows[0];
    return row
      ? {
          portalId: String(row.portal_id),
          document: JSON.parse(String(row.document)) as Record<string, unknown>,
          updatedAt: iso(row.updated_at),
        }
      : null;
  }

  /** When each portal's requirements were last set, in one read (the watch notices a change). */
  async accessRequirementsVersions(): Promise<Map<string, string>> {
    const rows = await this.db.query<{ portal_id: unknown; updated_at: unknown }>(
      `SELECT portal_id, updated_at FROM portal_access_requirements`,
    );
    return new Map(rows.map((r) => [String(r.portal_id), iso(r.updated_at)]));
  }
}

// Hangs off the relay's store like hubspotStore.ts and alertStore.ts, so the ingestion store's
// interface stays as it is.
const attached = new WeakMap<RelayStore, SqlAccessStore>();

export function attachAccessStore<T extends RelayStore>(store: T, db: SqlDb): T {
  attached.set(store, new SqlAccessStore(db));
  return store;
}

export function accessStoreOf(store: RelayStore): SqlAccessStore {
  const found = attached.get(store);
  if (!found)
    throw new Error('this relay store has no access-watch tables (open it with createStore)');
  return found;
}
