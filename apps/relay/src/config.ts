import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { resolveThresholds } from '@sync-doctor/hubspot-signals';
import type { StatusPublisher } from './publisher/types.js';
import { dataDirUnusable } from './startErrors.js';
import { ConfigError, flagFrom, httpUrlFrom, intFrom } from './envValues.js';
import { signalsConfigFromEnv, type SignalsConfig } from './signalsConfig.js';
import { SECRET_KEY_FILE, SQLITE_STORE_FILE } from './store/sqlite.js';

/** Everything the relay needs to run. `loadConfig` builds it from the environment. */
export interface RelayConfig {
  host: string;
  port: number;
  /** Where the embedded SQLite file (and a generated secret key, if none is given) live. */
  dataDir: string;
  /** PostgreSQL connection string; when set, the relay uses PostgreSQL instead of SQLite. */
  databaseUrl: string | null;
  /** PostgreSQL schema to use (created if missing); `public` by default. */
  databaseSchema: string | null;
  /**
   * PostgreSQL: how often the LISTEN connection is pinged and how long a ping may take before it
   * is taken for lost (15 s and 10 s when unset). Not in the environment: tests shorten them.
   */
  listenPing?: { intervalMs: number; timeoutMs: number } | undefined;
  /** Bearer token for `/v1/admin`; when null the admin API answers 503. */
  adminToken: string | null;
  /**
   * Bearer token `GET /metrics` asks for (the admin token also works); when null /metrics is
   * open, portal ids included, to whoever reaches the relay.
   */
  metricsToken: string | null;
  /** Let anyone read portal state, history and stream (a demo, or a relay behind an auth proxy). */
  publicReads: boolean;
  /** 32-byte key for AES-256-GCM encryption of portal secrets at rest. */
  secretKey: Buffer;
  logLevel: string;
  /** Ask pino for pretty output? No: logs are JSON lines; this only silences them in tests. */
  logEnabled: boolean;
  limits: {
    jsonBodyBytes: number;
    emailBodyBytes: number;
    /** How much of an inbound e-mail is kept for audit. */
    emailKeepBytes: number;
    csvBodyBytes: number;
    /**
     * Bytes of signed sync-errors uploads held on disk at once while their signatures are checked
     * (more is a 503 SPOOL_BUSY); at least csvBodyBytes. Unset: four full-size uploads.
     */
    spoolBytes?: number | undefined;
  };
  signatureToleranceSeconds: number;
  /** Shed load (503) when the event loop lags more than this; 0 turns the check off. */
  maxEventLoopDelayMs: number;
  /** Shed load while the V8 heap in use is above this many bytes; 0 turns the check off. */
  maxHeapUsedBytes: number;
  /** Shed load while the process's resident memory is above this many bytes; 0 turns the check off. */
  maxRssBytes: number;
  /** How often event loop delay and memory are sampled for load shedding. */
  pressureSampleIntervalMs: number;
  rateLimit: { perIpPerMinute: number; perPortalPerMinute: number };
  /** Server-Sent Event streams: open at once per client IP and per instance, and how much unread output one may hold. */
  streams: { maxPerIp: number; maxTotal: number; maxBufferedBytes: number };
  /**
   * Which peers may tell the client address through X-Forwarded-For (Fastify's trustProxy):
   * true, false, or a comma-separated list of addresses, CIDRs and the names
   * loopback, linklocal, uniquelocal. Trusting every peer would let any client pick its own
   * address and slip past the per-IP rate limit. False unless set: behind source NAT (Kubernetes,
   * Docker) or a TCP balancer every client arrives from a private address, so trusting the private
   * ranges by default was trusting every client.
   */
  trustProxy: boolean | string;
  outbox: {
    enabled: boolean;
    pollIntervalMs: number;
    leaseMs: number;
    batchSize: number;
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
  };
  /**
   * Automatic re-queue of a portal's newest delivery given up on passing trouble (an outage
   * longer than the backoff): checked from `firstDelayMs` after the give-up, spaced as long as
   * the outage has lasted (at most `maxDelayMs`), for `forMs` (outbox/recovery.ts).
   */
  deliveryRecovery: {
    enabled: boolean;
    firstDelayMs: number;
    maxDelayMs: number;
    forMs: number;
  };
  /** Names this process in leases, so several instances on one database never deliver twice. */
  instanceId: string;
  /** Where the relay is reachable from outside (used in docs and printed URLs only). */
  publicUrl: string | null;
  /** Delivery into Salesforce; the default connects per portal with `@sync-doctor/salesforce`. */
  publisher?: StatusPublisher;
  /** HubSpot-side signals: stalled-sync detector, notification mailbox, alerts (signalsConfig.ts). */
  signals: SignalsConfig;
  /**
   * Whether admin-configured destinations (alert webhooks and Slack URLs, SMTP and IMAP hosts,
   * Salesforce login and instance URLs) may be loopback, private or link-local addresses, and
   * plain http to loopback. Off by default: an admin token, or a stolen one, must not make the
   * relay call the metadata service or its own network. On for tests and on-premises targets.
   */
  allowPrivateTargets: boolean;
}

