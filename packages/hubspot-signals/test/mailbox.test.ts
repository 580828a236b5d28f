import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import {
  createMailboxReader,
  FileCheckpointStore,
  MailboxConfigError,
  RejectedMessageError,
  MemoryCheckpointStore,
  type MailboxMessage,
  type MailboxReader,
  type MailboxReaderOptions,
} from '../src/index.js';
import { startDovecot, type Dovecot, connectImap } from './helpers/dovecot.js';
import { hubspotMail, RECENT } from './helpers/hubspotMail.js';

jest.setTimeout(30_000);

let dovecot: Dovecot;
let admin: ImapFlow;
const readers: MailboxReader[] = [];
let scratch: string;

beforeAll(async () => {
  dovecot = await startDovecot();
  admin = await connectImap(dovecot);
  scratch = mkdtempSync(join(tmpdir(), 'sync-doctor-mailbox-'));
});
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await admin?.logout().catch(() => undefined);
  await dovecot?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

// Headings as HubSpot's help article spells them: English, and Danish from the shared seed copy of the article.
// HubSpot's Danish article (the project seed), kept as test data in the core.
const seed = readFileSync(
  join(__dirname, '../../core/test/data/hubspot-suspension-article.da.txt'),
  'utf8',
);
const DANISH_FIELD_TITLE = 'Manglende tilladelser til Salesforce-felter';
const ENGLISH_TITLE = 'Salesforce org API limit exceeded';

const english = (id: string, date?: Date) =>
  hubspotMail(
    'Your Salesforce integration has been suspended',
    `Hi,\n\nYour HubSpot-Salesforce integration for Hub ID 4711 was suspended:\n\n${ENGLISH_TITLE}\n\nOpen https://app.hubspot.com/integrations-settings/4711/installed`,
    id,
    date,
  );
const danish = (id: string) =>
  hubspotMail(
    'Din Salesforce-integration er suspenderet',
    `Hej,\n\nDin HubSpot-Salesforce-integration (Hub-id 4711) er suspenderet.\n\n${DANISH_FIELD_TITLE}\n\nIntegrationsbrugeren har ikke læse- og redigeringstilladelser til et felt.`,
    id,
  );
const newsletter = (id: string) =>
  [
    'From: News <news@example.org>',
    'To: admin@example.com',
    'Subject: Weekly digest',
    `Message-ID: <${id}@example.org>`,
    '',
    'Nothing about integrations here.',
    '',
  ].join('\r\n');

let folderCount = 0;
async function freshFolder(): Promise<string> {
  const name = `Test${++folderCount}`;
  await admin.mailboxCreate(name);
  return name;
}

async function deliver(folder: string, raw: string): Promise<void> {
  await admin.append(folder, raw);
}

async function flagsOf(folder: string): Promise<Map<string, Set<string>>> {
  const lock = await admin.getMailboxLock(folder);
  const out = new Map<string, Set<string>>();
  try {
    for await (const m of admin.fetch('1:*', { envelope: true, flags: true }))
      out.set(m.envelope?.messageId ?? '', m.flags ?? new Set());
  } catch {
    // empty mailbox
  } finally {
    lock.release();
  }
  return out;
}

