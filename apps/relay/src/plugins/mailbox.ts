import {
  createMailboxReader,
  mailboxCheckpointKey,
  RejectedMessageError,
  type MailboxReader,
  type MailboxReaderOptions,
  type PassResult,
} from '@sync-doctor/hubspot-signals';
import fp from 'fastify-plugin';
import { decryptSecret } from '../crypto/secrets.js';
import { HttpError } from '../errors.js';
import { ingestInboundEmail } from '../inputs/inboundEmail.js';
import { leadWhileRunning } from '../leadership.js';
import type { MailboxSettings } from '../signalsConfig.js';
import { hubspotStoreOf } from '../store/hubspotStore.js';

/** The checkpoint key a reader of these settings uses (packages/hubspot-signals). */
export const checkpointKeyOf = (
  settings: Pick<MailboxSettings, 'host' | 'port' | 'tls' | 'user' | 'mailbox'>,
): string =>
  mailboxCheckpointKey({
    auth: { user: settings.user },
    host: settings.host,
    ...(settings.port !== undefined ? { port: settings.port } : {}),
    tls: settings.tls,
    mailbox: settings.mailbox,
  });

interface MailboxesService {
  /** Restarts the reader of one portal (after the admin API changed its mailbox); no-op when this instance does not read mailboxes. */
  reload(portalId: string): Promise<void>;
  /** One pass over a mailbox now ('shared' or a portal id); null when no such reader runs here. */
  processNow(key: string): Promise<PassResult | null>;
  readonly keys: string[];
  /** Whether the reader of 'shared' or a portal id has a usable IMAP session now; null when no such reader runs here. */
  connected(key: string): boolean | null;
  /** Why the reader's last connection attempt failed (a refused address, a refused login); null when connected or no such reader runs here. */
  lastError(key: string): string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    mailboxes?: MailboxesService;
  }
}

interface RunningReader {
  reader: MailboxReader;
  timer: NodeJS.Timeout | null;
  /** Set the moment it is stopped: from then on it hands nothing more and saves no checkpoint. */
  stopped: boolean;
  /** A portal's reader: the settings as stored (sealed) and when its portal was created. */
  portal: { settingsSealed: string; createdAt: string } | null;
}

/** What a reader knows of itself while it reads: whether it was stopped, and a portal's stored settings. */
interface ReaderGuard {
  stopped: boolean;
  portal: { portalId: string; settingsSealed: string; createdAt: string } | null;
}

/**
 * Thrown to a reader whose mailbox is no longer stored as it read it (removed, changed, or its
 * portal deleted, here or on another instance), or that was stopped: the pass ends there, the
 * message stays as it is (no mark), and no checkpoint is saved.
 */
class ReaderGoneError extends Error {}

/** How often a leading instance reads the stored mailboxes again (at most; see refresh). */
const REFRESH_MS = 60_000;

/**
 * Reads HubSpot's notification e-mails from IMAP mailboxes (packages/hubspot-signals): one shared
 * mailbox from the environment (the portal is read from each message) and/or one per portal from
 * the store. Every message goes through ingestInboundEmail, the code of POST /v1/inbound/email;
 * the reader flags it only after that resolved (durable write), and a message the relay refuses
 * for good (a 4xx) is marked rejected and left for a person. Runs on one instance only, which
 * reads the stored mailboxes again every minute (at most every poll interval): a mailbox set,
 * changed or removed on another instance, or a portal deleted and maybe created again there whose
 * deletion this one did not hear (LISTEN down), is read as stored without a restart.
 */