export { ConfigError };

export { ENVIRONMENT_HELP } from './configHelp.js';

const MB = 1024 * 1024;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevelFrom(raw: string | undefined): string {
  const level = (raw ?? '').trim();
  if (level === '') return 'info';
  if (!LOG_LEVELS.includes(level))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level;
}

/**
 * HOST: an address, or a name that could resolve. A mistyped one failed only at listen, with exit
 * 1, which systemd restarts every 5 s for good; a configuration error (exit 2) it does not.
 */
function hostFrom(raw: string | undefined): string {
  const host = (raw ?? '').trim();
  if (host === '') return '127.0.0.1';
  const label = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  const labels = host.replace(/\.$/, '').split('.');
  const name =
    host.length <= 253 &&
    labels.every((part) => label.test(part)) &&
    // A name's last label is not all digits: 999.1.1.1 is a mistyped address.
    !/^\d+$/.test(labels[labels.length - 1]!);
  if (isIP(host) === 0 && !name)
    throw new ConfigError(
      `HOST must be an IP address or a host name (0.0.0.0, ::, 127.0.0.1, localhost), got "${raw}"`,
    );
  return host;
}

/** DATABASE_URL must be a postgres:// URL; the message never repeats it (it may hold a password). */
function databaseUrlFrom(raw: string | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      'DATABASE_URL is not a URL: expected postgres://user:password@host:5432/database',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new ConfigError(
      `DATABASE_URL must be a postgres:// or postgresql:// URL, got a ${url.protocol}// URL`,
    );
  return raw;
}

const PROXY_PROTOCOLS = new Set(['http:', 'https:', 'socks5:', 'socks5h:']);

/** HTTPS_PROXY / HTTP_PROXY (or lower case), checked at start as the Salesforce connections read them. */
function checkProxies(env: NodeJS.ProcessEnv): void {
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
    const raw = env[name];
    if (!raw) continue;
    let protocol: string;
    try {
      protocol = new URL(raw.includes('://') ? raw : `http://${raw}`).protocol;
    } catch {
      throw new ConfigError(`${name} is not a URL: expected http(s)://[user:password@]proxy:port`);
    }
    // SOCKS5 goes through @sync-doctor/salesforce's own client, which is given the address the
    // outbound rule checked (never the name); SOCKS4 cannot carry what that client needs.
    if (!PROXY_PROTOCOLS.has(protocol))
      throw new ConfigError(
        `${name} must be an http://, https://, socks5:// or socks5h:// URL, got a ${protocol}// URL`,
      );
  }
}

/** A size in whole megabytes, as bytes; undefined when unset. */
function mbFrom(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || !Number.isSafeInteger(value * MB))
    throw new ConfigError(`${name} must be a whole number of megabytes >= ${min}, got "${raw}"`);
  return value * MB;
}

/** RELAY_TRUST_PROXY as Fastify takes it; the list is checked by Fastify (proxy-addr) at start. */
export function trustProxyFrom(raw: string | undefined): boolean | string {
  const value = (raw ?? '').trim();
  if (value === '') return false;
  if (value === 'true' || value === 'false') return value === 'true';
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !trustedProxyEntry(entry));
  if (bad !== undefined)
    throw new ConfigError(
      `RELAY_TRUST_PROXY is not a list of addresses, CIDRs, loopback, linklocal or uniquelocal, true or false: "${bad}"`,
    );
  return value;
}

