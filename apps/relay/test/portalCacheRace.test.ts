import type { PortalRecord } from '../src/store/types.js';
import { admin, createPortal, signed, startTestRelay, type TestRelay } from './helpers.js';

// A signed request reads its portal (the signing secret) while the secret is rotated on the same
// instance: what that read returns is the portal as it was, and it must not stay in the portal
// cache once the rotation has answered ("the old one stops working at once").

describe('a signing-secret rotation racing a signed request', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
  });
  afterAll(() => relay.close());

  const suspend = (portalId: string, secret: string, eventId: string) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secret, {
        reason: 'ORG_LOCKED',
        occurredAt: new Date().toISOString(),
        eventId,
      }),
    });

  test('a portal read before the rotation is not cached after it', async () => {
    const portalId = '7300001';
    const { signingSecret: oldSecret } = await createPortal(relay.app, portalId);
    const store = relay.app.store;
    const getPortal = store.getPortal.bind(store);
    // The first read of the portal (the racing request's) is answered only after the rotation.
    let release!: () => void;
    const rotated = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    let reading!: () => void;
    const readStarted = new Promise<void>((resolve) => (reading = resolve));
    store.getPortal = async (id: string): Promise<PortalRecord | null> => {
      const portal = await getPortal(id);
      if (id === portalId && !held) {
        held = true;
        reading();
        await rotated;
      }
      return portal;
    };
    try {
      const racing = suspend(portalId, oldSecret, 'racing');
      await readStarted;
      const rotation = await relay.app.inject({
        method: 'POST',
        url: `/v1/admin/portals/${portalId}/signing-secret/rotate`,
        headers: admin,
      });
      expect(rotation.statusCode).toBe(200);
      const newSecret = rotation.json().signingSecret as string;
      release();
      // Signed with the old secret while the rotation ran: either answer is right.
      expect([202, 401]).toContain((await racing).statusCode);

      // After the rotation answered: the old secret is refused, the new one accepted.
      expect((await suspend(portalId, oldSecret, 'after-old')).statusCode).toBe(401);
      expect((await suspend(portalId, newSecret, 'after-new')).statusCode).toBe(202);
    } finally {
      store.getPortal = getPortal;
    }
  });
});
