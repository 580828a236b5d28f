#!/usr/bin/env node
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, ENVIRONMENT_HELP, loadConfig } from './config.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(ENVIRONMENT_HELP);
    return;
  }
  const unknown = args.filter((arg) => arg !== '--help' && arg !== '-h');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument(s): ${unknown.join(' ')}\nconfiguration comes from the environment; see --help\n`);
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
  app.log.info({ address, store: app.store.kind, instance: config.instanceId }, 'sync-doctor-relay listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`sync-doctor-relay failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
