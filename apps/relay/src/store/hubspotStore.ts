import { MAX_STORED_FAILURE_AHEAD_MS } from '@sync-doctor/hubspot-signals';
import type { SqlDb } from './sqlDb.js';
import { iso, isoOrNull } from './sqlRows.js';
import { detectorChannel } from './sqlStoreBase.js';
import type { RelayStore } from './types.js';

// What the HubSpot side keeps per portal (migrations 4, 11 and 15): its HubSpot token and mailbox
// settings (sealed), the mailbox reader's checkpoints, HubSpot's own last failure as the
// stalled-sync detector saw it, the detector's last check and the checks handed to it. Tables of their own, so the ingestion path (changes, status,
// Salesforce outbox) is untouched. The alert targets and alert outbox are in alertStore.ts.

/**
 * What the instances sharing a PostgreSQL schema tell each other about the stalled-sync detector:
 * `check`, an instance that does not run it asks the one that does to check a portal now;
 * `accepted`, that instance took the request (and runs the check at once); `forget`, the portal's
 * token was stored or removed through another instance (the one running the detector reads the
 * tokens again at once, instead of using a removed one until its next read).
 */
export type DetectorHandoff =
  | { kind: 'check'; requestId: string; portalId: string }
  | { kind: 'accepted'; requestId: string }
  | { kind: 'forget'; portalId: string };

/** The stalled-sync detector's last check of a portal, as kept in the store (no token in it). */
export interface HubSpotCheckRecord {
  at: string;
  verdict: string;
  state: string;
  /** Why the check could not conclude (token refused, HubSpot down, rate-limited). */
  error: string | null;
  /** First of the consecutive checks that could not conclude (null when this one did). */
  failingSince: string | null;
  /** What the check could not watch although it concluded. */
  warnings: string[];
  /** The instance (RELAY_INSTANCE_ID) that ran it. */
  checkedBy: string;
}

/** A check handed to the detector's leader and accepted, not yet run to its outcome. */
export interface HubSpotCheckRequest {
  portalId: string;
  requestId: string;
  requestedAt: string;
}

