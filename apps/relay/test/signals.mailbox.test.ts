import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { SUSPENSION_REASONS } from '@sync-doctor/core';
// The throwaway Dovecot of the hubspot-signals tests (Debian dovecot-core + dovecot-imapd), reused as is.
import {
  startDovecot,
  type Dovecot,
  connectImap,
} from '../../../packages/hubspot-signals/test/helpers/dovecot.js';
import { hubspotMail, RECENT } from '../../../packages/hubspot-signals/test/helpers/hubspotMail.js';
import { encryptSecret } from '../src/crypto/secrets.js';
import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import { admin, createPortal, tempDir, waitFor } from './helpers.js';
import {
  mailboxSignals,
  passwordMailbox,
  startSignalsRelay,
  type SignalsRelay,
} from './signalsHelpers.js';

jest.setTimeout(60_000);

// HubSpot's notification e-mails delivered into a real IMAP mailbox; the relay reads them with its
// mailbox plugin and takes them through the code of POST /v1/inbound/email.

const PORTAL = '4711';
const ENGLISH_TITLE = SUSPENSION_REASONS.API_LIMIT_EXCEEDED.titles.en;
const DANISH_TITLE = SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.titles.da!;

const english = (id: string, hub = PORTAL) =>
  hubspotMail(
    'Your Salesforce integration has been suspended',
    `Hi,\n\nYour HubSpot-Salesforce integration for Hub ID ${hub} was suspended:\n\n${ENGLISH_TITLE}\n\nOpen https://app.hubspot.com/integrations-settings/${hub}/installed`,
    id,
  );
const danish = (id: string, hub = PORTAL, date = RECENT) =>
  hubspotMail(
    'Din Salesforce-integration er suspenderet',
    `Hej,\n\nDin HubSpot-Salesforce-integration (Hub-id ${hub}) er suspenderet.\n\n${DANISH_TITLE}\n\nIntegrationsbrugeren har ikke læse- og redigeringstilladelser til et felt.`,
    id,
    date,
  );

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

async function flags(folder: string): Promise<Map<string, Set<string>>> {
  const lock = await imap.getMailboxLock(folder);
  const out = new Map<string, Set<string>>();
  try {
    for await (const m of imap.fetch('1:*', { envelope: true, flags: true }))
      out.set(m.envelope?.messageId ?? '', m.flags ?? new Set());
  } finally {
    lock.release();
  }
  return out;
}

async function emailChanges(relay: SignalsRelay, portalId: string) {
  const history = (
    await relay.app.inject({
      method: 'GET',
      url: `/v1/portals/${portalId}/history`,
      headers: admin,
    })
  ).json();
  return history.items.filter((c: { source: string }) => c.source === 'email') as {
    reason: string;
    eventId: string;
  }[];
}

/** The shared mailbox's checkpoint: the reader saves it once it is done with a message (stored, flagged). */
const checkpoint = (relay: SignalsRelay, folder: string) =>
  hubspotStoreOf(relay.app.store).loadMailboxCheckpoint(
    `imap://${dovecot.user}@${dovecot.host}:${dovecot.port}/${folder}`,
  );

