import { ImapFlow } from 'imapflow';
import {
  createMailboxReader,
  DestinationRefusedError,
  MemoryCheckpointStore,
  type MailboxMessage,
  type MailboxReader,
  type MailboxReaderOptions,
} from '../src/index.js';
import { startDovecot, type Dovecot, connectImap } from './helpers/dovecot.js';
import { fakeDns } from './helpers/fakeDns.js';
import { startForwarder, type Forwarder } from './helpers/forwarder.js';
import { selfSignedCertificate } from './helpers/selfSigned.js';

jest.setTimeout(30_000);

// The reader's `outbound` rule (the relay's RELAY_ALLOW_PRIVATE_TARGETS): the mailbox host is
// resolved with it at every (re)connect and IMAP connects to the checked address, so a name that
// resolves to loopback or the metadata service now (DNS rebinding; it passed the save-time check,
// which does not resolve) never gets the login. A name of the test's DNS points at a forwarder in
// front of Dovecot that counts the connections reaching it.

const NAME = 'imap.rebind.example';
let dovecot: Dovecot;
let plain: Forwarder;
let secure: Forwarder;
let cert: { key: string; cert: string };
let dns: ReturnType<typeof fakeDns>;
let admin: ImapFlow;
const readers: MailboxReader[] = [];

beforeAll(async () => {
  dovecot = await startDovecot();
  cert = selfSignedCertificate(NAME);
  plain = await startForwarder(dovecot.port);
  secure = await startForwarder(dovecot.port, cert);
  admin = await connectImap(dovecot);
});
beforeEach(() => {
  dns = fakeDns({ [NAME]: '127.0.0.1', 'metadata.rebind.example': '169.254.169.254' });
});
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.stop()));
  dns.restore();
});
afterAll(async () => {
  await admin?.logout().catch(() => undefined);
  await plain?.close();
  await secure?.close();
  await dovecot?.stop();
});

function reader(extra: Partial<MailboxReaderOptions>): MailboxReader {
  const r = createMailboxReader({
    host: NAME,
    port: secure.port,
    tls: 'implicit',
    tlsOptions: { ca: cert.cert },
    auth: { user: dovecot.user, pass: dovecot.pass },
    checkpointStore: new MemoryCheckpointStore(),
    onMessage: async () => undefined,
    pollIntervalMs: 60_000,
    reconnect: { minDelayMs: 50, maxDelayMs: 100 },
    ...extra,
  });
  readers.push(r);
  return r;
}

const notice = (id: string) =>
  [
    'From: HubSpot <noreply@notifications.hubspot.com>',
    'To: admin@example.com',
    'Subject: Your Salesforce integration has been suspended',
    `Message-ID: <${id}@notifications.hubspot.com>`,
    `Date: ${new Date(Date.now() - 3600_000).toUTCString()}`,
    '',
    'Your HubSpot-Salesforce integration for Hub ID 4711 was suspended:',
    '',
    'Salesforce org API limit exceeded',
    '',
  ].join('\r\n');

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('mailbox reader with the outbound rule', () => {
  it('refuses a name that resolves to loopback before connecting: no connection, no login, and says why', async () => {
    const r = reader({ outbound: {} });
    const error = await r.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationRefusedError);
    expect((error as Error).message).toBe(
      `${NAME} resolves to 127.0.0.1, which is not a public address (loopback, private, link-local or reserved); the relay connects only to public addresses unless RELAY_ALLOW_PRIVATE_TARGETS=true`,
    );
    expect(r.connected).toBe(false);
    expect(r.lastError).toBe(`DESTINATION_REFUSED: ${(error as Error).message}`);
    expect(dns.asked.get(NAME)).toBe(1);
    expect(secure.connections).toBe(0);
  });

  it('refuses the metadata service address the same way, plain text or not', async () => {
    const r = reader({
      host: 'metadata.rebind.example',
      port: plain.port,
      tls: 'starttls',
      outbound: {},
    });
    await expect(r.start()).rejects.toThrow(
      'metadata.rebind.example resolves to 169.254.169.254, which is not a public address',
    );
    expect(plain.connections).toBe(0);
  });

  it('with private targets allowed: connects to the checked address, TLS names the host (SNI, certificate), and reads the mailbox', async () => {
    const folder = 'Outbound1';
    await admin.mailboxCreate(folder);
    await admin.append(folder, notice('ob-1'));
    const handed: MailboxMessage[] = [];
    const before = secure.connections;
    const r = reader({
      outbound: { allowPrivateNetworks: true },
      mailbox: folder,
      onMessage: async (m) => void handed.push(m),
    });
    await r.start();
    expect(r.connected).toBe(true);
    expect(r.lastError).toBeNull();
    expect(handed.map((m) => m.messageId)).toEqual(['<ob-1@notifications.hubspot.com>']);
    expect(secure.connections).toBe(before + 1);
    // The certificate names only the host (no IP address): accepted because TLS checks the name.
    expect(secure.servernames.at(-1)).toBe(NAME);
  });

  it('resolves again at every reconnect, and a name that now resolves to loopback is refused there', async () => {
    const folder = 'Outbound2';
    await admin.mailboxCreate(folder);
    // A policy object the test changes: allowed at first, the default rule from the reconnect on.
    const policy = { allowPrivateNetworks: true };
    const r = reader({ outbound: policy, mailbox: folder });
    await r.start();
    expect(dns.asked.get(NAME)).toBe(1);
    const connections = secure.connections;
    await dovecot.kick(dovecot.user);
    await waitFor(() => (dns.asked.get(NAME) ?? 0) >= 2 && r.connected);
    expect(secure.connections).toBe(connections + 1);
    policy.allowPrivateNetworks = false;
    await dovecot.kick(dovecot.user);
    await waitFor(() => r.lastError !== null && (dns.asked.get(NAME) ?? 0) >= 3);
    expect(r.connected).toBe(false);
    expect(r.lastError).toMatch(
      new RegExp(
        `^DESTINATION_REFUSED: ${NAME.replace(/\./g, '\\.')} resolves to 127\\.0\\.0\\.1, which is not a public address`,
      ),
    );
    expect(secure.connections).toBe(connections + 1);
  });
});
