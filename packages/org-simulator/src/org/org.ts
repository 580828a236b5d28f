import { IdFactory, sameId } from '../ids.js';
import { SchemaCatalog, type ObjectSchema } from '../schema.js';
import { sfDateTime } from './time.js';

/** A stored record: field API names (as the schema spells them) to values. */
export type SRecord = { Id: string } & Record<string, unknown>;

/**
 * A usage-counted limit; `apps` are the per-connected-app sub-entries of DailyApiRequests: Max is
 * the app's own quota (Salesforce's LimitAllocationPerApp pilot), 0 for an app without one, whose
 * `used` the org keeps for its story but /limits does not show (limitsDocument).
 */
export interface LimitState {
  Max: number;
  used: number;
  apps?: Record<string, { Max: number; used: number }>;
}

const AUDIT_FIELDS = [
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'IsDeleted',
];

interface TableMeta {
  schema: ObjectSchema;
  rows: SRecord[];
  auditFields: string[];
}

interface IndexEntry {
  type: string;
  record: SRecord;
}

/**
 * One simulated Salesforce org: its schema, its tables, its limits. Writes go through here so the
 * id index stays right and a composite `allOrNone` request can roll back.
 */
export class Org {
  readonly ids = new IdFactory();
  readonly limits: Record<string, LimitState> = {};
  /**
   * Custom Setting Definitions access by permission set (15-character id -> lower-case setting
   * names): what a set's customSettingAccesses grant. Salesforce stores these as SetupEntityAccess
   * rows of type CustomEntityDefinition; the simulator keeps them out of that table and out of SOQL.
   */
  readonly customSettingAccess = new Map<string, Set<string>>();
  organizationId = '';
  /** The admin whose session `sim.accessToken` is. */
  adminUserId = '';
  /** The HubSpot integration user the fixture is about. */
  integrationUserId = '';
  /** The user the Sync Doctor relay connects as: rights from the package's Sync_Doctor_Relay only. */
  relayUserId = '';
  now: () => Date = () => new Date();
  /**
   * Goes up with every change to any table (insert, update, delete, rollback): what lets a reader
   * keep an index of a table (access.ts's permission indexes) until the org changes.
   */
  version = 0;

  private readonly tables = new Map<string, SRecord[]>();
  private readonly index = new Map<string, IndexEntry>();
  private journal: Array<() => void> | null = null;
  private readonly metas = new Map<string, TableMeta>();
  private lastStampMs = NaN;
  private lastStamp = '';
  /** Per table (lower case): what adds the rows that come with time, and whether it is running. */
  private readonly growers = new Map<string, Array<(until: number) => void>>();
  private growing = false;

  constructor(readonly schema: SchemaCatalog) {}

  /**
   * The live array of records of an object (created empty on first use), with the rows that came
   * with time up to `now()` (see `growWithTime`).
   */
  table(type: string): SRecord[] {
    const schema = this.requireSchema(type);
    const key = schema.name.toLowerCase();
    let rows = this.tables.get(key);
    if (!rows) {
      rows = [];
      this.tables.set(key, rows);
    }
    const growers = this.growers.get(key);
    if (growers && !this.growing) this.grow(growers);
    return rows;
  }

  /**
   * Rows that keep coming as the clock runs (LoginHistory of logins still going on): `grow` adds
   * those due by `until` (epoch ms) whenever the table is read, so a long-running simulator stays
   * current without a timer. Growth is history, not a write: a rolled-back transaction keeps it.
   */
  growWithTime(type: string, grow: (until: number) => void): void {
    const key = this.requireSchema(type).name.toLowerCase();
    const growers = this.growers.get(key) ?? [];
    growers.push(grow);
    this.growers.set(key, growers);
  }

  private grow(growers: ReadonlyArray<(until: number) => void>): void {
    const journal = this.journal;
    this.growing = true;
    this.journal = null;
    try {
      const until = this.now().getTime();
      for (const grow of growers) grow(until);
    } finally {
      this.growing = false;
      this.journal = journal;
    }
  }

  requireSchema(type: string): ObjectSchema {
    const schema = this.schema.get(type);
    if (!schema) throw new Error(`Unknown sObject type '${type}'`);
    return schema;
  }

  getById(id: unknown): IndexEntry | undefined {
    if (typeof id !== 'string' || id.length < 15) return undefined;
    const entry = this.index.get(id.slice(0, 15));
    return entry && sameId(entry.record.Id, id) ? entry : undefined;
  }

  /** Inserts without validation (fixtures and already-validated API writes). */
  insert(type: string, values: Record<string, unknown>, byUserId = this.adminUserId): SRecord {
    const id =
      typeof values.Id === 'string' ? values.Id : this.ids.next(this.meta(type).schema.keyPrefix);
    return this.adopt(type, { Id: id, ...values } as SRecord, byUserId);
  }

