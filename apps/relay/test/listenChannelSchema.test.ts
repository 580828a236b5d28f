import { createStore } from '../src/store/index.js';
import { changesChannel } from '../src/store/sqlStore.js';
import type { ForeignChange, RelayStore } from '../src/store/types.js';
import { POSTGRES_URL, postgresSchema, suspension } from './helpers.js';

// NOTIFY channels are database-wide. Relays in different schemas of one database (staging beside
// production, parallel test runs) must not hear each other's changes and deletions: a deletion
// heard from another schema made a relay forget a portal and end its streams, a change made its
// streams read change ids from its own tables that were not theirs.

const portal = (id: string) => ({
  id,
  name: `Portal ${id}`,
  signingSecretSealed: 'sealed-secret',
  inboundTokenHash: `hash-${id}`,
  salesforceSealed: null,
});

const open = (schema: string) =>
  createStore({ dataDir: '/nonexistent', databaseUrl: POSTGRES_URL, databaseSchema: schema });

test('the channel is the original one without a schema (or on public), else one per schema that PostgreSQL accepts', () => {
  expect(changesChannel(null)).toBe('sync_doctor_relay_changes');
  expect(changesChannel(undefined)).toBe('sync_doctor_relay_changes');
  expect(changesChannel('public')).toBe('sync_doctor_relay_changes');
  const long = `Staging_${'x'.repeat(60)}`;
  for (const schema of ['staging', 'production', long]) {
    const channel = changesChannel(schema);
    expect(channel).toMatch(/^sync_doctor_relay_changes_[0-9a-f]+$/);
    expect(Buffer.byteLength(channel)).toBeLessThanOrEqual(63);
    expect(changesChannel(schema)).toBe(channel);
  }
  expect(changesChannel('staging')).not.toBe(changesChannel('production'));
});

describe('stores in two schemas of one database', () => {
  let here: { schema: string; drop: () => Promise<void> };
  let there: { schema: string; drop: () => Promise<void> };
  const stores: RelayStore[] = [];

  beforeAll(async () => {
    here = await postgresSchema();
    there = await postgresSchema();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await here.drop();
    await there.drop();
  });

  test('hear the changes and deletions of their own schema only', async () => {
    const [writer, neighbour, stranger] = await Promise.all([
      open(here.schema),
      open(here.schema),
      open(there.schema),
    ]);
    stores.push(writer!, neighbour!, stranger!);
    const heardByNeighbour: ForeignChange[] = [];
    const heardByStranger: ForeignChange[] = [];
    await neighbour!.onForeignChange!((change) => heardByNeighbour.push(change));
    await stranger!.onForeignChange!((change) => heardByStranger.push(change));

    // The stranger has a portal of the same id in its own schema: it must keep it.
    await stranger!.createPortal(portal('s1'));
    await writer!.createPortal(portal('s1'));
    const { change } = await writer!.recordSignal(suspension('s1', 1));
    expect(await writer!.deletePortal('s1')).toBe(true);

    const until = Date.now() + 5000;
    while (heardByNeighbour.length < 2 && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 20));
    // Notifications reach every listener of a channel together: give the stranger's a moment more.
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(heardByNeighbour).toEqual([
      { portalId: 's1', changeId: change.id },
      { portalId: 's1', changeId: 0, deleted: true },
    ]);
    expect(heardByStranger).toEqual([]);
    expect(await stranger!.getPortal('s1')).toMatchObject({ id: 's1' });
  });
});
