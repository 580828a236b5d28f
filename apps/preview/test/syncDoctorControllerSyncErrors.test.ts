/**
 * getSuspensionStatus hands Sync_Errors__c on as SyncDoctorSuspensionStatusReader.cls does: the
 * relay's JSON text as it is, null when blank. The LWC parses it through the core; an object here
 * would let the preview pass where the org's page, given text, does not.
 */
import { STATUS_OBJECT } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { connect, type Connection } from '@sync-doctor/salesforce';
import { createSyncDoctorController } from '../src/server/syncDoctorController.js';

const PORTAL = '424242';
const f = STATUS_OBJECT.fields;

let sim: OrgSimulator;
let connection: Promise<Connection> | null = null;

beforeAll(async () => {
  sim = await startOrgSimulator({ fixture: 'read-only-contacts', port: 0 });
});
afterAll(async () => {
  await sim?.close();
});
afterEach(() => {
  sim.useFixture('read-only-contacts');
});

const SYNC_ERRORS = JSON.stringify({
  receivedAt: '2026-11-28T10:30:00.000Z',
  rows: 40,
  groups: [
    {
      reason: 'FIELD_PERMISSIONS_MISSING',
      errorType: 'Salesforce field permission',
      object: 'Contact',
      field: 'Hub_Score__c',
      count: 40,
      example: null,
    },
  ],
  groupsLeftOut: 0,
});

function storeStatus(syncErrors: string | null): void {
  sim.org.insert(STATUS_OBJECT.name, {
    [f.portalId]: PORTAL,
    [f.state]: 'suspended',
    [f.reason]: 'FIELD_PERMISSIONS_MISSING',
    [f.title]: 'Missing field permissions',
    [f.since]: '2026-11-28T10:00:00.000Z',
    [f.source]: 'sync-errors',
    [f.history]: '[]',
    [f.syncErrors]: syncErrors,
  });
}

async function suspensionStatus(): Promise<Record<string, unknown> | null> {
  const controller = createSyncDoctorController({
    connection: () =>
      (connection ??= connect({ instanceUrl: sim.url, accessToken: sim.accessToken })),
    settings: { userId: null },
  });
  return JSON.parse((await controller.call('getSuspensionStatus', { portalId: PORTAL })) ?? 'null');
}

test('returns Sync_Errors__c as the text the relay wrote, as the Apex does', async () => {
  storeStatus(SYNC_ERRORS);
  const status = await suspensionStatus();
  expect(status).toMatchObject({ portalId: PORTAL, state: 'suspended' });
  expect(status!.syncErrors).toBe(SYNC_ERRORS);
});

test.each([
  ['blank', '   ', null],
  ['empty', null, null],
  // Damaged text is the Apex's to hand on too: the core reads it as no sync errors.
  ['damaged', '{"receivedAt": "2026', '{"receivedAt": "2026'],
])('returns a %s Sync_Errors__c as the Apex does', async (_name, stored, returned) => {
  storeStatus(stored);
  const status = await suspensionStatus();
  expect(status).toHaveProperty('syncErrors', returned);
});

describe('getSnapshot reads the scope the page asks for, as the Apex does', () => {
  const controller = () =>
    createSyncDoctorController({
      connection: () =>
        (connection ??= connect({ instanceUrl: sim.url, accessToken: sim.accessToken })),
      settings: { userId: sim.integrationUser.Id },
    });
  const snapshot = async (scopeJson?: string) =>
    JSON.parse(
      (await controller().call('getSnapshot', {
        userId: sim.integrationUser.Id,
        ...(scopeJson === undefined ? {} : { scopeJson }),
      })) ?? 'null',
    ) as { fields: Record<string, unknown> };

  // A field no default mapping and no saved extra field names: HubSpot's sync errors may name it.
  const scope = {
    objects: ['Contact', 'User'],
    fields: ['Contact.Email', 'Contact.Department'],
  };

  it('describes a field only the scope names', async () => {
    expect(Object.keys((await snapshot()).fields)).not.toContain('Contact.Department');
    expect(Object.keys((await snapshot(JSON.stringify(scope))).fields)).toContain(
      'Contact.Department',
    );
  });

  it.each([
    ['not JSON', '{"objects":', 'is not valid JSON'],
    ['not an object', '[]', 'must be a JSON object'],
    ['an unknown key', JSON.stringify({ ...scope, users: [] }), 'unknown keys: users'],
    ['no field list', JSON.stringify({ objects: ['Contact'] }), 'fields must be an array'],
    ['a label for an object', JSON.stringify({ objects: ['Con tact'], fields: [] }), 'API names'],
    [
      'a field not Object.Field',
      JSON.stringify({ objects: ['Contact'], fields: ['Email'] }),
      'Object.Field',
    ],
    [
      'a field whose object is not in scope',
      JSON.stringify({ objects: ['Lead'], fields: ['Contact.Email'] }),
      'not among the objects',
    ],
  ])('refuses a scope with %s (400, naming what is wrong)', async (_case, scopeJson, message) => {
    await expect(snapshot(scopeJson)).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining(message),
    });
  });
});
