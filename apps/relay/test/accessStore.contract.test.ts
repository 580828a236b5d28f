import { accessStoreOf, type AccessCheckRecord } from '../src/store/accessStore.js';
import { createStore } from '../src/store/index.js';
import { SqlRelayStore } from '../src/store/sqlStore.js';
import { PortalGoneError, type RelayStore } from '../src/store/types.js';
import { OLDER_SCHEMA_STORES } from './olderSchema.js';
import { POSTGRES_URL, postgresSchema, suspension, tempDir } from './helpers.js';

// The access watch's part of the store (accessStore.ts), one contract for SQLite and PostgreSQL:
// each portal's last check (written by the instance running the watch, read by all) and its own
// requirements document.

const implementations: [
  string,
  () => Promise<{ store: RelayStore; cleanup: () => Promise<void> }>,
][] = [
  [
    'sqlite',
    async () => {
      const dir = tempDir();
      return { store: await createStore({ dataDir: dir.path }), cleanup: async () => dir.remove() };
    },
  ],
  [
    'postgres',
    async () => {
      const { schema, drop } = await postgresSchema();
      return {
        store: await createStore({
          dataDir: '/nonexistent',
          databaseUrl: POSTGRES_URL,
          databaseSchema: schema,
        }),
        cleanup: drop,
      };
    },
  ],
];

const portal = (id: string, salesforceSealed: string | null = 'sealed-sf') => ({
  id,
  name: null,
  signingSecretSealed: 's',
  inboundTokenHash: `h-${id}`,
  salesforceSealed,
});

const check = (overrides: Partial<AccessCheckRecord> = {}): AccessCheckRecord => ({
  checkedAt: '2026-11-30T10:00:00.000Z',
  verdict: 'blocked',
  concludedAt: '2026-11-30T10:00:00.000Z',
  integrationUser: { id: '005000000000001AAA', username: 'hubspot@acme.example' },
  findings: [
    {
      severity: 'error',
      reason: 'FIELD_PERMISSIONS_MISSING',
      rule: 'field-permissions',
      subject: 'Contact.Tier__c',
      message: 'cannot edit Contact.Tier__c',
      remedy: 'grant Edit on Contact.Tier__c',
    },
  ],
  requirements: { source: 'portal', updatedAt: '2026-11-30T09:59:00.000Z' },
  error: null,
  failingSince: null,
  requests: 4,
  checkedBy: 'instance-a',
  nextCheckAt: '2026-11-30T11:00:00.000Z',
  ...overrides,
});

