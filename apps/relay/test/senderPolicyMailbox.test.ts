import { ImapFlow } from 'imapflow';
// The throwaway Dovecot of the hubspot-signals tests (Debian dovecot-core + dovecot-imapd), reused as is.
import {
  startDovecot,
  type Dovecot,
  connectImap,
} from '../../../packages/hubspot-signals/test/helpers/dovecot.js';
import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import { admin, createPortal, tempDir, waitFor } from './helpers.js';
import { mailboxSignals, passwordMailbox, startSignalsRelay } from './signalsHelpers.js';

jest.setTimeout(60_000);

// The mailbox reader takes the code of POST /v1/inbound/email, sender policy included: a message
// the portal's policy refuses is stored nowhere, changes nothing, is marked rejected and is not
// read again on the next passes.

const PORTAL = '4722';
const RECENT = Math.floor(Date.now() / 1000) * 1000 - 3600_000;

const notice = (id: string, minute: number, ...top: string[]) =>
  [
    ...top,
    'From: HubSpot <noreply@notifications.hubspot.com>',
    'To: hubspot-alerts@example.com',
    `Subject: Your HubSpot-Salesforce integration has been suspended (${id})`,
    `Message-ID: <${id}@notifications.hubspot.com>`,
    `Date: ${new Date(RECENT + minute * 60_000).toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Salesforce org API limit exceeded. Hub ID ${PORTAL}`,
    '',
  ].join('\r\n');
const SERVICE = 'Authentication-Results: imap.example.net; dkim=pass header.d=hubspot.com';

let dovecot: Dovecot;
let imap: ImapFlow;

beforeAll(async () => {
  dovecot = await startDovecot();
  imap = await connectImap(dovecot);
});
afterAll(async () => {
  await imap?.logout().catch(() => undefined);
  await dovecot?.stop();
});

test('a refused message is marked rejected once, stores nothing, and is not read again', async () => {
  const folder = 'Policy1';
  await imap.mailboxCreate(folder);
  const dir = tempDir();
  const relay = await startSignalsRelay({
    dataDir: dir.path,
    signals: mailboxSignals(passwordMailbox(dovecot, folder), 500),
  });
  const checkpoint = () =>
    hubspotStoreOf(relay.app.store).loadMailboxCheckpoint(
      `imap://${dovecot.user}@${dovecot.host}:${dovecot.port}/${folder}`,
    );
  const refused = async () => {
    const line = (await relay.app.inject({ method: 'GET', url: '/metrics' })).body
      .split('\n')
      .find((l) => l.startsWith('relay_inbound_email_refused_total{reason="NO_TRUSTED_RESULTS"}'));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const emailChanges = async () =>
    (
      (
        await relay.app.inject({
          method: 'GET',
          url: `/v1/portals/${PORTAL}/history`,
          headers: admin,
        })
      ).json() as { items: { source: string; title: string }[] }
    ).items.filter((c) => c.source === 'email');
  try {
    await createPortal(relay.app, PORTAL);
    const put = await relay.app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${PORTAL}/sender-policy`,
      headers: admin,
      payload: { authservIds: ['imap.example.net'], domains: ['hubspot.com'] },
    });
    expect(put.statusCode).toBe(200);
    const save = jest.spyOn(relay.app.store, 'saveInboundMessage');

    await imap.append(folder, notice('forged-1', 1));
    await imap.append(folder, notice('real-1', 2, SERVICE));
    await waitFor(
      async () => ((await checkpoint())?.lastUid === 2 ? true : false),
      20_000,
      'the checkpoint past both messages',
    );
    const changes = await emailChanges();
    expect(changes).toHaveLength(1);
    expect(changes[0]!.title).toContain('real-1');
    // The real one kept for audit; the forged one not.
    expect(save).toHaveBeenCalledTimes(1);
    expect(await refused()).toBe(1);

    const lock = await imap.getMailboxLock(folder);
    const flags = new Map<string, Set<string>>();
    try {
      for await (const m of imap.fetch('1:*', { envelope: true, flags: true }))
        flags.set(m.envelope?.messageId ?? '', m.flags ?? new Set());
    } finally {
      lock.release();
    }
    expect(flags.get('<forged-1@notifications.hubspot.com>')).toEqual(
      new Set(['$SyncDoctorRejected']),
    );
    expect(flags.get('<real-1@notifications.hubspot.com>')!.has('$SyncDoctorProcessed')).toBe(true);

    // Later passes, and a later message, do not hand the refused one again.
    await relay.app.mailboxes!.processNow('shared');
    await imap.append(folder, notice('real-2', 3, SERVICE));
    await waitFor(
      async () => ((await checkpoint())?.lastUid === 3 ? true : false),
      20_000,
      'the checkpoint past the third message',
    );
    await relay.app.mailboxes!.processNow('shared');
    expect(await emailChanges()).toHaveLength(2);
    expect(await refused()).toBe(1);
    save.mockRestore();
  } finally {
    await relay.close();
    dir.remove();
  }
});
