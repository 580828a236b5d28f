import { createHash, randomUUID } from 'node:crypto';
import type { RelayedStatus } from '@sync-doctor/core';
import type { ConflictCounts, SqlDb } from './sqlDb.js';
import { StatusesByChange, withHistories } from './statusRows.js';
import type { RelayStore } from './types.js';

const CHANGES_CHANNEL = 'sync_doctor_relay_changes';

/**
 * The channel on which the instances sharing a schema tell each other of changes and deleted
 * portals. NOTIFY channels are database-wide, not per schema: on one fixed channel, relays in
 * other schemas of the same database (staging beside production, parallel test runs) heard them
 * too, forgot portals deleted elsewhere, ended their streams, and read change ids that were not
 * theirs. So each schema gets its own channel: a short hash of its name (a channel is an identifier,
 * at most 63 bytes and here lower-case; a schema name may be long). No schema, or `public` (the
 * default one), keeps the original channel, so instances of a single-schema deployment being
 * upgraded one by one keep hearing each other. Computed here only; the database says its schema.
 */
export function changesChannel(schema: string | null | undefined): string {
  return schemaChannel(CHANGES_CHANNEL, schema);
}

/**
 * The channel on which the instances sharing a schema hand the stalled-sync detector's checks to
 * the one that runs it (hubspotStore.ts). Its own channel, scoped by schema as changesChannel, so
 * an instance of an older version, which reads every payload on the changes channel as a change,
 * never hears these.
 */
export function detectorChannel(schema: string | null | undefined): string {
  return schemaChannel(DETECTOR_CHANNEL, schema);
}

const DETECTOR_CHANNEL = 'sync_doctor_relay_detector';