function reader(
  folder: string,
  handed: MailboxMessage[],
  extra: Partial<MailboxReaderOptions> = {},
): MailboxReader {
  const r = createMailboxReader({
    host: dovecot.host,
    port: dovecot.port,
    tls: 'none',
    allowPlainOnLoopback: true,
    auth: { user: dovecot.user, pass: dovecot.pass },
    mailbox: folder,
    checkpointStore: new MemoryCheckpointStore(),
    onMessage: async (m) => void handed.push(m),
    pollIntervalMs: 60_000,
    ...extra,
  });
  readers.push(r);
  return r;
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('mailbox reader against a real Dovecot', () => {
  it('uses IDLE, picks up new mail at once, classifies English and Danish, flags what it handed and leaves the rest', async () => {
    expect(seed).toContain(DANISH_FIELD_TITLE);
    const folder = await freshFolder();
    const handed: MailboxMessage[] = [];
    const r = reader(folder, handed);
    await r.start();
    expect(r.mode).toBe('idle');
    await deliver(folder, english('en-1'));
    await deliver(folder, newsletter('news-1'));
    await deliver(folder, danish('da-1'));
    await waitFor(() => handed.length === 2);
    // Flags are set right after the hand-off: let the running pass finish.
    await r.processNow();
    expect(
      handed.map((m) => [m.messageId, m.classification?.reason, m.classification?.language]),
    ).toEqual([
      ['<en-1@notifications.hubspot.com>', 'API_LIMIT_EXCEEDED', 'en'],
      ['<da-1@notifications.hubspot.com>', 'FIELD_PERMISSIONS_MISSING', 'da'],
    ]);
    // The raw RFC 822 source is handed over unchanged, for POST /v1/inbound/email.
    expect(handed[0]!.source.toString()).toBe(english('en-1'));
    expect(handed[0]!.fromHubSpot).toBe(true);
    const flags = await flagsOf(folder);
    expect([...flags.get('<en-1@notifications.hubspot.com>')!]).toEqual(
      expect.arrayContaining(['$SyncDoctorProcessed', '\\Seen']),
    );
    expect([...flags.get('<da-1@notifications.hubspot.com>')!]).toContain('$SyncDoctorProcessed');
    expect([...flags.get('<news-1@example.org>')!]).toEqual([]);
  });

  it('never reads a message twice after a restart (checkpoint), nor when the checkpoint is lost (keyword)', async () => {
    const folder = await freshFolder();
    const store = new FileCheckpointStore(join(scratch, 'checkpoints.json'));
    const first: MailboxMessage[] = [];
    await deliver(folder, english('r-1'));
    await deliver(folder, danish('r-2'));
    const a = reader(folder, first, { checkpointStore: store });
    await a.start();
    expect(first).toHaveLength(2);
    await a.stop();
    const saved = await store.load(`imap://relay@127.0.0.1:${dovecot.port}/${folder}`);
    expect(saved!.lastUid).toBe(2);

    await deliver(folder, english('r-3'));
    const second: MailboxMessage[] = [];
    const b = reader(folder, second, {
      checkpointStore: new FileCheckpointStore(join(scratch, 'checkpoints.json')),
    });
    await b.start();
    expect(second.map((m) => m.messageId)).toEqual(['<r-3@notifications.hubspot.com>']);
    await b.stop();

    const third: MailboxMessage[] = [];
    const c = reader(folder, third, { checkpointStore: new MemoryCheckpointStore() });
    await c.start();
    expect(third).toEqual([]);
  });

  it('first run over a mailbox with years of notices hands only recent ones; later runs hand whatever arrives', async () => {
    const folder = await freshFolder();
    const store = new MemoryCheckpointStore();
    await deliver(folder, english('hist-2023', new Date('2023-03-14T09:00:00Z')));
    await deliver(folder, english('hist-2025', new Date(Date.now() - 30 * 24 * 3600_000)));
    await deliver(folder, english('recent-1', new Date(Date.now() - 2 * 24 * 3600_000)));
    const handed: MailboxMessage[] = [];
    const r = reader(folder, handed, { checkpointStore: store });
    await r.start();
    expect(handed.map((m) => m.messageId)).toEqual(['<recent-1@notifications.hubspot.com>']);
    // The old ones are left as they were (unread, for a person), and the checkpoint is past them.
    const flags = await flagsOf(folder);
    expect(flags.get('<hist-2023@notifications.hubspot.com>')!.size).toBe(0);
    expect((await store.load(`imap://relay@127.0.0.1:${dovecot.port}/${folder}`))!.lastUid).toBe(3);
    // With a checkpoint, a late-delivered old notice is news like any other.
    await deliver(folder, english('late-1', new Date(Date.now() - 20 * 24 * 3600_000)));
    await r.processNow();
    await waitFor(() => handed.length === 2);
    expect(handed.map((m) => m.messageId)).toEqual([
      '<recent-1@notifications.hubspot.com>',
      '<late-1@notifications.hubspot.com>',
    ]);
  });

  it('a first run does not fetch the mail delivered before its window, however much there is', async () => {
    const folder = await freshFolder();
    const delivered = new Date('2023-01-01T00:00:00Z');
    for (let i = 0; i < 50; i++)
      await admin.append(folder, english(`years-${i}`, delivered), [], delivered);
    await deliver(folder, english('today-1'));
    const handed: MailboxMessage[] = [];
    const visited: number[] = [];
    const store = new MemoryCheckpointStore();
    const counting = {
      load: (k: string) => store.load(k),
      save: async (k: string, c: { uidValidity: string; lastUid: number }) => {
        visited.push(c.lastUid);
        await store.save(k, c);
      },
    };
    const r = reader(folder, handed, { checkpointStore: counting });
    await r.start();
    expect(handed.map((m) => m.messageId)).toEqual(['<today-1@notifications.hubspot.com>']);
    // Only the new message was fetched (the checkpoint moved once, straight past the old mail).
    expect(visited).toEqual([51]);
  });

  it('loses nothing when the callback fails: the message stays unflagged and is handed on the next pass', async () => {
    const folder = await freshFolder();
    await deliver(folder, english('f-1'));
    const handed: MailboxMessage[] = [];
    let failOnce = true;
    const r = reader(folder, handed, {
      onMessage: async (m) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('relay store unavailable');
        }
        handed.push(m);
      },
    });
    await r.start();
    expect(handed).toEqual([]);
    expect([...(await flagsOf(folder)).get('<f-1@notifications.hubspot.com>')!]).toEqual([]);
    const pass = await r.processNow();
    expect(pass).toEqual({ handed: 1, skipped: 0, rejected: 0 });
    expect(handed).toHaveLength(1);
    expect(await r.processNow()).toEqual({ handed: 0, skipped: 0, rejected: 0 });
  });

  it('marks a message the relay refuses for good (or an oversized one) as rejected and goes on', async () => {
    const folder = await freshFolder();
    await deliver(folder, english('bad-1'));
    await deliver(folder, english('big-1') + 'x'.repeat(5000));
    await deliver(folder, danish('ok-1'));
    const handed: MailboxMessage[] = [];
    const r = reader(folder, handed, {
      maxMessageBytes: 4000,
      onMessage: async (m) => {
        if (m.messageId?.includes('bad-1'))
          throw new RejectedMessageError('not a HubSpot notice the relay can store');
        handed.push(m);
      },
    });
    await r.start();
    expect(handed.map((m) => m.messageId)).toEqual(['<ok-1@notifications.hubspot.com>']);
    const flags = await flagsOf(folder);
    expect([...flags.get('<bad-1@notifications.hubspot.com>')!]).toEqual(['$SyncDoctorRejected']);
    expect([...flags.get('<big-1@notifications.hubspot.com>')!]).toEqual(['$SyncDoctorRejected']);
    // Rejected messages are not retried, even without the checkpoint.
    const again: MailboxMessage[] = [];
    const fresh = reader(folder, again);
    await fresh.start();
    expect(again).toEqual([]);
  });

  it('polls when IDLE is not used, and moves processed mail to a folder', async () => {
    const folder = await freshFolder();
    const handed: MailboxMessage[] = [];
    const r = reader(folder, handed, {
      useIdle: false,
      pollIntervalMs: 200,
      moveTo: `${folder}-done`,
    });
    await r.start();
    expect(r.mode).toBe('poll');
    await deliver(folder, danish('p-1'));
    await waitFor(() => handed.length === 1);
    await r.processNow();
    const done = await flagsOf(`${folder}-done`);
    expect([...done.get('<p-1@notifications.hubspot.com>')!]).toContain('$SyncDoctorProcessed');
    expect((await flagsOf(folder)).size).toBe(0);
  });

  it('reconnects when the server drops the session, and picks up what arrived meanwhile', async () => {
    const folder = await freshFolder();
    const handed: MailboxMessage[] = [];
    const r = reader(folder, handed, { reconnect: { minDelayMs: 100, maxDelayMs: 500 } });
    await r.start();
    expect(r.connected).toBe(true);
    await dovecot.kick(dovecot.user);
    await waitFor(() => !r.connected);
    // The test's own session was dropped too: open a new one to deliver.
    admin = await connectImap(dovecot);
    await deliver(folder, english('after-kick'));
    await waitFor(() => handed.length === 1);
    expect(handed[0]!.messageId).toBe('<after-kick@notifications.hubspot.com>');
    expect(r.connected).toBe(true);
  });

  it('uses TLS by default, and allows plain text only to loopback when asked', async () => {
    const base = {
      host: dovecot.host,
      port: dovecot.port,
      auth: { user: dovecot.user, pass: dovecot.pass },
      checkpointStore: new MemoryCheckpointStore(),
      onMessage: async () => undefined,
    };
    expect(() => createMailboxReader({ ...base, tls: 'none' })).toThrow(MailboxConfigError);
    expect(() =>
      createMailboxReader({
        ...base,
        host: 'imap.example.com',
        tls: 'none',
        allowPlainOnLoopback: true,
      }),
    ).toThrow(/loopback/);
    // The default (implicit TLS) refuses to talk to a plain-text server.
    const tlsReader = createMailboxReader(base);
    readers.push(tlsReader);
    await expect(tlsReader.start()).rejects.toThrow();
    expect(tlsReader.connected).toBe(false);
  });
});

