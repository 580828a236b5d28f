import {
  MailboxConfigError,
  resolveThresholds,
  validateMailboxOAuth,
  type DetectorThresholds,
  type MailboxOAuth,
  type MailboxTls,
  type RetryOptions,
  type RetryPolicy,
} from '@sync-doctor/hubspot-signals';
import { ConfigError, flagFrom, httpUrlFrom, intFrom } from './envValues.js';

/**
 * One notification mailbox: the shared one from RELAY_IMAP_* (every portal's; the portal is read
 * from each message), or a portal's own as the admin API stores it (sealed, the whole of it).
 */
export interface MailboxSettings {
  host: string;
  port?: number;
  tls: MailboxTls;
  user: string;
  /**
   * Exactly one of a password and OAuth 2.0: client credentials (Microsoft 365 needs them) or a
   * Google Workspace service account.
   */
  password?: string;
  oauth?: MailboxOAuth;
  mailbox: string;
  moveTo?: string;
}

/** The HubSpot-side signals (detector, mailbox, alerts): see packages/hubspot-signals/README.md. */
export interface SignalsConfig {
  /**
   * Who runs the detector and the mailbox readers when several instances share PostgreSQL:
   * 'auto' holds a PostgreSQL advisory lock (SQLite: always this process), 'on' / 'off' force it.
   */
  leader: 'auto' | 'on' | 'off';
  detector: {
    enabled: boolean;
    /** HubSpot API root; undefined = https://api.hubapi.com. Tests point it at the HubSpot simulator. */
    baseUrl: string | undefined;
    intervalMs: number;
    /** Pause between the requests of one check (default 300 ms). */
    requestSpacingMs?: number;
    /** How a failed HubSpot request is retried (default: 3 attempts from 1 s; tests shorten it). */
    retryPolicy?: RetryPolicy;
    thresholds?: Partial<DetectorThresholds>;
  };
  mailbox: {
    enabled: boolean;
    shared: MailboxSettings | null;
    pollIntervalMs: number;
    /** Plain-text IMAP to a loopback host (tests, a local bridge). */
    allowPlainOnLoopback: boolean;
    reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  };
  alerts: {
    enabled: boolean;
    pollIntervalMs: number;
    leaseMs: number;
    /** Link to the Sync Doctor app in every alert. */
    appUrl: string | null;
    retry?: RetryOptions;
    sendTimeoutMs?: number;
  };
  /**
   * The access watch: every portal's Salesforce org read on a jittered timer and the integration
   * user's access judged by the core (plugins/accessWatch.ts). On the leading instance only.
   */
  accessWatch: {
    enabled: boolean;
    /** Between two checks of one portal (jittered ±20 %; the first lands anywhere in the first interval). */
    intervalMs: number;
  };
}

