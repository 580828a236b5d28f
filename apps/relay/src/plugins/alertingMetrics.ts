import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import type { UndeliveredState } from '../store/types.js';
import { CHECK_TIMEOUT_MS, countPortals, timeout } from './salesforceReachability.js';

const UNDELIVERED_STATES: readonly UndeliveredState[] = [
  'pending',
  'failed',
  'waitingForConnection',
];
const REACHABILITY_STATES = ['ok', 'unreachable', 'notConfigured', 'unknown'] as const;

/**
 * One call of `read` shared by every collect of a scrape: prom-client calls the metrics'
 * collect functions one after the other before awaiting any, so the gauges that derive from one
 * database read (age, database up, ready) take it from a single query.
 */
function sharedPerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    if (!pending) {
      const current = read();
      pending = current;
      const clear = () => {
        if (pending === current) pending = null;
      };
      current.then(clear, clear);
    }
    return pending;
  };
}

/**
 * The gauges an SRE alerts on (deploy/prometheus/relay-alerts.yml), read at scrape time from what
 * /health computes: the database answering and LISTEN connected, readiness, how long the oldest
 * undelivered change has waited, portals by Salesforce reachability, portals HubSpot suspended,
 * and the HubSpot-side signals that fail. Each family costs at most one database read per
 * scrape, bounded by a 3 s timeout as /health's checks are, and label values come from fixed sets
 * or the configured portals' ids. A read that fails leaves its family without values (and the
 * scrape answering), except relay_database_up, which then says 0.
 */
