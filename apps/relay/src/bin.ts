#!/usr/bin/env node
import closeWithGrace from 'close-with-grace';
import { resolve } from 'node:path';
import { buildApp } from './app.js';
import { BackupError, backupDataDir } from './backup.js';
import { checkBackup } from './backupCheck.js';
import { backupCheckJson, describeBackupCheck } from './backupCheckReport.js';
import { ConfigError, ENVIRONMENT_HELP, loadConfig, storeSettingsFrom } from './config.js';
import {
  describeMigrationStatus,
  migrationStatusJson,
  readMigrationStatus,
} from './migrationStatus.js';
import { unsupportedNode } from './nodeVersion.js';
import { startExitCode } from './startErrors.js';
import { DataDirInUseError } from './store/sqlite.js';
import { RELAY_VERSION } from './version.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(ENVIRONMENT_HELP);
    return;
  }
  // Like --help, answered on any Node: "which version is this host's relay" needs nothing else.
  if (args.includes('--version') || args.includes('-v')) {
    process.stdout.write(`${RELAY_VERSION}\n`);
    return;
  }
  const oldNode = unsupportedNode();
  if (oldNode) {
    process.stderr.write(oldNode);
    process.exitCode = 2;
    return;
  }
  if (args[0] === 'backup') {
    backup(args.slice(1));
    return;
  }
  if (args[0] === 'migrations') {
    await migrations(args.slice(1));
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
  const config = fromEnvironment(() => loadConfig(process.env));
  if (!config) return;
  const app = await buildApp(config);
  // On SIGINT/SIGTERM: stop accepting connections, let in-flight requests finish, stop the outbox
  // after its current deliveries, close the store. A second signal or 10 s forces the exit.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error');
    else app.log.info({ signal }, 'closing');
    await app.close();
  });
  let address: string;
  try {
    address = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    // listen() readies the app first: the outbox, the signals leader and the alert sender have
    // started. Stop them as SIGTERM would, rather than cut a delivery off mid-send and leave its
    // lease to expire at every restart, and say which setting to change.
    await Promise.race([
      app.close().catch(() => undefined),
      new Promise((done) => setTimeout(done, 10_000).unref()),
    ]);
    throw listenFailure(error, config.host, config.port);
  }
  app.log.info(
    { address, version: RELAY_VERSION, store: app.store.kind, instance: config.instanceId },
    'sync-doctor-relay listening',
  );
}

/**
 * The port taken, the address not on this host, a port below 1024 without the right: the address
 * alone ("listen EADDRINUSE: address already in use 0.0.0.0:8787") did not say it is HOST and PORT.
 */
