import type { Client } from '@hubspot/api-client';
import {
  checkPortal,
  type CheckOptions,
  type DetectorObservation,
  type DetectorPortal,
  type DetectorState,
} from './checkPortal.js';
import { createHubSpotClient } from './politeSearch.js';

/**
 * Runs checkPortal for every portal on its own timer. Politeness across portals: each portal's
 * first check lands at a random point of the first interval and every later one is jittered
 * (±`jitter`), so a relay with many portals never fires them together; one check at a time per
 * relay (`concurrency` 1 by default); a portal whose checks fail backs off exponentially (up to
 * `maxBackoffMs`), and one that HubSpot rate-limited waits at least what Retry-After said.
 */
export interface DetectorSchedulerOptions {
  /** The portals with a private-app token; called at every tick so added/removed portals are picked up. */
  listPortals: () => Promise<DetectorPortal[]> | DetectorPortal[];
  /** What the relay's stored status says the detector believed (see detectorPreviousState). */
  previousState: (portalId: string) => Promise<DetectorState> | DetectorState;
  /** Every observation; the relay turns it into a signal with detectorSignalFor. Awaited. */
  onObservation: (observation: DetectorObservation) => Promise<void> | void;
  /** A check that threw, or that could not conclude (the observation's `error`: token refused, HubSpot down, rate-limited). */
  onError?: (portalId: string, error: unknown) => void;
  /**
   * Where the time HubSpot itself last failed a check of a portal (epoch ms; see
   * thresholds.outageCatchUpMs) outlives this scheduler: without it a restart, or another
   * instance taking over, forgets an outage seen minutes ago and calls the connector's catch-up
   * after it a stall, for every portal. `load` is read before each check (the later of it and what
   * this scheduler saw counts; a time ahead of the clock counts as now, and one more than a day
   * ahead, MAX_STORED_FAILURE_AHEAD_MS, not at all); `save` is awaited after a
   * check HubSpot failed, before the observation is handed on (a throw goes to onError and the
   * observation is handed on all the same).
   */
  hubspotFailures?: {
    load: (portalId: string) => Promise<number | null> | number | null;
    save: (portalId: string, failedAt: number) => Promise<void> | void;
  };
  /** Default 15 minutes: 6 requests per portal per interval, about 24 an hour. */
  intervalMs?: number;
  jitter?: number;
  maxBackoffMs?: number;
  concurrency?: number;
  check?: Omit<CheckOptions, 'previous' | 'client'>;
  random?: () => number;
}

export interface DetectorScheduler {
  /** Checks one portal (or all) now, outside the timers; resolves with the observations. */
  runNow(portalId?: string): Promise<DetectorObservation[]>;
  /**
   * Re-reads the portals now (it happens every interval anyway): the relay calls it when a token is
   * stored or removed, so a new token is used and a removed one dropped at once, not up to an interval later.
   */
  refresh(): Promise<void>;
  /** When each portal is due next (epoch ms), for /health and tests. */
  nextRuns(): Map<string, number>;
  stop(): Promise<void>;
}

interface PortalTimer {
  portal: DetectorPortal;
  client: Client;
  timer: NodeJS.Timeout | null;
  failures: number;
  dueAt: number;
  /** When HubSpot itself last failed a check of the portal (5xx, no answer): see outageCatchUpMs. */
  hubspotFailedAt: number | null;
  /** The stored failure time last taken from (or saved to) hubspotFailures. */
  storedFailedAt: number | null;
}

/**
 * How far ahead of this clock a stored failure of HubSpot may be dated and still count (as now):
 * a day, the longest outageCatchUpMs. Further ahead, the clock that dated it was wrong.
 */
export const MAX_STORED_FAILURE_AHEAD_MS = 24 * 60 * 60 * 1000;

/** The wait before a portal's next check: jittered interval, doubled per consecutive failure, never before Retry-After. */
export function nextCheckDelay(o: {
  intervalMs: number;
  jitter: number;
  failures: number;
  maxBackoffMs: number;
  retryAfterMs?: number;
  random: () => number;
}): number {
  let delay = Math.round(o.intervalMs * (1 + o.jitter * (2 * o.random() - 1)));
  if (o.failures > 0) delay = Math.min(o.maxBackoffMs, delay * 2 ** o.failures);
  if (o.retryAfterMs !== undefined) delay = Math.max(delay, o.retryAfterMs);
  return delay;
}