describe('a server that keeps no custom keywords (Microsoft 365, Exchange)', () => {
  // Exchange answers SELECT with PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft $MDNSent):
  // no \*, so the reader marks what it handed with \Seen. Dovecot keeps keywords; its answer is
  // made Exchange's here.
  const exchangeFlags = new Set([
    '\\Seen',
    '\\Answered',
    '\\Flagged',
    '\\Deleted',
    '\\Draft',
    '$MDNSent',
  ]);
  let spy: jest.SpyInstance;
  beforeEach(() => {
    const open = ImapFlow.prototype.mailboxOpen;
    spy = jest.spyOn(ImapFlow.prototype, 'mailboxOpen').mockImplementation(async function (
      this: ImapFlow,
      ...args: Parameters<ImapFlow['mailboxOpen']>
    ) {
      const opened = await open.apply(this, args);
      return { ...opened, permanentFlags: exchangeFlags };
    });
  });
  afterEach(() => spy.mockRestore());

  it('hands a notice a person read in Outlook while the reader was stopped: the checkpoint, not \\Seen, says what is new', async () => {
    const folder = await freshFolder();
    const checkpointStore = new MemoryCheckpointStore();
    const first: MailboxMessage[] = [];
    const a = reader(folder, first, { checkpointStore });
    await a.start();
    await deliver(folder, english('x-1'));
    await waitFor(() => first.length === 1);
    await a.processNow();
    expect(first.map((m) => m.messageId)).toEqual(['<x-1@notifications.hubspot.com>']);
    expect([...(await flagsOf(folder)).get('<x-1@notifications.hubspot.com>')!]).toContain(
      '\\Seen',
    );
    await a.stop();

    // The next notice arrives while the relay is down, and someone opens it in Outlook.
    await deliver(folder, english('x-2', new Date(RECENT.getTime() + 60_000)));
    const lock = await admin.getMailboxLock(folder);
    try {
      await admin.messageFlagsAdd({ uid: '2' }, ['\\Seen'], { uid: true });
    } finally {
      lock.release();
    }
    const second: MailboxMessage[] = [];
    const b = reader(folder, second, { checkpointStore });
    await b.start();
    expect(second.map((m) => m.messageId)).toEqual(['<x-2@notifications.hubspot.com>']);
    expect(
      (
        await checkpointStore.load(
          `imap://${dovecot.user}@${dovecot.host}:${dovecot.port}/${folder}`,
        )
      )?.lastUid,
    ).toBe(2);
  });
});

