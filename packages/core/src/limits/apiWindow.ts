/**
 * Salesforce counts API requests over a rolling 24-hour window ("API Requests, Last 24 Hours" in
 * Setup > Company Information; `DailyApiRequests` in /limits; `Sforce-Limit-Info: api-usage=N/M`
 * on every REST response). HubSpot suspends its connector when the org runs out
 * (API_LIMIT_EXCEEDED) or when HubSpot's own share, "Allocated to HubSpot" in its Salesforce
 * integration settings, runs out (HUBSPOT_API_LIMIT_EXCEEDED; HubSpot's help says its API call use
 * is "a rolling 24-hour period").
 *
 * From samples of that rolling count this tells how many calls are left and, at the current
 * rate, when each limit will be reached.
 */

export interface ApiUsageSample {
  /** ISO time the sample was taken. */
  at: string;
  /** Calls counted in the org's rolling 24-hour window at `at` (Max - Remaining of DailyApiRequests). */
  used: number;
  /**
   * HubSpot's own calls in the window when known (the HubSpot connected app's entry under
   * DailyApiRequests in /limits). Without it the org's count stands in for HubSpot's, which can
   * only overstate HubSpot's usage: the allocation figures are then a safe lower bound.
   */
  hubspotUsed?: number;
}

export interface ApiAllocation {
  /** "Allocated to HubSpot" in HubSpot's Salesforce integration settings; absent when not set. */
  hubspotAllocation?: number;
  /** The org's DailyApiRequests Max. */
  orgMax: number;
}

