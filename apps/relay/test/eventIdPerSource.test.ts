import { parseNotification } from '../src/inputs/email.js';
import { SqlRelayStore } from '../src/store/sqlStore.js';
import {
  admin,
  createPortal,
  signed,
  startTestRelay,
  suspension,
  type TestRelay,
} from './helpers.js';
import { OLDER_SCHEMA_STORES } from './olderSchema.js';

// Idempotency keys are per source: a client's eventId cannot shadow the ids the relay makes for
// e-mails (`email:<key of the notice's subject and date>`) and the detector
// (`detector:<portal>:suspected:<outage>`).

const email = (messageId: string, subject: string) =>
  [
    'From: HubSpot <noreply@hubspot.com>',
    'To: admin@example.com',
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Your Salesforce integration for hub 7700001 has been suspended: Salesforce org API limit exceeded.',
    '',
  ].join('\r\n');

describe('a webhook eventId shaped like an e-mail or detector id', () => {
  let relay: TestRelay;
  let secret: string;
  let inboundToken: string;
  const portalId = '7700001';

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret, inboundToken } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const webhook = (body: Record<string, unknown>) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secret, body),
    });
  const mail = (raw: string) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${encodeURIComponent(inboundToken)}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: raw,
    });

  test('does not make the real e-mail look like a redelivery (either order), and each is still idempotent on its own', async () => {
    // Two notices: another subject each (the same subject and minute would be one notice).
    const n1 = email('<n1@hubspot.com>', 'Salesforce integration suspended');
    const n2 = email('<n2@hubspot.com>', 'Salesforce integration suspended again');
    const idOf = async (raw: string) =>
      `email:${(await parseNotification(Buffer.from(raw))).eventKey}`;
    // The webhook first, with the id the e-mail will get.
    const shadow = await webhook({
      reason: 'ORG_LOCKED',
      occurredAt: new Date().toISOString(),
      eventId: await idOf(n1),
    });
    expect(shadow.statusCode).toBe(202);
    const real = await mail(n1);
    expect(real.statusCode).toBe(202);
    expect(real.json()).toMatchObject({
      duplicate: false,
      change: { source: 'email', eventId: await idOf(n1) },
      status: { reason: 'API_LIMIT_EXCEEDED', source: 'email' },
    });
    expect(real.json().change.id).not.toBe(shadow.json().change.id);

    // Redeliveries are still redeliveries, each of its own source.
    const mailAgain = await mail(n1);
    expect(mailAgain.statusCode).toBe(200);
    expect(mailAgain.json()).toMatchObject({
      duplicate: true,
      change: { id: real.json().change.id, source: 'email' },
    });
    const webhookAgain = await webhook({
      reason: 'ORG_LOCKED',
      occurredAt: new Date().toISOString(),
      eventId: await idOf(n1),
    });
    expect(webhookAgain.statusCode).toBe(200);
    expect(webhookAgain.json()).toMatchObject({
      duplicate: true,
      change: { id: shadow.json().change.id, source: 'webhook' },
    });

    // The e-mail first, then a webhook reusing its id: a new signal, not a duplicate of the e-mail.
    const first = await mail(n2);
    expect(first.statusCode).toBe(202);
    const after = await webhook({
      reason: 'ORG_LOCKED',
      occurredAt: new Date().toISOString(),
      eventId: await idOf(n2),
    });
    expect(after.statusCode).toBe(202);
    expect(after.json()).toMatchObject({
      duplicate: false,
      status: { reason: 'ORG_LOCKED', source: 'webhook' },
    });
  });

  test('a clear reusing a webhook eventId is a clearance, not a redelivery of the suspension', async () => {
    expect(
      (
        await webhook({
          reason: 'ORG_LOCKED',
          occurredAt: new Date().toISOString(),
          eventId: 'shared-1',
        })
      ).statusCode,
    ).toBe(202);
    const clear = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      headers: admin,
      payload: { eventId: 'shared-1' },
    });
    expect(clear.statusCode).toBe(202);
    expect(clear.json()).toMatchObject({ duplicate: false, status: { state: 'cleared' } });
  });

  test("does not shadow the detector's suspicion", async () => {
    const detectorId = `detector:${portalId}:suspected:2026-11-29T10:00:00.000Z`;
    expect(
      (
        await webhook({
          reason: 'ORG_LOCKED',
          occurredAt: new Date().toISOString(),
          eventId: detectorId,
        })
      ).statusCode,
    ).toBe(202);
    await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      headers: admin,
    });
    const suspected = await relay.app.changes.record({
      portalId,
      source: 'detector',
      state: 'suspected',
      reason: null,
      title: 'Salesforce sync appears stalled',
      excerpt: null,
      occurredAt: new Date().toISOString(),
      eventId: detectorId,
    });
    expect(suspected).toMatchObject({
      duplicate: false,
      status: { state: 'suspected', source: 'detector' },
    });
  });
});

// A store an older relay left (schema 6, one key across sources) keeps working after migration 7.
describe.each(OLDER_SCHEMA_STORES)('migration 7 on %s', (_name, setup) => {
  test('existing changes, their redeliveries, their outbox rows and the id sequence keep working', async () => {
    const { openAt, openStore: open, cleanup } = await setup();
    try {
      const oldDb = await openAt(6);
      const old = new SqlRelayStore(oldDb);
      await old.createPortal({
        id: 'o1',
        name: null,
        signingSecretSealed: 's',
        inboundTokenHash: 'h-o1',
        salesforceSealed: null,
      });
      const a = await old.recordSignal(
        suspension('o1', 1, { source: 'email', eventId: 'email:<m@x>' }),
      );
      const b = await old.recordSignal(suspension('o1', 2));
      const c = await old.recordSignal(
        suspension('o1', 3, { state: 'cleared', reason: null, source: 'manual', eventId: null }),
      );
      await old.close();

      const store = await open();
      try {
        expect(await store.schemaVersion()).toBe(16);
        expect((await store.listChanges('o1', { limit: 10 })).items.map((ch) => ch.id)).toEqual([
          c.change.id,
          b.change.id,
          a.change.id,
        ]);
        expect(
          await store.recordSignal(
            suspension('o1', 1, { source: 'email', eventId: 'email:<m@x>' }),
          ),
        ).toMatchObject({ duplicate: true, change: { id: a.change.id } });
        expect(await store.recordSignal(suspension('o1', 2))).toMatchObject({
          duplicate: true,
          change: { id: b.change.id },
        });
        const d = await store.recordSignal(suspension('o1', 4, { eventId: 'email:<m@x>' }));
        expect(d.duplicate).toBe(false);
        expect(d.change.id).toBeGreaterThan(c.change.id);
        expect((await store.getStatus('o1'))?.history.map((h) => h.source)).toEqual([
          'webhook',
          'manual',
          'webhook',
          'email',
        ]);
        expect(
          (await store.listDeliveries('o1', { limit: 10 })).items.map((x) => x.changeId),
        ).toEqual([d.change.id, c.change.id, b.change.id, a.change.id]);
        const claimed = (
          await store.claimDeliveries('M', {
            leaseMs: 60_000,
            limit: 10,
            now: new Date(Date.now() + 1000),
          })
        ).filter((x) => x.portalId === 'o1');
        expect(claimed[0]?.changeId).toBe(a.change.id);
        expect(claimed[0]?.status.source).toBe('email');
      } finally {
        await store.close();
      }
      // Reopening applies nothing again.
      const again = await open();
      expect(await again.schemaVersion()).toBe(16);
      await again.close();
    } finally {
      await cleanup();
    }
  });
});