/** One entry of RELAY_TRUST_PROXY as proxy-addr takes it: a name, an address, or address/prefix (or /netmask). */
function trustedProxyEntry(entry: string): boolean {
  if (entry === 'loopback' || entry === 'linklocal' || entry === 'uniquelocal') return true;
  const [address = '', range, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(range) === 4;
}

/** A new key as the relay writes it into secret.key: 32 random bytes, base64 (what parseSecretKey reads). */
export function generateSecretKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * 32 bytes as 64 hex characters, or as canonical base64 or base64url (43 characters, or 44 with
 * its "=" padding; one alphabet). Only canonical: Buffer.from(text, 'base64') skips what it does
 * not know and reads either alphabet, so a passphrase of 43 or so letters, digits and dashes
 * ("my-production-relay-key-please-keep-it-safe") was taken for a key. Now the decoded bytes,
 * encoded again, must give back the text (a last character with stray low bits does not). The
 * message never repeats the value.
 */
export function parseSecretKey(raw: string, name = 'RELAY_SECRET_KEY'): Buffer {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  const unpadded = text.endsWith('=') ? text.slice(0, -1) : text;
  for (const encoding of ['base64', 'base64url'] as const) {
    const alphabet = encoding === 'base64' ? /^[A-Za-z0-9+/]{43}$/ : /^[A-Za-z0-9_-]{43}$/;
    if (!alphabet.test(unpadded)) continue;
    const key = Buffer.from(unpadded, encoding);
    if (key.length === 32 && key.toString(encoding).replace(/=$/, '') === unpadded) return key;
  }
  throw new ConfigError(
    `${name} must be 32 random bytes, as base64 (44 characters, or 43 without the "=") or 64 hex characters, ` +
      'not a passphrase: generate one with `openssl rand -base64 32` (or `openssl rand -hex 32`)',
  );
}

/**
 * The SQLite mode needs no set-up: a key is generated once and kept next to the database. Only
 * into a directory without a store, though: a store already there was written with some key (a
 * secret.key that was beside it and was not restored with it, or a RELAY_SECRET_KEY now unset),
 * and a new one would not open its secrets. Generating it anyway left the wrong key on disk (the relay then
 * refused to start with exit 1, and systemd retried it every 5 s), which a store without portals
 * yet would silently adopt. A configuration error (exit 2) says what to restore instead.
 */
function keyFromDataDir(dataDir: string): Buffer {
  const file = join(dataDir, SECRET_KEY_FILE);
  let text: string;
  try {
    // Created for the relay alone (the store and a generated key are in it); an existing one is left as it is.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (!existsSync(file)) {
      if (existsSync(join(dataDir, SQLITE_STORE_FILE)))
        throw new ConfigError(
          `${dataDir} holds a relay store (${SQLITE_STORE_FILE}) but no secret.key, and RELAY_SECRET_KEY is not set: ` +
            'restore the secret.key that was beside the store (sync-doctor-relay backup copies both), ' +
            'or set RELAY_SECRET_KEY to the key the store was written with; a new key would not open its secrets',
        );
      try {
        writeFileSync(file, generateSecretKey() + '\n', { mode: 0o600, flag: 'wx' });
        chmodSync(file, 0o600);
      } catch (error) {
        // Written by another process since the look above: that key is the one.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // A directory its user cannot write (or a file in its place) exits 2 like any setting to fix.
    throw dataDirUnusable(dataDir, error) ?? error;
  }
  return parseSecretKey(text, file);
}

/** Where the store is: read alike by the relay and by `sync-doctor-relay migrations`. */
export type StoreSettings = Pick<RelayConfig, 'dataDir' | 'databaseUrl' | 'databaseSchema'>;

export function storeSettingsFrom(
  env: NodeJS.ProcessEnv,
  overrides: Partial<StoreSettings> = {},
): StoreSettings {
  const dataDir = resolve(overrides.dataDir ?? env.RELAY_DATA_DIR ?? 'data');
  const databaseUrl =
    overrides.databaseUrl !== undefined ? overrides.databaseUrl : databaseUrlFrom(env.DATABASE_URL);
  const databaseSchema =
    overrides.databaseSchema !== undefined ? overrides.databaseSchema : env.DATABASE_SCHEMA || null;
  if (databaseSchema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema))
    throw new ConfigError('DATABASE_SCHEMA must be a lower-case SQL identifier');
  return { dataDir, databaseUrl, databaseSchema };
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<RelayConfig> = {},
): RelayConfig {
  const { dataDir, databaseUrl, databaseSchema: schema } = storeSettingsFrom(env, overrides);
  checkProxies(env);
  let secretKey = overrides.secretKey;
  if (!secretKey) {
    if (env.RELAY_SECRET_KEY) secretKey = parseSecretKey(env.RELAY_SECRET_KEY);
    else if (databaseUrl)
      throw new ConfigError(
        'RELAY_SECRET_KEY is required with DATABASE_URL (every instance must share it)',
      );
    else secretKey = keyFromDataDir(dataDir);
  }
  const adminToken =
    overrides.adminToken !== undefined ? overrides.adminToken : env.RELAY_ADMIN_TOKEN || null;
  if (adminToken !== null && adminToken.length < 16)
    throw new ConfigError('RELAY_ADMIN_TOKEN must be at least 16 characters');
  const metricsToken =
    overrides.metricsToken !== undefined ? overrides.metricsToken : env.RELAY_METRICS_TOKEN || null;
  if (metricsToken !== null && (metricsToken.length < 16 || /\s/.test(metricsToken)))
    throw new ConfigError('RELAY_METRICS_TOKEN must be at least 16 characters, without spaces');

  const config: RelayConfig = {
    host: hostFrom(env.HOST),
    port: intFrom(env, 'PORT', 8787, 0, 65535),
    dataDir,
    databaseUrl,
    databaseSchema: schema,
    adminToken,
    metricsToken,
    publicReads: flagFrom(env, 'RELAY_PUBLIC_READS', false),
    secretKey,
    logLevel: logLevelFrom(env.LOG_LEVEL),
    logEnabled: true,
    limits: {
      jsonBodyBytes: intFrom(env, 'RELAY_JSON_LIMIT', 64 * 1024, 1024),
      emailBodyBytes: intFrom(env, 'RELAY_EMAIL_LIMIT', 5 * 1024 * 1024, 1024),
      emailKeepBytes: intFrom(env, 'RELAY_EMAIL_KEEP', 256 * 1024, 1024),
      csvBodyBytes: intFrom(env, 'RELAY_CSV_LIMIT', 100 * 1024 * 1024, 1024),
      spoolBytes: mbFrom(env, 'RELAY_SPOOL_LIMIT_MB', 1),
    },
    signatureToleranceSeconds: 300,
    maxEventLoopDelayMs: intFrom(env, 'RELAY_MAX_EVENT_LOOP_DELAY_MS', 1000),
    maxHeapUsedBytes: intFrom(env, 'RELAY_MAX_HEAP_USED_MB', 0) * MB,
    maxRssBytes: intFrom(env, 'RELAY_MAX_RSS_MB', 0) * MB,
    pressureSampleIntervalMs: 1000,
    rateLimit: {
      perIpPerMinute: intFrom(env, 'RELAY_RATE_LIMIT_IP', 600, 1),
      perPortalPerMinute: intFrom(env, 'RELAY_RATE_LIMIT_PORTAL', 120, 1),
    },
    streams: {
      maxPerIp: intFrom(env, 'RELAY_MAX_STREAMS_PER_IP', 20, 1),
      maxTotal: intFrom(env, 'RELAY_MAX_STREAMS', 1000, 1),
      maxBufferedBytes: intFrom(env, 'RELAY_STREAM_BUFFER_LIMIT', MB, 1024),
    },
    trustProxy: trustProxyFrom(env.RELAY_TRUST_PROXY),
    outbox: {
      enabled: flagFrom(env, 'RELAY_OUTBOX', true),
      pollIntervalMs: intFrom(env, 'RELAY_OUTBOX_POLL_MS', 500, 10),
      // A delivery's call into Salesforce may take half its lease (at least 1 s, the publisher's
      // timeout) and must end before the lease does: past it, the next round (here or on another
      // instance) takes the same change again and both send it. So the lease is at least 2 s.
      leaseMs: intFrom(env, 'RELAY_OUTBOX_LEASE_MS', 30_000, 2000),
      batchSize: 20,
      maxAttempts: intFrom(env, 'RELAY_OUTBOX_MAX_ATTEMPTS', 12, 1),
      baseDelayMs: intFrom(env, 'RELAY_RETRY_BASE_MS', 1000, 1),
      maxDelayMs: intFrom(env, 'RELAY_RETRY_MAX_MS', 300_000, 1),
    },
    deliveryRecovery: {
      enabled: flagFrom(env, 'RELAY_OUTBOX_RECOVERY', true),
      firstDelayMs: intFrom(env, 'RELAY_OUTBOX_RECOVERY_FIRST_MS', 300_000, 10),
      maxDelayMs: intFrom(env, 'RELAY_OUTBOX_RECOVERY_MAX_MS', 3_600_000, 10),
      forMs: intFrom(env, 'RELAY_OUTBOX_RECOVERY_FOR_MS', 3 * 24 * 3_600_000, 0),
    },
    instanceId: env.RELAY_INSTANCE_ID || randomUUID(),
    publicUrl: httpUrlFrom(env, 'RELAY_PUBLIC_URL', 'https://relay.example.com'),
    signals: signalsConfigFromEnv(env),
    allowPrivateTargets: flagFrom(env, 'RELAY_ALLOW_PRIVATE_TARGETS', false),
  };
  checkPairs(env, config);
  const limits = { ...config.limits, ...overrides.limits };
  if (limits.spoolBytes !== undefined && limits.spoolBytes < limits.csvBodyBytes)
    throw new ConfigError(
      `RELAY_SPOOL_LIMIT_MB must hold at least one upload of RELAY_CSV_LIMIT (${limits.csvBodyBytes} bytes: ` +
        `${Math.ceil(limits.csvBodyBytes / MB)} MB or more), got ${limits.spoolBytes / MB} MB`,
    );
  return {
    ...config,
    ...overrides,
    limits,
    rateLimit: { ...config.rateLimit, ...overrides.rateLimit },
    streams: { ...config.streams, ...overrides.streams },
    outbox: { ...config.outbox, ...overrides.outbox },
    deliveryRecovery: { ...config.deliveryRecovery, ...overrides.deliveryRecovery },
    signals: overrides.signals ?? config.signals,
  };
}

/**
 * Settings that are each fine alone but contradict each other, refused at start like any other
 * mistake rather than silently overruled at run time. The message names both variables and the
 * value each has (a default included), since the one to change may be the one left unset.
 */
function checkPairs(env: NodeJS.ProcessEnv, config: RelayConfig): void {
  const setting = (name: string, value: number) =>
    env[name] === undefined || env[name] === '' ? `${name} (default ${value})` : `${name} ${value}`;
  const { baseDelayMs, maxDelayMs } = config.outbox;
  // retryDelayMs caps every delay at the maximum: a larger base would make every retry wait the
  // maximum, the first one included, instead of growing to it.
  if (baseDelayMs > maxDelayMs)
    throw new ConfigError(
      `${setting('RELAY_RETRY_BASE_MS', baseDelayMs)} is above ${setting('RELAY_RETRY_MAX_MS', maxDelayMs)}: the first retry delay must not exceed the longest; ` +
        `set RELAY_RETRY_BASE_MS to ${maxDelayMs} or less, or RELAY_RETRY_MAX_MS to ${baseDelayMs} or more`,
    );
  const recovery = config.deliveryRecovery;
  if (recovery.firstDelayMs > recovery.maxDelayMs)
    throw new ConfigError(
      `${setting('RELAY_OUTBOX_RECOVERY_FIRST_MS', recovery.firstDelayMs)} is above ${setting('RELAY_OUTBOX_RECOVERY_MAX_MS', recovery.maxDelayMs)}: the first check must not wait longer than the longest wait between checks`,
    );
  // The detector counts no change younger than the grace, so with a grace longer than the stale
  // time a stall is called only once the last sync is older than the grace: the stale time would
  // be silently overruled. (Each threshold alone is checked in signalsConfig.ts.)
  const { graceMs, staleAfterMs } = resolveThresholds(config.signals.detector.thresholds);
  if (graceMs > staleAfterMs)
    throw new ConfigError(
      `${setting('RELAY_DETECTOR_GRACE_MS', graceMs)} is above ${setting('RELAY_DETECTOR_STALE_AFTER_MS', staleAfterMs)}: changes younger than the grace are not counted, so no stall could be called before the grace has passed; ` +
        `set RELAY_DETECTOR_GRACE_MS to ${staleAfterMs} or less, or RELAY_DETECTOR_STALE_AFTER_MS to ${graceMs} or more`,
    );
}
