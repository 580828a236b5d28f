import { forPortal, iso } from './sqlRows.js';
import { SqlPortalStore } from './portalStore.js';
import type { InboundMessageRecord, SyncErrorReportRecord } from './types.js';

/** What portals send besides signals: the e-mails kept as received, and sync-error reports. */
export class SqlInboundStore extends SqlPortalStore {
  async saveInboundMessage(message: InboundMessageRecord): Promise<number> {
    const rows = await forPortal(
      message.portalId,
      this.db.query<{ id: unknown }>(
        `INSERT INTO inbound_messages (portal_id, message_id, subject, raw, truncated, size_bytes, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          message.portalId,
          message.messageId,
          message.subject,
          message.raw,
          message.truncated ? 1 : 0,
          message.sizeBytes,
          Date.now(),
        ],
      ),
    );
    return Number(rows[0]!.id);
  }

  async saveSyncErrorReport(
    portalId: string,
    report: Record<string, unknown>,
  ): Promise<SyncErrorReportRecord> {
    const now = Date.now();
    const rows = await forPortal(
      portalId,
      this.db.query<{ id: unknown }>(
        `INSERT INTO sync_error_reports (portal_id, received_at, report) VALUES ($1, $2, $3) RETURNING id`,
        [portalId, now, JSON.stringify(report)],
      ),
    );
    return { id: Number(rows[0]!.id), portalId, receivedAt: iso(now), report };
  }

  async latestSyncErrorReportId(
    portalId: string,
  ): Promise<{ id: number; receivedAt: string } | null> {
    // By the index sync_error_reports_portal (portal_id, id): the report's JSON is not read.
    const rows = await this.db.query<{ id: unknown; received_at: unknown }>(
      `SELECT id, received_at FROM sync_error_reports WHERE portal_id = $1 ORDER BY id DESC LIMIT 1`,
      [portalId],
    );
    const row = rows[0];
    return row ? { id: Number(row.id), receivedAt: iso(row.received_at) } : null;
  }

  async latestSyncErrorReport(portalId: string): Promise<SyncErrorReportRecord | null> {
    const rows = await this.db.query(
      `SELECT * FROM sync_error_reports WHERE portal_id = $1 ORDER BY id DESC LIMIT 1`,
      [portalId],
    );
    const row = rows[0];
    return row
      ? {
          id: Number(row.id),
          portalId,
          receivedAt: iso(row.received_at),
          report: JSON.parse(String(row.report)),
        }
      : null;
  }
}