export const SIGNALS_ENVIRONMENT_HELP = `
HubSpot-side signals (see packages/hubspot-signals/README.md):
  RELAY_DETECTOR            "on": run the stalled-sync detector for portals with a HubSpot token
                            (default off)
  HUBSPOT_API_BASE_URL      HubSpot API root (default https://api.hubapi.com)
  RELAY_DETECTOR_INTERVAL_MS
                            check interval per portal (default 900000 = 15 min, jittered ±20 %)
  RELAY_DETECTOR_STALE_AFTER_MS
                            nothing synced this long while synced records changed = stalled
                            (default 7200000 = 2 h)
  RELAY_DETECTOR_MIN_LAGGING
                            records that must lag before a portal is called stalled (default 5;
                            raise it for portals whose quiet hours change unmapped properties only)
  RELAY_DETECTOR_GRACE_MS   changes younger than this are not counted (default 1800000 = 30 min;
                            not above RELAY_DETECTOR_STALE_AFTER_MS)
  RELAY_DETECTOR_OUTAGE_CATCH_UP_MS
                            no stall is called this long after HubSpot answered a check 5xx or not
                            at all, while the connector catches up (default 3600000 = 1 h; 0: off)
  RELAY_SIGNALS_LEADER      "1": this instance runs detector, mailboxes and access watch; "0":
                            never; unset or "auto": the instance holding a PostgreSQL advisory
                            lock (with SQLite, the one process)
  RELAY_MAILBOX             "on": read the mailboxes stored per portal (admin API) (default off)
  RELAY_IMAP_HOST           one shared notification mailbox (turns the mailbox reader on)
  RELAY_IMAP_PORT           default 993 (implicit TLS), 143 with starttls
  RELAY_IMAP_TLS            implicit (default) | starttls
  RELAY_IMAP_USER, RELAY_IMAP_PASSWORD
                            the shared mailbox's login
  RELAY_IMAP_MAILBOX        folder to read (default INBOX)
  RELAY_IMAP_MOVE_TO        folder to move processed messages to (optional; else marked read)
  RELAY_IMAP_OAUTH_CLIENT_ID, RELAY_IMAP_OAUTH_CLIENT_SECRET
                            OAuth 2.0 client credentials instead of RELAY_IMAP_PASSWORD (XOAUTH2
                            login); Microsoft 365 / Exchange Online accepts no IMAP password:
                            register an app with IMAP.AccessAsApp and give its
                            RELAY_IMAP_OAUTH_TENANT_ID
  RELAY_IMAP_OAUTH_TENANT_ID
                            Microsoft 365: the directory (tenant) id or domain; the token comes
                            from https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token for
                            the scope https://outlook.office365.com/.default
  RELAY_IMAP_OAUTH_TOKEN_URL, RELAY_IMAP_OAUTH_SCOPE
                            any other OAuth 2.0 token endpoint (https) and its scope, instead of a
                            tenant
  RELAY_IMAP_OAUTH_CLIENT_EMAIL, RELAY_IMAP_OAUTH_PRIVATE_KEY
                            Google Workspace instead: a service account with domain-wide
                            delegation reads RELAY_IMAP_USER's mailbox (client_email and
                            private_key of its JSON key, the PEM with newlines or \\n); token
                            https://oauth2.googleapis.com/token, scope https://mail.google.com/
                            unless RELAY_IMAP_OAUTH_TOKEN_URL / _SCOPE say otherwise
  RELAY_MAILBOX_POLL_MS     poll interval without IMAP IDLE (default 60000)
  RELAY_ALERTS              "off": send no alerts from this instance (default on; targets via the
                            admin API)
  RELAY_APP_URL             link to the Sync Doctor app shown in alerts
  RELAY_ALERT_POLL_MS       alert outbox poll interval (default 1000)
  RELAY_ACCESS_WATCH        "off": do not check the integration user's access in each portal's
                            Salesforce org (default on; alerts when it gets worse, and when
                            restored)
  RELAY_ACCESS_WATCH_MINUTES
                            minutes between two access checks of a portal (default 60, jittered
                            ±20 %; 1 to 10080)
`;

/** The detector thresholds set in the environment, checked as the detector checks them. */
function thresholdsFromEnv(env: NodeJS.ProcessEnv): Partial<DetectorThresholds> | undefined {
  const thresholds: Partial<DetectorThresholds> = {};
  const set = (
    name: string,
    key: 'staleAfterMs' | 'minLaggingRecords' | 'graceMs' | 'outageCatchUpMs',
    min: number,
  ) => {
    if (env[name] !== undefined && env[name] !== '') thresholds[key] = intFrom(env, name, 0, min);
  };
  set('RELAY_DETECTOR_STALE_AFTER_MS', 'staleAfterMs', 0);
  set('RELAY_DETECTOR_MIN_LAGGING', 'minLaggingRecords', 0);
  set('RELAY_DETECTOR_GRACE_MS', 'graceMs', 0);
  set('RELAY_DETECTOR_OUTAGE_CATCH_UP_MS', 'outageCatchUpMs', 0);
  if (Object.keys(thresholds).length === 0) return undefined;
  try {
    resolveThresholds(thresholds);
  } catch (error) {
    throw new ConfigError(`RELAY_DETECTOR_*: ${(error as Error).message}`);
  }
  return thresholds;
}

/** Minutes between access checks: a week at most, as a longer timer would overflow Node's (24.8 days) and fire at once. */
function accessWatchMinutes(env: NodeJS.ProcessEnv): number {
  const minutes = intFrom(env, 'RELAY_ACCESS_WATCH_MINUTES', 60, 1);
  if (minutes > 10_080)
    throw new ConfigError(
      `RELAY_ACCESS_WATCH_MINUTES must be at most 10080 (a week), got "${env.RELAY_ACCESS_WATCH_MINUTES}"`,
    );
  return minutes;
}

