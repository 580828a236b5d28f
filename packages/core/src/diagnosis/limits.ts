/**
 * Org limits from /limits (or OrgLimits.getMap()): daily API requests, data and file storage.
 * HubSpot suspends when Salesforce refuses calls for the 24-hour API limit or for storage.
 */
import type { LimitEntry } from '../snapshot/types.js';
import type { Context } from './context.js';
import { RULES } from './rules.js';
import { percent } from './text.js';
import type { LimitResult } from './types.js';

/** Above this share of the daily API requests used, warn: HubSpot competes with every other integration. */
export const API_WARNING_RATIO = 0.75;
/** Above this share of storage used, warn: inserts start failing at 100%. */
export const STORAGE_WARNING_RATIO = 0.9;

/**
 * The Salesforce half of an org-wide API limit: which integrations use the calls. HubSpot's own
 * allocation is a HubSpot setting (the limits card says so), so an org-limit finding, whose step the
 * remediation plan lists under Salesforce, does not ask for it: the plan adds that HubSpot step
 * itself (planRemediation), as do the catalog's API_LIMIT_EXCEEDED steps and the per-app finding.
 */
const FIND_API_USERS =
  'In Salesforce, find which integrations use the org\'s API calls (Setup > System Overview, or the "API Usage Last 7 Days" report)';

export {
  HUBSPOT_ALLOCATION_PLACE,
  HUBSPOT_SALESFORCE_PLACE,
  HUBSPOT_SYNC_HEALTH_PLACE,
} from './hubspotPlaces.js';
import { HUBSPOT_ALLOCATION_PLACE, HUBSPOT_SYNC_HEALTH_PLACE } from './hubspotPlaces.js';

function result(name: string, entry: { Max: number; Remaining: number }): LimitResult {
  const used = Math.max(0, entry.Max - entry.Remaining);
  return { name, used, max: entry.Max, ratio: entry.Max > 0 ? used / entry.Max : 0 };
}

/**
 * Where an admin sees HubSpot's own share of the org's calls when Salesforce gives no count of it:
 * the Sync Health tab's "API calls used" (its calls of the last 24 hours beside "Allocated to
 * HubSpot"; HubSpot's "Manage your Salesforce integration settings", which older pages call "API
 * Call Use"). Salesforce's "API Usage Last 7 Days" report, which splits the org's calls by user, is
 * already the finding's remedy (FIND_API_USERS), so it is not said twice. A real org lists each
 * connected app without a per-app quota (a Salesforce pilot) as { Max: 0, Remaining: 0 }: no count.
 */
export const HUBSPOT_SHARE_PLACES = `Salesforce counts no calls per connected app without a quota of its own, so HubSpot's share is not in its limits: ${HUBSPOT_SYNC_HEALTH_PLACE} show HubSpot's calls of the last 24 hours under "API calls used".`;

/**
 * ' HubSpot's connected app made 88,400 of them (92%).': which share of the org's calls is HubSpot's
 * own, when /limits lists its connected app with a count (a per-app quota, Max > 0). It tells the
 * admin whether lowering "Allocated to HubSpot" or slowing another integration frees the calls.
 * Without a count (the app listed with Max 0, as real orgs list every app without a quota, or not
 * listed), where HubSpot shows its share (HUBSPOT_SHARE_PLACES): a share that vanished without a
 * word left the admin guessing. Nothing for an org with no calls used.
 */
function hubspotShareOf(api: LimitEntry, orgUsed: number): string {
  if (orgUsed === 0) return '';
  for (const [app, value] of Object.entries(api)) {
    if (!/hubspot/i.test(app) || typeof value !== 'object' || !value || !(value.Max > 0)) continue;
    const used = Math.max(0, value.Max - value.Remaining);
    return ` HubSpot's connected app '${app}' made ${used.toLocaleString('en-US')} of them (${percent(Math.min(1, used / orgUsed))}).`;
  }
  return ` ${HUBSPOT_SHARE_PLACES}`;
}

