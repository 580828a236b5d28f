import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { CHECK_TIMEOUT_MS, timeout } from './salesforceReachability.js';

/**
 * Instances sharing a PostgreSQL database judge each other's outbox leases by their own clocks:
 * a lease one instance sets ends, for another, when that one's clock passes it. A run renews its
 * lease when it is a third old and a send may take half of it, so a sixth of the lease
 * (RELAY_OUTBOX_LEASE_MS) is all the disagreement the instances' clocks may have before a change
 * is taken over, and sent twice, mid-send. Nothing else would tell: this plugin compares the
 * instance's clock with the database's (every instance compares with the same one), exposes the
 * offset as relay_clock_offset_seconds and logs a warning past half that margin.
 */

interface ClockOffset {
  /** This instance's clock minus the database's (positive: this one is ahead). */
  offsetMs: number;
  /** Half the round trip of the read it was taken from: the true offset is within this of it. */
  uncertaintyMs: number;
}

/** How often the offset is checked (and warned of) besides each scrape. */
const CHECK_EVERY_MS = 5 * 60_000;
const SAMPLES = 3;

/**
 * Reads the database's clock a few times and keeps the read with the shortest round trip, taking
 * the database's time as read halfway through it (as NTP does).
 */
export async function measureClockOffset(
  databaseTime: () => Promise<number>,
  now: () => number = Date.now,
): Promise<ClockOffset> {
  let best: ClockOffset | null = null;
  for (let i = 0; i < SAMPLES; i++) {
    const sent = now();
    const database = await databaseTime();
    const received = now();
    if (!Number.isFinite(database)) throw new Error("the database's clock read was not a number");
    const sample = {
      offsetMs: (sent + received) / 2 - database,
      uncertaintyMs: (received - sent) / 2,
    };
    if (!best || sample.uncertaintyMs < best.uncertaintyMs) best = sample;
  }
  return best!;
}

/** Half the margin a sixth of the lease leaves: past it, a slower send or more drift can cost a duplicate. */
export function clockWarnThresholdMs(leaseMs: number): number {
  return leaseMs / 12;
}

/** Logs a warning when the offset is surely past the threshold; answers whether it did. */
export function warnOfClockOffset(
  measured: ClockOffset,
  leaseMs: number,
  log: Pick<FastifyBaseLogger, 'warn'>,
): boolean {
  const thresholdMs = clockWarnThresholdMs(leaseMs);
  if (Math.abs(measured.offsetMs) - measured.uncertaintyMs <= thresholdMs) return false;
  const seconds = (Math.abs(measured.offsetMs) / 1000).toFixed(1);
  log.warn(
    {
      offsetMs: Math.round(measured.offsetMs),
      uncertaintyMs: Math.round(measured.uncertaintyMs),
      thresholdMs,
    },
    `this instance's clock is ${seconds} s ${measured.offsetMs > 0 ? 'ahead of' : 'behind'} the database's: ` +
      `instances judge each other's outbox leases by their clocks, which must agree within ${(thresholdMs / 1000).toFixed(1)} s ` +
      '(a twelfth of RELAY_OUTBOX_LEASE_MS), or a change can be delivered twice; synchronise the clocks (NTP)',
  );
  return true;
}

export default fp(
  async (app) => {
    const databaseTime = app.store.databaseTime?.bind(app.store);
    if (!databaseTime) return; // SQLite: one process, one clock.
    const { leaseMs } = app.config.outbox;
    const log = app.log.child({ component: 'clock' });
    const measure = () => timeout(measureClockOffset(databaseTime), CHECK_TIMEOUT_MS);

    new Gauge({
      name: 'relay_clock_offset_seconds',
      help: "This instance's clock minus the database's (PostgreSQL), read at the scrape: instances judge each other's outbox leases by their clocks",
      registers: [app.metrics.registry],
      async collect() {
        try {
          this.set((await measure()).offsetMs / 1000);
        } catch {
          // The database did not answer: relay_database_up says so; no value rather than a stale one.
          this.reset();
        }
      },
    });

    let timer: NodeJS.Timeout | null = null;
    const check = async () => {
      try {
        warnOfClockOffset(await measure(), leaseMs, log);
      } catch {
        // Unreachable database: /health and relay_database_up report it.
      }
    };
    app.addHook('onReady', async () => {
      void check();
      timer = setInterval(() => void check(), CHECK_EVERY_MS);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer);
    });
  },
  { name: 'relay-clock-check', dependencies: ['relay-store', 'relay-metrics'] },
);