export default fp(
  async (app) => {
    const registers = [app.metrics.registry];
    const store = app.store;

    // Whether the last read worked is relay_database_up; the read itself is the oldest-age query,
    // so knowing the database answers costs no query of its own.
    const oldestUndelivered = sharedPerScrape(async () => {
      try {
        return {
          oldest: await timeout(store.oldestUndelivered(), CHECK_TIMEOUT_MS),
          at: Date.now(),
        };
      } catch {
        return null;
      }
    });

    // PostgreSQL only: the LISTEN connection live streams hear other instances through. The store
    // says when it is lost and when it listens again.
    let listenLost = false;
    if (store.onListenGap) {
      store.onListenGap((state) => {
        listenLost = state === 'lost';
      });
      new Gauge({
        name: 'relay_database_listen_up',
        help: "1 while this instance's PostgreSQL LISTEN connection is up (live streams hear other instances), 0 while it is lost",
        registers,
        collect() {
          this.set(listenLost ? 0 : 1);
        },
      });
    }

    new Gauge({
      name: 'relay_database_up',
      help: '1 when the database answered this scrape (within 3 s), 0 when it did not',
      registers,
      async collect() {
        this.set((await oldestUndelivered()) ? 1 : 0);
      },
    });

    new Gauge({
      name: 'relay_ready',
      help: '1 when this instance is ready, as GET /health answers 200: the database answers, LISTEN is up and no load is shed',
      registers,
      async collect() {
        // LISTEN as relay_database_listen_up says it in the same scrape (read before the await).
        const listening = !listenLost;
        const databaseUp = (await oldestUndelivered()) !== null;
        this.set(databaseUp && listening && !app.isUnderPressure() ? 1 : 0);
      },
    });

    new Gauge({
      name: 'relay_oldest_undelivered_change_age_seconds',
      help: "Age of the oldest change not yet delivered into Salesforce, by outbox state (0: none): how stale Salesforce's view is",
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        const read = await oldestUndelivered();
        if (!read) return;
        for (const state of UNDELIVERED_STATES) {
          const queuedAt = read.oldest[state];
          this.set(
            { state },
            queuedAt === undefined ? 0 : Math.max(0, (read.at - queuedAt) / 1000),
          );
        }
      },
    });

    new Gauge({
      name: 'relay_portals',
      help: "Portals by their Salesforce org's reachability, as GET /health counts them (pinged at most every 30 s)",
      labelNames: ['salesforce'],
      registers,
      async collect() {
        this.reset();
        let counts;
        try {
          counts = countPortals(await timeout(app.salesforceReachability(), 2 * CHECK_TIMEOUT_MS));
        } catch {
          return;
        }
        for (const salesforce of REACHABILITY_STATES) this.set({ salesforce }, counts[salesforce]);
      },
    });

    // One series per configured portal (not a count): each suspension is an alert of its own that
    // names the portal and resolves on its own, and a second portal suspended while the first
    // still is alerts again. Bounded by the portals an admin configured; a deleted portal's
    // series goes at the next scrape.
    new Gauge({
      name: 'relay_portal_suspended',
      help: 'Per configured portal: 1 while HubSpot has the Salesforce integration suspended (confirmed, not a suspicion), else 0',
      labelNames: ['portal'],
      registers,
      async collect() {
        this.reset();
        let states;
        try {
          states = await timeout(store.portalStates(), CHECK_TIMEOUT_MS);
        } catch {
          return;
        }
        for (const [portal, state] of Object.entries(states))
          this.set({ portal }, state === 'suspended' ? 1 : 0);
      },
    });

    // HubSpot-side signals, as /health's `signals` counts them: 0 where the detector or the access
    // watch is not configured; otherwise stored, the same on every instance.
    new Gauge({
      name: 'relay_hubspot_checks_failing',
      help: 'Portals whose stalled-sync check could not conclude at its last run (a refused HubSpot token, HubSpot down)',
      registers,
      // From the store: every instance answers the same, whichever runs the detector.
      async collect() {
        const detector = app.hubspotDetector;
        if (!detector) return this.set(0);
        try {
          this.set((await timeout(detector.failing(), CHECK_TIMEOUT_MS)).size);
        } catch {
          // The store does not answer: the last value stays (relay_database_up says why).
        }
      },
    });
    // The access watch's checks that cannot conclude (the relay's user lacks View Setup, a revoked
    // key, an unreachable org): while they fail, a lost permission would go unheard. 0 where the
    // watch is off.
    new Gauge({
      name: 'relay_access_checks_failing',
      help: "Portals whose access watch check could not conclude at its last run (the relay's user may not read permissions, the org unreachable)",
      registers,
      // From the store: every instance answers the same, whichever runs the watch.
      async collect() {
        const watch = app.accessWatch;
        if (!watch) return this.set(0);
        try {
          this.set((await timeout(watch.failing(), CHECK_TIMEOUT_MS)).size);
        } catch {
          // The store does not answer: the last value stays (relay_database_up says why).
        }
      },
    });
    // The access checks that concluded without reading every section (ACCESS_SECTION_UNREAD): no
    // error there means nothing was checked. Expected with the README's relay user, so no alert
    // reads them. Both families from one read of the store per scrape, as relay_access_checks_failing
    // (the same on every instance); none where the watch is off.
    const readUnread = sharedPerScrape(async () => {
      const watch = app.accessWatch;
      return watch ? timeout(watch.unread(), CHECK_TIMEOUT_MS) : new Map<string, string[]>();
    });
    new Gauge({
      name: 'relay_access_checks_partial',
      help: 'Portals whose last concluded access check left sections unread (see relay_access_sections_unread): its findings do not cover them',
      registers,
      async collect() {
        try {
          this.set((await readUnread()).size);
        } catch {
          // The store does not answer: the last value stays (relay_database_up says why).
        }
      },
    });
    new Gauge({
      name: 'relay_access_sections_unread',
      help: "Per section (UserLogin.IsFrozen, LoginHistory, ConnectedApplication): portals whose last concluded access check could not read it, so did not judge it (the relay's user lacks Manage Users, Monitor Login History or Customize Application)",
      labelNames: ['section'],
      registers,
      async collect() {
        let unread;
        try {
          unread = await readUnread();
        } catch {
          return;
        }
        const counts = new Map<string, number>();
        for (const sections of unread.values())
          for (const section of new Set(sections))
            counts.set(section, (counts.get(section) ?? 0) + 1);
        this.reset();
        for (const [section, count] of counts) this.set({ section }, count);
      },
    });
    new Gauge({
      name: 'relay_mailboxes_disconnected',
      help: 'Notification mailboxes read by this instance that have no IMAP session',
      registers,
      collect() {
        const mailboxes = app.mailboxes;
        this.set(
          mailboxes ? mailboxes.keys.filter((key) => mailboxes.connected(key) === false).length : 0,
        );
      },
    });
  },
  {
    name: 'relay-alerting-metrics',
    dependencies: [
      'relay-metrics',
      'relay-store',
      'relay-load-shedding',
      'relay-salesforce-reachability',
    ],
  },
);