const warningsOf = (text: unknown): string[] => {
  try {
    const parsed = JSON.parse(String(text)) as unknown;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
};

function parseHandoff(payload: string): DetectorHandoff | null {
  try {
    const m = JSON.parse(payload) as Record<string, unknown>;
    if (m.kind === 'forget' && typeof m.portalId === 'string')
      return { kind: 'forget', portalId: m.portalId };
    if (typeof m.requestId !== 'string') return null;
    if (m.kind === 'accepted') return { kind: 'accepted', requestId: m.requestId };
    if (m.kind === 'check' && typeof m.portalId === 'string')
      return { kind: 'check', requestId: m.requestId, portalId: m.portalId };
  } catch {
    // not ours
  }
  return null;
}

class SqlHubSpotStore {
  constructor(private readonly db: SqlDb) {}

  // --- Handing detector checks to the instance that runs them (PostgreSQL) ----------------------

  /** Whether other instances may share this store (PostgreSQL): only then can a check be handed over. */
  get shared(): boolean {
    return this.db.listen !== undefined;
  }

  /** Tells every instance of the schema (itself included); PostgreSQL only. */
  async tellDetector(message: DetectorHandoff): Promise<void> {
    if (!this.shared) throw new Error('detector hand-offs need PostgreSQL');
    await this.db.query('SELECT pg_notify($1, $2) AS ok', [
      detectorChannel(this.db.schema),
      JSON.stringify(message),
    ]);
  }

  /** Hears what instances of the schema tell the detector (a connection of its own); resolves to the unlisten. */
  async hearDetector(listener: (message: DetectorHandoff) => void): Promise<() => Promise<void>> {
    if (!this.db.listen) throw new Error('detector hand-offs need PostgreSQL');
    return this.db.listen(detectorChannel(this.db.schema), (payload) => {
      const message = parseHandoff(payload);
      if (message) listener(message);
    });
  }

  // --- HubSpot tokens --------------------------------------------------------------------------

  /**
   * Stores (or with null removes) the portal's sealed token. What the detector found with the old
   * one no longer applies: its last check goes with it, in the same transaction; a check handed
   * over and not yet run goes too when the token is removed (a new token keeps it: it is run with
   * the new one).
   */
  async setHubSpotToken(portalId: string, tokenSealed: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute('DELETE FROM portal_hubspot_checks WHERE portal_id = $1', [portalId]);
      if (tokenSealed === null) {
        await tx.execute('DELETE FROM portal_hubspot_check_requests WHERE portal_id = $1', [
          portalId,
        ]);
        await tx.execute('DELETE FROM portal_hubspot WHERE portal_id = $1', [portalId]);
        return;
      }
      await tx.execute(
        `INSERT INTO portal_hubspot (portal_id, token_sealed, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (portal_id) DO UPDATE SET token_sealed = excluded.token_sealed, updated_at = excluded.updated_at`,
        [portalId, tokenSealed, Date.now()],
      );
    });
  }

  async getHubSpotToken(
    portalId: string,
  ): Promise<{ tokenSealed: string; updatedAt: string } | null> {
    const rows = await this.db.query(
      'SELECT token_sealed, updated_at FROM portal_hubspot WHERE portal_id = $1',
      [portalId],
    );
    return rows[0]
      ? { tokenSealed: String(rows[0].token_sealed), updatedAt: iso(rows[0].updated_at) }
      : null;
  }

  async listHubSpotTokens(): Promise<{ portalId: string; tokenSealed: string }[]> {
    const rows = await this.db.query(
      'SELECT portal_id, token_sealed FROM portal_hubspot ORDER BY portal_id',
    );
    return rows.map((r) => ({
      portalId: String(r.portal_id),
      tokenSealed: String(r.token_sealed),
    }));
  }

  // --- HubSpot's own failures, as the detector saw them (migration 11) -------------------------

  /**
   * When HubSpot itself last failed a detector check of the portal (epoch ms), or null: a new
   * leader holds back stalls for the catch-up time after it, as the instance that saw it would.
   */
  async lastHubSpotFailure(portalId: string): Promise<number | null> {
    const rows = await this.db.query(
      'SELECT failed_at FROM portal_hubspot_failures WHERE portal_id = $1',
      [portalId],
    );
    return rows[0] ? Number(rows[0].failed_at) : null;
  }

  /**
   * Keeps the later of the stored failure and `failedAt`, unless the stored one is more than a day
   * (MAX_STORED_FAILURE_AHEAD_MS) after `failedAt`: dated by a clock set wrong, it is ignored by
   * the detector and, kept as the later, would keep every real failure out. Nothing is saved for
   * a portal that is gone (PostgreSQL: its row is share-locked, so a deletion committing meanwhile
   * takes the row with it, or this save finds no portal).
   */
  async saveHubSpotFailure(portalId: string, failedAt: number): Promise<void> {
    const lock = this.db.dialect === 'postgres' ? ' FOR SHARE' : '';
    await this.db.execute(
      `INSERT INTO portal_hubspot_failures (portal_id, failed_at)
       SELECT id, CAST($2 AS BIGINT) FROM portals WHERE id = $1${lock}
       ON CONFLICT (portal_id) DO UPDATE SET failed_at = CASE
         WHEN excluded.failed_at > portal_hubspot_failures.failed_at THEN excluded.failed_at
         WHEN portal_hubspot_failures.failed_at - excluded.failed_at > CAST($3 AS BIGINT) THEN excluded.failed_at
         ELSE portal_hubspot_failures.failed_at END`,
      [portalId, failedAt, MAX_STORED_FAILURE_AHEAD_MS],
    );
  }

  // --- The detector's last check of each portal (migration 15) ---------------------------------

  /**
   * Replaces the portal's last check, only while the token it was run with (`tokenSealed`, as the
   * detector read it) is still the portal's: a check that finishes after the token was replaced or
   * removed (or the portal deleted) saves nothing, so what an old token found never shows against
   * a new one. `failingSince` is worked out here: null for a check that concluded, the stored one
   * while the checks go on failing, this check's time for the first that failed. PostgreSQL: the
   * token row is share-locked, so a token change committing meanwhile waits or is waited for.
   * Returns the record as saved, or null when nothing was.
   */
  async saveHubSpotCheck(
    portalId: string,
    tokenSealed: string,
    check: Omit<HubSpotCheckRecord, 'failingSince'>,
  ): Promise<HubSpotCheckRecord | null> {
    const lock = this.db.dialect === 'postgres' ? ' FOR SHARE' : '';
    const at = Date.parse(check.at);
    return this.db.transaction(async (tx) => {
      const saved = await tx.execute(
        `INSERT INTO portal_hubspot_checks (portal_id, checked_at, verdict, state, error, failing_since, warnings, checked_by)
         SELECT portal_id, CAST($2 AS BIGINT), CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS TEXT),
           CASE WHEN CAST($5 AS TEXT) IS NULL THEN NULL ELSE CAST($2 AS BIGINT) END, CAST($6 AS TEXT), CAST($7 AS TEXT)
         FROM portal_hubspot WHERE portal_id = $1 AND token_sealed = $8${lock}
         ON CONFLICT (portal_id) DO UPDATE SET checked_at = excluded.checked_at, verdict = excluded.verdict,
           state = excluded.state, error = excluded.error, warnings = excluded.warnings, checked_by = excluded.checked_by,
           failing_since = CASE WHEN excluded.error IS NULL THEN NULL
             WHEN portal_hubspot_checks.error IS NOT NULL AND portal_hubspot_checks.failing_since IS NOT NULL
               THEN portal_hubspot_checks.failing_since
             ELSE excluded.failing_since END`,
        [
          portalId,
          at,
          check.verdict,
          check.state,
          check.error,
          JSON.stringify(check.warnings),
          check.checkedBy,
          tokenSealed,
        ],
      );
      if (saved === 0) return null;
      return readCheck(tx, portalId);
    });
  }

  /** The portal's last check, whichever instance ran it (null: none since its token was stored). */
  async getHubSpotCheck(portalId: string): Promise<HubSpotCheckRecord | null> {
    return readCheck(this.db, portalId);
  }

  /**
   * The portals whose last check could not conclude, with why, in one read (/health, the metric):
   * the same on every instance, whichever ran the checks, and after a restart. A portal's check
   * goes with its token (setHubSpotToken) and with the portal.
   */
  async failingHubSpotChecks(): Promise<Map<string, string>> {
    const rows = await this.db.query<{ portal_id: unknown; error: unknown }>(
      'SELECT portal_id, error FROM portal_hubspot_checks WHERE error IS NOT NULL ORDER BY portal_id',
    );
    return new Map(rows.map((r) => [String(r.portal_id), String(r.error)]));
  }

  // --- Checks handed to the detector's leader (migration 15) -----------------------------------

  /**
   * Records that the leader accepted a check of the portal, before it says so: one that stops
   * before the outcome is applied leaves it to the next leader. One per portal (a later request
   * replaces an earlier one, which the same check answers). Nothing is recorded for a portal
   * without a token; returns whether it was recorded.
   */
  async requestHubSpotCheck(portalId: string, requestId: string): Promise<boolean> {
    const lock = this.db.dialect === 'postgres' ? ' FOR SHARE' : '';
    return (
      (await this.db.execute(
        `INSERT INTO portal_hubspot_check_requests (portal_id, request_id, requested_at)
         SELECT portal_id, CAST($2 AS TEXT), CAST($3 AS BIGINT) FROM portal_hubspot WHERE portal_id = $1${lock}
         ON CONFLICT (portal_id) DO UPDATE SET request_id = excluded.request_id, requested_at = excluded.requested_at`,
        [portalId, requestId, Date.now()],
      )) > 0
    );
  }

  /** The checks accepted and not yet run to their outcome, oldest first. */
  async pendingHubSpotChecks(): Promise<HubSpotCheckRequest[]> {
    const rows = await this.db.query(
      'SELECT portal_id, request_id, requested_at FROM portal_hubspot_check_requests ORDER BY requested_at, portal_id',
    );
    return rows.map((r) => ({
      portalId: String(r.portal_id),
      requestId: String(r.request_id),
      requestedAt: iso(r.requested_at),
    }));
  }

  /** The request's check was run: removed, unless a later request of the portal replaced it. */
  async hubSpotCheckDone(portalId: string, requestId: string): Promise<boolean> {
    return (
      (await this.db.execute(
        'DELETE FROM portal_hubspot_check_requests WHERE portal_id = $1 AND request_id = $2',
        [portalId, requestId],
      )) > 0
    );
  }

  // --- Mailboxes -------------------------------------------------------------------------------

  async setMailbox(portalId: string, settingsSealed: string | null): Promise<void> {
    if (settingsSealed === null) {
      await this.db.execute('DELETE FROM portal_mailboxes WHERE portal_id = $1', [portalId]);
      return;
    }
    await this.db.execute(
      `INSERT INTO portal_mailboxes (portal_id, settings_sealed, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (portal_id) DO UPDATE SET settings_sealed = excluded.settings_sealed, updated_at = excluded.updated_at`,
      [portalId, settingsSealed, Date.now()],
    );
  }

  async listMailboxes(): Promise<{ portalId: string; settingsSealed: string }[]> {
    const rows = await this.db.query(
      'SELECT portal_id, settings_sealed FROM portal_mailboxes ORDER BY portal_id',
    );
    return rows.map((r) => ({
      portalId: String(r.portal_id),
      settingsSealed: String(r.settings_sealed),
    }));
  }

  async loadMailboxCheckpoint(
    key: string,
  ): Promise<{ uidValidity: string; lastUid: number } | null> {
    const rows = await this.db.query(
      'SELECT uid_validity, last_uid FROM mailbox_checkpoints WHERE key = $1',
      [key],
    );
    return rows[0]
      ? { uidValidity: String(rows[0].uid_validity), lastUid: Number(rows[0].last_uid) }
      : null;
  }

  async saveMailboxCheckpoint(
    key: string,
    checkpoint: { uidValidity: string; lastUid: number },
  ): Promise<void> {
    await this.db.execute(
      `INSERT INTO mailbox_checkpoints (key, uid_validity, last_uid, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
      [key, checkpoint.uidValidity, checkpoint.lastUid, Date.now()],
    );
  }

  /**
   * Saves a portal mailbox reader's checkpoint only while that portal still has this mailbox as
   * stored (its sealed settings, which a PUT, a DELETE or the portal's deletion replace or remove),
   * in one statement: false, and nothing saved, once it is gone. On PostgreSQL the settings row is
   * share-locked, so a deletion committing meanwhile waits for this save and then removes what it
   * saved (the portal's DELETE removes the checkpoint after its transaction), or this save waits for
   * the deletion and saves nothing.
   */
  async saveMailboxCheckpointWhileStored(
    key: string,
    checkpoint: { uidValidity: string; lastUid: number },
    mailbox: { portalId: string; settingsSealed: string },
  ): Promise<boolean> {
    const lock = this.db.dialect === 'postgres' ? ' FOR SHARE' : '';
    const saved = await this.db.execute(
      `INSERT INTO mailbox_checkpoints (key, uid_validity, last_uid, updated_at)
       SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS BIGINT), CAST($4 AS BIGINT)
       FROM portal_mailboxes WHERE portal_id = $5 AND settings_sealed = $6${lock}
       ON CONFLICT (key) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
      [
        key,
        checkpoint.uidValidity,
        checkpoint.lastUid,
        Date.now(),
        mailbox.portalId,
        mailbox.settingsSealed,
      ],
    );
    return saved > 0;
  }

  /** Whether the portal still has this mailbox as stored (its sealed settings). */
  async isMailboxStored(mailbox: { portalId: string; settingsSealed: string }): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 AS found FROM portal_mailboxes WHERE portal_id = $1 AND settings_sealed = $2',
      [mailbox.portalId, mailbox.settingsSealed],
    );
    return rows.length > 0;
  }

  async deleteMailboxCheckpoint(key: string): Promise<boolean> {
    return (await this.db.execute('DELETE FROM mailbox_checkpoints WHERE key = $1', [key])) > 0;
  }
}