describe.each(implementations)('access store contract: %s', (_name, setup) => {
  let store: RelayStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await setup());
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  test('the last check: saved, read back whole, replaced, its next time set, forgotten', async () => {
    const access = accessStoreOf(store);
    await store.createPortal(portal('a1'));
    expect(await access.getAccessCheck('a1')).toBeNull();
    expect(await access.setAccessCheckDue('a1', '2026-11-30T12:00:00.000Z')).toBe(false);

    await access.saveAccessCheck('a1', check());
    expect(await access.getAccessCheck('a1')).toEqual(check());

    const failing = check({
      checkedAt: '2026-11-30T11:00:00.000Z',
      error: 'could not read the org: unreachable',
      failingSince: '2026-11-30T11:00:00.000Z',
      checkedBy: 'instance-b',
      nextCheckAt: null,
      requests: 0,
    });
    await access.saveAccessCheck('a1', failing);
    expect(await access.getAccessCheck('a1')).toEqual(failing);
    expect(await access.setAccessCheckDue('a1', '2026-11-30T12:00:00.000Z')).toBe(true);
    expect((await access.getAccessCheck('a1'))?.nextCheckAt).toBe('2026-11-30T12:00:00.000Z');

    expect(await access.deleteAccessCheck('a1')).toBe(true);
    expect(await access.getAccessCheck('a1')).toBeNull();
    expect(await access.deleteAccessCheck('a1')).toBe(false);

    // A portal that is not (or no longer) there: nothing is stored.
    await expect(access.saveAccessCheck('nope', check())).rejects.toBeInstanceOf(PortalGoneError);
    expect(await access.getAccessCheck('nope')).toBeNull();
  });

  test('failing checks: those that could not conclude, of portals that still have a connection', async () => {
    const access = accessStoreOf(store);
    await store.createPortal(portal('f1'));
    await store.createPortal(portal('f2'));
    await store.createPortal(portal('f3'));
    await access.saveAccessCheck('f1', check({ error: 'why f1' }));
    await access.saveAccessCheck('f2', check());
    await access.saveAccessCheck('f3', check({ error: 'why f3' }));
    expect(await access.failingAccessChecks()).toEqual(
      new Map([
        ['f1', 'why f1'],
        ['f3', 'why f3'],
      ]),
    );
    await store.updatePortal('f3', { salesforceSealed: null });
    expect(await access.failingAccessChecks()).toEqual(new Map([['f1', 'why f1']]));
  });

  test('unread sections: the ACCESS_SECTION_UNREAD warnings on record, of portals that still have a connection', async () => {
    const access = accessStoreOf(store);
    const unread = (subject: string) => ({
      severity: 'warning' as const,
      reason: 'ACCESS_SECTION_UNREAD',
      rule: null,
      subject,
      message: `Not checked: ${subject}`,
      remedy: 'Check it in Setup',
    });
    for (const id of ['u1', 'u2', 'u3', 'u4']) await store.createPortal(portal(id));
    await access.saveAccessCheck(
      'u1',
      check({ findings: [unread('UserLogin.IsFrozen'), unread('LoginHistory')] }),
    );
    // No unread warning, but the word in another finding's text: not partial.
    await access.saveAccessCheck(
      'u2',
      check({
        findings: [{ ...unread('X'), reason: 'OTHER', message: 'ACCESS_SECTION_UNREAD' }],
      }),
    );
    // A check that could not conclude keeps the findings of the last that did.
    await access.saveAccessCheck(
      'u3',
      check({ error: 'unreachable', findings: [unread('ConnectedApplication')] }),
    );
    await access.saveAccessCheck('u4', check({ findings: [unread('LoginHistory')] }));
    const all = await access.unreadAccessSections();
    expect(all).toEqual(
      new Map([
        ['u1', ['UserLogin.IsFrozen', 'LoginHistory']],
        ['u3', ['ConnectedApplication']],
        ['u4', ['LoginHistory']],
      ]),
    );
    await store.updatePortal('u4', { salesforceSealed: null });
    expect([...(await access.unreadAccessSections()).keys()]).toEqual(['u1', 'u3']);
  });

  test('requirements: set, read back, replaced, cleared; none for a portal that is not there', async () => {
    const access = accessStoreOf(store);
    await store.createPortal(portal('r1'));
    expect(await access.getAccessRequirements('r1')).toBeNull();
    const first = { fields: [{ name: 'Contact.Tier__c', access: ['read', 'edit'] }] };
    const saved = await access.setAccessRequirements('r1', first);
    expect(saved).toEqual({ portalId: 'r1', document: first, updatedAt: expect.any(String) });
    expect(await access.getAccessRequirements('r1')).toEqual(saved);
    expect(await access.accessRequirementsVersions()).toEqual(new Map([['r1', saved!.updatedAt]]));

    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = { replaceDefaults: true, objects: [{ name: 'Lead' }], description: 'ünïcode' };
    const replaced = await access.setAccessRequirements('r1', second);
    expect(await access.getAccessRequirements('r1')).toEqual(replaced);
    expect(replaced!.updatedAt > saved!.updatedAt).toBe(true);

    expect(await access.setAccessRequirements('r1', null)).toBeNull();
    expect(await access.getAccessRequirements('r1')).toBeNull();
    expect(await access.accessRequirementsVersions()).toEqual(new Map());

    await expect(access.setAccessRequirements('nope', first)).rejects.toBeInstanceOf(
      PortalGoneError,
    );
    expect(await access.getAccessRequirements('nope')).toBeNull();
  });

  test('deletePortal takes the portal’s check and requirements with it, and only its own', async () => {
    const access = accessStoreOf(store);
    for (const id of ['d1', 'd2']) {
      await store.createPortal(portal(id));
      await store.recordSignal(suspension(id, 1));
      await access.saveAccessCheck(id, check({ error: `why ${id}` }));
      await access.setAccessRequirements(id, { fields: [{ name: 'Contact.Tier__c' }] });
    }
    expect(await store.deletePortal('d1')).toBe(true);
    expect(await access.getAccessCheck('d1')).toBeNull();
    expect(await access.getAccessRequirements('d1')).toBeNull();
    expect((await access.failingAccessChecks()).has('d1')).toBe(false);
    expect(await access.getAccessCheck('d2')).not.toBeNull();
    expect(await access.getAccessRequirements('d2')).not.toBeNull();

    // The id configured afresh starts with nothing of the old portal.
    await store.createPortal(portal('d1'));
    expect(await access.getAccessCheck('d1')).toBeNull();
    expect(await access.getAccessRequirements('d1')).toBeNull();
  });
});

describe.each(OLDER_SCHEMA_STORES)('migration 9 on %s', (_name, setup) => {
  test('a store left by a relay before it starts with its data intact and the access tables ready', async () => {
    const { openAt, openStore, cleanup } = await setup();
    try {
      const old = await openAt(8);
      const before = new SqlRelayStore(old);
      await before.createPortal(portal('m1'));
      await before.recordSignal(suspension('m1', 1));
      await old.close();

      const store = await openStore();
      try {
        expect(await store.schemaVersion()).toBe(16);
        expect((await store.getStatus('m1'))?.history).toHaveLength(1);
        const access = accessStoreOf(store);
        await access.saveAccessCheck('m1', check());
        await access.setAccessRequirements('m1', { fields: [{ name: 'Contact.Tier__c' }] });
        expect(await access.getAccessCheck('m1')).toEqual(check());
        expect(await store.deletePortal('m1')).toBe(true);
        expect(await access.getAccessCheck('m1')).toBeNull();
        expect(await access.getAccessRequirements('m1')).toBeNull();
      } finally {
        await store.close();
      }
      // Reopening applies nothing again.
      const again = await openStore();
      expect(await again.schemaVersion()).toBe(16);
      await again.close();
    } finally {
      await cleanup();
    }
  });
});
