import { startHubSpotSimulator, type HubSpotSimulator } from '@sync-doctor/hubspot-simulator';
import {
  nextCheckDelay,
  startDetectorScheduler,
  type DetectorObservation,
  type DetectorScheduler,
} from '../src/index.js';

let sim: HubSpotSimulator;
let scheduler: DetectorScheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  await sim?.close();
});

describe('detector scheduler', () => {
  it('spreads portals over the interval, checks each on its own timer, and feeds back the stored state', async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 1000 });
    const states = new Map<string, 'suspected' | 'clear'>();
    const seen: DetectorObservation[] = [];
    const randoms = [0.1, 0.5, 0.9];
    let i = 0;
    const started = Date.now();
    scheduler = startDetectorScheduler({
      intervalMs: 400,
      listPortals: () =>
        ['1', '2', '3'].map((portalId) => ({
          portalId,
          accessToken: sim.accessToken,
          basePath: sim.url,
        })),
      previousState: (id) => states.get(id) ?? 'clear',
      onObservation: (o) => {
        seen.push(o);
        states.set(o.portalId, o.state);
      },
      random: () => randoms[i++ % 3]!,
      check: { requestSpacingMs: 0 },
    });
    // Each portal's first due time, read as soon as it is scheduled: reading later would see a
    // portal that has already run at its next, jittered time (how long its check took decides
    // that), which made this assertion depend on the machine's load.
    const firstDue = new Map<string, number>();
    while (firstDue.size < 3 && Date.now() - started < 2000) {
      for (const [id, at] of scheduler.nextRuns())
        if (!firstDue.has(id)) firstDue.set(id, at - started);
      await new Promise((r) => setImmediate(r));
    }
    const due = [...firstDue.values()].sort((a, b) => a - b);
    // First checks at 10 %, 50 % and 90 % of the interval: not all at once.
    expect(due).toHaveLength(3);
    expect(due[2]! - due[0]!).toBeGreaterThan(200);
    await waitFor(
      () => new Set(seen.filter((o) => o.transition === null).map((o) => o.portalId)).size === 3,
      5000,
    );
    // First check per portal raised the suspicion; later ones see it stored and do not raise it again.
    for (const id of ['1', '2', '3']) {
      const mine = seen.filter((o) => o.portalId === id);
      expect(mine[0]!.transition).toBe('suspected');
      expect(mine.slice(1).every((o) => o.transition === null)).toBe(true);
    }
  });

  it('a failing portal reports its error in the observation; runNow checks on demand', async () => {
    sim = await startHubSpotSimulator({ scenario: 'healthy', searchRequestsPerSecond: 1000 });
    const errors: DetectorObservation[] = [];
    const reported: [string, unknown][] = [];
    scheduler = startDetectorScheduler({
      intervalMs: 60_000,
      random: () => 1, // the timed first check a whole interval out: never during the test
      jitter: 0,
      listPortals: () => [{ portalId: 'bad', accessToken: 'pat-na1-wrong', basePath: sim.url }],
      previousState: () => 'clear',
      onObservation: (o) => void (o.error && errors.push(o)),
      onError: (portalId, error) => void reported.push([portalId, error]),
      check: { requestSpacingMs: 0 },
    });
    const [obs] = await scheduler.runNow('bad');
    expect(obs!.error).toMatch(/401/);
    expect(obs!.verdict).toBe('inconclusive');
    expect(errors).toHaveLength(1);
    // The refused token is reported through onError too (the relay logs it), not only left in the observation.
    expect(reported).toHaveLength(1);
    expect(reported[0]![0]).toBe('bad');
    expect((reported[0]![1] as Error).message).toMatch(/refused the access token \(401\)/);
    const before = Date.now();
    await scheduler.runNow('bad');
    // runNow does not reschedule; the timer from the start (at the end of the first interval) stays.
    expect([...scheduler.nextRuns().values()][0]! - before).toBeLessThanOrEqual(60_000);
  });
});