describe('a message the MIME parser cannot read', () => {
  it('is left as it is and passed, so the notices after it are still read', async () => {
    const folder = await freshFolder();
    // More than 1,000 nested parts: mailparser refuses it (EMAXLEN), every time.
    let nested = '';
    for (let i = 0; i < 1001; i++)
      nested += `--b${i}\r\nContent-Type: multipart/mixed; boundary="b${i + 1}"\r\n\r\n`;
    await deliver(
      folder,
      [
        'From: Someone <someone@example.org>',
        'Subject: Your Salesforce integration has been suspended',
        'Message-ID: <unreadable@example.org>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b0"',
        '',
        `${nested}hub id 4711`,
        '',
      ].join('\r\n'),
    );
    await deliver(folder, english('after-unreadable'));
    const handed: MailboxMessage[] = [];
    const checkpointStore = new MemoryCheckpointStore();
    const r = reader(folder, handed, { checkpointStore });
    await r.start();
    const pass = await r.processNow();
    expect(pass.error).toBeUndefined();
    expect(handed.map((m) => m.messageId)).toEqual([
      '<after-unreadable@notifications.hubspot.com>',
    ]);
    expect([...(await flagsOf(folder)).get('<unreadable@example.org>')!]).toEqual([]);
    expect(
      (
        await checkpointStore.load(
          `imap://${dovecot.user}@${dovecot.host}:${dovecot.port}/${folder}`,
        )
      )?.lastUid,
    ).toBe(2);
  });
});

