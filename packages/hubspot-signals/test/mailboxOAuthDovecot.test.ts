import { ImapFlow } from 'imapflow';
import { MICROSOFT_365_IMAP_SCOPE, type MailboxMessage, type MailboxReader } from '../src/index.js';
import {
  connectImap,
  dovecotReader,
  startOAuthDovecot,
  suspensionNotice,
  type Dovecot,
} from './helpers/dovecot.js';
import { startAuthServer, type FakeAuthServer } from './helpers/oauthServer.js';

jest.setTimeout(60_000);

// A mailbox that accepts only OAuth 2.0 (as Exchange Online does now): Dovecot's oauth2 passdb
// checks every XOAUTH2 login against the test's introspection endpoint, which calls active only
// the tokens the test's token endpoint issued. Dovecot offers XOAUTH2 alone, as Microsoft 365 does.

const USER = 'hubspot-alerts@example.com';
let auth: FakeAuthServer;
let dovecot: Dovecot;
let admin: ImapFlow;
const readers: MailboxReader[] = [];

beforeAll(async () => {
  auth = await startAuthServer(USER);
  // The test's own client, with a token of its own, puts the mail in.
  ({ dovecot, admin } = await startOAuthDovecot(auth, USER));
});
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.stop()));
  auth.mode = 'ok';
});
afterAll(async () => {
  await admin?.logout().catch(() => undefined);
  await dovecot?.stop();
  await auth?.stop();
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const notice = (id: string) => suspensionNotice(USER, id);

let folders = 0;
async function folderWith(...ids: string[]): Promise<string> {
  const folder = `OAuth${++folders}`;
  await admin.mailboxCreate(folder);
  for (const id of ids) await admin.append(folder, notice(id));
  return folder;
}

function reader(folder: string, handed: MailboxMessage[], clientSecret = auth.clientSecret) {
  const r = dovecotReader(
    dovecot,
    folder,
    {
      user: USER,
      oauth: {
        kind: 'client-credentials',
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        clientSecret,
        scope: MICROSOFT_365_IMAP_SCOPE,
      },
    },
    handed,
  );
  readers.push(r);
  return r;
}

const messageIds = (handed: MailboxMessage[]) => handed.map((m) => m.messageId);

describe('mailbox reader with OAuth 2.0 client credentials', () => {
  it('refuses a password: the mailbox takes only a token', async () => {
    const withPassword = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      doSTARTTLS: false,
      auth: { user: USER, pass: auth.clientSecret },
      logger: false,
    });
    await expect(withPassword.connect()).rejects.toMatchObject({ authenticationFailed: true });
  });

  it('gets a token from the token endpoint, logs in with XOAUTH2 and reads the notice', async () => {
    const folder = await folderWith('oauth-first');
    const handed: MailboxMessage[] = [];
    const before = auth.tokenRequests.length;
    const r = reader(folder, handed);
    await r.start();
    expect(r.connected).toBe(true);
    expect(r.lastError).toBeNull();
    expect(messageIds(handed)).toEqual(['<oauth-first@notifications.hubspot.com>']);
    // One token asked for, and that very token is the one Dovecot's introspection accepted.
    expect(auth.tokenRequests.slice(before)).toEqual([
      {
        grant_type: 'client_credentials',
        client_id: auth.clientId,
        scope: MICROSOFT_365_IMAP_SCOPE,
      },
    ]);
    expect(auth.accepted).toContain(auth.issued[auth.issued.length - 1]);
  });

  it('asks for a new token when the server refuses the cached one at a reconnect', async () => {
    const folder = await folderWith('oauth-before');
    const handed: MailboxMessage[] = [];
    const r = reader(folder, handed);
    await r.start();
    const requests = auth.tokenRequests.length;
    const first = auth.issued[auth.issued.length - 1]!;
    // The token is revoked and the session dropped: the reader's cached token (an hour left) is
    // refused at the reconnect, and the attempt after asks the endpoint for a new one.
    auth.revokeAll();
    await dovecot.kick(USER);
    await waitFor(() => auth.tokenRequests.length > requests && r.connected);
    expect(auth.issued[auth.issued.length - 1]).not.toBe(first);
    expect(r.lastError).toBeNull();
    // The test's own session went too: it logs in again with a fresh token of its own.
    await admin.logout().catch(() => undefined);
    admin = await connectImap(dovecot, { user: USER, accessToken: auth.issue() });
    await admin.append(folder, notice('oauth-after'));
    await waitFor(() => handed.length === 2);
    expect(messageIds(handed)).toEqual([
      '<oauth-before@notifications.hubspot.com>',
      '<oauth-after@notifications.hubspot.com>',
    ]);
  });

  it('names a token the IMAP server refuses, and asks for a new one at the next attempt', async () => {
    const folder = await folderWith('oauth-inactive');
    const handed: MailboxMessage[] = [];
    const r = reader(folder, handed);
    auth.mode = 'inactive';
    const requests = auth.tokenRequests.length;
    await expect(r.start()).rejects.toMatchObject({ authenticationFailed: true });
    expect(r.lastError).toMatch(
      /^IMAP_LOGIN_REFUSED: the IMAP server refused the OAuth token for hubspot-alerts@example\.com/,
    );
    expect(r.lastError).not.toContain(auth.issued[auth.issued.length - 1]);
    auth.mode = 'ok';
    await r.start();
    // The refused token was dropped: the second attempt asked for a new one, which works.
    expect(auth.tokenRequests.length).toBe(requests + 2);
    expect(r.lastError).toBeNull();
    expect(messageIds(handed)).toEqual(['<oauth-inactive@notifications.hubspot.com>']);
  });

  it('shows a refused token request as its lastError, without the secret, and connects once it is fixed', async () => {
    const folder = await folderWith('oauth-refused');
    const handed: MailboxMessage[] = [];
    const wrong = `wrong-${auth.clientSecret}`;
    const r = reader(folder, handed, wrong);
    await expect(r.start()).rejects.toThrow('refused the client credentials');
    expect(r.connected).toBe(false);
    expect(r.lastError).toMatch(
      /^OAUTH_TOKEN_REFUSED: token endpoint http:\/\/127\.0\.0\.1:\d+\/tenant\/oauth2\/v2\.0\/token refused the client credentials: HTTP 401 invalid_client: AADSTS7000215/,
    );
    expect(r.lastError).not.toContain(wrong);
    expect(handed).toEqual([]);

    const fixed = reader(folder, handed);
    auth.mode = 'refuse';
    await expect(fixed.start()).rejects.toThrow('invalid_grant');
    expect(fixed.lastError).toContain('HTTP 400 invalid_grant: AADSTS700016');
    auth.mode = 'ok';
    await fixed.start();
    expect(fixed.lastError).toBeNull();
    expect(messageIds(handed)).toEqual(['<oauth-refused@notifications.hubspot.com>']);
  });
});