describe('detector scheduler: removed and replaced tokens', () => {
  it('stops checking a portal whose token was removed while its check was running, and drops that check', async () => {
    sim = await startHubSpotSimulator({ scenario: 'healthy', searchRequestsPerSecond: 1000 });
    let portals = [{ portalId: 'gone', accessToken: sim.accessToken, basePath: sim.url }];
    const seen: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    scheduler = startDetectorScheduler({
      intervalMs: 200,
      jitter: 0,
      random: () => 0, // first check at once
      listPortals: () => portals,
      previousState: async (id): Promise<'clear'> => {
        if (id === 'gone' && seen.length === 0) {
          started();
          await released; // the token is removed while this check runs
        }
        return 'clear';
      },
      onObservation: (o) => void seen.push(o.portalId),
      check: { requestSpacingMs: 0 },
    });
    await running;
    portals = [];
    try {
      await scheduler.refresh();
    } finally {
      release();
    }
    // Several intervals: an orphaned timer would check the removed portal again and again.
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen).toEqual([]);
    expect(sim.requests).toHaveLength(0);
    expect([...scheduler.nextRuns().keys()]).toEqual([]);
  });

  it('a replaced token is used from the refresh on: the old one is never sent again', async () => {
    sim = await startHubSpotSimulator({ scenario: 'healthy', searchRequestsPerSecond: 1000 });
    let portals = [{ portalId: 'p', accessToken: 'pat-na1-revoked', basePath: sim.url }];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let calls = 0;
    scheduler = startDetectorScheduler({
      intervalMs: 200,
      jitter: 0,
      random: () => 0,
      listPortals: () => portals,
      previousState: async (): Promise<'clear'> => {
        if (calls++ === 0) {
          started();
          await released;
        }
        return 'clear';
      },
      onObservation: () => undefined,
      check: { requestSpacingMs: 0 },
    });
    await running;
    portals = [{ portalId: 'p', accessToken: sim.accessToken, basePath: sim.url }];
    try {
      await scheduler.refresh();
    } finally {
      release();
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect(sim.requests.length).toBeGreaterThan(0);
    expect(sim.requests.filter((r) => r.authorization !== 'valid')).toEqual([]);
  });
});

describe('detector scheduler: overlapping refreshes', () => {
  it('a slow refresh that read the old token never undoes a later one that read the new token', async () => {
    sim = await startHubSpotSimulator({ scenario: 'healthy', searchRequestsPerSecond: 1000 });
    let token = 'pat-na1-old';
    const reads: (() => void)[] = [];
    let hold = false;
    scheduler = startDetectorScheduler({
      intervalMs: 600_000,
      random: () => 0, // a new entry is checked at once: which token it holds shows in the requests
      listPortals: async () => {
        const read = token; // what the store holds when the read starts
        if (hold) await new Promise<void>((release) => reads.push(release));
        return [{ portalId: 'p', accessToken: read, basePath: sim.url }];
      },
      previousState: () => 'clear',
      onObservation: () => undefined,
      check: { requestSpacingMs: 0 },
    });
    await scheduler.refresh();
    await waitFor(() => sim.requests.length > 0, 2000); // the old token's first check (401)
    await new Promise((r) => setTimeout(r, 100));
    hold = true;
    const slow = scheduler.refresh(); // reads the old token, answers late
    await waitFor(() => reads.length === 1, 2000);
    token = sim.accessToken; // the admin stores a new token meanwhile
    const fast = scheduler.refresh();
    await new Promise((r) => setTimeout(r, 50));
    sim.resetRequests();
    hold = false;
    // The later read answers first, the older one last.
    for (const release of reads.splice(0).reverse()) {
      release();
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all([slow, fast]);
    await waitFor(() => sim.requests.length > 0, 2000);
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.requests.filter((r) => r.authorization !== 'valid')).toEqual([]);
  });
});

describe('detector scheduler: after HubSpot itself failed', () => {
  it('calls no stall until the connector had time to catch up after HubSpot answered 5xx', async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 1000 });
    const seen: DetectorObservation[] = [];
    scheduler = startDetectorScheduler({
      intervalMs: 600_000,
      random: () => 1, // the timed first check a whole interval out: never during the test
      listPortals: () => [{ portalId: 'p', accessToken: sim.accessToken, basePath: sim.url }],
      previousState: () => 'clear',
      onObservation: (o) => void seen.push(o),
      check: {
        requestSpacingMs: 0,
        retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxRetryAfterMs: 30_000 },
      },
    });
    // HubSpot is down: every search answers 503. The connector cannot sync meanwhile either.
    sim.injectFault({ status: 503, times: 3 });
    const [down] = await scheduler.runNow('p');
    expect(down).toMatchObject({ verdict: 'inconclusive', transition: null, hubspotFailed: true });
    // HubSpot is back; nothing synced for hours (the outage), so the records look stuck. That is
    // HubSpot's outage and the connector's backlog, not a suspension: no suspicion (and no alert
    // to every portal) until the catch-up time has passed.
    const [back] = await scheduler.runNow('p');
    expect(back).toMatchObject({ verdict: 'inconclusive', transition: null, state: 'clear' });
    expect(back!.warnings).toEqual([expect.stringMatching(/HubSpot failed .* catch up/)]);
    expect(back!.error).toBeUndefined();
  });

  it('a stall is called as usual once the catch-up time after the failure has passed', async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 1000 });
    scheduler = startDetectorScheduler({
      intervalMs: 600_000,
      random: () => 1, // the timed first check a whole interval out: never during the test
      listPortals: () => [{ portalId: 'p', accessToken: sim.accessToken, basePath: sim.url }],
      previousState: () => 'clear',
      onObservation: () => undefined,
      check: {
        requestSpacingMs: 0,
        retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxRetryAfterMs: 30_000 },
        thresholds: { outageCatchUpMs: 0 },
      },
    });
    sim.injectFault({ status: 503, times: 3 });
    await scheduler.runNow('p');
    const [back] = await scheduler.runNow('p');
    expect(back).toMatchObject({ verdict: 'stalled', transition: 'suspected' });
  });
});