function listenFailure(error: unknown, host: string, port: number): unknown {
  const code = (error as { code?: unknown })?.code;
  if (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL' && code !== 'EACCES') return error;
  // EACCES (a port below 1024 without the right to it) is for PORT or the service to change; a
  // port in use or an address not (yet) on this host may pass, as a stopping relay frees it.
  return Object.assign(
    new Error(`cannot listen on ${host}:${port} (HOST, PORT): ${(error as Error).message}`),
    { code: code === 'EACCES' ? 'LISTEN_NOT_PERMITTED' : code },
  );
}

/** `sync-doctor-relay backup DIR`: a consistent copy of the SQLite data directory (backup.ts). */
function backup(args: string[]): void {
  const fail = (message: string) => {
    process.stderr.write(`backup: ${message}\n`);
    process.exitCode = 2;
  };
  if (args[0] === '--check') return checkBackupDir(args.slice(1), fail);
  if (args.length !== 1 || args[0]!.startsWith('-'))
    return fail(
      'usage: sync-doctor-relay backup DIR (a new or empty directory), or backup --check DIR [--json]',
    );
  if (process.env.DATABASE_URL)
    return fail(
      'DATABASE_URL is set: the store is PostgreSQL, back it up with pg_dump (and keep RELAY_SECRET_KEY with it)',
    );
  const dataDir = resolve(process.env.RELAY_DATA_DIR || 'data');
  try {
    const done = backupDataDir(dataDir, resolve(args[0]!));
    const key = done.withKey
      ? 'with its secret.key'
      : 'without a key file: the key is RELAY_SECRET_KEY, keep it with the backup';
    process.stdout.write(
      `backed up ${dataDir} into ${done.destination}: ${(done.bytes / 1e6).toFixed(1)} MB, ${key}, in ${(done.milliseconds / 1000).toFixed(1)} s\n`,
    );
    if (done.tightenedFrom !== null)
      process.stdout.write(
        `made ${done.destination} private: mode 0700 instead of 0${done.tightenedFrom.toString(8)} (the copy holds every portal's history and sealed secrets)\n`,
      );
  } catch (error) {
    if (error instanceof BackupError) return fail(error.message);
    throw error;
  }
}

/**
 * `sync-doctor-relay backup --check DIR [--json]`: whether this build, started on the copy in DIR
 * with this environment's key, comes back whole (backupCheck.ts). Exit 0 when it does, 2 when not.
 */
function checkBackupDir(args: string[], fail: (message: string) => void): void {
  const json = args.includes('--json');
  const rest = args.filter((arg) => arg !== '--json');
  if (rest.length !== 1 || rest[0]!.startsWith('-'))
    return fail('usage: sync-doctor-relay backup --check DIR [--json]');
  let check;
  try {
    check = fromEnvironment(
      () =>
        checkBackup(resolve(rest[0]!), process.env, (message) =>
          process.stderr.write(`backup: ${message}\n`),
        ),
      'backup: ',
    );
  } catch (error) {
    if (error instanceof BackupError) return fail(error.message);
    throw error;
  }
  if (!check) return;
  const report = describeBackupCheck(check);
  process.stdout.write(json ? backupCheckJson(check) : report.text);
  process.exitCode = report.exitCode;
}

/**
 * Settings read from the environment; a malformed one is one line on stderr and exit 2 (nothing
 * but a change of configuration fixes it), and undefined is returned.
 */
function fromEnvironment<T>(read: () => T, prefix = ''): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${prefix}configuration error: ${error.message}\n`);
    process.exitCode = 2;
    return undefined;
  }
}

/**
 * `sync-doctor-relay migrations [--json]`: what starting this build would do to the store
 * (migrationStatus.ts). Exit 0 when this build can start on it, 2 when it cannot (a newer relay
 * migrated it) or the settings are wrong, 1 when the store could not be read (it may pass).
 */
async function migrations(args: string[]): Promise<void> {
  const json = args.length === 1 && args[0] === '--json';
  if (args.length > 0 && !json) {
    process.stderr.write('migrations: usage: sync-doctor-relay migrations [--json]\n');
    process.exitCode = 2;
    return;
  }
  const settings = fromEnvironment(() => storeSettingsFrom(process.env), 'migrations: ');
  if (!settings) return;
  let status;
  try {
    status = await readMigrationStatus(settings);
  } catch (error) {
    process.stderr.write(`migrations: the store could not be read: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const report = describeMigrationStatus(status);
  process.stdout.write(json ? migrationStatusJson(status) : report.text);
  process.exitCode = report.exitCode;
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

// Exit 2 when only a change of configuration can fix it (a key that does not open the store, a
// store from a newer relay, a data directory the relay cannot use, a port it may not bind), as
// for a malformed setting: systemd (RestartPreventExitStatus=2) stops instead of restarting it
// every 5 s. Exit 1 for what may pass (the database unreachable, the port or data directory still
// held by a stopping relay) and for bugs. startErrors.ts.
main().catch((error: unknown) => {
  process.stderr.write(`sync-doctor-relay failed to start: ${startFailure(error)}\n`);
  process.exit(startExitCode(error));
});