export function signalsConfigFromEnv(env: NodeJS.ProcessEnv): SignalsConfig {
  const leaderRaw = (env.RELAY_SIGNALS_LEADER ?? '').trim().toLowerCase();
  const leader: SignalsConfig['leader'] =
    leaderRaw === '' || leaderRaw === 'auto'
      ? 'auto'
      : flagFrom(env, 'RELAY_SIGNALS_LEADER', false)
        ? 'on'
        : 'off';
  const baseUrl = env.HUBSPOT_API_BASE_URL || undefined;
  if (baseUrl !== undefined && !/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(baseUrl))
    throw new ConfigError(
      'HUBSPOT_API_BASE_URL must be an http(s) origin, e.g. https://api.hubapi.com',
    );
  let shared: MailboxSettings | null = null;
  if (env.RELAY_IMAP_HOST) {
    const tls = env.RELAY_IMAP_TLS || 'implicit';
    if (tls !== 'implicit' && tls !== 'starttls')
      throw new ConfigError('RELAY_IMAP_TLS must be implicit or starttls');
    if (!env.RELAY_IMAP_USER)
      throw new ConfigError('RELAY_IMAP_USER is required with RELAY_IMAP_HOST');
    const oauth = sharedMailboxOAuth(env);
    if (oauth && env.RELAY_IMAP_PASSWORD)
      throw new ConfigError(
        'RELAY_IMAP_PASSWORD and RELAY_IMAP_OAUTH_* are both set: the shared mailbox logs in with one of them; unset the other',
      );
    if (!oauth && !env.RELAY_IMAP_PASSWORD)
      throw new ConfigError(
        'RELAY_IMAP_PASSWORD, or RELAY_IMAP_OAUTH_CLIENT_ID and RELAY_IMAP_OAUTH_CLIENT_SECRET with RELAY_IMAP_OAUTH_TENANT_ID (Microsoft 365) or RELAY_IMAP_OAUTH_TOKEN_URL, or RELAY_IMAP_OAUTH_CLIENT_EMAIL and RELAY_IMAP_OAUTH_PRIVATE_KEY (a Google Workspace service account), is required with RELAY_IMAP_HOST',
      );
    shared = {
      host: env.RELAY_IMAP_HOST,
      ...(env.RELAY_IMAP_PORT ? { port: intFrom(env, 'RELAY_IMAP_PORT', 993, 1) } : {}),
      tls,
      user: env.RELAY_IMAP_USER,
      ...(oauth ? { oauth } : { password: env.RELAY_IMAP_PASSWORD! }),
      mailbox: env.RELAY_IMAP_MAILBOX || 'INBOX',
      ...(env.RELAY_IMAP_MOVE_TO ? { moveTo: env.RELAY_IMAP_MOVE_TO } : {}),
    };
  }
  if (!shared && Object.keys(env).some((name) => name.startsWith('RELAY_IMAP_OAUTH_') && env[name]))
    throw new ConfigError(
      'RELAY_IMAP_OAUTH_* is set without RELAY_IMAP_HOST: set the shared mailbox host, or unset them',
    );
  const thresholds = thresholdsFromEnv(env);
  return {
    leader,
    detector: {
      enabled: flagFrom(env, 'RELAY_DETECTOR', false),
      baseUrl,
      intervalMs: intFrom(env, 'RELAY_DETECTOR_INTERVAL_MS', 15 * 60_000, 1000),
      ...(thresholds ? { thresholds } : {}),
    },
    mailbox: {
      enabled: flagFrom(env, 'RELAY_MAILBOX', false) || shared !== null,
      shared,
      pollIntervalMs: intFrom(env, 'RELAY_MAILBOX_POLL_MS', 60_000, 1000),
      allowPlainOnLoopback: false,
    },
    alerts: {
      enabled: flagFrom(env, 'RELAY_ALERTS', true),
      pollIntervalMs: intFrom(env, 'RELAY_ALERT_POLL_MS', 1000, 10),
      leaseMs: 60_000,
      appUrl: httpUrlFrom(env, 'RELAY_APP_URL', 'https://example.lightning.force.com'),
    },
    accessWatch: {
      enabled: flagFrom(env, 'RELAY_ACCESS_WATCH', true),
      intervalMs: accessWatchMinutes(env) * 60_000,
    },
  };
}