  /**
   * Inserts `record` itself (no copy), giving it an Id and the audit fields when missing: the bulk
   * path of the large fixture, which creates 60,000 rows.
   */
  adopt(type: string, record: Record<string, unknown>, byUserId = this.adminUserId): SRecord {
    const meta = this.meta(type);
    const stamp = this.stamp();
    if (typeof record.Id !== 'string') record.Id = this.ids.next(meta.schema.keyPrefix);
    const id = record.Id as string;
    for (const field of meta.auditFields) {
      if (record[field] !== undefined) continue;
      record[field] =
        field === 'IsDeleted' ? false : field.endsWith('ById') ? byUserId || null : stamp;
    }
    meta.rows.push(record as SRecord);
    this.version++;
    this.index.set(id.slice(0, 15), { type: meta.schema.name, record: record as SRecord });
    this.journal?.push(() => {
      const at = meta.rows.indexOf(record as SRecord);
      if (at >= 0) meta.rows.splice(at, 1);
      this.index.delete(id.slice(0, 15));
    });
    // Salesforce keeps one UserLogin row per user (Object Reference, UserLogin), which no client
    // creates: it comes with the user, not frozen and not locked (both default false).
    if (meta.schema.name === 'User' && this.schema.get('UserLogin'))
      this.insert('UserLogin', { UserId: id, IsFrozen: false, IsPasswordLocked: false }, byUserId);
    return record as SRecord;
  }

  private meta(type: string): TableMeta {
    const key = type.toLowerCase();
    let meta = this.metas.get(key);
    if (!meta) {
      const schema = this.requireSchema(type);
      meta = {
        schema,
        rows: this.table(type),
        auditFields: AUDIT_FIELDS.filter((f) => schema.fields.has(f.toLowerCase())),
      };
      this.metas.set(key, meta);
    }
    return meta;
  }

  /** The current time in Salesforce's format, computed once per millisecond. */
  private stamp(): string {
    const ms = this.now().getTime();
    if (ms !== this.lastStampMs) {
      this.lastStampMs = ms;
      this.lastStamp = sfDateTime(new Date(ms));
    }
    return this.lastStamp;
  }

  update(id: string, values: Record<string, unknown>, byUserId = this.adminUserId): SRecord {
    const entry = this.getById(id);
    if (!entry) throw new Error(`No record ${id}`);
    const { record } = entry;
    const before = { ...record };
    Object.assign(record, values);
    this.version++;
    const schema = this.requireSchema(entry.type);
    const now = this.stamp();
    if (schema.fields.has('lastmodifieddate')) record.LastModifiedDate = now;
    if (schema.fields.has('lastmodifiedbyid')) record.LastModifiedById = byUserId || null;
    if (schema.fields.has('systemmodstamp')) record.SystemModstamp = now;
    this.journal?.push(() => {
      for (const key of Object.keys(record)) delete record[key];
      Object.assign(record, before);
    });
    return record;
  }

  delete(id: string): boolean {
    const entry = this.getById(id);
    if (!entry) return false;
    const rows = this.table(entry.type);
    const at = rows.indexOf(entry.record);
    if (at >= 0) rows.splice(at, 1);
    this.index.delete(entry.record.Id.slice(0, 15));
    this.version++;
    this.journal?.push(() => {
      rows.splice(Math.min(at, rows.length), 0, entry.record);
      this.index.set(entry.record.Id.slice(0, 15), entry);
    });
    return true;
  }

  /**
   * Runs `work` so that everything it writes can be undone: returns `rollback`, which restores the
   * tables as they were. Used by composite requests with allOrNone.
   */
  transaction(): { rollback(): void; end(): void } {
    const outer = this.journal;
    const journal: Array<() => void> = [];
    this.journal = journal;
    return {
      rollback: () => {
        for (const undo of journal.reverse()) undo();
        this.version++;
        journal.length = 0;
        this.journal = outer;
      },
      end: () => {
        if (outer) outer.push(...journal);
        this.journal = outer;
      },
    };
  }

  /** Records one API call; refuses it once the daily allocation is used up, as Salesforce does. */
  countApiRequest(): void {
    const daily = this.limits.DailyApiRequests;
    if (!daily) return;
    daily.used += 1;
  }

  apiUsage(): { used: number; max: number } {
    const daily = this.limits.DailyApiRequests;
    return { used: daily?.used ?? 0, max: daily?.Max ?? 0 };
  }

  /**
   * The /limits document: { Name: { Max, Remaining, [app]: { Max, Remaining } } }. Max and
   * Remaining are the org's; a connected app with a quota of its own (a Salesforce pilot) shows that
   * quota and what is left of it, and every other app { Max: 0, Remaining: 0 }, as real orgs list
   * them (Workbench, Dataloader Bulk, ...): Salesforce gives no count of an app's calls without a
   * quota, so neither does the simulator, whatever use the fixture gave the app.
   */
  limitsDocument(): Record<string, Record<string, number | { Max: number; Remaining: number }>> {
    const doc: Record<string, Record<string, number | { Max: number; Remaining: number }>> = {};
    for (const [name, state] of Object.entries(this.limits)) {
      const entry: Record<string, number | { Max: number; Remaining: number }> = {
        Max: state.Max,
        Remaining: state.Max - state.used,
      };
      for (const [app, usage] of Object.entries(state.apps ?? {})) {
        entry[app] =
          usage.Max > 0
            ? { Max: usage.Max, Remaining: usage.Max - usage.used }
            : { Max: 0, Remaining: 0 };
      }
      doc[name] = entry;
    }
    return doc;
  }
}
