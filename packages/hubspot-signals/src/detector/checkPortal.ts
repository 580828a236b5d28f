import type { Client } from '@hubspot/api-client';
import {
  evaluateSamples,
  type CrmObjectType,
  type DetectorEvidence,
  type DetectorVerdict,
  type ObjectSample,
  type SampledRecord,
} from './evaluate.js';
import {
  createHubSpotClient,
  HubSpotRequestError,
  politeSearch,
  RateLimitedError,
  realSleep,
  type RetryPolicy,
  type SearchBody,
  type Sleep,
} from './politeSearch.js';
import { resolveThresholds, type DetectorThresholds } from './thresholds.js';

/**
 * Property names of HubSpot's Salesforce connector (see packages/hubspot-simulator/src/properties.ts
 * for where each was confirmed): the Salesforce ids a synced record carries, the sync time the
 * connector writes, and the last-modified date per object (`lastmodifieddate` for contacts, as the
 * "Search the CRM" guide lists it, `hs_lastmodifieddate` for companies and deals).
 */
export const SALESFORCE_ID_PROPERTIES: Record<CrmObjectType, readonly string[]> = {
  contacts: ['salesforcecontactid', 'salesforceleadid'],
  companies: ['salesforceaccountid'],
  deals: ['hs_salesforceopportunityid'],
};
export const LAST_SYNC_PROPERTY = 'salesforcelastsynctime';
export const LAST_MODIFIED_PROPERTY: Record<CrmObjectType, string> = {
  contacts: 'lastmodifieddate',
  companies: 'hs_lastmodifieddate',
  deals: 'hs_lastmodifieddate',
};

/** The observation's error when HubSpot answers 401: what an admin has to do. */
export const TOKEN_REJECTED =
  'HubSpot refused the access token (401): it was revoked, expired or is wrong; store a new private-app token or service key for the portal';

export interface DetectorPortal {
  portalId: string;
  /** The portal's HubSpot private-app access token (scopes crm.objects.{contacts,companies,deals}.read). */
  accessToken: string;
  /** API root; default https://api.hubapi.com. Tests point it at the HubSpot simulator. */
  basePath?: string;
  /** Object types to read; default contacts, companies, deals (deals are skipped when the token lacks the scope). */
  objectTypes?: CrmObjectType[];
}

/** What the detector believed about the portal before this check. */
export type DetectorState = 'suspected' | 'clear';

export interface DetectorObservation {
  portalId: string;
  at: string;
  verdict: DetectorVerdict;
  /** The detector's belief after this check. */
  state: DetectorState;
  /** Set when this check changed the belief: raise a suspected suspension, or lift it. */
  transition: 'suspected' | 'lifted' | null;
  evidence: DetectorEvidence | null;
  /** HubSpot requests made by this check (retries included). */
  requests: number;
  /** Why the check could not conclude (every object failed, or HubSpot rate-limited it). */
  error?: string;
  /** When HubSpot asked to wait longer than the retry policy allows: do not check before this. */
  retryAfterMs?: number;
  /**
   * What the check could not watch although it concluded: an object type left out because the
   * token lacks its read scope (contacts, say: the detector is then blind to the records most
   * portals sync). A configuration to fix, shown to the admin; unset when there is none.
   */
  warnings?: string[];
  /** HubSpot itself failed a search of this check (5xx, no answer, connection refused or reset). */
  hubspotFailed?: boolean;
}

export interface CheckOptions {
  previous?: DetectorState;
  thresholds?: Partial<DetectorThresholds>;
  retryPolicy?: RetryPolicy;
  /** Pause between two requests of one check, to stay under HubSpot's search limit (default 300 ms). */
  requestSpacingMs?: number;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
  /** Reuse a client (one per portal); by default one is created from the portal's token and basePath. */
  client?: Client;
  /**
   * When HubSpot itself last failed a check of this portal (epoch ms; the scheduler keeps it): no
   * stall is called within thresholds.outageCatchUpMs after it.
   */
  lastHubSpotFailureAt?: number;
}

/** The latest time a Date can hold (ECMAScript: 8.64e15 ms from the epoch either way). */
const MAX_DATE_MS = 8.64e15;

/**
 * A HubSpot date property (epoch milliseconds, or an ISO date) as a time; null when it holds none,
 * or one no Date can hold: a value of 20 digits would otherwise throw (RangeError: Invalid time
 * value) where the evidence is written out, and fail every check of the portal.
 */
function parseInstant(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : null;
}

/**
 * One check of one portal: per object type, a one-record probe for the newest sync time and one
 * page of the most recently modified records that carry a Salesforce id (2 requests per object,
 * 6 per portal). Returns an observation; never throws for HubSpot errors.
 */