function schemaChannel(base: string, schema: string | null | undefined): string {
  if (!schema || schema === 'public') return base;
  return `${base}_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
}

/**
 * What every part of the SQL store shares: the database, the change notifications between
 * instances (PostgreSQL LISTEN/NOTIFY on the schema's channel), and what this process keeps in
 * memory of each portal's status. The Store's methods are added by concern on top of it
 * (portalStore, inboundStore, outboxStore, changeStore; sqlStore.ts puts them together).
 */
export class SqlStoreBase {
  /** Tells this store's own notifications from other processes'. */
  protected readonly origin = randomUUID();
  /** Where this store notifies and listens: the instances in its schema, and only those. */
  protected readonly channel: string;
  private unlisten: (() => Promise<void>) | null = null;
  private readonly gapListeners = new Set<(state: 'lost' | 'resumed') => void>();

  constructor(
    protected readonly db: SqlDb,
    private readonly onClose: () => Promise<void> = () => db.close(),
  ) {
    this.channel = changesChannel(db.schema);
    if (db.dialect === 'postgres')
      this.databaseTime = async () => {
        const [row] = await db.query<{ ms: unknown }>(
          'SELECT EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS ms',
        );
        return Number(row?.ms);
      };
    if (db.listen) {
      this.onListenGap = (listener) => {
        this.gapListeners.add(listener);
        return () => this.gapListeners.delete(listener);
      };
      const tell = (state: 'lost' | 'resumed'): void => {
        for (const listener of [...this.gapListeners]) listener(state);
      };
      this.onForeignChange = async (listener, options) => {
        const stop = await db.listen!(
          this.channel,
          (payload) => {
            try {
              const message = JSON.parse(payload) as {
                origin: string;
                portalId: string;
                changeId: number;
                deleted?: boolean;
              };
              if (message.origin === this.origin) {
                // A deletion here was forgotten here when it was made.
                if (options?.own && !message.deleted)
                  listener({ portalId: message.portalId, changeId: message.changeId, own: true });
                return;
              }
              if (message.deleted) {
                this.forgetPortal(message.portalId);
                listener({ portalId: message.portalId, changeId: 0, deleted: true });
              } else {
                listener({ portalId: message.portalId, changeId: message.changeId });
              }
            } catch {
              // not ours
            }
          },
          { lost: () => tell('lost'), resumed: () => tell('resumed') },
        );
        this.unlisten = stop;
        return stop;
      };
    }
  }

  onForeignChange?: RelayStore['onForeignChange'];
  onListenGap?: RelayStore['onListenGap'];
  databaseTime?: RelayStore['databaseTime'];

  /**
   * SQLite only: the file belongs to this one process, so the current status of each portal can
   * be kept in memory, written through after every commit (GET state then never reads the disk).
   * PostgreSQL is shared by several instances: always read.
   */
  protected readonly statusCache = new Map<string, RelayedStatus | null>();
  protected get cacheStatus(): boolean {
    return this.db.dialect === 'sqlite';
  }

  /** Whole statuses after committed changes: what the outbox delivers, the stream replays and alerts read. */
  protected readonly statusesByChange = new StatusesByChange();

  /**
   * The status each portal's last recordSignal on this process computed, with the change it
   * follows. Set inside the transaction (the next signal of the portal in the same group commit
   * needs it before anything is committed) and trusted only while the portal's row names the same
   * change: a rolled-back write leaves the row at an older change, and another instance's write
   * at a newer one (PostgreSQL never hands out a change id twice; SQLite only re-issues the id of a
   * rolled-back insert, which never reached the row).
   */
  protected readonly lastComputed = new Map<string, { changeId: number; status: RelayedStatus }>();

  get kind(): 'sqlite' | 'postgres' {
    return this.db.dialect;
  }

  protected get forUpdate(): string {
    return this.db.dialect === 'postgres' ? ' FOR UPDATE' : '';
  }

  async ping(): Promise<void> {
    // First: SELECT 1 would queue behind the write that waits for the lock.
    const locked = this.db.writeLockProblem?.();
    if (locked) throw new Error(locked);
    await this.db.query('SELECT 1 AS ok');
    // Not ready until live streams hear other instances again (a load balancer sends their
    // clients elsewhere meanwhile).
    const problem = this.db.listenProblem?.();
    if (problem) throw new Error(problem);
    // SQLite: SELECT 1 answers on a full disk while every write fails.
    const writes = await this.db.writeProblem?.();
    if (writes) throw new Error(writes);
  }

  databaseConflicts(): ConflictCounts {
    return this.db.conflicts?.() ?? { retried: 0, gaveUp: 0 };
  }

  async close(): Promise<void> {
    await this.unlisten?.();
    await this.onClose();
  }

  async schemaVersion(): Promise<number> {
    const rows = await this.db.query<{ v: unknown }>(
      'SELECT MAX(version) AS v FROM schema_migrations',
    );
    return Number(rows[0]?.v ?? 0);
  }

  /** Portal deletions started by this process: a cache write racing one is not made. */
  protected deletions = 0;

  /** Drops what this process keeps in memory of a portal (deleted here or by another instance). */
  protected forgetPortal(id: string): void {
    this.statusCache.delete(id);
    this.lastComputed.delete(id);
    this.statusesByChange.forgetPortal(id);
  }

  /** Whole statuses of outbox rows (history included), one history read per portal at most. */
  async statusesOfOutboxRows(
    db: SqlDb,
    rows: { portalId: string; changeId: number; payload: string }[],
  ): Promise<RelayedStatus[]> {
    const result: (RelayedStatus | undefined)[] = rows.map((r) =>
      this.statusesByChange.get(r.changeId),
    );
    const missing = new Map<string, number[]>();
    rows.forEach((r, i) => {
      if (result[i] === undefined) missing.set(r.portalId, [...(missing.get(r.portalId) ?? []), i]);
    });
    for (const [portalId, indexes] of missing) {
      const statuses = await withHistories(
        db,
        portalId,
        indexes.map((i) => ({ changeId: rows[i]!.changeId, stored: rows[i]!.payload })),
      );
      indexes.forEach((i, k) => {
        result[i] = statuses[k]!;
        this.statusesByChange.set(rows[i]!.changeId, statuses[k]!);
      });
    }
    return result as RelayedStatus[];
  }
}