export function startDetectorScheduler(options: DetectorSchedulerOptions): DetectorScheduler {
  const interval = options.intervalMs ?? 15 * 60_000;
  const jitter = options.jitter ?? 0.2;
  const maxBackoff = options.maxBackoffMs ?? 4 * interval;
  const random = options.random ?? Math.random;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const timers = new Map<string, PortalTimer>();
  const queue: (() => void)[] = [];
  let running = 0;
  let stopped = false;
  const inFlight = new Set<Promise<unknown>>();

  const slot = async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
    running += 1;
    try {
      return await work();
    } finally {
      running -= 1;
      queue.shift()?.();
    }
  };

  const schedule = (entry: PortalTimer, delay: number): void => {
    if (stopped) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.dueAt = Date.now() + delay;
    entry.timer = setTimeout(() => void track(runPortal(entry)), delay);
    entry.timer.unref?.();
  };

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  /**
   * Whether the entry is still the portal's: a refresh replaces it when the token changes and drops
   * it when the token (or the portal) is gone. A check of a superseded entry waiting for its slot
   * does not run, one already running is dropped, and neither reschedules: otherwise its timer would
   * go on checking, for ever and out of sight of nextRuns, with a token the admin removed or replaced.
   */
  const current = (entry: PortalTimer): boolean => timers.get(entry.portal.portalId) === entry;

  async function runPortal(
    entry: PortalTimer,
    reschedule = true,
  ): Promise<DetectorObservation | null> {
    let observation: DetectorObservation | null = null;
    try {
      observation = await slot(async () => {
        if (!current(entry)) return null;
        const previous = await options.previousState(entry.portal.portalId);
        const stored = await options.hubspotFailures?.load(entry.portal.portalId);
        if (!current(entry)) return null;
        const now = (options.check?.now ?? Date.now)();
        // A stored time is taken once: one ahead of this clock (another instance's, skewed)
        // counts as now, and would otherwise count as now again at every check. One more than a
        // day ahead (the longest catch-up) is a clock set wrong, not an outage: taken as now, it
        // would hold every stall back after each restart or change of leader until that date.
        if (
          typeof stored === 'number' &&
          Number.isFinite(stored) &&
          stored !== entry.storedFailedAt &&
          stored - now <= MAX_STORED_FAILURE_AHEAD_MS
        ) {
          entry.storedFailedAt = stored;
          entry.hubspotFailedAt = Math.max(entry.hubspotFailedAt ?? 0, Math.min(stored, now));
        }
        return checkPortal(entry.portal, {
          ...options.check,
          previous,
          client: entry.client,
          ...(entry.hubspotFailedAt !== null
            ? { lastHubSpotFailureAt: entry.hubspotFailedAt }
            : {}),
        });
      });
      if (observation === null || !current(entry)) return null;
      if (observation.hubspotFailed) {
        entry.hubspotFailedAt = Date.parse(observation.at);
        try {
          await options.hubspotFailures?.save(entry.portal.portalId, entry.hubspotFailedAt);
          entry.storedFailedAt = entry.hubspotFailedAt;
        } catch (error) {
          options.onError?.(entry.portal.portalId, error);
        }
      }
      await options.onObservation(observation);
      entry.failures = observation.error ? entry.failures + 1 : 0;
      // A check that could not conclude (token refused, HubSpot down, rate-limited) is a failure to
      // report, not a quiet "inconclusive": otherwise a revoked token goes unnoticed for ever.
      if (observation.error) options.onError?.(entry.portal.portalId, new Error(observation.error));
    } catch (error) {
      entry.failures += 1;
      options.onError?.(entry.portal.portalId, error);
    }
    if (reschedule && current(entry)) {
      const retryAfterMs = observation?.retryAfterMs;
      schedule(
        entry,
        nextCheckDelay({
          intervalMs: interval,
          jitter,
          failures: entry.failures,
          maxBackoffMs: maxBackoff,
          random,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        }),
      );
    }
    return observation;
  }

  /**
   * One refresh at a time, each reading the portals when its turn comes: two overlapping ones (the
   * interval's and a token change's) could otherwise finish out of order, and the one that read
   * the store first would put back the token the later one had replaced.
   */
  let refreshing: Promise<void> = Promise.resolve();
  function refresh(): Promise<void> {
    const next = refreshing.then(readPortals, readPortals);
    refreshing = next.catch(() => undefined);
    return next;
  }

  async function readPortals(): Promise<void> {
    const portals = await options.listPortals();
    const seen = new Set<string>();
    for (const portal of portals) {
      seen.add(portal.portalId);
      const existing = timers.get(portal.portalId);
      if (
        existing &&
        existing.portal.accessToken === portal.accessToken &&
        existing.portal.basePath === portal.basePath
      ) {
        existing.portal = portal;
        continue;
      }
      if (existing?.timer) clearTimeout(existing.timer);
      const entry: PortalTimer = {
        portal,
        client: createHubSpotClient(portal.accessToken, portal.basePath),
        timer: null,
        failures: 0,
        dueAt: 0,
        hubspotFailedAt: existing?.hubspotFailedAt ?? null,
        storedFailedAt: existing?.storedFailedAt ?? null,
      };
      timers.set(portal.portalId, entry);
      // Spread first checks over the whole interval.
      schedule(entry, Math.round(random() * interval));
    }
    for (const [id, entry] of timers) {
      if (!seen.has(id)) {
        if (entry.timer) clearTimeout(entry.timer);
        timers.delete(id);
      }
    }
  }

  const ready = track(refresh().catch((error) => options.onError?.('*', error)));
  const refresher = setInterval(
    () => void track(refresh().catch((error) => options.onError?.('*', error))),
    interval,
  );
  refresher.unref?.();

  return {
    async runNow(portalId) {
      await ready;
      await refresh();
      const entries = [...timers.values()].filter(
        (e) => portalId === undefined || e.portal.portalId === portalId,
      );
      const results = await Promise.all(entries.map((e) => track(runPortal(e, false))));
      return results.filter((o): o is DetectorObservation => o !== null);
    },
    async refresh() {
      await ready;
      if (!stopped) await refresh();
    },
    nextRuns: () => new Map([...timers].map(([id, e]) => [id, e.dueAt])),
    async stop() {
      stopped = true;
      clearInterval(refresher);
      for (const entry of timers.values()) if (entry.timer) clearTimeout(entry.timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