async function readCheck(db: SqlDb, portalId: string): Promise<HubSpotCheckRecord | null> {
  const rows = await db.query(
    `SELECT checked_at, verdict, state, error, failing_since, warnings, checked_by
     FROM portal_hubspot_checks WHERE portal_id = $1`,
    [portalId],
  );
  const row = rows[0];
  return row
    ? {
        at: iso(row.checked_at),
        verdict: String(row.verdict),
        state: String(row.state),
        error: row.error === null || row.error === undefined ? null : String(row.error),
        failingSince: isoOrNull(row.failing_since),
        warnings: warningsOf(row.warnings),
        checkedBy: String(row.checked_by),
      }
    : null;
}

// The relay's store keeps its own interface; this part hangs off it here (as alertStore.ts and
// accessStore.ts), so the ingestion store (and its contract suite) stays as it is.
const attached = new WeakMap<RelayStore, SqlHubSpotStore>();

export function attachHubSpotStore<T extends RelayStore>(store: T, db: SqlDb): T {
  attached.set(store, new SqlHubSpotStore(db));
  return store;
}

export function hubspotStoreOf(store: RelayStore): SqlHubSpotStore {
  const found = attached.get(store);
  if (!found)
    throw new Error('this relay store has no HubSpot-signals tables (open it with createStore)');
  return found;
}
