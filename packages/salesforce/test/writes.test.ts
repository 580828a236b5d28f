import {
  STATUS_EVENT,
  STATUS_FIELD_LIMITS,
  STATUS_OBJECT,
  evaluateAccess,
  planRemediation,
  type RelayedStatus,
} from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { connect } from '../src/connect.js';
import { type SubRequest } from '../src/composite.js';
import { SalesforceError } from '../src/errors.js';
import { REMEDIATION_PERMISSION_SET, applyRemediation } from '../src/write/applyRemediation.js';
import { PUBLISH_BATCH_MAX, publishStatus, publishStatuses } from '../src/write/publishStatus.js';

let sim: OrgSimulator;
beforeEach(async () => {
  sim = await startOrgSimulator({ fixture: 'read-only-contacts', port: 0 });
});
afterEach(() => sim.close());

const suspended: RelayedStatus = {
  portalId: '4411223',
  state: 'suspended',
  reason: 'OBJECT_PERMISSIONS_MISSING',
  title: 'Salesforce object permissions missing',
  since: '2026-11-28T08:00:00.000Z',
  lastSeenAt: '2026-11-28T09:00:00.000Z',
  clearedAt: null,
  source: 'email',
  excerpt: 'Your Salesforce integration is suspended: Salesforce object permissions missing',
  history: [
    {
      at: '2026-11-28T08:00:00.000Z',
      state: 'suspended',
      reason: 'OBJECT_PERMISSIONS_MISSING',
      source: 'email',
      title: 'Salesforce object permissions missing',
    },
  ],
};

describe('publishStatus', () => {
  it('upserts the status record by portal id and publishes the event, in one request', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.resetRequests();
    const first = await publishStatus(conn, suspended);
    expect(first.created).toBe(true);
    expect(sim.requests.filter((r) => r.path.startsWith('/services/data/'))).toHaveLength(1);

    const f = STATUS_OBJECT.fields;
    const rows = sim.records(STATUS_OBJECT.name);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      Id: first.id,
      [f.portalId]: '4411223',
      [f.state]: 'suspended',
      [f.reason]: 'OBJECT_PERMISSIONS_MISSING',
      [f.source]: 'email',
    });
    expect(JSON.parse(String(rows[0]![f.history]))).toEqual(suspended.history);
    expect(sim.publishedEvents).toHaveLength(1);
    expect(sim.publishedEvents[0]).toMatchObject({
      sobjectType: STATUS_EVENT.name,
      payload: {
        [STATUS_EVENT.fields.portalId]: '4411223',
        [STATUS_EVENT.fields.state]: 'suspended',
      },
    });
    // Salesforce stores date-times in its own spelling (…000+0000): compare the instant.
    const occurredAt = String(sim.publishedEvents[0]!.payload[STATUS_EVENT.fields.occurredAt]);
    expect(Date.parse(occurredAt)).toBe(Date.parse(suspended.lastSeenAt!));

    const cleared: RelayedStatus = {
      ...suspended,
      state: 'cleared',
      clearedAt: '2026-11-28T10:00:00.000Z',
      lastSeenAt: '2026-11-28T10:00:00.000Z',
      title: 'x'.repeat(400),
    };
    const second = await publishStatus(conn, cleared);
    expect(second).toMatchObject({ id: first.id, created: false });
    expect(sim.records(STATUS_OBJECT.name)).toHaveLength(1);
    expect(sim.records(STATUS_OBJECT.name)[0]).toMatchObject({ [f.state]: 'cleared' });
    expect(String(sim.records(STATUS_OBJECT.name)[0]![f.title])).toHaveLength(
      STATUS_FIELD_LIMITS.title,
    );
    expect(sim.publishedEvents).toHaveLength(2);
  });

  it('publishes no event when the record cannot be written', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    // Faults match composite sub-requests too: the upsert inside the composite finds the row locked.
    sim.injectFault({
      path: `/sobjects/${STATUS_OBJECT.name}/`,
      fault: 'UNABLE_TO_LOCK_ROW',
      times: 1,
    });
    const error = await publishStatus(conn, suspended).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ errorCode: 'UNABLE_TO_LOCK_ROW', reason: 'ORG_LOCKED' });
    expect(sim.records(STATUS_OBJECT.name)).toHaveLength(0);
    expect(sim.publishedEvents).toHaveLength(0);
  });

  it('refuses a portal id that would change the URL', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    await expect(publishStatus(conn, { ...suspended, portalId: '../Account/001' })).rejects.toThrow(
      TypeError,
    );
    await expect(publishStatus(conn, { ...suspended, portalId: '' })).rejects.toThrow(TypeError);
  });

  it('refuses a portal id longer than Portal_Id__c holds, before sending anything', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.resetRequests();
    await expect(publishStatus(conn, { ...suspended, portalId: '1'.repeat(33) })).rejects.toThrow(
      /Not a HubSpot portal id/,
    );
    expect(sim.requests).toHaveLength(0);
    await expect(publishStatus(conn, { ...suspended, portalId: '1'.repeat(32) })).resolves.toEqual(
      expect.objectContaining({ created: true }),
    );
  });
});

