/**
 * The remediation approves HubSpot's admin-approved-only connected app for the remediation
 * permission set (a SetupEntityAccess row), on the org simulator's admin-approved-app fixture.
 */
import { evaluateAccess, planRemediation } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { connect } from '../src/connect.js';
import { SalesforceError } from '../src/errors.js';
import {
  REMEDIATION_PERMISSION_SET,
  applyRemediation,
  type RemediationPlanInput,
} from '../src/write/applyRemediation.js';
import { emptyPlan as empty } from './plans.js';

let sim: OrgSimulator;
beforeEach(async () => {
  sim = await startOrgSimulator({ fixture: 'admin-approved-app', port: 0 });
});
afterEach(() => sim.close());

const apiRequests = () => sim.requests.filter((r) => r.path.startsWith('/services/data/'));
const hubspot = () => sim.records('ConnectedApplication').find((a) => a.Name === 'HubSpot')!;
const remediationSet = () =>
  sim.records('PermissionSet').find((p) => p.Name === REMEDIATION_PERMISSION_SET.name);
const counts = () =>
  ['PermissionSet', 'SetupEntityAccess', 'PermissionSetAssignment', 'ObjectPermissions'].map(
    (table) => sim.records(table).length,
  );
const diagnose = async (conn: Awaited<ReturnType<typeof connect>>) =>
  evaluateAccess((await collectSnapshot(conn, { user: sim.integrationUser.Username })).snapshot);
const approvalFindings = (diagnosis: Awaited<ReturnType<typeof diagnose>>) =>
  diagnosis.findings.filter((f) => f.rule === 'connected-app-approval');

describe('applyRemediation: connected apps', () => {
  it("approves the remediation set for HubSpot's app and assigns it, so the next read finds the user approved", async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const before = await diagnose(conn);
    expect(approvalFindings(before)).toHaveLength(1);
    const plan = planRemediation(before);
    expect(plan.connectedApps).toEqual([{ id: hubspot().Id, name: 'HubSpot' }]);
    // Nothing else to grant: the app alone makes the applier create and assign its set.
    expect(plan.objectPermissions.length + plan.fieldPermissions.length).toBe(0);
    expect(plan.systemPermissions).toEqual([]);

    sim.resetRequests();
    const result = await applyRemediation(conn, { userId: sim.integrationUser.Id, plan });
    // One read composite, one write composite.
    expect(apiRequests()).toHaveLength(2);
    expect(result).toMatchObject({
      permissionSetId: remediationSet()!.Id,
      assigned: [REMEDIATION_PERMISSION_SET.label],
      connectedApps: ['HubSpot'],
      objectPermissions: 0,
      fieldPermissions: 0,
    });
    expect(
      sim.records('SetupEntityAccess').filter((a) => a.ParentId === result.permissionSetId),
    ).toEqual([
      expect.objectContaining({
        SetupEntityId: hubspot().Id,
        SetupEntityType: 'ConnectedApplication',
      }),
    ]);

    const after = await diagnose(conn);
    expect(approvalFindings(after)).toEqual([]);
    expect(planRemediation(after).connectedApps).toEqual([]);

    // Applying the same plan again reads once and writes nothing.
    const written = counts();
    sim.resetRequests();
    const again = await applyRemediation(conn, { userId: sim.integrationUser.Id, plan });
    expect(again).toMatchObject({
      permissionSetId: result.permissionSetId,
      assigned: [],
      connectedApps: [],
    });
    expect(apiRequests()).toHaveLength(1);
    expect(counts()).toEqual(written);
  });

  it('approves an existing remediation set it is assigned through, once per app, and takes a 15-character Id', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const contactRead = {
      sobjectType: 'Contact',
      read: true,
      create: false,
      edit: false,
      delete: false,
      viewAll: false,
      modifyAll: false,
    };
    // Contact's rights need Read on Account in the same set (Salesforce checks each set alone).
    const accountRead = { ...contactRead, sobjectType: 'Account', requiredBy: ['Contact'] };
    const first = await applyRemediation(conn, {
      userId: sim.integrationUser.Id,
      plan: { ...empty, objectPermissions: [accountRead, contactRead] },
    });
    expect(first.connectedApps).toEqual([]);
    const id = String(hubspot().Id);
    // Object rows, field rows and an app: 6 queries, two read composites sent at once, one write.
    sim.resetRequests();
    const second = await applyRemediation(conn, {
      userId: sim.integrationUser.Id,
      plan: {
        ...empty,
        objectPermissions: [accountRead, contactRead],
        fieldPermissions: [
          { field: 'Contact.Email', sobjectType: 'Contact', read: true, edit: false },
        ],
        connectedApps: [
          { id: id.slice(0, 15), name: 'HubSpot' },
          { id, name: 'HubSpot' },
        ],
      },
    });
    expect(apiRequests()).toHaveLength(3);
    expect(second).toMatchObject({
      permissionSetId: first.permissionSetId,
      assigned: [],
      connectedApps: ['HubSpot'],
      objectPermissions: 0,
      fieldPermissions: 1,
    });
    expect(
      sim
        .records('SetupEntityAccess')
        .filter((a) => a.ParentId === first.permissionSetId && a.SetupEntityId === id),
    ).toHaveLength(1);
    expect(approvalFindings(await diagnose(conn))).toEqual([]);
  });

  it('refuses a plan whose app Id is not a connected app Id before any request', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const id = String(hubspot().Id);
    const written = counts();
    sim.resetRequests();
    const bad: Array<[unknown, RegExp]> = [
      [[{ id: '0H4nope', name: 'HubSpot' }], /Not a connected app Id.*'0H4nope'/],
      // Another object's Id: a permission set's.
      [[{ id: String(sim.records('PermissionSet')[0]!.Id), name: 'HubSpot' }], /0H4/],
      // The case-safe suffix of another Id (a re-cased or mistyped 18-character Id).
      [[{ id: `${id.slice(0, 15)}AAA`, name: 'HubSpot' }], /Not a connected app Id/],
      [[{ id: id.toLowerCase(), name: 'HubSpot' }], /Not a connected app Id/],
      [[{ id: "0H4' OR Id != '", name: 'HubSpot' }], /Not a connected app Id/],
      [[{ id, name: ' ' }], /has no name/],
      [[null], /Not a connected app Id/],
      ['HubSpot', /connectedApps must be a list/],
    ];
    for (const [connectedApps, message] of bad) {
      const plan = { ...empty, connectedApps } as unknown as RemediationPlanInput;
      const error = await applyRemediation(conn, { userId: sim.integrationUser.Id, plan }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
    }
    expect(apiRequests()).toHaveLength(0);
    expect(counts()).toEqual(written);
  });

  it('an app the org does not have fails the all-or-none write: nothing is written', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const written = counts();
    const error = await applyRemediation(conn, {
      userId: sim.integrationUser.Id,
      plan: { ...empty, connectedApps: [{ id: '0H45g00000000ZZ', name: 'Gone' }] },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY' });
    expect(remediationSet()).toBeUndefined();
    expect(counts()).toEqual(written);
  });
});
