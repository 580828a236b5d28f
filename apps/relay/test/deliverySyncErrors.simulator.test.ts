import {
  STATUS_OBJECT,
  parseSyncErrors,
  syncErrorFieldNames,
  type RelayedStatus,
} from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { SYNC_ERRORS_LEFT_OUT } from '../src/publisher/salesforce.js';
import type { DeliveryTarget } from '../src/publisher/types.js';
import {
  POSTGRES_URL,
  RecordingPublisher,
  admin,
  captureLogs,
  createPortal,
  postgresSchema,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.js';
import {
  createConnectedPortal,
  deliveriesOf,
  fastOutbox,
  jwtApp,
  jwtConnection,
  publishedTitles,
  sendNumbered,
} from './orgDelivery.js';

// HubSpot's exported sync errors, uploaded to the relay, reach the portal's status record in
// Salesforce (Sync_Errors__c): every delivery carries the newest summary, and an upload sends the
// newest status again so it arrives now, not with the next suspension. An org whose package
// predates the field still gets every status.

const f = STATUS_OBJECT.fields;
const CSV =
  [
    'Error type,Object,Field,Record ID,Error message,Date',
    'Salesforce field permission,Contact,Industry,101,INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry,2026-11-27',
    'Salesforce field permission,Contact,Industry,102,INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry,2026-11-27',
    'Picklist,Lead,Rating,301,bad value for restricted picklist field,2026-11-28',
  ].join('\r\n') + '\r\n';
const CSV_LATER =
  [
    'Error type,Object,Field,Record ID,Error message,Date',
    'Salesforce field permission,Contact,Score__c,401,INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Score__c,2026-11-29',
  ].join('\r\n') + '\r\n';

const STORES: [string, () => Promise<{ overrides: object; drop: () => Promise<void> }>][] = [
  ['sqlite', async () => ({ overrides: {}, drop: async () => undefined })],
  [
    'postgres',
    async () => {
      const { schema, drop } = await postgresSchema();
      return { overrides: { databaseUrl: POSTGRES_URL, databaseSchema: schema }, drop };
    },
  ],
];

describe.each(STORES)('sync errors into Salesforce (%s store)', (_kind, openStore) => {
  const jwt = jwtApp('3MVG9relay.sync.errors');
  let org: OrgSimulator;
  let oldOrg: OrgSimulator;
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;
  let drop: () => Promise<void>;
  let logs: ReturnType<typeof captureLogs>;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    const options = {
      fixture: 'healthy',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    } as const;
    org = await startOrgSimulator(options);
    oldOrg = await startOrgSimulator({
      ...options,
      dropColumns: [`${STATUS_OBJECT.name}.${f.syncErrors}`],
    });
    const store = await openStore();
    drop = store.drop;
    dir = tempDir();
    logs = captureLogs({ level: 'warn' });
    app = await buildApp(testConfig(dir.path, { ...store.overrides, outbox: fastOutbox() }), {
      loggerInstance: logs.logger,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await org.close();
    await oldOrg.close();
    await drop();
    dir.remove();
  });

  const upload = async (portalId: string, csv = CSV) => {
    const response = await app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/sync-errors`,
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: number; salesforce: string };
  };
  const send = (portalId: string, n: number) =>
    sendNumbered(app, secrets[portalId]!, portalId, n, 'sync-errors');
  const recordIn = (where: OrgSimulator, portalId: string) =>
    where.records(STATUS_OBJECT.name).find((r) => r[f.portalId] === portalId);
  const settled = async (portalId: string) =>
    (await deliveriesOf(app, portalId)).every((d) => d.state === 'delivered');
  // The fields the app and the CLI will check (a HubSpot contact may also be a Lead: the core says).
  const fieldsNamed = (where: OrgSimulator, portalId: string) =>
    syncErrorFieldNames(String(recordIn(where, portalId)?.[f.syncErrors] ?? ''));

  test('an upload reaches the status record at once, and a later status change still carries it', async () => {
    secrets['6100001'] = await createConnectedPortal(app, '6100001', jwtConnection(jwt, org));
    expect((await send('6100001', 1)).statusCode).toBe(202);
    await waitFor(() => recordIn(org, '6100001')?.[f.title] === '6100001#1', 10_000, 'status #1');
    await waitFor(() => settled('6100001'), 10_000, 'status #1 recorded');
    expect(recordIn(org, '6100001')?.[f.syncErrors] ?? null).toBeNull();

    const uploaded = await upload('6100001');
    expect(uploaded.salesforce).toBe('queued');
    await waitFor(() => fieldsNamed(org, '6100001').length > 0, 10_000, 'the sync errors');
    expect(fieldsNamed(org, '6100001')).toContain('Contact.Industry');
    const summary = parseSyncErrors(recordIn(org, '6100001')![f.syncErrors])!;
    expect(summary).toMatchObject({ rows: 3, groupsLeftOut: 0 });
    expect(summary.groups.map((g) => [g.object, g.field, g.count])).toEqual([
      ['Contact', 'Industry', 2],
      ['Lead', 'Rating', 1],
    ]);
    await waitFor(() => settled('6100001'), 10_000, 'the resend recorded');
    // The newest status went again (its event too, so open pages reload), once.
    expect(publishedTitles(org, '6100001')).toEqual(['6100001#1', '6100001#1']);
    const [newest] = await deliveriesOf(app, '6100001');
    expect(newest!.result).toMatchObject({ syncErrorsReportId: uploaded.id });

    expect((await send('6100001', 2)).statusCode).toBe(202);
    await waitFor(() => recordIn(org, '6100001')?.[f.title] === '6100001#2', 10_000, 'status #2');
    expect(fieldsNamed(org, '6100001')).toContain('Contact.Industry');

    // A newer export replaces it, and an upload that Salesforce already has is not sent again.
    await waitFor(() => settled('6100001'), 10_000, 'status #2 recorded');
    expect((await upload('6100001', CSV_LATER)).salesforce).toBe('queued');
    await waitFor(
      () => fieldsNamed(org, '6100001').includes('Contact.Score__c'),
      10_000,
      'the newer export',
    );
    expect(fieldsNamed(org, '6100001')).not.toContain('Contact.Industry');
    await waitFor(() => settled('6100001'), 10_000, 'the second resend recorded');
    expect(publishedTitles(org, '6100001')).toEqual([
      '6100001#1',
      '6100001#1',
      '6100001#2',
      '6100001#2',
    ]);
  });

  test('an upload before any status waits for the first delivery, which carries it', async () => {
    secrets['6100002'] = await createConnectedPortal(app, '6100002', jwtConnection(jwt, org));
    expect((await upload('6100002')).salesforce).toBe('waits-for-first-status');
    expect((await send('6100002', 1)).statusCode).toBe(202);
    await waitFor(() => recordIn(org, '6100002')?.[f.title] === '6100002#1', 10_000, 'status #1');
    expect(fieldsNamed(org, '6100002')).toContain('Contact.Industry');
    await waitFor(() => settled('6100002'), 10_000, 'recorded');
    expect(publishedTitles(org, '6100002')).toEqual(['6100002#1']);
  });

  test('a portal without a Salesforce connection: the upload says so, and the first delivery once one is set carries it', async () => {
    secrets['6100003'] = (await createPortal(app, '6100003', null)).signingSecret;
    expect((await send('6100003', 1)).statusCode).toBe(202);
    expect((await upload('6100003')).salesforce).toBe('no-connection');
    const response = await app.inject({
      method: 'PUT',
      url: '/v1/admin/portals/6100003/salesforce',
      headers: admin,
      payload: jwtConnection(jwt, org),
    });
    expect(response.statusCode).toBe(200);
    await waitFor(() => recordIn(org, '6100003')?.[f.title] === '6100003#1', 10_000, 'status #1');
    expect(fieldsNamed(org, '6100003')).toContain('Contact.Industry');
  });

  test('an org whose package predates Sync_Errors__c still gets every status, and is told once to upgrade', async () => {
    secrets['6100004'] = await createConnectedPortal(app, '6100004', jwtConnection(jwt, oldOrg));
    expect((await upload('6100004')).salesforce).toBe('waits-for-first-status');
    for (const n of [1, 2]) {
      expect((await send('6100004', n)).statusCode).toBe(202);
      await waitFor(
        () => recordIn(oldOrg, '6100004')?.[f.title] === `6100004#${n}`,
        10_000,
        `status #${n}`,
      );
      await waitFor(() => settled('6100004'), 10_000, `status #${n} recorded`);
    }
    expect(recordIn(oldOrg, '6100004')).not.toHaveProperty(f.syncErrors);
    expect(publishedTitles(oldOrg, '6100004')).toEqual(['6100004#1', '6100004#2']);
    const deliveries = await deliveriesOf(app, '6100004');
    for (const d of deliveries)
      expect(d.result).toMatchObject({ syncErrorsLeftOut: SYNC_ERRORS_LEFT_OUT });
    const told = logs.entries().filter((e) => e.msg === SYNC_ERRORS_LEFT_OUT);
    expect(told).toEqual([expect.objectContaining({ portalId: '6100004' })]);

    // A portal with no export clears the field where there is one; here the status goes without
    // it, and nothing is said: no errors were left out.
    secrets['6100006'] = await createConnectedPortal(app, '6100006', jwtConnection(jwt, oldOrg));
    for (const n of [1, 2]) {
      expect((await send('6100006', n)).statusCode).toBe(202);
      await waitFor(
        () => recordIn(oldOrg, '6100006')?.[f.title] === `6100006#${n}`,
        10_000,
        `status #${n} (no export)`,
      );
      await waitFor(() => settled('6100006'), 10_000, `status #${n} recorded (no export)`);
    }
    expect(publishedTitles(oldOrg, '6100006')).toEqual(['6100006#1', '6100006#2']);
    for (const d of await deliveriesOf(app, '6100006'))
      expect(d.result).not.toHaveProperty('syncErrorsLeftOut');
    expect(logs.entries().filter((e) => e.msg === SYNC_ERRORS_LEFT_OUT)).toHaveLength(1);
  });

  test("a portal deleted and created again: its first delivery clears the old portal's sync errors", async () => {
    secrets['6100005'] = await createConnectedPortal(app, '6100005', jwtConnection(jwt, org));
    expect((await upload('6100005')).salesforce).toBe('waits-for-first-status');
    expect((await send('6100005', 1)).statusCode).toBe(202);
    await waitFor(() => recordIn(org, '6100005')?.[f.title] === '6100005#1', 10_000, 'status #1');
    expect(fieldsNamed(org, '6100005')).toContain('Contact.Industry');
    await waitFor(() => settled('6100005'), 10_000, 'status #1 recorded');

    const deleted = await app.inject({
      method: 'DELETE',
      url: '/v1/admin/portals/6100005',
      headers: admin,
    });
    expect(deleted.statusCode).toBe(204);
    // The status record in Salesforce is upserted by portal id: it outlives the relay's portal.
    expect(fieldsNamed(org, '6100005')).toContain('Contact.Industry');

    secrets['6100005'] = await createConnectedPortal(app, '6100005', jwtConnection(jwt, org));
    expect((await send('6100005', 2)).statusCode).toBe(202);
    await waitFor(() => recordIn(org, '6100005')?.[f.title] === '6100005#2', 10_000, 'status #2');
    await waitFor(() => settled('6100005'), 10_000, 'status #2 recorded');
    // The relay holds no export for the new portal: Salesforce holds none either.
    expect(recordIn(org, '6100005')?.[f.syncErrors] ?? null).toBeNull();
    expect(fieldsNamed(org, '6100005')).toEqual([]);
    const [newest] = await deliveriesOf(app, '6100005');
    expect(newest!.result).not.toHaveProperty('syncErrorsLeftOut');
  });

  test('an export with an affected-records column reaches Salesforce counting records, not rows', async () => {
    secrets['6100009'] = await createConnectedPortal(app, '6100009', jwtConnection(jwt, org));
    const csv =
      [
        'Error type,Object,Field,Affected records,Error message',
        'Salesforce field permission,Contact,Industry,200,INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry',
        'Picklist,Lead,Rating,12,bad value for restricted picklist field',
      ].join('\r\n') + '\r\n';
    expect((await upload('6100009', csv)).salesforce).toBe('waits-for-first-status');
    expect((await send('6100009', 1)).statusCode).toBe(202);
    await waitFor(() => recordIn(org, '6100009')?.[f.title] === '6100009#1', 10_000, 'status #1');
    const summary = parseSyncErrors(recordIn(org, '6100009')![f.syncErrors])!;
    // Two rows standing for 212 records: the app and the CLI say records, as the upload's answer did.
    expect(summary).toMatchObject({ rows: 2, records: 212 });
    expect(summary.groups.map((g) => g.count)).toEqual([200, 12]);
    await waitFor(() => settled('6100009'), 10_000, 'status #1 recorded');
  });

  // The app's Apex cannot reach the Tooling API: the relay names the rule behind each validation
  // group as it carries the export, through the portal's session.
  test('a validation group reaches Salesforce with the rule that sends its message, read once', async () => {
    org.org.schema.addValidationRule('Contact', {
      name: 'Phone_Has_10_Digits',
      formula: 'ISBLANK(Phone)',
      message: 'Phone must have 10 digits',
      field: 'Phone',
    });
    const toolingReads = () => org.requests.filter((r) => r.path.includes('/tooling/query')).length;
    const before = toolingReads();
    secrets['6100010'] = await createConnectedPortal(app, '6100010', jwtConnection(jwt, org));
    const csv =
      [
        'Error type,Object,Field,Error message',
        'Custom code,Contact,Phone,FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must have 10 digits: [Phone]',
        'Custom code,Contact,Phone,FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must have 10 digits: [Phone]',
        'Custom code,Contact,Email,FIELD_CUSTOM_VALIDATION_EXCEPTION: Use a company address: [Email]',
      ].join('\r\n') + '\r\n';
    await upload('6100010', csv);
    for (const n of [1, 2]) {
      expect((await send('6100010', n)).statusCode).toBe(202);
      await waitFor(() => recordIn(org, '6100010')?.[f.title] === `6100010#${n}`, 10_000, `#${n}`);
      await waitFor(() => settled('6100010'), 10_000, `#${n} recorded`);
    }
    const summary = parseSyncErrors(recordIn(org, '6100010')![f.syncErrors])!;
    expect(summary.groups.map((g) => [g.field, g.count, g.validationRules])).toEqual([
      ['Phone', 2, [{ object: 'Contact', name: 'Phone_Has_10_Digits' }]],
      ['Email', 1, []],
    ]);
    // Once for the export, not once a send.
    expect(toolingReads() - before).toBe(1);
  });
});