describe('publishStatuses', () => {
  const change = (n: number): RelayedStatus => ({
    ...suspended,
    title: `#${n}`,
    lastSeenAt: new Date(Date.UTC(2026, 10, 28, 9, 0, n)).toISOString(),
    history: [
      {
        ...suspended.history[0]!,
        at: new Date(Date.UTC(2026, 10, 28, 9, 0, n)).toISOString(),
        title: `#${n}`,
      },
    ],
  });
  const eventTitles = () =>
    sim.publishedEvents
      .filter((e) => e.sobjectType === STATUS_EVENT.name)
      .map((e) => e.payload[STATUS_EVENT.fields.title]);

  it('carries up to 200 changes in one API call: every event in order, the record at the last state', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.resetRequests();
    const changes = Array.from({ length: PUBLISH_BATCH_MAX }, (_, i) => change(i + 1));
    const result = await publishStatuses(conn, changes);
    expect(sim.requests.filter((r) => r.path.startsWith('/services/data/'))).toHaveLength(1);
    expect(eventTitles()).toEqual(changes.map((c) => c.title));
    expect(result.eventIds).toHaveLength(PUBLISH_BATCH_MAX);
    expect(new Set(result.eventIds).size).toBe(PUBLISH_BATCH_MAX);
    expect(result.created).toBe(true);
    const rows = sim.records(STATUS_OBJECT.name);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      Id: result.id,
      [STATUS_OBJECT.fields.title]: `#${PUBLISH_BATCH_MAX}`,
    });
    await expect(publishStatuses(conn, [...changes, change(201)])).rejects.toThrow(RangeError);
    await expect(
      publishStatuses(conn, [change(1), { ...change(2), portalId: '999' }]),
    ).rejects.toThrow(TypeError);
  });

  it('a single change is the request publishStatus sends', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.resetRequests();
    const result = await publishStatuses(conn, [change(1)]);
    await publishStatus(conn, change(1));
    const [batch, single] = sim.requests.filter((r) => r.path.startsWith('/services/data/'));
    expect(batch!.body).toEqual(single!.body);
    expect((batch!.body as { compositeRequest: unknown[] }).compositeRequest).toHaveLength(2);
    expect(result.eventIds).toEqual([expect.any(String)]);
  });

  it('one refused event rolls the whole batch back, names the change, and publishes nothing', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    // A state longer than the event's State__c (16 characters): the org refuses that one record.
    const bad = change(3);
    const error = await publishStatuses(conn, [
      change(1),
      change(2),
      { ...bad, state: 'suspended-for-too-long' as RelayedStatus['state'] },
      change(4),
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ batchIndex: 2, request: 'composite:events' });
    expect(eventTitles()).toEqual([]);
    expect(sim.records(STATUS_OBJECT.name)).toHaveLength(0);
  });

  it("a refused status record is the last change's: the batch rolls back, no event goes out", async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.injectFault({
      path: `/sobjects/${STATUS_OBJECT.name}/`,
      fault: 'UNABLE_TO_LOCK_ROW',
      times: 1,
    });
    const error = await publishStatuses(conn, [change(1), change(2)]).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'UNABLE_TO_LOCK_ROW', batchIndex: 1 });
    expect(eventTitles()).toEqual([]);
    expect(sim.records(STATUS_OBJECT.name)).toHaveLength(0);
  });
});

