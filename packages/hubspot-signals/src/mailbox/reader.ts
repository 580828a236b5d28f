import { ImapFlow } from 'imapflow';
import {
  DestinationRefusedError,
  resolveAllowed,
  type OutboundPolicy,
} from '../alerts/destination.js';
import type { CheckpointStore } from './checkpoints.js';
import {
  createTokenClient,
  MailboxConfigError,
  validateMailboxOAuth,
  type MailboxOAuth,
  TokenRequestError,
  type TokenClient,
} from './oauth.js';
import { isHubSpotNotification, readMessage, type MailboxMessage } from './notification.js';

/**
 * Reads HubSpot's suspension notifications from an IMAP mailbox and hands each one, raw, to the
 * relay. Guarantees:
 * - TLS by default (implicit TLS, port 993); STARTTLS can be required; plain text only when asked
 *   for explicitly AND the server is on loopback (tests, a local bridge);
 * - IDLE when the server offers it (new mail is seen within a second or two), polling otherwise,
 *   and a slow safety poll even with IDLE (IDLE sessions can silently die behind NATs);
 * - every handed message is then flagged (a custom keyword, and \Seen unless disabled) and
 *   optionally moved; the checkpoint (UIDVALIDITY + last UID) advances only after that, so a crash
 *   can at worst hand the same message twice (the relay dedups by Message-ID), never lose one;
 * - a failing callback stops the pass at that message; it is retried at the next poll.
 */
export type MailboxTls = 'implicit' | 'starttls' | 'none';

export interface MailboxReaderOptions {
  host: string;
  /** Default 993 with implicit TLS, 143 otherwise. */
  port?: number;
  tls?: MailboxTls;
  /** Must be true for tls 'none', which is refused for anything but a loopback host anyway. */
  allowPlainOnLoopback?: boolean;
  /** Extra Node TLS options (a private CA, servername). */
  tlsOptions?: Record<string, unknown>;
  /**
   * Where the reader may connect (the relay's outbound rule, alerts/destination.ts). When given,
   * the host is resolved with it at every connection and reconnection, and IMAP connects to the
   * checked address, with the name kept for TLS (SNI and the certificate check): a name that
   * resolves to a loopback, private or link-local address (169.254.169.254) now, however it looked
   * when it was saved (DNS rebinding), is refused before anything (the login) is sent, and the
   * reader's `lastError` says why. Without it ImapFlow resolves the name itself, with no rule.
   */
  outbound?: OutboundPolicy;
  /**
   * A password; a fixed access token; or OAuth 2.0 (oauth.ts: client credentials, or a Google
   * service account acting for `user` with domain-wide delegation): then a token is
   * asked for before every connection and reconnection (cached while it has more than a few
   * minutes to live), from the token endpoint checked with `outbound` like the IMAP host, and sent
   * with SASL XOAUTH2 or OAUTHBEARER. A refused token request (a wrong secret, no consent) is the
   * reader's `lastError`, and retried with the reconnect backoff like any failed connection.
   */
  auth:
    | { user: string; pass: string }
    | { user: string; accessToken: string }
    | { user: string; oauth: MailboxOAuth; tokenTimeoutMs?: number };
  mailbox?: string;
  /** IMAP keyword set on processed messages (default $SyncDoctorProcessed). */
  processedKeyword?: string;
  /** IMAP keyword set on messages the relay rejected for good (default $SyncDoctorRejected). */
  rejectedKeyword?: string;
  /** Larger messages are not fetched but marked rejected (default 10 MB; HubSpot's notices are small). */
  maxMessageBytes?: number;
  /** Also set \Seen on processed messages (default true). */
  markSeen?: boolean;
  /** Move processed messages into this folder (created when missing). */
  moveTo?: string;
  /** Use IDLE when the server offers it (default true). */
  useIdle?: boolean;
  /** Poll interval without IDLE (default 60 s); with IDLE a safety poll runs at 5x this. */
  pollIntervalMs?: number;
  /** Quiet time before imapflow enters IDLE after a command (default 1 s). */
  idleDelayMs?: number;
  checkpointStore: CheckpointStore;
  /**
   * First run (no checkpoint for this mailbox yet, or its UIDVALIDITY changed): notices dated (Date
   * header) longer ago than this are left as they are instead of being handed as new suspensions, so a
   * mailbox with years of HubSpot mail does not replay old, long-resolved suspensions. Default 7 days.
   */
  firstRunMaxAgeMs?: number;
  /**
   * Which messages to hand over (default isHubSpotNotification). Others are left untouched. A
   * filter that throws takes that message for no notice (logged with the error's kind only).
   */
  filter?: (message: MailboxMessage) => boolean;
  /** The relay's inbound path. Must resolve only once the message is durably stored. */
  onMessage: (message: MailboxMessage) => Promise<void>;
  logger?: Pick<Console, 'info' | 'warn' | 'error'>;
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
}

