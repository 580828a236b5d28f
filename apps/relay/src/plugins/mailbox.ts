import {
  createMailboxReader,
  mailboxCheckpointKey,
  RejectedMessageError,
  type MailboxReader,
  type MailboxReaderOptions,
  type MailboxTls,
  type PassResult,
} from '@sync-doctor/hubspot-signals';
import fp from 'fastify-plugin';
import { decryptSecret } from '../crypto/secrets.js';
import { HttpError } from '../errors.js';
import { ingestInboundEmail } from '../inputs/inboundEmail.js';
import { leadWhileRunning } from '../signals/leader.js';
import { signalsStoreOf } from '../store/signalsStore.js';

/** A portal's notification mailbox, as stored (sealed) by the admin API. */
export interface MailboxSettings {
  host: string;
  port?: number;
  tls: MailboxTls;
  user: string;
  password: string;
  mailbox: string;
  moveTo?: string;
}

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

export interface MailboxesService {
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
  stopped: boolean;
}

/**
 * Reads HubSpot's notification e-mails from IMAP mailboxes (packages/hubspot-signals): one shared
 * mailbox from the environment (the portal is read from each message) and/or one per portal from
 * the store. Every message goes through ingestInboundEmail, the code of POST /v1/inbound/email;
 * the reader flags it only after that resolved (durable write), and a message the relay refuses
 * for good (a 4xx) is marked rejected and left for a person. Runs on one instance only.
 */
export default fp(
  async (app) => {
    const { config } = app;
    const settings = config.signals.mailbox;
    const store = signalsStoreOf(app.store);
    const log = app.log.child({ component: 'mailbox' });
    const readers = new Map<string, RunningReader>();
    let leading = false;

    const checkpointStore = {
      load: (key: string) => store.loadMailboxCheckpoint(key),
      save: (key: string, checkpoint: { uidValidity: string; lastUid: number }) =>
        store.saveMailboxCheckpoint(key, checkpoint),
    };
    const readerLog = {
      info: (message: string) => log.info(message),
      warn: (message: string) => log.warn(message),
      error: (message: string) => log.error(message),
    };

    const onMessageFor =
      (portalId: string | null): MailboxReaderOptions['onMessage'] =>
      async (message) => {
        const portal = portalId === null ? null : await app.store.getPortal(portalId);
        if (portalId !== null && !portal)
          throw new RejectedMessageError(`portal ${portalId} is not configured on this relay`);
        try {
          await ingestInboundEmail(app, message.source, portal);
        } catch (error) {
          // A 4xx will be a 4xx on every retry: mark the message and go on. Anything else (the
          // store is down) stops the pass; the message is handed again at the next poll.
          if (error instanceof HttpError && error.statusCode < 500)
            throw new RejectedMessageError(`${error.code}: ${error.message}`);
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
      portalId: string | null,
    ): MailboxReaderOptions => ({
      host: mailbox.host,
      outbound: outboundFor(portalId),
      ...(mailbox.port !== undefined ? { port: mailbox.port } : {}),
      tls: mailbox.tls,
      allowPlainOnLoopback: settings.allowPlainOnLoopback,
      auth: { user: mailbox.user, pass: mailbox.password },
      mailbox: mailbox.mailbox,
      ...(mailbox.moveTo ? { moveTo: mailbox.moveTo } : {}),
      pollIntervalMs: settings.pollIntervalMs,
      ...(settings.reconnect ? { reconnect: settings.reconnect } : {}),
      checkpointStore,
      onMessage: onMessageFor(portalId),
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

    const launch = (key: string, options: MailboxReaderOptions) => {
      let reader: MailboxReader;
      try {
        reader = createMailboxReader(options);
      } catch (error) {
        log.error(
          { mailbox: key, err: { message: (error as Error).message } },
          'mailbox settings are invalid; not reading it',
        );
        return;
      }
      const running: RunningReader = { reader, timer: null, stopped: false };
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

    const startPortal = async (portalId: string) => {
      const row = (await store.listMailboxes()).find((m) => m.portalId === portalId);
      if (row)
        launch(
          portalId,
          optionsFor(
            portalId,
            JSON.parse(decryptSecret(config.secretKey, row.settingsSealed)) as MailboxSettings,
            portalId,
          ),
        );
    };

    const startAll = async () => {
      leading = true;
      if (settings.shared) launch('shared', optionsFor('shared', settings.shared, null));
      for (const row of await store.listMailboxes()) {
        launch(
          row.portalId,
          optionsFor(
            row.portalId,
            JSON.parse(decryptSecret(config.secretKey, row.settingsSealed)) as MailboxSettings,
            row.portalId,
          ),
        );
      }
    };
    const stopAll = async () => {
      leading = false;
      await Promise.all([...readers.keys()].map(stopReader));
    };

    // A deleted portal's mailbox settings went with it: stop reading its mailbox.
    app.portals.onDeleted((portalId) => void stopReader(portalId));

    app.decorate('mailboxes', {
      async reload(portalId: string) {
        if (!leading) return;
        await stopReader(portalId);
        await startPortal(portalId);
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
  { name: 'relay-mailbox', dependencies: ['relay-store', 'relay-signals', 'relay-portals'] },
);