describe('a custom filter that throws', () => {
  it('takes that message for no notice, says so without its text, and goes on to the next', async () => {
    const folder = await freshFolder();
    await deliver(folder, english('before-throw'));
    await deliver(folder, english('throws'));
    await deliver(folder, english('after-throw'));
    const handed: MailboxMessage[] = [];
    const warnings: string[] = [];
    const checkpointStore = new MemoryCheckpointStore();
    const r = reader(folder, handed, {
      checkpointStore,
      // A filter with a bug that quotes the message it was reading in its error.
      filter: (m) => {
        if (m.messageId?.includes('throws')) throw new SyntaxError(`cannot read ${m.text}`);
        return true;
      },
      logger: {
        info: () => undefined,
        warn: (line: string) => void warnings.push(line),
        error: (line: string) => void warnings.push(line),
      },
    });
    await r.start();
    const pass = await r.processNow();
    expect(pass.error).toBeUndefined();
    expect(handed.map((m) => m.messageId)).toEqual([
      '<before-throw@notifications.hubspot.com>',
      '<after-throw@notifications.hubspot.com>',
    ]);
    // Left as it is (no processed or rejected mark), and passed by the checkpoint.
    expect([...(await flagsOf(folder)).get('<throws@notifications.hubspot.com>')!]).toEqual([]);
    expect(
      (
        await checkpointStore.load(
          `imap://${dovecot.user}@${dovecot.host}:${dovecot.port}/${folder}`,
        )
      )?.lastUid,
    ).toBe(3);
    expect(warnings).toEqual([
      `mailbox imap://${dovecot.user}@${dovecot.host}:${dovecot.port}/${folder}: message uid 2: the filter threw (SyntaxError); taken as no notice and left as it is`,
    ]);
    const logged = warnings.join('\n');
    expect(logged).not.toContain('Hub ID 4711');
    expect(logged).not.toContain(dovecot.pass);
  });
});