export interface PassResult {
  handed: number;
  skipped: number;
  /** Marked with the rejected keyword (too large, or refused for good by onMessage). */
  rejected: number;
  /** Set when the pass stopped early (the callback or the server failed). */
  error?: string;
}

export interface MailboxReader {
  start(): Promise<void>;
  /** One pass now (also what IDLE notifications and the poll timer trigger). Passes never overlap. */
  processNow(): Promise<PassResult>;
  stop(): Promise<void>;
  /** 'idle' when the server's IDLE is used, 'poll' otherwise; null before connecting. */
  readonly mode: 'idle' | 'poll' | null;
  readonly connected: boolean;
  /** Why the last connection attempt failed (a refused address, a refused login); null once connected. */
  readonly lastError: string | null;
}

/**
 * Thrown by `onMessage` when the relay will never accept this message (too large, not a message):
 * the reader marks it with the rejected keyword (left unread for a person to look at) and goes on,
 * instead of retrying it forever and blocking the mailbox behind it.
 */
export class RejectedMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RejectedMessageError';
  }
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;

export function validateMailboxOptions(options: MailboxReaderOptions): void {
  const tls = options.tls ?? 'implicit';
  if (!options.host) throw new MailboxConfigError('mailbox host is required');
  if (!options.auth?.user) throw new MailboxConfigError('mailbox user is required');
  const ways = (['pass', 'accessToken', 'oauth'] as const).filter(
    (way) => (options.auth as Record<string, unknown>)[way] !== undefined,
  );
  if (ways.length !== 1)
    throw new MailboxConfigError(
      'mailbox auth takes exactly one of a password, an access token or oauth client credentials',
    );
  if ('oauth' in options.auth)
    validateMailboxOAuth(options.auth.oauth, {
      ...(options.allowPlainOnLoopback !== undefined
        ? { allowPlainOnLoopback: options.allowPlainOnLoopback }
        : {}),
      ...(options.outbound ? { outbound: options.outbound } : {}),
    });
  if (!['implicit', 'starttls', 'none'].includes(tls))
    throw new MailboxConfigError(`mailbox tls must be implicit, starttls or none, got ${tls}`);
  if (tls === 'none' && !(options.allowPlainOnLoopback && LOOPBACK.test(options.host))) {
    throw new MailboxConfigError(
      'plain-text IMAP is only allowed to a loopback host with allowPlainOnLoopback: true; use tls implicit (993) or starttls',
    );
  }
  if (
    options.port !== undefined &&
    (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)
  )
    throw new MailboxConfigError(`mailbox port ${options.port} is invalid`);
}

/**
 * The key a reader keeps its checkpoint under: the mailbox's address (user, host, port, folder),
 * so two configurations of one mailbox share it. Exported so whoever removes a mailbox can remove
 * its checkpoint too.
 */
export function mailboxCheckpointKey(options: {
  auth: { user: string };
  host: string;
  port?: number;
  tls?: MailboxTls;
  mailbox?: string;
}): string {
  const port = options.port ?? ((options.tls ?? 'implicit') === 'implicit' ? 993 : 143);
  return `imap://${encodeURIComponent(options.auth.user)}@${options.host}:${port}/${options.mailbox ?? 'INBOX'}`;
}