/** Holds every send until released, so an upload can come while a status is on its way. */
class HeldPublisher extends RecordingPublisher {
  private release: () => void = () => undefined;
  private held = new Promise<void>((resolve) => (this.release = resolve));
  sending = 0;
  open(): void {
    this.release();
  }
  override async publish(target: DeliveryTarget, status: RelayedStatus) {
    this.sending += 1;
    await this.held;
    return super.publish(target, status);
  }
}

describe('sync errors uploaded while the newest status is on its way', () => {
  test('the status goes again once recorded, carrying them', async () => {
    const dir = tempDir();
    const publisher = new HeldPublisher();
    const app = await buildApp(testConfig(dir.path, { publisher }));
    await app.ready();
    try {
      const { signingSecret } = await createPortal(app, '6100005');
      expect((await sendNumbered(app, signingSecret, '6100005', 1, 'held')).statusCode).toBe(202);
      await waitFor(() => publisher.sending > 0, 10_000, 'the send');
      const response = await app.inject({
        method: 'POST',
        url: '/v1/portals/6100005/sync-errors',
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: CSV,
      });
      // Pending (in flight): the delivery itself asks again once it is recorded.
      expect(response.json()).toMatchObject({ salesforce: 'queued' });
      publisher.open();
      await waitFor(() => publisher.published.length >= 2, 10_000, 'the status sent again');
      const [first, second] = publisher.published;
      // Read before the upload: the portal had none, and the status cleared them (null).
      expect(first!.status.syncErrors).toBeNull();
      expect(syncErrorFieldNames(second!.status.syncErrors)).toContain('Contact.Industry');
      expect(second!.status.title).toBe('6100005#1');
      await waitFor(
        async () => (await deliveriesOf(app, '6100005'))[0]?.state === 'delivered',
        10_000,
        'recorded',
      );
      expect(publisher.published).toHaveLength(2);
    } finally {
      await app.close();
      dir.remove();
    }
  });
});