/** E-mail signals this process recorded, by outcome ('duplicate': the Message-ID was seen before), from the relay's own metrics. */
async function emailSignals(relay: SignalsRelay, outcome: 'stored' | 'duplicate'): Promise<number> {
  const metrics = (await relay.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = metrics
    .split('\n')
    .find(
      (l) =>
        l.startsWith('relay_signals_total{') &&
        l.includes('source="email"') &&
        l.includes(`outcome="${outcome}"`),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('shared notification mailbox (real Dovecot)', () => {
  it('turns an English and a Danish notice into states, flags them, and does not read them again after a restart', async () => {
    const folder = 'Shared1';
    await imap.mailboxCreate(folder);
    const dir = tempDir();
    const secretKey = randomBytes(32);
    let relay = await startSignalsRelay({
      dataDir: dir.path,
      secretKey,
      signals: mailboxSignals(passwordMailbox(dovecot, folder)),
    });
    try {
      await createPortal(relay.app, PORTAL);
      await imap.append(folder, english('en-1'));
      await imap.append(folder, danish('da-1'));
      // Names a hub this relay does not know: refused for good, left unread for a person.
      await imap.append(folder, english('other-1', '9999999'));

      const changes = await waitFor(
        async () => {
          const found = await emailChanges(relay, PORTAL);
          return found.length === 2 ? found : false;
        },
        20_000,
        'two e-mail changes',
      );
      expect(changes.map((c) => c.reason).sort()).toEqual([
        'API_LIMIT_EXCEEDED',
        'FIELD_PERMISSIONS_MISSING',
      ]);
      // Keyed by each notice's subject and date (see inputs/email.ts, eventKey).
      expect(new Set(changes.map((c) => c.eventId)).size).toBe(2);
      for (const change of changes)
        expect(change.eventId).toMatch(/^email:forwarded:[0-9a-f]{40}$/);
      const state = (
        await relay.app.inject({
          method: 'GET',
          url: `/v1/portals/${PORTAL}/state`,
          headers: admin,
        })
      ).json();
      expect(state).toMatchObject({ state: 'suspended', source: 'email' });

      // The reader is done with a message once its checkpoint passes it: the keywords are set
      // first (then the checkpoint is saved), so a keyword seen here can still be ahead of the
      // checkpoint, and a change seen in the history ahead of its keywords.
      await waitFor(
        async () => ((await checkpoint(relay, folder))?.lastUid === 3 ? true : false),
        20_000,
        'the checkpoint past the three messages',
      );
      const seen = await flags(folder);
      for (const id of ['<en-1@notifications.hubspot.com>', '<da-1@notifications.hubspot.com>']) {
        expect(seen.get(id)).toEqual(new Set(['$SyncDoctorProcessed', '\\Seen']));
      }
      expect(seen.get('<other-1@notifications.hubspot.com>')!.has('\\Seen')).toBe(false);
      await relay.close();

      // Lose the keywords, as a mail client might: only the relay's stored checkpoint protects now.
      const lock = await imap.getMailboxLock(folder);
      try {
        await imap.messageFlagsRemove('1:*', ['$SyncDoctorProcessed', '$SyncDoctorRejected']);
      } finally {
        lock.release();
      }

      relay = await startSignalsRelay({
        dataDir: dir.path,
        secretKey,
        signals: mailboxSignals(passwordMailbox(dovecot, folder)),
      });
      // HubSpot's next notice, a minute later (the same subject and minute would be the same notice).
      await imap.append(folder, danish('da-2', PORTAL, new Date(RECENT.getTime() + 60_000)));
      await waitFor(
        async () => ((await checkpoint(relay, folder))?.lastUid === 4 ? true : false),
        20_000,
        'the new notice after the restart',
      );
      expect(await emailChanges(relay, PORTAL)).toHaveLength(3);
      // After the restart this process handled the new notice only: nothing was handed twice.
      expect(await emailSignals(relay, 'stored')).toBe(1);
      expect(await emailSignals(relay, 'duplicate')).toBe(0);
      const after = await flags(folder);
      expect(after.get('<da-2@notifications.hubspot.com>')!.has('$SyncDoctorProcessed')).toBe(true);
      expect(after.get('<en-1@notifications.hubspot.com>')!.has('$SyncDoctorProcessed')).toBe(
        false,
      );
    } finally {
      await relay.close();
      dir.remove();
    }
  });
});

describe("a portal's own mailbox (admin API)", () => {
  it('stores the IMAP settings sealed, starts reading at once, and files messages under that portal', async () => {
    const folder = 'Portal2';
    await imap.mailboxCreate(folder);
    const relay = await startSignalsRelay({ signals: mailboxSignals() });
    try {
      await createPortal(relay.app, '4800');
      const bad = await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/4800/mailbox',
        headers: admin,
        payload: { host: 'imap.example.com', tls: 'none', user: 'u', password: 'p' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('INVALID_MAILBOX');

      const put = await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/4800/mailbox',
        headers: admin,
        payload: passwordMailbox(dovecot, folder),
      });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({
        portalId: '4800',
        configured: true,
        reading: true,
        mailbox: folder,
      });
      expect(put.body).not.toContain(dovecot.pass);
      await waitFor(
        async () =>
          (
            await relay.app.inject({
              method: 'GET',
              url: '/v1/admin/portals/4800/mailbox',
              headers: admin,
            })
          ).json().connected === true
            ? true
            : false,
        10_000,
        'a connected reader',
      );

      // An IMAP server that is down (nothing listens there): still "reading" (it retries), but not connected, and GET says so.
      await createPortal(relay.app, '4801');
      const down = await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/4801/mailbox',
        headers: admin,
        payload: {
          host: '127.0.0.1',
          port: 9,
          tls: 'none',
          user: 'u',
          password: 'secret-password',
        },
      });
      expect(down.statusCode).toBe(200);
      const shown = await relay.app.inject({
        method: 'GET',
        url: '/v1/admin/portals/4801/mailbox',
        headers: admin,
      });
      expect(shown.statusCode).toBe(200);
      expect(shown.json()).toMatchObject({
        portalId: '4801',
        host: '127.0.0.1',
        port: 9,
        reading: true,
        connected: false,
      });
      expect(shown.body).not.toContain('secret-password');
      // /health counts it (and names it for the admin), and stays ready: the reader retries.
      const health = await relay.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json().signals.mailboxes).toMatchObject({ disconnected: 1 });
      expect(
        (await relay.app.inject({ method: 'GET', url: '/health', headers: admin })).json().signals
          .failing,
      ).toEqual({ '4801': expect.stringMatching(/^mailbox: no IMAP session( \(.+\))?$/) });
      expect(
        (
          await relay.app.inject({
            method: 'GET',
            url: '/v1/admin/portals/4800/mailbox',
            headers: {},
          })
        ).statusCode,
      ).toBe(401);
      await createPortal(relay.app, '4802');
      expect(
        (
          await relay.app.inject({
            method: 'GET',
            url: '/v1/admin/portals/4802/mailbox',
            headers: admin,
          })
        ).json().code,
      ).toBe('NO_MAILBOX');

      // The notice names no other hub: the portal is the mailbox's.
      await imap.append(
        folder,
        hubspotMail(
          'Your Salesforce integration has been suspended',
          `Your HubSpot-Salesforce integration was suspended:\n\n${ENGLISH_TITLE}`,
          'own-1',
        ),
      );
      await waitFor(
        async () => ((await emailChanges(relay, '4800')).length === 1 ? true : false),
        20_000,
        'the notice in the portal mailbox',
      );
      expect(
        (
          await relay.app.inject({ method: 'GET', url: '/v1/portals/4800/state', headers: admin })
        ).json(),
      ).toMatchObject({ state: 'suspended', reason: 'API_LIMIT_EXCEEDED' });

      expect(
        (
          await relay.app.inject({
            method: 'DELETE',
            url: '/v1/admin/portals/4800/mailbox',
            headers: admin,
          })
        ).statusCode,
      ).toBe(204);
      expect(relay.app.mailboxes!.keys).not.toContain('4800');
    } finally {
      await relay.close();
    }
  });

  it("stops reading a deleted portal's mailbox after a deletion it did not hear, and reads the mailbox of the portal created again under its id", async () => {
    const [oldFolder, newFolder] = ['Recreated1', 'Recreated2'];
    await imap.mailboxCreate(oldFolder);
    await imap.mailboxCreate(newFolder);
    // Poll interval 1 s: the stored mailboxes are read again every second.
    const relay = await startSignalsRelay({ signals: mailboxSignals() });
    try {
      await createPortal(relay.app, '4900');
      const put = await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/4900/mailbox',
        headers: admin,
        payload: passwordMailbox(dovecot, oldFolder),
      });
      expect(put.statusCode).toBe(200);
      await waitFor(
        async () => relay.app.mailboxes!.connected('4900') === true,
        10_000,
        'a connected reader',
      );

      // Another instance deletes the portal and creates it again, with another mailbox, while
      // this one hears nothing of it (LISTEN down): straight into the store, as that one would.
      expect(await relay.app.store.deletePortal('4900')).toBe(true);
      await createPortal(relay.app, '4900');
      await hubspotStoreOf(relay.app.store).setMailbox(
        '4900',
        encryptSecret(
          relay.app.config.secretKey,
          JSON.stringify(passwordMailbox(dovecot, newFolder)),
        ),
      );
      // The deleted portal's mailbox is not the new portal's: its notice is never the new one's.
      await imap.append(oldFolder, english('recreated-old', '4900'));
      await imap.append(newFolder, danish('recreated-new', '4900'));

      await waitFor(
        async () => ((await emailChanges(relay, '4900')).length > 0 ? true : false),
        20_000,
        "the notice in the new portal's mailbox",
      );
      // Time for the old reader (IMAP IDLE) to have handed its notice, had it still been read.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect((await emailChanges(relay, '4900')).map((c) => c.reason)).toEqual([
        'FIELD_PERMISSIONS_MISSING',
      ]);
      expect(relay.app.mailboxes!.keys).toEqual(['4900']);
      expect(relay.app.mailboxes!.connected('4900')).toBe(true);
    } finally {
      await relay.close();
    }
  });
});
