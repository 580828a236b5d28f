import type { RelayedStatus } from '@sync-doctor/core';
import { mailboxCheckpointKey } from '@sync-doctor/hubspot-signals';
import { buildApp } from '../src/app.js';
import type { DeliveryTarget, StatusPublisher } from '../src/publisher/types.js';
import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import {
  admin,
  captureLogs,
  createPortal,
  signed,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.js';
import { signalsConfig, startSignalsRelay, type SignalsRelay } from './signalsHelpers.js';

// What a deleted portal must not leave behind: its mailbox's checkpoint when no other portal reads
// that mailbox, and a delivery in flight at the deletion is counted as what it is.

describe('deleting a portal removes its mailbox checkpoint unless the mailbox is still used', () => {
  let relay: SignalsRelay;
  const mailbox = (user: string) => ({
    host: 'imap.example.com',
    port: 993,
    tls: 'implicit',
    user,
    password: 'app-password-1',
  });
  // The key the mailbox reader itself keeps its checkpoint under (packages/hubspot-signals).
  const keyOf = (user: string) =>
    mailboxCheckpointKey({
      auth: { user },
      host: 'imap.example.com',
      port: 993,
      tls: 'implicit',
      mailbox: 'INBOX',
    });

  beforeAll(async () => {
    relay = await startSignalsRelay({ signals: signalsConfig() });
    for (const id of ['9100001', '9100002', '9100003']) await createPortal(relay.app, id, null);
    const put = async (id: string, user: string) =>
      expect(
        (
          await relay.app.inject({
            method: 'PUT',
            url: `/v1/admin/portals/${id}/mailbox`,
            headers: admin,
            payload: mailbox(user),
          })
        ).statusCode,
      ).toBe(200);
    await put('9100001', 'shared-box@example.com');
    await put('9100002', 'shared-box@example.com');
    await put('9100003', 'own-box@example.com');
    const store = hubspotStoreOf(relay.app.store);
    await store.saveMailboxCheckpoint(keyOf('shared-box@example.com'), {
      uidValidity: '7',
      lastUid: 42,
    });
    await store.saveMailboxCheckpoint(keyOf('own-box@example.com'), {
      uidValidity: '7',
      lastUid: 9,
    });
  });
  afterAll(async () => relay.close());

  const remove = async (id: string) =>
    expect(
      (await relay.app.inject({ method: 'DELETE', url: `/v1/admin/portals/${id}`, headers: admin }))
        .statusCode,
    ).toBe(204);

  it('removes a mailbox checkpoint with the last portal that reads the mailbox', async () => {
    const store = hubspotStoreOf(relay.app.store);
    await remove('9100003');
    expect(await store.loadMailboxCheckpoint(keyOf('own-box@example.com'))).toBeNull();
    await remove('9100001');
    expect(await store.loadMailboxCheckpoint(keyOf('shared-box@example.com'))).toEqual({
      uidValidity: '7',
      lastUid: 42,
    });
    await remove('9100002');
    expect(await store.loadMailboxCheckpoint(keyOf('shared-box@example.com'))).toBeNull();
  });
});

describe('a delivery in flight when its portal is deleted', () => {
  it('is counted and logged as portal_deleted, not as a lost lease', async () => {
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    // Salesforce accepting the change only once the test has deleted the portal.
    const publisher: StatusPublisher = {
      async publish(_target: DeliveryTarget, _status: RelayedStatus) {
        started();
        await held;
        return { id: 'a0X1', created: true };
      },
      async ping() {},
    };
    const dir = tempDir();
    const logs = captureLogs({ level: 'info' });
    const app = await buildApp(testConfig(dir.path, { publisher }), {
      loggerInstance: logs.logger,
    });
    await app.ready();
    try {
      const { signingSecret } = await createPortal(app, '9200001');
      const sent = await app.inject({
        method: 'POST',
        url: '/v1/portals/9200001/suspensions',
        ...signed(signingSecret, {
          reason: 'ORG_LOCKED',
          occurredAt: new Date().toISOString(),
          eventId: 'in-flight-1',
        }),
      });
      expect(sent.statusCode).toBe(202);
      await inFlight;
      expect(
        (await app.inject({ method: 'DELETE', url: '/v1/admin/portals/9200001', headers: admin }))
          .statusCode,
      ).toBe(204);
      finish();
      const counted = await waitFor(
        async () => {
          const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
          return /relay_deliveries_total\{outcome="(portal_deleted|lease_lost)"\} 1/.exec(
            text,
          )?.[1];
        },
        10_000,
        'the in-flight delivery to be counted',
      );
      expect(counted).toBe('portal_deleted');
      const text = logs.text();
      expect(text).not.toContain('delivery lease expired');
      expect(text).toContain('delivery finished after its portal was deleted');
    } finally {
      await app.close();
      dir.remove();
    }
  });
});