export async function checkPortal(
  portal: DetectorPortal,
  options: CheckOptions = {},
): Promise<DetectorObservation> {
  const t = resolveThresholds(options.thresholds);
  const now = (options.now ?? Date.now)();
  const sleep = options.sleep ?? realSleep;
  const spacing = options.requestSpacingMs ?? 300;
  const previous = options.previous ?? 'clear';
  const client = options.client ?? createHubSpotClient(portal.accessToken, portal.basePath);
  const counters = { requests: 0 };
  const searchOptions = {
    sleep,
    counters,
    ...(options.retryPolicy ? { policy: options.retryPolicy } : {}),
    ...(options.random ? { random: options.random } : {}),
  };
  const base = { portalId: portal.portalId, at: new Date(now).toISOString() };
  let first = true;
  const search = async (objectType: CrmObjectType, body: SearchBody) => {
    if (!first && spacing > 0) await sleep(spacing);
    first = false;
    return politeSearch(client, objectType, body, searchOptions);
  };

  /** A check stopped before its evidence was in: no verdict, no change of belief. */
  const cutShort = (error: string, retryAfterMs?: number): DetectorObservation => ({
    ...base,
    verdict: 'inconclusive',
    state: previous,
    transition: null,
    evidence: null,
    requests: counters.requests,
    error,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });

  const samples: ObjectSample[] = [];
  let hubspotFailed = false;
  for (const objectType of portal.objectTypes ?? (['contacts', 'companies', 'deals'] as const)) {
    const idProps = SALESFORCE_ID_PROPERTIES[objectType];
    const modifiedProp = LAST_MODIFIED_PROPERTY[objectType];
    try {
      const newest = await search(objectType, {
        filterGroups: [
          { filters: [{ propertyName: LAST_SYNC_PROPERTY, operator: 'HAS_PROPERTY' }] },
        ],
        sorts: [{ propertyName: LAST_SYNC_PROPERTY, direction: 'DESCENDING' }],
        properties: [LAST_SYNC_PROPERTY],
        limit: 1,
      });
      const page = await search(objectType, {
        // One group per Salesforce id property (groups are ORed), each limited to changes past the grace period.
        filterGroups: idProps.map((propertyName) => ({
          filters: [
            { propertyName, operator: 'HAS_PROPERTY' },
            { propertyName: modifiedProp, operator: 'LTE', value: String(now - t.graceMs) },
          ],
        })),
        sorts: [{ propertyName: modifiedProp, direction: 'DESCENDING' }],
        properties: [...idProps, LAST_SYNC_PROPERTY, modifiedProp],
        limit: t.sampleSize,
      });
      const records: SampledRecord[] = [];
      for (const r of page) {
        const salesforceId = idProps
          .map((p) => r.properties[p])
          .find((v) => typeof v === 'string' && v !== '');
        const modifiedAt = parseInstant(r.properties[modifiedProp]);
        if (!salesforceId || modifiedAt === null) continue;
        records.push({
          objectType,
          id: r.id,
          salesforceId,
          modifiedAt,
          lastSyncAt: parseInstant(r.properties[LAST_SYNC_PROPERTY]),
        });
      }
      samples.push({
        objectType,
        newestSyncAt: parseInstant(newest[0]?.properties[LAST_SYNC_PROPERTY]),
        records,
      });
    } catch (error) {
      // Stop here: rate limited, more requests now would only be refused too.
      if (error instanceof RateLimitedError) return cutShort(error.message, error.retryAfterMs);
      // The token itself is refused: every other request would be refused too.
      if (error instanceof HubSpotRequestError && error.status === 401)
        return cutShort(TOKEN_REJECTED);
      // Only HubSpot's own "missing scopes" answer leaves the object out for good; any other 403
      // (an edge's block page, an account restriction) is a hole in the evidence like a 5xx.
      const missingScope =
        error instanceof HubSpotRequestError &&
        error.status === 403 &&
        error.category === 'MISSING_SCOPES';
      if (!(error instanceof HubSpotRequestError) || error.status === null || error.status >= 500)
        hubspotFailed = true;
      const message = missingScope
        ? `no access to ${objectType} (scope crm.objects.${objectType}.read missing)`
        : error instanceof Error
          ? error.message
          : String(error);
      samples.push({
        objectType,
        newestSyncAt: null,
        records: [],
        error: message,
        ...(missingScope ? { skipped: true } : {}),
      });
    }
  }

  const evaluated = evaluateSamples(samples, now, t);
  const { evidence } = evaluated;
  let verdict = evaluated.verdict;
  const failedAt = options.lastHubSpotFailureAt;
  const catchingUp =
    verdict === 'stalled' && failedAt !== undefined && now - failedAt < t.outageCatchUpMs;
  if (catchingUp) verdict = 'inconclusive';
  const failed = samples.filter((s) => s.error);
  const error =
    failed.length === samples.length ? failed.map((s) => s.error).join('; ') : undefined;
  const warnings = samples
    .filter((s) => s.skipped)
    .map(
      (s) =>
        `${s.objectType} are not checked: HubSpot refused the token access to them (403); add the scope crm.objects.${s.objectType}.read to the private app or service key`,
    );
  if (catchingUp)
    warnings.push(
      `HubSpot failed a check at ${new Date(failedAt!).toISOString()} (5xx or no answer): no stall is called before ${new Date(failedAt! + t.outageCatchUpMs).toISOString()}, to let the connector catch up after HubSpot's outage`,
    );
  let state: DetectorState = previous;
  let transition: DetectorObservation['transition'] = null;
  if (previous === 'clear' && verdict === 'stalled')
    [state, transition] = ['suspected', 'suspected'];
  else if (previous === 'suspected' && verdict === 'syncing')
    [state, transition] = ['clear', 'lifted'];
  return {
    ...base,
    verdict,
    state,
    transition,
    evidence,
    requests: counters.requests,
    ...(error ? { error } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(hubspotFailed ? { hubspotFailed } : {}),
  };
}
