import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import {
  createMailboxReader,
  MemoryCheckpointStore,
  type MailboxMessage,
  type MailboxReader,
  type MailboxReaderOptions,
} from '../../src/index.js';

/**
 * A throwaway Dovecot IMAP server (Debian's dovecot-imapd) on 127.0.0.1: its own config, base_dir,
 * passwd-file and maildir in a temporary directory, no TLS (loopback only), IDLE as Dovecot offers it.
 * As root, Dovecot's own users run the login/internal processes and mail belongs to `nobody`;
 * as any other user everything runs as that user.
 */
export interface Dovecot {
  host: string;
  port: number;
  user: string;
  pass: string;
  dir: string;
  /** Drops every IMAP session of a user (doveadm kick), as a server restart or an idle timeout would. */
  kick(user: string): Promise<void>;
  stop(): Promise<void>;
}

const DOVECOT_BINARY = '/usr/sbin/dovecot';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Resolves once the server greets with its capabilities (auth is up), or rejects after the timeout. */
async function waitForGreeting(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      const done = (value: boolean) => {
        socket.destroy();
        resolve(value);
      };
      socket.setTimeout(1000, () => done(false));
      socket.on('data', (chunk) => {
        data += chunk.toString();
        if (/^\* OK \[CAPABILITY/m.test(data)) done(true);
      });
      socket.on('error', () => done(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`dovecot did not come up on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * OAuth 2.0 logins (SASL XOAUTH2 / OAUTHBEARER) checked by Dovecot's oauth2 passdb against a token
 * introspection endpoint the test serves (RFC 7662 style: POST token=..., JSON with `active` and
 * the user). The passwd-file user keeps its password (PLAIN, LOGIN) for the test's own client;
 * any other user can only log in with a token the endpoint calls active for that user.
 */
interface DovecotOAuth2 {
  introspectionUrl: string;
  /** Dovecot's auth_mechanisms (default "plain login xoauth2 oauthbearer"). */
  mechanisms?: string;
}

export async function startDovecot(options: { oauth2?: DovecotOAuth2 } = {}): Promise<Dovecot> {
  if (!existsSync(DOVECOT_BINARY))
    throw new Error(`${DOVECOT_BINARY} is missing: apt-get install dovecot-core dovecot-imapd`);
  const dir = mkdtempSync(join(tmpdir(), 'sync-doctor-dovecot-'));
  chmodSync(dir, 0o755);
  const mail = join(dir, 'mail');
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
  const root = process.getuid?.() === 0;
  const me = userInfo();
  const mailUid = root ? 65534 : me.uid;
  const mailGid = root ? 65534 : me.gid;
  if (root) chownSync(mail, mailUid, mailGid);
  const user = 'relay';
  const pass = `pw-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${pass}::::::\n`);
  const port = await freePort();
  const oauth2 = options.oauth2;
  if (oauth2)
    writeFileSync(
      join(dir, 'oauth2.conf.ext'),
      [
        `introspection_url = ${oauth2.introspectionUrl}`,
        'introspection_mode = post',
        'force_introspection = yes',
        'username_attribute = username',
        'active_attribute = active',
        'active_value = true',
        '',
      ].join('\n'),
    );
  const config = [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    'ssl = no',
    'disable_plaintext_auth = no',
    `auth_mechanisms = ${oauth2 ? (oauth2.mechanisms ?? 'plain login xoauth2 oauthbearer') : 'plain login'}`,
    `mail_location = maildir:${mail}/%u`,
    `default_internal_user = ${root ? 'dovecot' : me.username}`,
    `default_login_user = ${root ? 'dovenull' : me.username}`,
    `first_valid_uid = ${Math.min(mailUid, 500)}`,
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${dir}/passwd`,
    ...(oauth2 ? ['  mechanisms = plain login'] : []),
    '}',
    ...(oauth2
      ? [
          'passdb {',
          '  driver = oauth2',
          '  mechanisms = xoauth2 oauthbearer',
          `  args = ${dir}/oauth2.conf.ext`,
          '}',
        ]
      : []),
    'userdb {',
    '  driver = static',
    `  args = uid=${mailUid} gid=${mailGid} home=${mail}/%u`,
    '}',
    'service imap-login {',
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    '    port = 0',
    '  }',
    '}',
    // The OAuth tests fail logins on purpose: no growing per-IP penalty (2, 4, 8, 15 s) nor delay
    // for the logins after them (every client of the tests comes from 127.0.0.1).
    ...(oauth2
      ? [
          'auth_failure_delay = 0',
          'service anvil {',
          '  unix_listener anvil-auth-penalty {',
          '    mode = 0',
          '  }',
          '}',
        ]
      : []),
    // Keep Dovecot off the system-wide stats socket.
    'service stats {',
    '  unix_listener stats-reader {',
    '    mode = 0666',
    '  }',
    '  unix_listener stats-writer {',
    '    mode = 0666',
    '  }',
    '}',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'dovecot.conf'), config);
  const child: ChildProcess = spawn(DOVECOT_BINARY, ['-F', '-c', join(dir, 'dovecot.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForGreeting(port, 10_000),
      exited.then(() => {
        throw new Error(`dovecot exited: ${stderr.trim()}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    pass,
    dir,
    kick: (who) =>
      new Promise<void>((resolve, reject) =>
        execFile('/usr/bin/doveadm', ['-c', join(dir, 'dovecot.conf'), 'kick', who], (error) =>
          error ? reject(error) : resolve(),
        ),
      ),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An IMAP client of the test's own, logged in as the server's user (or, on a server started with
 * `oauth2`, as `login.user` with an access token the introspection endpoint calls active): to put
 * messages in and read flags.
 */
export async function connectImap(
  dovecot: Dovecot,
  login: { user: string; pass: string } | { user: string; accessToken: string } = {
    user: dovecot.user,
    pass: dovecot.pass,
  },
): Promise<ImapFlow> {
  const imap = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    doSTARTTLS: false,
    auth: login,
    logger: false,
  });
  await imap.connect();
  return imap;
}

/**
 * A mailbox that accepts only OAuth 2.0 logins (XOAUTH2 checked against the test's introspection
 * endpoint, beside PLAIN and LOGIN for nobody with a password), and the test's own client logged in
 * as `user` with a token `auth` issued, to put the mail in. On a failed login the server is stopped.
 */
export async function startOAuthDovecot(
  auth: { introspectionUrl: string; issue(): string },
  user: string,
): Promise<{ dovecot: Dovecot; admin: ImapFlow }> {
  const dovecot = await startDovecot({
    oauth2: { introspectionUrl: auth.introspectionUrl, mechanisms: 'plain login xoauth2' },
  });
  try {
    return { dovecot, admin: await connectImap(dovecot, { user, accessToken: auth.issue() }) };
  } catch (error) {
    await dovecot.stop();
    throw error;
  }
}

/** HubSpot's suspension notice for Hub ID 4711, sent an hour ago to `to`, as the tests append it. */
export function suspensionNotice(to: string, id: string): string {
  return [
    'From: HubSpot <noreply@notifications.hubspot.com>',
    `To: ${to}`,
    'Subject: Your Salesforce integration has been suspended',
    `Message-ID: <${id}@notifications.hubspot.com>`,
    `Date: ${new Date(Date.now() - 3600_000).toUTCString()}`,
    '',
    'Your HubSpot-Salesforce integration for Hub ID 4711 was suspended:',
    '',
    'Salesforce org API limit exceeded',
    '',
  ].join('\r\n');
}

/**
 * A reader of `folder` on the test Dovecot logged in with `auth` (plain text to loopback, no IDLE,
 * polled every 200 ms, quick reconnects, checkpoints in memory) that hands each message to `handed`.
 */
export function dovecotReader(
  dovecot: Dovecot,
  folder: string,
  auth: MailboxReaderOptions['auth'],
  handed: MailboxMessage[],
): MailboxReader {
  return createMailboxReader({
    host: dovecot.host,
    port: dovecot.port,
    tls: 'none',
    allowPlainOnLoopback: true,
    auth,
    mailbox: folder,
    useIdle: false,
    pollIntervalMs: 200,
    reconnect: { minDelayMs: 100, maxDelayMs: 400 },
    checkpointStore: new MemoryCheckpointStore(),
    onMessage: async (message) => {
      handed.push(message);
    },
  });
}
