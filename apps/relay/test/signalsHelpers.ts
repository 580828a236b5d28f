import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { RelayConfig } from '../src/config.js';
import { signalsConfigFromEnv, type SignalsConfig } from '../src/signalsConfig.js';
import type { Dovecot } from '../../../packages/hubspot-signals/test/helpers/dovecot.js';
import { RecordingPublisher, tempDir, testConfig } from './helpers.js';

type SignalsPatch = {
  leader?: SignalsConfig['leader'];
  detector?: Partial<SignalsConfig['detector']>;
  mailbox?: Partial<SignalsConfig['mailbox']>;
  alerts?: Partial<SignalsConfig['alerts']>;
  accessWatch?: Partial<SignalsConfig['accessWatch']>;
};

/**
 * The signals configuration of an empty environment (everything but alerts off; the access watch
 * off too, so no test's org is read unless it asks), patched.
 */
export function signalsConfig(patch: SignalsPatch = {}): SignalsConfig {
  const base = signalsConfigFromEnv({});
  return {
    leader: patch.leader ?? base.leader,
    detector: { ...base.detector, ...patch.detector },
    mailbox: { ...base.mailbox, ...patch.mailbox },
    alerts: { ...base.alerts, ...patch.alerts },
    accessWatch: { ...base.accessWatch, enabled: false, ...patch.accessWatch },
  };
}

/**
 * Signals with the mailbox reader on (plain text to the loopback Dovecot allowed, quick reconnects)
 * and alerts off; `shared` is the shared mailbox, null for portals' own mailboxes only.
 */
export const mailboxSignals = (
  shared: SignalsConfig['mailbox']['shared'] = null,
  pollIntervalMs = 1000,
): SignalsConfig =>
  signalsConfig({
    alerts: { enabled: false },
    mailbox: {
      enabled: true,
      allowPlainOnLoopback: true,
      pollIntervalMs,
      reconnect: { minDelayMs: 100, maxDelayMs: 500 },
      shared,
    },
  });

/**
 * `folder` on the test Dovecot, logged in as its user with the password: the shared mailbox of
 * `mailboxSignals`, or the body of `PUT /v1/admin/portals/:portalId/mailbox`.
 */
export const passwordMailbox = (dovecot: Dovecot, folder: string) => ({
  host: dovecot.host,
  port: dovecot.port,
  tls: 'none' as const,
  user: dovecot.user,
  password: dovecot.pass,
  mailbox: folder,
});

export interface SignalsRelay {
  app: FastifyInstance;
  publisher: RecordingPublisher;
  dataDir: string;
  /** Closes the relay; the data directory stays (a restart opens it again). */
  close(): Promise<void>;
}

/**
 * A relay on a data directory and secret key that outlive it, so a test can restart it on the
 * same store (the mailbox checkpoint, the sealed secrets).
 */
export async function startSignalsRelay(options: {
  dataDir?: string;
  secretKey?: Buffer;
  signals: SignalsConfig;
  overrides?: Partial<RelayConfig>;
}): Promise<SignalsRelay> {
  const dataDir = options.dataDir ?? tempDir().path;
  const publisher = new RecordingPublisher();
  const app = await buildApp(
    testConfig(dataDir, {
      publisher,
      secretKey: options.secretKey ?? randomBytes(32),
      signals: options.signals,
      ...options.overrides,
    }),
  );
  await app.ready();
  return { app, publisher, dataDir, close: () => app.close() };
}

/**
 * Runs `run` on a relay (a temporary data directory, a fresh secret key) whose access watch is on,
 * an hour between rounds so only the test's own checks run; then closes it and removes the directory.
 */
export async function withAccessWatchRelay(
  run: (app: FastifyInstance) => Promise<void>,
): Promise<void> {
  const dir = tempDir();
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp(
      testConfig(dir.path, {
        secretKey: randomBytes(32),
        signals: signalsConfig({ accessWatch: { enabled: true, intervalMs: 3_600_000 } }),
      }),
    );
    await app.ready();
    await run(app);
  } finally {
    await app?.close();
    dir.remove();
  }
}

/**
 * The stalled-sync detector's settings for a test: on (at `baseUrl`) or off, with an hour between
 * rounds so only the checks the test asks for run, no spacing between requests and no retries.
 */
export function detectorOnly(detector: { enabled: boolean; baseUrl?: string }): SignalsConfig {
  return signalsConfig({
    detector: {
      ...detector,
      intervalMs: 3_600_000,
      requestSpacingMs: 0,
      retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxRetryAfterMs: 30_000 },
    },
    alerts: { enabled: false },
  });
}

/**
 * Relay instances sharing one store (PostgreSQL: pass `databaseUrl` and `databaseSchema` in
 * `shared`; with neither, each its own SQLite directory), each with its own data directory and the
 * same secret key, as instances behind a balancer are. `closeAll` closes what is still open and
 * removes the directories.
 */
export function detectorInstances(shared: () => Partial<RelayConfig> = () => ({})) {
  const secretKey = randomBytes(32);
  const dirs: ReturnType<typeof tempDir>[] = [];
  const open: FastifyInstance[] = [];
  return {
    /** A relay named `instanceId`, its detector on (at `baseUrl`) or off. */
    async start(
      instanceId: string,
      detector: { enabled: boolean; baseUrl?: string },
      dataDir?: string,
    ): Promise<FastifyInstance> {
      let path = dataDir;
      if (path === undefined) {
        const dir = tempDir();
        dirs.push(dir);
        path = dir.path;
      }
      const app = await buildApp(
        testConfig(path, {
          secretKey,
          ...shared(),
          instanceId,
          signals: detectorOnly(detector),
        }),
      );
      await app.ready();
      open.push(app);
      return app;
    },
    async stop(app: FastifyInstance): Promise<void> {
      open.splice(open.indexOf(app), 1);
      await app.close();
    },
    async closeAll(): Promise<void> {
      for (const app of open.splice(0)) await app.close();
      for (const dir of dirs.splice(0)) dir.remove();
    },
  };
}