export function judgeLimits(ctx: Context): LimitResult[] {
  const limits = ctx.snapshot.limits;
  if (!limits) return [];
  const results: LimitResult[] = [];
  const api: LimitEntry | undefined = limits.DailyApiRequests;
  if (api) {
    const r = result('DailyApiRequests', api);
    results.push(r);
    const hubspotShare = hubspotShareOf(api, r.used);
    if (api.Remaining <= 0) {
      ctx.add({
        reason: 'API_LIMIT_EXCEEDED',
        severity: 'error',
        subject: 'DailyApiRequests',
        rule: RULES.apiLimit,
        message: `The org has used all ${api.Max.toLocaleString('en-US')} of its API requests in the last 24 hours: Salesforce refuses HubSpot's calls (REQUEST_LIMIT_EXCEEDED).${hubspotShare}`,
        remedy: `${FIND_API_USERS} and pause the one running away, then wait for the rolling 24-hour window to free calls; during a data migration, ask Salesforce support for a temporary increase.`,
      });
    } else if (r.ratio > API_WARNING_RATIO) {
      ctx.add({
        reason: 'API_LIMIT_EXCEEDED',
        severity: 'warning',
        subject: 'DailyApiRequests',
        rule: RULES.apiLimit,
        message: `The org has used ${percent(r.ratio)} of its daily API requests (${r.used.toLocaleString('en-US')} of ${api.Max.toLocaleString('en-US')}); at 100% Salesforce refuses every call and HubSpot suspends the sync.${hubspotShare}`,
        remedy: `${FIND_API_USERS} and slow or pause any that run away before the org reaches 100%.`,
      });
    }
    // Per connected app usage ("HubSpot": { Max, Remaining }). Per-app quotas are a pilot Salesforce
    // enables on request: an app without one shows Max 0, and is judged only against the org's limit.
    // A cap on HubSpot's connected app refuses HubSpot's calls like the org limit does; a "cap" equal
    // to the org's own maximum is none of its own, so it is no per-app limit to raise either.
    for (const [app, value] of Object.entries(api)) {
      if (typeof value !== 'object' || !value || !(value.Max > 0)) continue;
      const appResult = result(`DailyApiRequests.${app}`, value);
      results.push(appResult);
      if (!/hubspot/i.test(app) || value.Max === api.Max) continue;
      if (value.Remaining <= 0 || appResult.ratio > API_WARNING_RATIO) {
        const exhausted = value.Remaining <= 0;
        ctx.add({
          reason: 'API_LIMIT_EXCEEDED',
          severity: exhausted ? 'error' : 'warning',
          subject: appResult.name,
          rule: RULES.connectedAppApiLimit,
          message: exhausted
            ? `The connected app '${app}' has used all ${value.Max.toLocaleString('en-US')} API requests Salesforce allows it per 24 hours: its calls are refused even though the org has requests left.`
            : `The connected app '${app}' has used ${percent(appResult.ratio)} of the ${value.Max.toLocaleString('en-US')} API requests Salesforce allows it per 24 hours.`,
          remedy: `In ${HUBSPOT_ALLOCATION_PLACE}, lower "Allocated to HubSpot" so HubSpot stays under the ${value.Max.toLocaleString('en-US')} calls '${app}' may make, or ask Salesforce support to raise the per-app limit of '${app}'.`,
        });
      }
    }
  } else {
    ctx.add({
      reason: 'API_LIMIT_EXCEEDED',
      severity: 'info',
      subject: 'DailyApiRequests',
      rule: RULES.sectionAbsent,
      message:
        "Sync Doctor read the org's limits but not its daily API requests (DailyApiRequests): the API limit could not be judged.",
      remedy: 'Check Setup > Company Information > API Requests, Last 24 Hours.',
    });
  }
  for (const name of ['DataStorageMB', 'FileStorageMB'] as const) {
    const entry = limits[name];
    if (!entry) continue;
    const r = result(name, entry);
    results.push(r);
    const kind = name === 'DataStorageMB' ? 'data' : 'file';
    if (entry.Remaining <= 0) {
      ctx.add({
        reason: 'STORAGE_LIMIT_EXCEEDED',
        severity: 'error',
        subject: name,
        rule: RULES.storageLimit,
        message: `The org's ${kind} storage is full (${r.used.toLocaleString('en-US')} of ${entry.Max.toLocaleString('en-US')} MB): Salesforce refuses new records, so HubSpot cannot create any.`,
        remedy: `Free ${kind} storage (Setup > Storage Usage shows what takes it; delete or archive old records, for example HubSpot-created records you no longer need) or buy more storage.`,
      });
    } else if (r.ratio > STORAGE_WARNING_RATIO) {
      ctx.add({
        reason: 'STORAGE_LIMIT_EXCEEDED',
        severity: 'warning',
        subject: name,
        rule: RULES.storageLimit,
        message: `The org has used ${percent(r.ratio)} of its ${kind} storage (${r.used.toLocaleString('en-US')} of ${entry.Max.toLocaleString('en-US')} MB); when it is full HubSpot's inserts fail and the sync is suspended.`,
        remedy: `Review Setup > Storage Usage and free ${kind} storage before it runs out.`,
      });
    }
  }
  return results;
}
