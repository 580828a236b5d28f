#!/usr/bin/env node
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, ENVIRONMENT_HELP, loadConfig } from './config.js';
import { DataDirInUseError } from './store/sqlite.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(ENVIRONMENT_HELP);
    return;
  }
  const unknown = args.filter((arg) => arg !== '--help' && arg !== '-h');
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown argument(s): ${unknown.join(' ')}\nconfiguration comes from the environment; see --help\n`,
    );
    process.exitCode = 2;
    return;
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`configuration error: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const app = await buildApp(config);
  // On SIGINT/SIGTERM: stop accepting connections, let in-flight requests finish, stop the outbox
  // after its current deliveries, close the store. A second signal or 10 s forces the exit.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error');
    else app.log.info({ signal }, 'closing');
    await app.close();
  });
  const address = await app.listen({ host: config.host, port: config.port });
  app.log.info(
    { address, store: app.store.kind, instance: config.instanceId },
    'sync-doctor-relay listening',
  );
}

/**
 * What an operator can act on (the data directory is taken, the port is in use, the database
 * refuses) is told in one line; anything else is a bug, and its stack helps whoever fixes it.
 */
function startFailure(error: unknown): string {
  const known =
    error instanceof DataDirInUseError || typeof (error as { code?: unknown })?.code === 'string';
  return known ? (error as Error).message : ((error as Error)?.stack ?? String(error));
}

main().catch((error: unknown) => {
  process.stderr.write(`sync-doctor-relay failed to start: ${startFailure(error)}\n`);
  process.exit(1);
});