export function createMailboxReader(options: MailboxReaderOptions): MailboxReader {
  validateMailboxOptions(options);
  const tls = options.tls ?? 'implicit';
  const port = options.port ?? (tls === 'implicit' ? 993 : 143);
  const mailbox = options.mailbox ?? 'INBOX';
  const keyword = options.processedKeyword ?? '$SyncDoctorProcessed';
  const rejectedKeyword = options.rejectedKeyword ?? '$SyncDoctorRejected';
  const maxBytes = options.maxMessageBytes ?? 10 * 1024 * 1024;
  const markSeen = options.markSeen ?? true;
  const pollInterval = options.pollIntervalMs ?? 60_000;
  const filter = options.filter ?? isHubSpotNotification;
  const firstRunMaxAge = options.firstRunMaxAgeMs ?? 7 * 24 * 60 * 60_000;
  const log = options.logger ?? {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
  const minDelay = options.reconnect?.minDelayMs ?? 1000;
  const maxDelay = options.reconnect?.maxDelayMs ?? 60_000;
  const checkpointKey = mailboxCheckpointKey({
    auth: options.auth,
    host: options.host,
    port,
    mailbox,
  });

  let client: ImapFlow | null = null;
  let mode: 'idle' | 'poll' | null = null;
  let stopping = false;
  let pollTimer: NodeJS.Timeout | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectDelay = minDelay;
  let chain: Promise<unknown> = Promise.resolve();
  let pending: Promise<PassResult> | null = null;
  let useKeyword = true;
  let lastError: string | null = null;
  const tokens: TokenClient | null =
    'oauth' in options.auth
      ? createTokenClient({
          oauth: options.auth.oauth,
          user: options.auth.user,
          ...(options.outbound ? { outbound: options.outbound } : {}),
          ...(options.allowPlainOnLoopback !== undefined
            ? { allowPlainOnLoopback: options.allowPlainOnLoopback }
            : {}),
          ...(options.auth.tokenTimeoutMs !== undefined
            ? { timeoutMs: options.auth.tokenTimeoutMs }
            : {}),
        })
      : null;

  /** The token of the last OAuth login attempt: never repeated in lastError, whatever the server says. */
  let lastToken: string | null = null;
  /** The IMAP credentials of this connection: with OAuth, a token good for a while yet. */
  const credentials = async (): Promise<
    { user: string; pass: string } | { user: string; accessToken: string }
  > => {
    const auth = options.auth;
    if ('pass' in auth) return { user: auth.user, pass: auth.pass };
    if ('accessToken' in auth) return { user: auth.user, accessToken: auth.accessToken };
    lastToken = await tokens!.getToken();
    return { user: auth.user, accessToken: lastToken };
  };

  // With a policy: the address checked at this connection, and the name for TLS (ImapFlow's
  // servername: SNI and the certificate check). ImapFlow takes no lookup, so it gets the address and
  // does not resolve the name again. An address literal is its own servername.
  const target = async (): Promise<{ host: string; servername?: string }> => {
    if (!options.outbound) return { host: options.host };
    const address = await resolveAllowed(options.host, options.outbound);
    // Plain text was allowed for a loopback name: the password must not cross a network either.
    if (tls === 'none' && !LOOPBACK.test(address))
      throw new MailboxConfigError(
        `plain-text IMAP is only allowed to loopback; ${options.host} resolves to ${address}`,
      );
    const bare = options.host.replace(/^\[|\]$/g, '');
    return address === bare ? { host: address } : { host: address, servername: options.host };
  };

  const imapOptions = (
    to: { host: string; servername?: string },
    auth: { user: string; pass: string } | { user: string; accessToken: string },
  ) => ({
    ...to,
    port,
    secure: tls === 'implicit',
    // 'starttls' insists on the upgrade; 'none' never tries it (loopback only, checked above).
    doSTARTTLS: tls === 'starttls' ? true : tls === 'none' ? false : undefined,
    auth,
    logger: false as const,
    disableAutoIdle: options.useIdle === false,
    autoIdleDelay: options.idleDelayMs ?? 1000,
    ...(options.tlsOptions ? { tls: options.tlsOptions } : {}),
  });

  async function connect(): Promise<void> {
    try {
      await connectOnce();
      lastError = null;
    } catch (error) {
      // A refusal by the outbound rule carries its code, as the relay's other refusals do.
      // So does a token endpoint's refusal (OAUTH_TOKEN_REFUSED: invalid_client...).
      lastError =
        error instanceof DestinationRefusedError ||
        (error instanceof TokenRequestError && error.refused)
          ? `${error.code}: ${error.message}`
          : error instanceof Error
            ? error.message
            : String(error);
      if (tokens && (error as { authenticationFailed?: boolean }).authenticationFailed) {
        // The server refused the token (revoked, or the app lost its mailbox right): the next
        // attempt asks for a new one, and the error says what to look at.
        tokens.invalidate();
        // The server's words, as it chose them: no control characters (terminal escapes), never
        // the token (a server may echo it), the token taken out before the text is cut.
        const raw = (error as { response?: unknown }).response;
        const response =
          typeof raw === 'string'
            ? (lastToken ? raw.split(lastToken).join('[redacted]') : raw)
                .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
                .trim()
                .slice(0, 200)
            : '';
        lastError = `IMAP_LOGIN_REFUSED: the IMAP server refused the OAuth token for ${options.auth.user}${response ? ` (${response})` : ''}; a new token is asked for at the next attempt (${'oauth' in options.auth && options.auth.oauth.kind === 'google-service-account' ? 'Google Workspace: the service account needs domain-wide delegation of its scope for this user, and IMAP enabled for the user' : 'Microsoft 365: the app needs IMAP.AccessAsApp with admin consent, an Exchange service principal and access to this mailbox'})`;
      }
      throw error;
    }
  }

  async function connectOnce(): Promise<void> {
    // The token first: a refused one is the error to show, before any connection is made.
    const auth = await credentials();
    const next = new ImapFlow(imapOptions(await target(), auth));
    next.on('error', (error: Error) => log.warn(`mailbox ${checkpointKey}: ${error.message}`));
    next.on('close', () => {
      if (client === next) {
        client = null;
        if (!stopping) scheduleReconnect();
      }
    });
    next.on('exists', (event: { path: string; count: number; prevCount: number }) => {
      if (event.path === mailbox && event.count > event.prevCount) void trigger();
    });
    await next.connect();
    client = next;
    // Logged in: the last attempt's failure no longer applies, and `connected` (true from here)
    // must never stand beside it in a view. A failure opening the mailbox sets it anew.
    lastError = null;
    mode = options.useIdle !== false && next.capabilities.has('IDLE') ? 'idle' : 'poll';
    if (options.moveTo) {
      await next.mailboxCreate(options.moveTo).catch((error: { serverResponseCode?: string }) => {
        if (error.serverResponseCode !== 'ALREADYEXISTS') throw error;
      });
    }
    const opened = await next.mailboxOpen(mailbox);
    // Servers that do not keep custom keywords get \Seen as the processed mark instead.
    useKeyword =
      !opened.permanentFlags ||
      opened.permanentFlags.has('\\*') ||
      opened.permanentFlags.has(keyword);
    if (!useKeyword)
      log.warn(
        `mailbox ${checkpointKey}: the server keeps no custom keywords; \\Seen marks processed messages`,
      );
    reconnectDelay = minDelay;
    schedulePoll();
    log.info(`mailbox ${checkpointKey}: connected (${mode})`);
  }

  function scheduleReconnect(): void {
    if (reconnectTimer || stopping) return;
    const delay = Math.round(reconnectDelay * (0.75 + Math.random() / 2));
    reconnectDelay = Math.min(maxDelay, reconnectDelay * 2);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect()
        .then(() => trigger())
        .catch((error: Error) => {
          log.warn(`mailbox ${checkpointKey}: reconnect failed: ${error.message}`);
          scheduleReconnect();
        });
    }, delay);
    reconnectTimer.unref?.();
  }

  function schedulePoll(): void {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = setInterval(
      () => void trigger(),
      mode === 'idle' ? pollInterval * 5 : pollInterval,
    );
    pollTimer.unref?.();
  }

  /** Coalesces triggers: at most one pass running and one waiting. */
  function trigger(): Promise<PassResult> {
    if (pending) return pending;
    const run = chain.then(() => {
      pending = null;
      return pass();
    });
    pending = run;
    chain = run.catch(() => undefined);
    return run;
  }

  async function pass(): Promise<PassResult> {
    const result: PassResult = { handed: 0, skipped: 0, rejected: 0 };
    const imap = client;
    if (!imap || stopping) return { ...result, error: 'not connected' };
    let lock: { release(): void } | null = null;
    try {
      lock = await imap.getMailboxLock(mailbox);
      const uidValidity = String(
        imap.mailbox && typeof imap.mailbox === 'object' ? imap.mailbox.uidValidity : '',
      );
      const saved = await options.checkpointStore.load(checkpointKey);
      let lastUid = saved && saved.uidValidity === uidValidity ? saved.lastUid : 0;
      // Without a checkpoint this is the first look at the mailbox: only recent notices are news.
      const firstRun = !saved || saved.uidValidity !== uidValidity;
      const notBefore = Date.now() - firstRunMaxAge;
      let old = 0;
      if (saved && saved.uidValidity !== uidValidity)
        log.warn(
          `mailbox ${checkpointKey}: UIDVALIDITY changed; rescanning, the processed mark prevents re-reading`,
        );
      // A first run asks the server only for mail delivered within the window (a day of margin: SINCE
      // has day granularity), so years of mail are not fetched one by one; the Date header decides below.
      const window = firstRun ? { since: new Date(notBefore - 24 * 60 * 60_000) } : {};
      const query = useKeyword
        ? {
            uid: `${lastUid + 1}:*`,
            unKeyword: keyword,
            not: { keyword: rejectedKeyword },
            ...window,
          }
        : // Without keywords (Microsoft 365, Exchange), \Seen is the only mark, and a person
          // reading the mailbox sets it too: past a checkpoint, what is new is what lies past it,
          // read or not. Only a first look (no checkpoint, or UIDVALIDITY changed) goes by \Seen.
          { uid: `${lastUid + 1}:*`, ...(firstRun ? { seen: false } : {}), ...window };
      // "n:*" always matches the highest UID, even below n: filter again.
      const found = (await imap.search(query, { uid: true })) || [];
      const uids = found.filter((uid) => uid > lastUid).sort((a, b) => a - b);
      // A custom filter that throws (a bug in it, a message it did not expect) takes that message
      // for no notice: it is passed like any other, instead of stopping every pass at it, so the
      // notices after it are still read. Only the error's kind is logged: its text may quote the
      // message (a SyntaxError from JSON.parse does), and no message body goes into the logs.
      const isNotice = (message: MailboxMessage, uid: number): boolean => {
        try {
          return filter(message);
        } catch (error) {
          const name = error instanceof Error ? error.name : typeof error;
          const kind = /^[A-Za-z_$][\w$]{0,39}$/.test(name) ? name : 'an error';
          log.warn(
            `mailbox ${checkpointKey}: message uid ${uid}: the filter threw (${kind}); taken as no notice and left as it is`,
          );
          return false;
        }
      };
      for (const uid of uids) {
        if (stopping) break;
        const reject = async (why: string) => {
          log.warn(`mailbox ${checkpointKey}: message uid ${uid} rejected: ${why}`);
          await imap.messageFlagsAdd(String(uid), [useKeyword ? rejectedKeyword : '\\Seen'], {
            uid: true,
          });
          result.rejected += 1;
        };
        const head = await imap.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
        if (head && typeof head.size === 'number' && head.size > maxBytes) {
          await reject(`${head.size} bytes is more than ${maxBytes}`);
        } else {
          const fetched = head
            ? await imap.fetchOne(String(uid), { uid: true, source: true }, { uid: true })
            : false;
          // A message the MIME parser refuses (over 1,000 parts, a header over 1 MB) is refused
          // at every pass: left as it is and passed, or it would stop every pass at it and no
          // notice after it would ever be read.
          const message =
            fetched && fetched.source
              ? await readMessage(fetched.source, { mailbox, uid, uidValidity }).catch(
                  (error: unknown) => {
                    log.warn(
                      `mailbox ${checkpointKey}: message uid ${uid} cannot be read (${error instanceof Error ? error.message : String(error)}); left as it is`,
                    );
                    result.skipped += 1;
                    return null;
                  },
                )
              : null;
          const notice = message ? isNotice(message, uid) : false;
          if (message) {
            if (
              firstRun &&
              notice &&
              message.date !== null &&
              Date.parse(message.date) < notBefore
            ) {
              // History, not news: left as it is (unflagged, for a person), passed by the checkpoint.
              old += 1;
              result.skipped += 1;
            } else if (notice) {
              let accepted = true;
              try {
                await options.onMessage(message);
              } catch (error) {
                if (!(error instanceof RejectedMessageError)) throw error;
                accepted = false;
                await reject(error.message);
              }
              if (accepted) {
                const flags = useKeyword ? [keyword, ...(markSeen ? ['\\Seen'] : [])] : ['\\Seen'];
                await imap.messageFlagsAdd(String(uid), flags, { uid: true });
                if (options.moveTo)
                  await imap.messageMove(String(uid), options.moveTo, { uid: true });
                result.handed += 1;
              }
            } else {
              result.skipped += 1;
            }
          }
        }
        lastUid = uid;
        await options.checkpointStore.save(checkpointKey, { uidValidity, lastUid });
      }
      if (old > 0)
        log.info(
          `mailbox ${checkpointKey}: first run: ${old} notice(s) older than ${Math.round(firstRunMaxAge / 3_600_000)} h left as they are`,
        );
    } catch (error) {
      result.error = error instanceof Error ? error.message : String(error);
      log.error(`mailbox ${checkpointKey}: pass stopped: ${result.error}`);
    } finally {
      lock?.release();
    }
    return result;
  }

  return {
    async start() {
      stopping = false;
      await connect();
      await trigger();
    },
    processNow: () => trigger(),
    async stop() {
      stopping = true;
      if (pollTimer) clearInterval(pollTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      pollTimer = reconnectTimer = null;
      await chain;
      const imap = client;
      client = null;
      mode = null;
      if (imap) await imap.logout().catch(() => imap.close());
    },
    get mode() {
      return mode;
    },
    get connected() {
      return client !== null && client.usable;
    },
    get lastError() {
      return lastError;
    },
  };
}