export default fp(
  async (app) => {
    const { config } = app;
    const settings = config.signals.mailbox;
    const store = hubspotStoreOf(app.store);
    const log = app.log.child({ component: 'mailbox' });
    const readers = new Map<string, RunningReader>();
    /** Portal settings a reader refused (invalid): not tried, nor logged, again until changed. */
    const refused = new Map<string, string>();
    let leading = false;
    let refresher: NodeJS.Timeout | null = null;
    // Reloads and refreshes one at a time: two never start a reader for the same portal.
    let queue: Promise<unknown> = Promise.resolve();
    const serial = <T>(work: () => Promise<T>): Promise<T> => {
      const next = queue.then(work, work);
      queue = next.catch(() => undefined);
      return next;
    };

    const refreshSoon = () =>
      void serial(refresh).catch((error: unknown) =>
        log.warn({ err: error }, 'could not read the stored mailboxes'),
      );

    /**
     * Ends the pass of a reader that was stopped, or whose portal mailbox is no longer stored as it
     * read it (a DELETE or PUT of the mailbox, or of its portal, on another instance, heard here at
     * the next refresh at the latest); such a reader is stopped at the next refresh, queued now.
     */
    const assertCurrent = async (guard: ReaderGuard): Promise<void> => {
      if (guard.stopped) throw new ReaderGoneError('this mailbox reader was stopped');
      if (guard.portal && !(await store.isMailboxStored(guard.portal))) {
        refreshSoon();
        throw new ReaderGoneError(
          `portal ${guard.portal.portalId}'s mailbox was removed or changed: this reader is no longer its reader`,
        );
      }
    };

    /**
     * A reader's checkpoints: a stopped reader saves none, and a portal's reader saves one only
     * while its mailbox is stored as it read it (checked in the same statement), so a mailbox
     * removed with its portal, on this instance or another, does not get its checkpoint back.
     */
    const checkpointStoreFor = (guard: ReaderGuard): MailboxReaderOptions['checkpointStore'] => ({
      load: (key: string) => store.loadMailboxCheckpoint(key),
      save: async (key: string, checkpoint: { uidValidity: string; lastUid: number }) => {
        if (guard.stopped) throw new ReaderGoneError('this mailbox reader was stopped');
        if (!guard.portal) return store.saveMailboxCheckpoint(key, checkpoint);
        if (!(await store.saveMailboxCheckpointWhileStored(key, checkpoint, guard.portal))) {
          refreshSoon();
          throw new ReaderGoneError(
            `portal ${guard.portal.portalId}'s mailbox was removed or changed: its checkpoint is not saved`,
          );
        }
      },
    });
    const readerLog = {
      info: (message: string) => log.info(message),
      warn: (message: string) => log.warn(message),
      error: (message: string) => log.error(message),
    };

    const onMessageFor =
      (guard: ReaderGuard): MailboxReaderOptions['onMessage'] =>
      async (message) => {
        // A portal's mailbox removed (or its portal deleted) since this reader started, maybe on
        // another instance: not its message to hand, nor to mark.
        await assertCurrent(guard);
        const portalId = guard.portal?.portalId ?? null;
        const createdAt = guard.portal?.createdAt ?? null;
        const portal = portalId === null ? null : await app.store.getPortal(portalId);
        if (portalId !== null && !portal) {
          await assertCurrent(guard);
          throw new RejectedMessageError(`portal ${portalId} is not configured on this relay`);
        }
        // Deleted and created again under the same id since this reader started (not heard
        // here): this is the deleted portal's mailbox, never the new portal's signal. The message
        // stays as it is, and the next refresh reads the mailbox the new portal has, if any.
        if (portal && createdAt !== null && portal.createdAt !== createdAt) {
          refreshSoon();
          throw new Error(
            `portal ${portalId} was deleted and created again: this reader is the deleted portal's`,
          );
        }
        try {
          await ingestInboundEmail(app, message.source, portal);
        } catch (error) {
          // A 4xx will be a 4xx on every retry: mark the message and go on (unless the reader's
          // mailbox went meanwhile, e.g. with its portal). Anything else (the store is down)
          // stops the pass; the message is handed again at the next poll.
          if (error instanceof HttpError && error.statusCode < 500) {
            await assertCurrent(guard);
            throw new RejectedMessageError(`${error.code}: ${error.message}`);
          }
          throw error;
        }
      };

    // A portal's mailbox is an admin's say-so: its host is resolved at every (re)connect with the
    // relay's outbound rule (RELAY_ALLOW_PRIVATE_TARGETS), and IMAP connects to the checked address,
    // so a name that resolves to loopback or 169.254.169.254 now never gets the login. The shared
    // mailbox (RELAY_IMAP_*) is the SRE's own configuration, like the database: no address rule.
    const outboundFor = (portalId: string | null) => ({
      allowPrivateNetworks: portalId === null || config.allowPrivateTargets,
    });

    const optionsFor = (
      key: string,
      mailbox: MailboxSettings,
      guard: ReaderGuard,
    ): MailboxReaderOptions => ({
      host: mailbox.host,
      outbound: outboundFor(guard.portal?.portalId ?? null),
      ...(mailbox.port !== undefined ? { port: mailbox.port } : {}),
      tls: mailbox.tls,
      allowPlainOnLoopback: settings.allowPlainOnLoopback,
      // OAuth: a token from the token endpoint before every (re)connect, checked with the same
      // outbound rule as the IMAP host (a portal's token URL is an admin's say-so too).
      auth: mailbox.oauth
        ? { user: mailbox.user, oauth: mailbox.oauth }
        : { user: mailbox.user, pass: mailbox.password ?? '' },
      mailbox: mailbox.mailbox,
      ...(mailbox.moveTo ? { moveTo: mailbox.moveTo } : {}),
      pollIntervalMs: settings.pollIntervalMs,
      ...(settings.reconnect ? { reconnect: settings.reconnect } : {}),
      checkpointStore: checkpointStoreFor(guard),
      onMessage: onMessageFor(guard),
      logger: { ...readerLog, info: (m: string) => log.debug({ mailbox: key }, m) },
    });

    const stopReader = async (key: string) => {
      const running = readers.get(key);
      if (!running) return;
      readers.delete(key);
      running.stopped = true;
      if (running.timer) clearTimeout(running.timer);
      await running.reader
        .stop()
        .catch((error: unknown) =>
          log.warn({ mailbox: key, err: error }, 'mailbox reader did not stop cleanly'),
        );
    };

    const launch = (
      key: string,
      mailbox: MailboxSettings,
      portal: (RunningReader['portal'] & { portalId: string }) | null = null,
    ) => {
      // The reader's guard is the running record itself: stopReader sets `stopped` on it.
      const guard: ReaderGuard = { stopped: false, portal };
      let reader: MailboxReader;
      try {
        reader = createMailboxReader(optionsFor(key, mailbox, guard));
      } catch (error) {
        if (portal) refused.set(key, portal.settingsSealed);
        log.error(
          { mailbox: key, err: { message: (error as Error).message } },
          'mailbox settings are invalid; not reading it',
        );
        return;
      }
      refused.delete(key);
      const running: RunningReader = Object.assign(guard, { reader, timer: null, portal });
      readers.set(key, running);
      let delay = 1000;
      // The reader reconnects dropped sessions itself; a first connection that fails is retried here.
      const attempt = async () => {
        running.timer = null;
        if (running.stopped) return;
        try {
          await reader.start();
          log.info({ mailbox: key, mode: reader.mode }, 'reading the notification mailbox');
        } catch (error) {
          log.warn(
            { mailbox: key, err: { message: (error as Error).message } },
            'could not open the notification mailbox; retrying',
          );
          if (running.stopped) return;
          running.timer = setTimeout(() => void attempt(), delay);
          running.timer.unref();
          delay = Math.min(60_000, delay * 2);
        }
      };
      void attempt();
    };

    /** Reads a portal's stored mailbox (created: when its portal was), unless running or refused. */
    const launchPortal = (row: { portalId: string; settingsSealed: string }, createdAt: string) => {
      // Checked after the reads: a reader is never started once the lead is given up.
      if (!leading || readers.has(row.portalId) || refused.get(row.portalId) === row.settingsSealed)
        return;
      launch(
        row.portalId,
        JSON.parse(decryptSecret(config.secretKey, row.settingsSealed)) as MailboxSettings,
        { portalId: row.portalId, settingsSealed: row.settingsSealed, createdAt },
      );
    };

    const startPortal = async (portalId: string) => {
      const row = (await store.listMailboxes()).find((m) => m.portalId === portalId);
      const portal = row ? await app.store.getPortal(portalId) : null;
      if (row && portal) launchPortal(row, portal.createdAt);
    };

    /**
     * Reads what is stored and makes the readers match: a portal reader whose mailbox was removed
     * or changed, or whose portal is gone or was created again under its id, stops (changes made
     * on another instance, a deletion this one did not hear); a stored mailbox without a reader
     * gets one.
     */
    const refresh = async () => {
      if (!leading) return;
      const rows = await store.listMailboxes();
      const createdAts = new Map((await app.store.listPortals()).map((p) => [p.id, p.createdAt]));
      const stored = new Map(rows.map((row) => [row.portalId, row.settingsSealed]));
      for (const [key, running] of [...readers]) {
        if (!running.portal) continue;
        if (
          stored.get(key) !== running.portal.settingsSealed ||
          createdAts.get(key) !== running.portal.createdAt
        )
          await stopReader(key);
      }
      for (const row of rows) {
        const createdAt = createdAts.get(row.portalId);
        if (createdAt !== undefined) launchPortal(row, createdAt);
      }
    };

    const startAll = async () => {
      leading = true;
      if (settings.shared) launch('shared', settings.shared);
      const refreshNow = () =>
        serial(refresh).catch((error: unknown) =>
          log.warn({ err: error }, 'could not read the stored mailboxes'),
        );
      refresher = setInterval(
        () => void refreshNow(),
        Math.min(REFRESH_MS, settings.pollIntervalMs),
      );
      refresher.unref();
      await refreshNow();
    };
    const stopAll = async () => {
      leading = false;
      if (refresher) clearInterval(refresher);
      refresher = null;
      refused.clear();
      await Promise.all([...readers.keys()].map(stopReader));
    };

    // A deleted portal's mailbox settings went with it: stop reading its mailbox.
    app.portals.onDeleted((portalId) => void stopReader(portalId));

    app.decorate('mailboxes', {
      async reload(portalId: string) {
        if (!leading) return;
        await serial(async () => {
          await stopReader(portalId);
          await startPortal(portalId);
        });
      },
      async processNow(key: string) {
        const running = readers.get(key);
        return running ? running.reader.processNow() : null;
      },
      get keys() {
        return [...readers.keys()];
      },
      connected(key: string) {
        const running = readers.get(key);
        return running ? running.reader.connected : null;
      },
      lastError(key: string) {
        return readers.get(key)?.reader.lastError ?? null;
      },
    } satisfies MailboxesService);

    // Before the store closes: a message being handed finishes its durable write first.
    leadWhileRunning(app, 'mailbox', log, startAll, stopAll);
  },
  { name: 'relay-mailbox', dependencies: ['relay-store', 'relay-change-feed', 'relay-portals'] },
);