/** The shared mailbox's OAuth login (RELAY_IMAP_OAUTH_*), checked as a reader checks it; null when none is set. */
function sharedMailboxOAuth(env: NodeJS.ProcessEnv): MailboxOAuth | null {
  const names = [
    'TENANT_ID',
    'CLIENT_ID',
    'CLIENT_SECRET',
    'TOKEN_URL',
    'SCOPE',
    'CLIENT_EMAIL',
    'PRIVATE_KEY',
  ] as const;
  const value = (name: (typeof names)[number]) => env[`RELAY_IMAP_OAUTH_${name}`] || undefined;
  if (names.every((name) => value(name) === undefined)) return null;
  const checked = (oauth: MailboxOAuth): MailboxOAuth => {
    try {
      validateMailboxOAuth(oauth);
    } catch (error) {
      if (error instanceof MailboxConfigError)
        throw new ConfigError(
          `RELAY_IMAP_OAUTH_*: ${error.message.replace(/\boauth\.(\w+)/g, (_m, field: string) => `RELAY_IMAP_OAUTH_${field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`)}`,
        );
      throw error;
    }
    return oauth;
  };
  if (value('CLIENT_EMAIL') !== undefined || value('PRIVATE_KEY') !== undefined) {
    // Google Workspace: a service account (its JSON key's client_email and private_key).
    for (const name of ['TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET'] as const)
      if (value(name) !== undefined)
        throw new ConfigError(
          `RELAY_IMAP_OAUTH_${name} is not taken with RELAY_IMAP_OAUTH_CLIENT_EMAIL (a Google service account signs its token request with RELAY_IMAP_OAUTH_PRIVATE_KEY)`,
        );
    for (const name of ['CLIENT_EMAIL', 'PRIVATE_KEY'] as const)
      if (value(name) === undefined)
        throw new ConfigError(
          `RELAY_IMAP_OAUTH_${name} is required for a Google service account login`,
        );
    return checked({
      kind: 'google-service-account',
      clientEmail: value('CLIENT_EMAIL')!,
      // One line in an environment file: the key's newlines may be written \n.
      privateKey: value('PRIVATE_KEY')!.replace(/\\n/g, '\n'),
      ...(value('TOKEN_URL') !== undefined ? { tokenUrl: value('TOKEN_URL')! } : {}),
      ...(value('SCOPE') !== undefined ? { scope: value('SCOPE')! } : {}),
    });
  }
  const tenantId = value('TENANT_ID');
  const tokenUrl = value('TOKEN_URL');
  if (tenantId !== undefined && tokenUrl !== undefined)
    throw new ConfigError(
      'RELAY_IMAP_OAUTH_TENANT_ID and RELAY_IMAP_OAUTH_TOKEN_URL are both set: give the tenant (Microsoft 365) or the token URL of another provider',
    );
  if (tenantId === undefined && tokenUrl === undefined)
    throw new ConfigError(
      'RELAY_IMAP_OAUTH_TENANT_ID (Microsoft 365) or RELAY_IMAP_OAUTH_TOKEN_URL is required with RELAY_IMAP_OAUTH_CLIENT_ID',
    );
  for (const name of ['CLIENT_ID', 'CLIENT_SECRET'] as const)
    if (value(name) === undefined)
      throw new ConfigError(`RELAY_IMAP_OAUTH_${name} is required for an OAuth mailbox login`);
  if (tenantId !== undefined && value('SCOPE') !== undefined)
    throw new ConfigError(
      'RELAY_IMAP_OAUTH_SCOPE is only taken with RELAY_IMAP_OAUTH_TOKEN_URL (Microsoft 365 uses https://outlook.office365.com/.default)',
    );
  return checked(
    tenantId !== undefined
      ? {
          kind: 'microsoft365',
          tenantId,
          clientId: value('CLIENT_ID')!,
          clientSecret: value('CLIENT_SECRET')!,
        }
      : {
          kind: 'client-credentials',
          tokenUrl: tokenUrl!,
          clientId: value('CLIENT_ID')!,
          clientSecret: value('CLIENT_SECRET')!,
          ...(value('SCOPE') !== undefined ? { scope: value('SCOPE')! } : {}),
        },
  );
}