describe('applyRemediation', () => {
  it('gives the user exactly what the plan lists, and the diagnosis then finds nothing of it', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const user = sim.integrationUser;
    const before = evaluateAccess((await collectSnapshot(conn, { user: user.Username })).snapshot);
    const plan = planRemediation(before);
    expect(plan.objectPermissions.map((o) => o.sobjectType)).toContain('Contact');

    sim.resetRequests();
    const result = await applyRemediation(conn, { userId: user.Id, plan });
    expect(
      sim.requests.filter((r) => r.path.startsWith('/services/data/')).length,
    ).toBeLessThanOrEqual(3);
    expect(result.permissionSetId).toEqual(expect.any(String));
    expect(result.assigned).toContain(REMEDIATION_PERMISSION_SET.label);
    expect(result.objectPermissions).toBe(plan.objectPermissions.length);
    expect(result.fieldPermissions).toBe(plan.fieldPermissions.length);

    const set = sim
      .records('PermissionSet')
      .find((p) => p.Name === REMEDIATION_PERMISSION_SET.name);
    expect(set?.Id).toBe(result.permissionSetId);
    const rows = sim
      .records('ObjectPermissions')
      .filter((r) => r.ParentId === result.permissionSetId);
    expect(rows.map((r) => r.SobjectType).sort()).toEqual(
      plan.objectPermissions.map((o) => o.sobjectType).sort(),
    );
    const contact = rows.find((r) => r.SobjectType === 'Contact');
    expect(contact).toMatchObject({
      PermissionsRead: true,
      PermissionsEdit: true,
      PermissionsDelete: false,
      PermissionsModifyAllRecords: false,
    });
    expect(
      sim
        .records('PermissionSetAssignment')
        .some((a) => a.AssigneeId === user.Id && a.PermissionSetId === result.permissionSetId),
    ).toBe(true);

    const after = evaluateAccess((await collectSnapshot(conn, { user: user.Username })).snapshot);
    expect(after.findings).not.toContainEqual(
      expect.objectContaining({ severity: 'error', subject: 'Contact' }),
    );
    expect(after.objects.find((o) => o.name === 'Contact')?.effective.edit).toBe(true);
  });

  it("grants Read on Account with Contact's rights, saved first, as Salesforce checks each set on its own", async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const userId = sim.integrationUser.Id;
    const rights = { create: false, delete: false, viewAll: false, modifyAll: false };
    const contact = { sobjectType: 'Contact', ...rights, read: true, create: true, edit: true };
    const base = { assignPermissionSets: [], fieldPermissions: [], systemPermissions: [] };
    // Without it, Salesforce refuses Contact's row (the HubSpot set's Read on Account does not count).
    await expect(
      applyRemediation(conn, { userId, plan: { ...base, objectPermissions: [contact] } }),
    ).rejects.toThrow('Permission Read Contact depends on permission(s): Read Account');
    expect(
      sim.records('PermissionSet').some((p) => p.Name === REMEDIATION_PERMISSION_SET.name),
    ).toBe(false);
    // Listed after its child (a hand-made plan), the parent's row is still saved first.
    const account = { sobjectType: 'Account', ...rights, read: true, edit: false };
    const result = await applyRemediation(conn, {
      userId,
      plan: {
        ...base,
        objectPermissions: [contact, { ...account, requiredBy: ['Contact'] }],
      },
    });
    const rows = sim
      .records('ObjectPermissions')
      .filter((r) => r.ParentId === result.permissionSetId);
    expect(rows.map((r) => [r.SobjectType, r.PermissionsRead, r.PermissionsEdit])).toEqual([
      ['Account', true, false],
      ['Contact', true, true],
    ]);
  });

  it("saves the rows in the plan's waves (saveWave), not by a rule of its own", async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const userId = sim.integrationUser.Id;
    const rights = { create: false, delete: false, viewAll: false, modifyAll: false };
    const contact = { sobjectType: 'Contact', ...rights, read: true, create: true, edit: true };
    const account = { sobjectType: 'Account', ...rights, read: true, edit: false };
    const base = { assignPermissionSets: [], fieldPermissions: [], systemPermissions: [] };
    // A plan saving Contact's row in a wave before Account's Read: the applier does as told, and
    // Salesforce refuses Contact's row, whatever its requiredBy says.
    await expect(
      applyRemediation(conn, {
        userId,
        plan: {
          ...base,
          objectPermissions: [
            { ...account, requiredBy: ['Contact'], saveWave: 1 },
            { ...contact, saveWave: 0 },
          ],
        },
      }),
    ).rejects.toThrow('Permission Read Contact depends on permission(s): Read Account');
    sim.resetRequests();
    // The core's waves: Account's Read first, Contact's rights in the wave after.
    const result = await applyRemediation(conn, {
      userId,
      plan: {
        ...base,
        objectPermissions: [
          { ...contact, saveWave: 1 },
          { ...account, requiredBy: ['Contact'], saveWave: 0 },
        ],
      },
    });
    const written = sim.requests
      .filter((r) => r.method === 'POST' && r.path.endsWith('/composite'))
      .flatMap((r) => (r.body as { compositeRequest: SubRequest[] }).compositeRequest)
      .filter((sub) => sub.url.endsWith('/sobjects/ObjectPermissions'))
      .map((sub) => (sub.body as { SobjectType: string }).SobjectType);
    expect(written).toEqual(['Account', 'Contact']);
    expect(result.objectPermissions).toBe(2);
  });

  it('refuses a saving wave that is not a whole number of 0 or more, before any request', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.resetRequests();
    const grant = {
      sobjectType: 'Account',
      read: true,
      create: false,
      edit: false,
      delete: false,
      viewAll: false,
      modifyAll: false,
    };
    for (const saveWave of [-1, 1.5, '1', null, Number.NaN, 2 ** 53])
      await expect(
        applyRemediation(conn, {
          userId: sim.integrationUser.Id,
          plan: {
            assignPermissionSets: [],
            objectPermissions: [{ ...grant, saveWave: saveWave as number }],
            fieldPermissions: [],
            systemPermissions: [],
          },
        }),
      ).rejects.toThrow(
        `The saving wave of Account (saveWave) must be a whole number of 0 or more, not ${JSON.stringify(saveWave)}`,
      );
    expect(sim.requests).toHaveLength(0);
  });

  it('refuses Modify All on an object before any request, as the core never plans it', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.resetRequests();
    const plan = {
      assignPermissionSets: [],
      objectPermissions: [
        {
          sobjectType: 'Account',
          read: true,
          create: false,
          edit: false,
          delete: false,
          viewAll: false,
          modifyAll: true,
        },
      ],
      fieldPermissions: [],
      systemPermissions: [],
    };
    await expect(applyRemediation(conn, { userId: sim.integrationUser.Id, plan })).rejects.toThrow(
      'Sync Doctor never grants Modify All on Account',
    );
    expect(sim.requests).toHaveLength(0);
  });

  it('runs twice without duplicating anything', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const plan = planRemediation(
      evaluateAccess(
        (await collectSnapshot(conn, { user: sim.integrationUser.Username })).snapshot,
      ),
    );
    const first = await applyRemediation(conn, { userId: sim.integrationUser.Id, plan });
    const counts = () => [
      sim.records('PermissionSet').length,
      sim.records('ObjectPermissions').length,
      sim.records('PermissionSetAssignment').length,
    ];
    const before = counts();
    const second = await applyRemediation(conn, { userId: sim.integrationUser.Id, plan });
    expect(second).toMatchObject({
      permissionSetId: first.permissionSetId,
      assigned: [],
      objectPermissions: 0,
      fieldPermissions: 0,
    });
    expect(counts()).toEqual(before);
  });

  it('assigns a named permission set and reports one the org lacks', async () => {
    await sim.close();
    sim = await startOrgSimulator({ fixture: 'missing-permission-set', port: 0 });
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const empty = {
      assignPermissionSets: ['HubSpot Integration Permissions', 'No Such Set'],
      objectPermissions: [],
      fieldPermissions: [],
      systemPermissions: [],
    };
    const result = await applyRemediation(conn, { userId: sim.integrationUser.Id, plan: empty });
    expect(result).toMatchObject({
      permissionSetId: null,
      assigned: ['HubSpot Integration Permissions'],
      notFound: ['No Such Set'],
    });
    const after = evaluateAccess(
      (await collectSnapshot(conn, { user: sim.integrationUser.Username })).snapshot,
    );
    expect(after.findings).not.toContainEqual(
      expect.objectContaining({ subject: 'HubSpot Integration Permissions', severity: 'error' }),
    );
  });

  it('renews an assignment past its expiration date instead of taking it for a live one', async () => {
    // Salesforce removes an expired assignment, but not at once: until then the row is there and
    // grants nothing, and creating a second one for the same set is refused as a duplicate.
    await sim.close();
    sim = await startOrgSimulator({ fixture: 'expired-assignment', port: 0 });
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const user = sim.integrationUser;
    const before = evaluateAccess((await collectSnapshot(conn, { user: user.Username })).snapshot);
    const plan = planRemediation(before);
    expect(plan.assignPermissionSets).toContain('HubSpot Integration Permissions');

    const result = await applyRemediation(conn, { userId: user.Id, plan });
    expect(result.assigned).toContain('HubSpot Integration Permissions');
    const hubspotSet = sim
      .records('PermissionSet')
      .find((p) => p.Name === 'HubSpot_Integration_Permissions');
    const rows = sim
      .records('PermissionSetAssignment')
      .filter((a) => a.AssigneeId === user.Id && a.PermissionSetId === hubspotSet?.Id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.ExpirationDate ?? null).toBeNull();

    const after = evaluateAccess((await collectSnapshot(conn, { user: user.Username })).snapshot);
    expect(after.verdict).toBe('healthy');
  });

  it('does nothing for an empty plan and refuses bad input before any request', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.resetRequests();
    const empty = {
      assignPermissionSets: [],
      objectPermissions: [],
      fieldPermissions: [],
      systemPermissions: [],
    };
    await expect(
      applyRemediation(conn, { userId: sim.integrationUser.Id, plan: empty }),
    ).resolves.toMatchObject({ permissionSetId: null, assigned: [] });
    await expect(applyRemediation(conn, { userId: 'not-an-id', plan: empty })).rejects.toThrow(
      TypeError,
    );
    const badField = {
      ...empty,
      fieldPermissions: [{ field: 'Account.Name', sobjectType: 'Contact', read: true, edit: true }],
    };
    await expect(
      applyRemediation(conn, { userId: sim.integrationUser.Id, plan: badField }),
    ).rejects.toThrow(/Not a field of Contact/);
    expect(sim.requests).toHaveLength(0);
  });
});