describe('detector scheduler: a failure of HubSpot remembered across schedulers', () => {
  // A restart, or another instance taking the lead, starts a new scheduler: the failure the old
  // one saw must still hold the stall back for the catch-up time, not be forgotten with it.
  const start = (
    saved: Map<string, number>,
    seen: DetectorObservation[],
    thresholds: { outageCatchUpMs: number } = { outageCatchUpMs: 3_600_000 },
    now?: () => number,
  ) =>
    startDetectorScheduler({
      intervalMs: 600_000,
      random: () => 1, // the timed first check a whole interval out: never during the test
      listPortals: () => [{ portalId: 'p', accessToken: sim.accessToken, basePath: sim.url }],
      previousState: () => 'clear',
      onObservation: (o) => void seen.push(o),
      hubspotFailures: {
        load: (portalId) => saved.get(portalId) ?? null,
        save: (portalId, at) => void saved.set(portalId, at),
      },
      check: {
        requestSpacingMs: 0,
        retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxRetryAfterMs: 30_000 },
        thresholds,
        ...(now ? { now } : {}),
      },
    });

  it('saves the failure, and the next scheduler calls no stall within the catch-up time after it', async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 1000 });
    const saved = new Map<string, number>();
    const seen: DetectorObservation[] = [];
    scheduler = start(saved, seen);
    sim.injectFault({ status: 503, times: 3 });
    const [down] = await scheduler.runNow('p');
    expect(down).toMatchObject({ hubspotFailed: true });
    expect(saved.get('p')).toBe(Date.parse(down!.at));
    await scheduler.stop();

    scheduler = start(saved, seen);
    const [back] = await scheduler.runNow('p');
    expect(back).toMatchObject({ verdict: 'inconclusive', transition: null, state: 'clear' });
    expect(back!.warnings).toEqual([
      expect.stringContaining(`HubSpot failed a check at ${down!.at}`),
    ]);
  });

  it('a saved failure older than the catch-up time holds nothing back, nor does one dated ahead of the clock beyond it', async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 1000 });
    const seen: DetectorObservation[] = [];
    // Two hours ago, with an hour to catch up: past.
    scheduler = start(new Map([['p', Date.now() - 2 * 3_600_000]]), seen);
    const [late] = await scheduler.runNow('p');
    expect(late).toMatchObject({ verdict: 'stalled', transition: 'suspected' });
    await scheduler.stop();
    // Another instance's clock a day ahead: the window runs from now, not from a day on.
    const now = Date.now();
    let clock = now;
    scheduler = start(
      new Map([['p', now + 24 * 3_600_000]]),
      seen,
      { outageCatchUpMs: 60_000 },
      () => clock,
    );
    const [within] = await scheduler.runNow('p');
    expect(within).toMatchObject({ verdict: 'inconclusive', transition: null });
    clock = now + 61_000;
    const [after] = await scheduler.runNow('p');
    expect(after).toMatchObject({ verdict: 'stalled', transition: 'suspected' });
  });
  it('a saved failure dated more than a day ahead (a clock set years ahead) holds nothing back, at any restart', async () => {
    // Counted as now at every new scheduler, a time years ahead would hold every stall back for
    // the catch-up time after each restart or change of leader, for years: no clock a day ahead
    // can date a failure of HubSpot the detector can trust (its own checks would be a day off).
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 1000 });
    const seen: DetectorObservation[] = [];
    const saved = new Map([['p', Date.now() + 10 * 365 * 24 * 3_600_000]]);
    for (let restart = 0; restart < 2; restart++) {
      scheduler = start(saved, seen);
      const [first] = await scheduler.runNow('p');
      expect(first).toMatchObject({ verdict: 'stalled', transition: 'suspected' });
      await scheduler.stop();
    }
  });
});

describe('nextCheckDelay', () => {
  const base = { intervalMs: 900_000, jitter: 0.2, maxBackoffMs: 3_600_000, failures: 0 };
  it('jitters by ±20 %, doubles per failure up to the cap, and waits at least Retry-After', () => {
    expect(nextCheckDelay({ ...base, random: () => 0 })).toBe(720_000);
    expect(nextCheckDelay({ ...base, random: () => 1 })).toBe(1_080_000);
    expect(nextCheckDelay({ ...base, jitter: 0, failures: 1, random: () => 0.5 })).toBe(1_800_000);
    expect(nextCheckDelay({ ...base, jitter: 0, failures: 5, random: () => 0.5 })).toBe(3_600_000);
    expect(nextCheckDelay({ ...base, jitter: 0, retryAfterMs: 2_000_000, random: () => 0.5 })).toBe(
      2_000_000,
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