export interface ApiWindow {
  /** Calls HubSpot may still make now: under its allocation and under the org's limit. */
  callsLeft: number;
  /** Calls the whole org may still make now. */
  orgCallsLeft: number;
  /** Net growth of the rolling 24-hour count per hour, from the recent samples (may be negative). */
  ratePerHour: number;
  /** When HubSpot's allocation runs out at this rate (ISO); the first sample at the limit if it has; null if never at this rate. */
  allocationExhaustedAt: string | null;
  /** When the org's limit runs out at this rate (ISO); as above. */
  orgLimitExhaustedAt: string | null;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The slope is fitted over this much of the most recent history. */
const RECENT_MS = HOUR_MS;
/** A drop of more than this share of the previous count is a reset (a new window, a raised limit), not calls expiring. */
const RESET_DROP = 0.25;

interface Point {
  t: number;
  used: number;
  hubspotUsed?: number;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function cleanSamples(samples: readonly ApiUsageSample[]): Point[] {
  const byTime = new Map<number, Point>();
  for (const sample of samples) {
    if (!sample || typeof sample.at !== 'string' || !isCount(sample.used)) continue;
    const t = Date.parse(sample.at);
    if (!Number.isFinite(t)) continue;
    const point: Point = { t, used: sample.used };
    if (isCount(sample.hubspotUsed)) point.hubspotUsed = sample.hubspotUsed;
    // Two samples at the same instant: keep the higher count (the later read of a growing counter).
    const previous = byTime.get(t);
    if (!previous || point.used >= previous.used) byTime.set(t, point);
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

/** The samples since the last reset, within 24 hours of the newest. */
function currentSegment(points: Point[]): Point[] {
  let start = 0;
  for (let i = 1; i < points.length; i += 1) {
    const prev = points[i - 1]!;
    const cur = points[i]!;
    if (prev.used > 0 && prev.used - cur.used > prev.used * RESET_DROP) start = i;
  }
  const newest = points[points.length - 1]!.t;
  return points.slice(start).filter((p) => newest - p.t <= DAY_MS);
}

/** Least-squares slope (per hour) of `value` over the recent points; 0 with fewer than two. */
function slopePerHour(points: Point[], value: (p: Point) => number | undefined): number {
  const usable = points.filter((p) => value(p) !== undefined);
  if (usable.length < 2) return 0;
  const newest = usable[usable.length - 1]!.t;
  let recent = usable.filter((p) => newest - p.t <= RECENT_MS);
  if (recent.length < 2) recent = usable.slice(-2);
  const n = recent.length;
  const t0 = recent[0]!.t;
  let sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (const p of recent) {
    const x = (p.t - t0) / HOUR_MS;
    const y = value(p)!;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const denominator = n * sxx - sx * sx;
  if (denominator === 0) return 0;
  return (n * sxy - sx * sy) / denominator;
}

/** When `limit` is (or was) reached by a count growing at `rate` from the newest point. */
function exhaustion(
  points: Point[],
  value: (p: Point) => number,
  limit: number,
  rate: number,
): string | null {
  const newest = points[points.length - 1]!;
  if (value(newest) >= limit) {
    // Already there: the first sample of the latest run at or over the limit.
    let i = points.length - 1;
    while (i > 0 && value(points[i - 1]!) >= limit) i -= 1;
    return new Date(points[i]!.t).toISOString();
  }
  if (!(rate > 0)) return null;
  const hours = (limit - value(newest)) / rate;
  return new Date(newest.t + hours * HOUR_MS).toISOString();
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Calls left in the rolling 24-hour window and when, at the recent rate, HubSpot's allocation and
 * the org's limit run out. Samples may come in any order; bad ones are skipped; a sudden large
 * drop of the count starts the estimate afresh.
 */
export function apiWindow(
  samples: readonly ApiUsageSample[],
  allocation: ApiAllocation,
): ApiWindow {
  if (!allocation || !isCount(allocation.orgMax) || allocation.orgMax === 0) {
    throw new RangeError(
      "apiWindow: allocation.orgMax must be a positive number (the org's DailyApiRequests Max)",
    );
  }
  const { orgMax } = allocation;
  const hubspotAllocation = allocation.hubspotAllocation;
  if (
    hubspotAllocation !== undefined &&
    hubspotAllocation !== null &&
    !isCount(hubspotAllocation)
  ) {
    throw new RangeError(
      'apiWindow: allocation.hubspotAllocation must be a number of calls, 0 or more',
    );
  }
  if (!Array.isArray(samples))
    throw new TypeError('apiWindow: samples must be an array of { at, used }');
  const points = cleanSamples(samples);
  if (points.length === 0)
    throw new RangeError('apiWindow: no valid sample ({ at: ISO time, used: number >= 0 })');

  const segment = currentSegment(points);
  const newest = segment[segment.length - 1]!;
  const orgUsed = (p: Point) => p.used;
  // HubSpot's own count where known, else the org's (an upper bound of HubSpot's).
  const hubspotKnown = segment.some((p) => p.hubspotUsed !== undefined);
  const hubspotUsed = (p: Point) => (hubspotKnown ? p.hubspotUsed : p.used);

  const ratePerHour = slopePerHour(segment, orgUsed);
  const orgCallsLeft = Math.max(0, orgMax - newest.used);
  const orgLimitExhaustedAt = exhaustion(segment, orgUsed, orgMax, ratePerHour);

  if (hubspotAllocation === undefined || hubspotAllocation === null) {
    // No allocation set: HubSpot may use everything the org has.
    return {
      callsLeft: orgCallsLeft,
      orgCallsLeft,
      ratePerHour: round(ratePerHour),
      allocationExhaustedAt: orgLimitExhaustedAt,
      orgLimitExhaustedAt,
    };
  }

  const hubspotPoints = hubspotKnown ? segment.filter((p) => p.hubspotUsed !== undefined) : segment;
  const latestHubspot = hubspotPoints[hubspotPoints.length - 1]!;
  const hubspotRate = hubspotKnown ? slopePerHour(hubspotPoints, hubspotUsed) : ratePerHour;
  const callsLeft = Math.max(
    0,
    Math.min(hubspotAllocation - hubspotUsed(latestHubspot)!, orgCallsLeft),
  );
  // Its own allocation only: when the org's limit comes first, HubSpot reports that instead
  // (API_LIMIT_EXCEEDED), and `orgLimitExhaustedAt` says when.
  const allocationExhaustedAt = exhaustion(
    hubspotPoints,
    (p) => hubspotUsed(p)!,
    hubspotAllocation,
    hubspotRate,
  );
  return {
    callsLeft,
    orgCallsLeft,
    ratePerHour: round(ratePerHour),
    allocationExhaustedAt,
    orgLimitExhaustedAt,
  };
}
