import { CRM_OBJECT_TYPES, type CrmObjectType } from './properties.js';
import type { CrmRecord } from './search.js';

/**
 * Portals in four situations, generated relative to "now":
 * - healthy: every record HubSpot changes is synced within seconds (the connector writes
 *   `salesforcelastsynctime`, which itself bumps the last-modified date a moment later);
 * - stalled: the sync stopped `stalledForHours` ago: records changed since then keep an old sync time;
 * - resumed: the same outage, but the connector came back an hour ago and re-synced the backlog;
 * - rate-limited: healthy data, but the first searches are answered 429 (see the simulator).
 */
export type ScenarioName = 'healthy' | 'stalled' | 'resumed' | 'rate-limited';
export const SCENARIO_NAMES: readonly ScenarioName[] = [
  'healthy',
  'stalled',
  'resumed',
  'rate-limited',
];

export interface ScenarioOptions {
  /** Synced records per object type (default 40); HubSpot-only records are added on top. */
  syncedPerObject?: number;
  /** Records that exist only in HubSpot (no Salesforce id) per object type (default 10). */
  hubspotOnlyPerObject?: number;
  /** Minutes between consecutive modifications (default 15). */
  spacingMinutes?: number;
  /** How long ago the stalled sync stopped (default 6 hours). */
  stalledForHours?: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number): string => new Date(ms).toISOString();

function salesforceId(prefix: string, n: number): string {
  // 18-character Salesforce ids with the object's key prefix (003 Contact, 00Q Lead, 001 Account, 006 Opportunity).
  return `${prefix}5g00000${String(n).padStart(8, '0')}AAA`.slice(0, 18);
}

function idProperties(objectType: CrmObjectType, n: number): Record<string, string> {
  if (objectType === 'contacts') {
    // A third of the synced contacts are Salesforce leads.
    return n % 3 === 0
      ? { salesforceleadid: salesforceId('00Q', n) }
      : {
          salesforcecontactid: salesforceId('003', n),
          salesforceaccountid: salesforceId('001', n),
        };
  }
  if (objectType === 'companies') return { salesforceaccountid: salesforceId('001', n) };
  return {
    hs_salesforceopportunityid: salesforceId('006', n),
    salesforceopportunitystage: 'Prospecting',
  };
}

function nameProperties(objectType: CrmObjectType, n: number): Record<string, string> {
  if (objectType === 'contacts')
    return { email: `person${n}@example.com`, firstname: `Person`, lastname: `No. ${n}` };
  if (objectType === 'companies')
    return { name: `Company ${n}`, domain: `company${n}.example.com` };
  return {
    dealname: `Deal ${n}`,
    amount: String(1000 * n),
    dealstage: 'appointmentscheduled',
    pipeline: 'default',
  };
}

function makeRecord(
  objectType: CrmObjectType,
  id: number,
  createdMs: number,
  modifiedMs: number,
  props: Record<string, string | null>,
): CrmRecord {
  const properties: Record<string, string | null> = {
    hs_object_id: String(id),
    createdate: iso(createdMs),
    hs_lastmodifieddate: iso(modifiedMs),
    ...props,
  };
  if (objectType === 'contacts') properties.lastmodifieddate = iso(modifiedMs);
  return {
    id: String(id),
    properties,
    createdAt: iso(createdMs),
    updatedAt: iso(modifiedMs),
    archived: false,
  };
}

/** Generates the records of one object type for a scenario, newest modifications first. */
export function scenarioRecords(
  objectType: CrmObjectType,
  scenario: ScenarioName,
  nowMs: number,
  options: ScenarioOptions = {},
): CrmRecord[] {
  const synced = options.syncedPerObject ?? 40;
  const hubspotOnly = options.hubspotOnlyPerObject ?? 10;
  const spacing = (options.spacingMinutes ?? 15) * MINUTE;
  const stalledAt = nowMs - (options.stalledForHours ?? 6) * HOUR;
  const resumedAt = nowMs - HOUR;
  const base = (CRM_OBJECT_TYPES.indexOf(objectType) + 1) * 1000;
  const out: CrmRecord[] = [];
  for (let i = 0; i < synced; i++) {
    const n = base + i + 1;
    // The newest change is 40 minutes old: past the detector's grace period, like most real changes.
    let modified = nowMs - 40 * MINUTE - i * spacing;
    const created = modified - 30 * 24 * HOUR;
    let lastSync: number;
    if (scenario === 'stalled' && modified > stalledAt) {
      // Changed after the sync stopped: the last sync happened before the outage.
      lastSync = stalledAt - ((i * 37) % 180) * MINUTE - MINUTE;
    } else if (scenario === 'resumed' && modified > nowMs - 8 * HOUR && modified < resumedAt) {
      // The backlog re-synced when the connector came back, which bumps the modified date too.
      lastSync = resumedAt + i * 1000;
      modified = lastSync + 2000;
    } else {
      lastSync = modified - (5 + ((i * 13) % 90)) * 1000;
    }
    out.push(
      makeRecord(objectType, n, created, modified, {
        ...nameProperties(objectType, n),
        ...idProperties(objectType, n),
        salesforcelastsynctime: iso(lastSync),
      }),
    );
  }
  for (let j = 0; j < hubspotOnly; j++) {
    const n = base + 500 + j;
    // HubSpot-only records are changed most recently of all: a detector must not count them.
    const modified = nowMs - 35 * MINUTE - j * MINUTE;
    out.push(
      makeRecord(objectType, n, modified - 24 * HOUR, modified, {
        ...nameProperties(objectType, n),
        salesforcelastsynctime: null,
      }),
    );
  }
  return out;
}
