import { ImapFlow } from 'imapflow';
import { SUSPENSION_REASONS } from '@sync-doctor/core';
import {
  startDovecot,
  type Dovecot,
  connectImap,
} from '../../../packages/hubspot-signals/test/helpers/dovecot.js';
import { checkpointKeyOf } from '../src/plugins/mailbox.js';
import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import { admin, createPortal, waitFor } from './helpers.js';
import {
  mailboxSignals,
  passwordMailbox,
  startSignalsRelay,
  type SignalsRelay,
} from './signalsHelpers.js';

jest.setTimeout(60_000);

// A portal's mailbox removed, or its portal deleted, while its reader is reading it: on another
// instance (this one hears of it at its next refresh, up to a minute later) or on this one in the
// middle of a pass. From then on the old reader hands nothing, marks nothing and saves no
// checkpoint: a deleted portal's checkpoint does not come back.

const TITLE = SUSPENSION_REASONS.API_LIMIT_EXCEEDED.titles.en;
const RECENT = Math.floor(Date.now() / 60_000) * 60_000 - 3600_000;

/** HubSpot's notice; `minute` sets its date (one notice per subject and minute). */
const notice = (id: string, minute: number) =>
  [
    'From: HubSpot <noreply@notifications.hubspot.com>',
    'To: hubspot-alerts@example.com',
    'Subject: Your Salesforce integration has been suspended',
    `Message-ID: <${id}@notifications.hubspot.com>`,
    `Date: ${new Date(RECENT + minute * 60_000).toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Your HubSpot-Salesforce integration was suspended:`,
    '',
    TITLE,
    '',
  ].join('\r\n');

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

/** The flags on a message but the server's own \\Recent: what the relay set on it. */
async function marksOf(folder: string, messageId: string): Promise<string[]> {
  const lock = await imap.getMailboxLock(folder);
  try {
    for await (const m of imap.fetch('1:*', { envelope: true, flags: true }))
      if (m.envelope?.messageId === `<${messageId}@notifications.hubspot.com>`)
        return [...(m.flags ?? [])].filter((flag) => flag !== '\\Recent');
  } finally {
    lock.release();
  }
  throw new Error(`no message ${messageId} in ${folder}`);
}

/**
 * A relay reading the portal's own mailbox in `folder`, one notice already handed (checkpoint at
 * UID 1). The poll interval is a minute, so the stored mailboxes are not read again in the test.
 */
async function readingRelay(portalId: string, folder: string): Promise<SignalsRelay> {
  await imap.mailboxCreate(folder);
  const relay = await startSignalsRelay({
    signals: mailboxSignals(null, 60_000),
  });
  await createPortal(relay.app, portalId);
  const put = await relay.app.inject({
    method: 'PUT',
    url: `/v1/admin/portals/${portalId}/mailbox`,
    headers: admin,
    payload: passwordMailbox(dovecot, folder),
  });
  expect(put.statusCode).toBe(200);
  await waitFor(
    async () => relay.app.mailboxes!.connected(portalId) === true,
    10_000,
    'a connected reader',
  );
  await imap.append(folder, notice(`${folder}-1`, 1));
  await waitFor(
    async () => (await checkpoint(relay, folder))?.lastUid === 1,
    20_000,
    'the first notice handed',
  );
  return relay;
}

const checkpoint = (relay: SignalsRelay, folder: string) =>
  hubspotStoreOf(relay.app.store).loadMailboxCheckpoint(
    checkpointKeyOf(passwordMailbox(dovecot, folder)),
  );

const emailChanges = async (relay: SignalsRelay, portalId: string): Promise<number> => {
  const history = await relay.app.inject({
    method: 'GET',
    url: `/v1/portals/${portalId}/history`,
    headers: admin,
  });
  if (history.statusCode === 404) return 0;
  return (history.json().items as { source: string }[]).filter((c) => c.source === 'email').length;
};

describe("a portal mailbox's reader after the mailbox or its portal is gone", () => {
  it('saves no checkpoint and marks nothing after another instance deleted the portal', async () => {
    const folder = 'GoneElsewhere';
    const relay = await readingRelay('5100', folder);
    try {
      // Another instance deletes the portal and, with it, the checkpoint (as DELETE
      // /v1/admin/portals/5100 does there); this one hears nothing (LISTEN down).
      const hubspot = hubspotStoreOf(relay.app.store);
      expect(await relay.app.store.deletePortal('5100')).toBe(true);
      expect(
        await hubspot.deleteMailboxCheckpoint(checkpointKeyOf(passwordMailbox(dovecot, folder))),
      ).toBe(true);
      await imap.append(folder, notice(`${folder}-2`, 2));
      await relay.app.mailboxes!.processNow('5100');

      expect(await checkpoint(relay, folder)).toBeNull();
      expect(await marksOf(folder, `${folder}-2`)).toEqual([]);
      // And it stops, without waiting for the next refresh.
      await waitFor(
        async () => !relay.app.mailboxes!.keys.includes('5100'),
        10_000,
        'the reader to stop',
      );
    } finally {
      await relay.close();
    }
  });

  it('hands nothing more after another instance removed the mailbox', async () => {
    const folder = 'RemovedElsewhere';
    const relay = await readingRelay('5200', folder);
    try {
      expect(await emailChanges(relay, '5200')).toBe(1);
      // DELETE /v1/admin/portals/5200/mailbox on another instance: straight into the store.
      await hubspotStoreOf(relay.app.store).setMailbox('5200', null);
      await imap.append(folder, notice(`${folder}-2`, 2));
      await relay.app.mailboxes!.processNow('5200');

      expect(await emailChanges(relay, '5200')).toBe(1);
      expect(await checkpoint(relay, folder)).toMatchObject({ lastUid: 1 });
      expect(await marksOf(folder, `${folder}-2`)).toEqual([]);
      await waitFor(
        async () => !relay.app.mailboxes!.keys.includes('5200'),
        10_000,
        'the reader to stop',
      );
    } finally {
      await relay.close();
    }
  });

  it('saves no checkpoint after DELETE of its portal here while it is handing a message', async () => {
    const folder = 'DeletedMidPass';
    const relay = await readingRelay('5300', folder);
    const store = relay.app.store;
    const getPortal = store.getPortal.bind(store);
    let entered!: () => void;
    const inPass = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The reader's look-up of its portal, for the next message, waits until the portal is deleted.
    let armed = true;
    const spy = jest.spyOn(store, 'getPortal').mockImplementation(async (id: string) => {
      if (armed) {
        armed = false;
        entered();
        await released;
      }
      return getPortal(id);
    });
    try {
      await imap.append(folder, notice(`${folder}-2`, 2));
      const pass = relay.app.mailboxes!.processNow('5300');
      await inPass;
      const deleted = await relay.app.inject({
        method: 'DELETE',
        url: '/v1/admin/portals/5300',
        headers: admin,
      });
      expect(deleted.statusCode).toBe(204);
      expect(await checkpoint(relay, folder)).toBeNull();
      release();
      await pass;

      expect(await checkpoint(relay, folder)).toBeNull();
      expect(await marksOf(folder, `${folder}-2`)).toEqual([]);
    } finally {
      spy.mockRestore();
      release();
      await relay.close();
    }
  });
});
