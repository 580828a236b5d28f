import { PortalExistsError, type NewPortal, type PortalPatch, type PortalRecord } from './types.js';
import { isUniqueViolation, senderPolicyColumn, toPortal } from './sqlRows.js';
import { SqlStoreBase } from './sqlStoreBase.js';

/** Portals: created, read, updated, found by inbound token, and deleted with all that is kept for them. */
export class SqlPortalStore extends SqlStoreBase {
  async createPortal(portal: NewPortal): Promise<PortalRecord> {
    const now = Date.now();
    try {
      const rows = await this.db.query(
        `INSERT INTO portals (id, name, signing_secret, inbound_token_hash, salesforce, salesforce_version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING *`,
        [
          portal.id,
          portal.name,
          portal.signingSecretSealed,
          portal.inboundTokenHash,
          portal.salesforceSealed,
          portal.salesforceSealed ? 1 : 0,
          now,
        ],
      );
      return toPortal(rows[0]!);
    } catch (error) {
      if (isUniqueViolation(error)) throw new PortalExistsError(portal.id);
      throw error;
    }
  }

  async getPortal(id: string): Promise<PortalRecord | null> {
    const rows = await this.db.query('SELECT * FROM portals WHERE id = $1', [id]);
    return rows[0] ? toPortal(rows[0]) : null;
  }

  async listPortals(): Promise<PortalRecord[]> {
    return (await this.db.query('SELECT * FROM portals ORDER BY id')).map(toPortal);
  }

  async updatePortal(id: string, patch: PortalPatch): Promise<PortalRecord | null> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(`SELECT * FROM portals WHERE id = $1${this.forUpdate}`, [id]);
      if (!rows[0]) return null;
      const current = toPortal(rows[0]);
      const salesforceChanged = patch.salesforceSealed !== undefined;
      const updated = await tx.query(
        `UPDATE portals SET name = $2, signing_secret = $3, inbound_token_hash = $4, salesforce = $5, salesforce_version = $6, updated_at = $7, sender_policy = $8
         WHERE id = $1 RETURNING *`,
        [
          id,
          patch.name !== undefined ? patch.name : current.name,
          patch.signingSecretSealed ?? current.signingSecretSealed,
          patch.inboundTokenHash ?? current.inboundTokenHash,
          salesforceChanged ? patch.salesforceSealed : current.salesforceSealed,
          current.salesforceVersion + (salesforceChanged ? 1 : 0),
          Date.now(),
          senderPolicyColumn(
            patch.senderPolicy !== undefined ? patch.senderPolicy : current.senderPolicy,
          ),
        ],
      );
      return toPortal(updated[0]!);
    });
  }

  async findPortalByInboundTokenHash(hash: string): Promise<PortalRecord | null> {
    const rows = await this.db.query('SELECT * FROM portals WHERE inbound_token_hash = $1', [hash]);
    return rows[0] ? toPortal(rows[0]) : null;
  }

  async deletePortal(id: string): Promise<boolean> {
    this.deletions++;
    const deleted = await this.db.transaction(async (tx) => {
      // Locks in recordSignal's order (PostgreSQL), or the two deadlock: the status row first,
      // then the portal row. A signal being stored meanwhile (it holds the status row, and a
      // key-share lock on the portal row through its foreign keys) lands first and is deleted
      // here; one that comes later waits, then finds the portal gone (PortalGoneError).
      await tx.query(`SELECT portal_id FROM portal_status WHERE portal_id = $1${this.forUpdate}`, [
        id,
      ]);
      const rows = await tx.query(`SELECT id FROM portals WHERE id = $1${this.forUpdate}`, [id]);
      if (!rows[0]) return false;
      // Children before parents (outbox rows reference changes, everything references portals).
      for (const table of [
        'outbox',
        'alert_deliveries',
        'changes',
        'portal_status',
        'inbound_messages',
        'sync_error_reports',
        'alert_targets',
        'portal_mailboxes',
        'portal_hubspot',
      ]) {
        await tx.execute(`DELETE FROM ${table} WHERE portal_id = $1`, [id]);
      }
      await tx.execute('DELETE FROM portals WHERE id = $1', [id]);
      if (tx.dialect === 'postgres')
        await tx.query('SELECT pg_notify($1, $2)', [
          this.channel,
          JSON.stringify({ origin: this.origin, portalId: id, changeId: 0, deleted: true }),
        ]);
      return true;
    });
    // After the commit, like every cache write here. Also when there was nothing to delete: a
    // cached "never reported" (null) status of an id that is not a portal must not stay either.
    this.forgetPortal(id);
    return deleted;
  }
}
