import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { RelayConfig } from '../src/config.js';
import { signalsConfigFromEnv, type SignalsConfig } from '../src/signalsConfig.js';
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
