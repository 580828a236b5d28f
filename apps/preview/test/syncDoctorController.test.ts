/**
 * The controller's integration user methods on the org simulator, without the relay or a browser:
 * the ranking is the core's (Apex String.compareTo on names, not localeCompare), the evidence is
 * the salesforce package's one composite, and the saved choice is the preview's memory.
 */
import { generateKeyPairSync } from 'node:crypto';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { connect, type Connection } from '@sync-doctor/salesforce';
import { createSyncDoctorController } from '../src/server/syncDoctorController.js';
import { duplicateRulesAsApex } from '../src/server/duplicateRulesAsApex.js';
import { recordTypesAsApex } from '../src/server/recordTypesAsApex.js';

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
  sim.resetRequests();
});

const controller = (userId: string | null) =>
  createSyncDoctorController({
    connection: () =>
      (connection ??= connect({ instanceUrl: sim.url, accessToken: sim.accessToken })),
    settings: { userId },
  });

interface Candidate {
  userId: string;
  username: string;
  name: string | null;
  isActive: boolean;
  sources: string[];
}
interface CandidatesAnswer {
  candidates: Candidate[];
  unread: { source: string; errorCode: string; message: string }[];
}
const call = async (userId: string | null, method: string, params: Record<string, unknown> = {}) =>
  JSON.parse((await controller(userId).call(method, params)) ?? 'null') as Candidate[];
/** findIntegrationUserCandidates' answer: { candidates, unread }, as the Apex controller's. */
const findCandidates = async (userId: string | null) =>
  JSON.parse(
    (await controller(userId).call('findIntegrationUserCandidates', {})) ?? 'null',
  ) as CandidatesAnswer;
const apiRequests = () => sim.requests.filter((r) => r.path.startsWith('/services/data/v'));

/** A copy of Sam Sales (active, one HubSpot OAuth token) under another name. */
function addTokenHolder(name: string, username: string): string {
  const { Id: samId, ...sam } = sim
    .records('User')
    .find((u) => u.Username === 'sam.sales@acme.example')!;
  const user = sim.org.insert('User', {
    ...sam,
    Name: name,
    FirstName: null,
    LastName: name,
    Username: username,
    Email: username,
  });
  const token = sim.records('OauthToken').find((t) => t.UserId === samId)!;
  sim.org.insert('OauthToken', {
    AppName: token.AppName,
    UserId: user.Id,
    LastUsedDate: token.LastUsedDate,
    UseCount: 1,
    AppMenuItemId: null,
  });
  return String(user.Id);
}

describe('findIntegrationUserCandidates', () => {
  test('ties on evidence are ordered by UTF-16 code units as Apex does, not by locale', async () => {
    addTokenHolder('adam Lower', 'adam.lower@acme.example');
    const { candidates: found, unread } = await findCandidates(sim.integrationUser.Id);
    expect(unread).toEqual([]);
    // localeCompare would put "adam Lower" before "Sam Sales"; Apex's compareTo puts 'S' (0x53) before 'a' (0x61).
    expect(found.map((c) => [c.username, c.sources])).toEqual([
      ['hubspot.integration@acme.example', ['oauth', 'permissionSet', 'saved']],
      ['sam.sales@acme.example', ['oauth']],
      ['adam.lower@acme.example', ['oauth']],
      ['old.hubspot@acme.example', ['oauth']],
    ]);
    expect(found[3]!.isActive).toBe(false);
    // The evidence is one composite; the saved user already has a record from it.
    expect(apiRequests().map((r) => r.path)).toEqual([expect.stringMatching(/\/composite$/)]);
  });

  test("the saved choice is the preview's memory, not the org's Sync_Doctor_Settings__c", async () => {
    const sam = sim.records('User').find((u) => u.Username === 'sam.sales@acme.example')!;
    sim.org.insert('Sync_Doctor_Settings__c', {
      Name: 'Default',
      SetupOwnerId: String(sim.records('Organization')[0]!.Id),
      Integration_User_Id__c: sam.Id,
    });
    const { candidates: found } = await findCandidates(sim.adminUser.Id);
    const sources = Object.fromEntries(found.map((c) => [c.username, c.sources]));
    expect(sources['sam.sales@acme.example']).toEqual(['oauth']);
    // The admin has no other evidence: its record is read by one more query, and it is listed.
    expect(sources[sim.adminUser.Username]).toEqual(['saved']);
    expect(apiRequests()).toHaveLength(2);
  });

  test('no saved choice and no evidence: no candidate, and nothing unread', async () => {
    sim.useFixture('missing-permission-set');
    for (const token of [...sim.records('OauthToken')]) sim.org.delete(String(token.Id));
    expect(await findCandidates(null)).toEqual({ candidates: [], unread: [] });
  });

  test('a reader without Customize Application: no token counts, and the answer says the tokens were unread', async () => {
    // Salesforce would show such a reader its own OAuth tokens only, silently (Object Reference,
    // OauthToken, "Special Access Rules"): the picker must hear the ranking was made without them.
    const held = new Set(
      sim
        .records('PermissionSetAssignment')
        .filter((a) => String(a.AssigneeId) === sim.adminUser.Id)
        .map((a) => String(a.PermissionSetId)),
    );
    for (const set of sim.records('PermissionSet').filter((p) => held.has(String(p.Id))))
      sim.org.update(String(set.Id), { PermissionsCustomizeApplication: false });
    sim.org.insert('OauthToken', {
      AppName: 'HubSpot',
      UserId: sim.adminUser.Id,
      LastUsedDate: new Date().toISOString(),
      UseCount: 1,
      AppMenuItemId: null,
    });
    const { candidates, unread } = await findCandidates(sim.integrationUser.Id);
    expect(unread).toEqual([
      {
        source: 'oauth',
        errorCode: 'CUSTOMIZE_APPLICATION_REQUIRED',
        message: expect.stringContaining('"Customize Application"'),
      },
    ]);
    expect(candidates.map((c) => [c.username, c.sources])).toEqual([
      ['hubspot.integration@acme.example', ['permissionSet', 'saved']],
    ]);
  });
});

describe('searchUsers', () => {
  test('lists matching users with their evidence, ranked by the same rule', async () => {
    addTokenHolder('adam Sales', 'adam.sales@acme.example');
    const found = await call(sim.integrationUser.Id, 'searchUsers', { term: 'sales' });
    expect(found.map((c) => [c.username, c.sources])).toEqual([
      ['sam.sales@acme.example', ['oauth']],
      ['adam.sales@acme.example', ['oauth']],
    ]);
    const saved = await call(sim.integrationUser.Id, 'searchUsers', { term: 'hubspot' });
    expect(saved[0]).toMatchObject({
      userId: sim.integrationUser.Id,
      sources: ['oauth', 'permissionSet', 'saved'],
    });
  });
});

describe('applyRemediation', () => {
  const remediate = (plan: unknown) =>
    controller(sim.integrationUser.Id).call('applyRemediation', {
      userId: sim.integrationUser.Id,
      planJson: JSON.stringify(plan),
    });
  const hubspotId = () =>
    String(sim.records('ConnectedApplication').find((a) => a.Name === 'HubSpot')!.Id);
  const approvals = () => sim.records('SetupEntityAccess').length;

  test("passes the plan's connected apps through: the remediation set is approved for HubSpot's app", async () => {
    sim.useFixture('admin-approved-app');
    const before = approvals();
    const result = JSON.parse(
      (await remediate({ connectedApps: [{ id: hubspotId(), name: 'HubSpot' }] }))!,
    ) as { permissionSetId: string; assigned: string[]; connectedApps: string[] };
    expect(result).toMatchObject({
      assigned: ['Sync Doctor Remediation'],
      connectedApps: ['HubSpot'],
    });
    expect(approvals()).toBe(before + 1);
    expect(
      sim
        .records('SetupEntityAccess')
        .some((a) => a.ParentId === result.permissionSetId && a.SetupEntityId === hubspotId()),
    ).toBe(true);
  });

  test('refuses connected apps that are not a list of { id, name } with a connected app Id, as the Apex plan does, before any request', async () => {
    sim.useFixture('admin-approved-app');
    const before = approvals();
    const cases: Array<[unknown, string]> = [
      ['HubSpot', 'planJson.connectedApps must be a list'],
      [[{ id: hubspotId() }], 'connectedApps: every entry needs an id and a name.'],
      [['0H4'], 'connectedApps: every entry needs an id and a name.'],
      [
        [{ id: sim.integrationUser.Id, name: 'HubSpot' }],
        `connectedApps: "${sim.integrationUser.Id}" (for "HubSpot") is not the Id of a connected app (ConnectedApplication, starting 0H4).`,
      ],
      [
        [{ id: '0H4nope', name: 'HubSpot' }],
        'connectedApps: "0H4nope" (for "HubSpot") is not the Id of a connected app (ConnectedApplication, starting 0H4).',
      ],
    ];
    for (const [connectedApps, message] of cases) {
      const error = await remediate({ connectedApps }).catch((e: unknown) => e);
      expect(error).toMatchObject({ statusCode: 400, message });
    }
    expect(apiRequests()).toHaveLength(0);
    expect(approvals()).toBe(before);
  });

  test("refuses a plan the Node applier refuses (View All, a system permission off the core's list) with a 400 naming why, not a server error", async () => {
    sim.useFixture('read-only-contacts');
    const plans: Array<[unknown, RegExp]> = [
      [
        { objectPermissions: [{ sobjectType: 'Contact', read: true, viewAll: true }] },
        /never grants View All on Contact/,
      ],
      [
        { systemPermissions: ['PermissionsModifyAllData'] },
        /never grants PermissionsModifyAllData/,
      ],
    ];
    for (const [plan, message] of plans) {
      const error = await remediate(plan).catch((e: unknown) => e);
      expect(error).toMatchObject({ statusCode: 400, message: expect.stringMatching(message) });
    }
    expect(apiRequests()).toHaveLength(0);
  });
});

describe('getSnapshot', () => {
  const snapshotOf = async (userId: string) =>
    JSON.parse((await controller(userId).call('getSnapshot', { userId })) ?? 'null') as {
      user: { IsFrozen?: boolean };
      frozenRead?: unknown;
    };

  it('says the frozen state was read, as the Apex reader does, when the admin has Manage Users', async () => {
    const snapshot = await snapshotOf(sim.integrationUser.Id);
    expect(snapshot.user.IsFrozen).toBe(false);
    expect(snapshot.frozenRead).toEqual({ read: true, frozen: false });
  });

  it('says the frozen state was not read when Salesforce has no UserLogin row for the user, asking no right of the admin', async () => {
    const row = sim.org
      .table('UserLogin')
      .find((r) => String(r.UserId).startsWith(sim.integrationUser.Id.slice(0, 15)));
    expect(sim.org.delete(row!.Id)).toBe(true);
    const snapshot = await snapshotOf(sim.integrationUser.Id);
    expect(snapshot.user).not.toHaveProperty('IsFrozen');
    expect(snapshot.frozenRead).toMatchObject({ read: false, cause: 'no-user-login' });
  });

  it('says why the frozen state was not read when the admin lacks Manage Users, and leaves IsFrozen out', async () => {
    const limited = await startOrgSimulator({
      fixture: 'read-only-contacts',
      port: 0,
      changes: [
        {
          op: 'setSystemPermission',
          profile: 'System Administrator',
          permission: 'PermissionsManageUsers',
          value: false,
        },
      ],
    });
    try {
      const answer = await createSyncDoctorController({
        connection: () => connect({ instanceUrl: limited.url, accessToken: limited.accessToken }),
        settings: { userId: limited.integrationUser.Id },
      }).call('getSnapshot', { userId: limited.integrationUser.Id });
      const snapshot = JSON.parse(answer ?? 'null');
      expect(snapshot.user).not.toHaveProperty('IsFrozen');
      expect(snapshot.frozenRead).toMatchObject({ read: false, cause: 'needs-manage-users' });
    } finally {
      await limited.close();
    }
  });
});

describe("getSnapshot's duplicate rules, as SyncDoctorDuplicateRuleReader reads them", () => {
  type Configs = { apiName: string; duplicateRules: { name: string; active: boolean }[] }[];
  const duplicateRulesOf = async (scope: { objects: string[]; fields: string[] }) =>
    (
      JSON.parse(
        (await controller(sim.integrationUser.Id).call('getSnapshot', {
          userId: sim.integrationUser.Id,
          scopeJson: JSON.stringify(scope),
        })) ?? 'null',
      ) as { duplicateRules?: Configs }
    ).duplicateRules;

  it("lists each scope object found with its active rules' labels, no actions, in the scope's order", async () => {
    sim.org.schema.addDuplicateRule('Contact', {
      name: 'Standard Contact Duplicate Rule',
      actionOnInsert: 'Allow',
      actionOnUpdate: 'Allow',
      operationsOnInsert: ['Alert'],
    });
    sim.org.schema.addDuplicateRule('Lead', {
      name: 'Retired Lead Rule',
      actionOnInsert: 'Block',
      actionOnUpdate: 'Block',
      active: false,
    });
    expect(
      await duplicateRulesOf({ objects: ['Lead', 'contact', 'No_Such__c'], fields: [] }),
    ).toEqual([
      { apiName: 'Lead', duplicateRules: [] },
      {
        apiName: 'Contact',
        duplicateRules: [{ name: 'Standard Contact Duplicate Rule', active: true }],
      },
    ]);
  });

  it('leaves them out, rather than empty, when the org refuses DuplicateRule (no View Setup)', async () => {
    const blind = await startOrgSimulator({
      fixture: 'read-only-contacts',
      port: 0,
      // The demo admin holds View Setup through its profile and the Sync_Doctor_User set.
      changes: ['System Administrator', 'Sync_Doctor_User'].map((holder, index) => ({
        op: 'setSystemPermission' as const,
        ...(index === 0 ? { profile: holder } : { permissionSet: holder }),
        permission: 'PermissionsViewSetup',
        value: false,
      })),
    });
    try {
      const conn = await connect({ instanceUrl: blind.url, accessToken: blind.accessToken });
      const objects = { Contact: { exists: true } };
      expect(await duplicateRulesAsApex(conn, { objects }, ['Contact'])).toBeUndefined();
    } finally {
      await blind.close();
    }
  });
});

describe('getRecordTypePicklists, as SyncDoctorRecordTypePicklistReader reads them', () => {
  type Read = {
    objects: Objects;
    notRead: string[];
  };
  type Objects = {
    apiName: string;
    recordTypes: {
      name: string;
      developerName: string;
      picklistFieldValues: Record<string, { values: { value: string; label: string }[] }>;
    }[];
  }[];
  const recordTypesOf = async (fields: unknown) =>
    JSON.parse(
      (await controller(null).call('getRecordTypePicklists', {
        fieldsJson: typeof fields === 'string' ? fields : JSON.stringify({ fields }),
      })) ?? 'null',
    ) as Read;

  it("lists the fields' objects that exist with each active record type's values for the asked fields only", async () => {
    sim.org.schema.addRecordType('Lead', {
      name: 'Partner Lead',
      values: { LeadSource: ['Web', 'Partner Referral'] },
    });
    sim.org.schema.addRecordType('Lead', { name: 'Retired Lead', active: false });
    const read = await recordTypesOf([
      'lead.LeadSource',
      'No_Such__c.Field__c',
      'Contact.LeadSource',
      'Lead.leadsource',
    ]);
    expect(read.notRead).toEqual([]);
    expect(read.objects).toEqual([
      {
        apiName: 'Lead',
        recordTypes: [
          {
            name: 'Partner Lead',
            developerName: 'Partner_Lead',
            // Lead's other picklists (Status, Industry, ...) are left out, as the Apex leaves them.
            picklistFieldValues: {
              LeadSource: {
                values: [
                  { value: 'Web', label: 'Web' },
                  { value: 'Partner Referral', label: 'Partner Referral' },
                ],
              },
            },
          },
        ],
      },
      // No active record type: its records take the field's own values.
      { apiName: 'Contact', recordTypes: [] },
    ]);
  });

  it('says why none were read when the objects have more than 20 active record types', async () => {
    for (let i = 0; i < 21; i++) sim.org.schema.addRecordType('Lead', { name: `Region ${i}` });
    expect(await recordTypesOf(['Lead.LeadSource', 'Contact.LeadSource'])).toEqual({
      objects: [],
      notRead: ['more than 20 active record types on Lead and Contact, the most read at once'],
    });
  });

  it("names the record type Salesforce did not answer for, in the Apex's words, and leaves its object out", async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signed = await startOrgSimulator({
      fixture: 'healthy',
      port: 0,
      jwtPublicKey: publicKey,
    });
    try {
      signed.org.schema.addRecordType('Lead', { name: 'Partner Lead' });
      // The relay's user reads no Lead: the UI API has no resource for it (404 NOT_FOUND).
      const conn = await connect({
        kind: 'jwt',
        clientId: '3MVG9SyncDoctor',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        username: signed.relayUser.Username,
        loginUrl: signed.url,
      });
      expect(await recordTypesAsApex(conn, ['Lead.LeadSource', 'Contact.LeadSource'])).toEqual({
        objects: [{ apiName: 'Contact', recordTypes: [] }],
        notRead: ["Salesforce did not answer for Lead's record type Partner Lead"],
      });
    } finally {
      await signed.close();
    }
  });

  it("refuses a malformed request in the Apex's words, before reading the org", async () => {
    sim.resetRequests();
    for (const [fieldsJson, words] of [
      ['', 'this request had none'],
      ['not json', 'not valid JSON'],
      ['["Lead.LeadSource"]', 'JSON object'],
      ['{"fields":["Lead.LeadSource"],"objects":[]}', 'JSON object'],
      ['{"fields":["LeadSource"]}', 'Object.Field API names'],
      ['{"fields":["Lead.Lead Source"]}', 'Object.Field API names'],
      [
        JSON.stringify({ fields: Array.from({ length: 51 }, (_, i) => `Lead.F${i}__c`) }),
        'At most 50',
      ],
    ] as const)
      await expect(recordTypesOf(fieldsJson)).rejects.toThrow(words);
    expect(apiRequests()).toEqual([]);
  });
});

describe('settings for a viewer (Sync_Doctor_Viewer: no Sync_Doctor_Manage_Settings)', () => {
  const withRights = (canEditSettings?: boolean) =>
    createSyncDoctorController({
      connection: () =>
        (connection ??= connect({ instanceUrl: sim.url, accessToken: sim.accessToken })),
      settings: { userId: sim.integrationUser.Id, portalId: '12345678' },
      ...(canEditSettings === undefined ? {} : { canEditSettings }),
    });
  const saveArgs = () => ({
    userId: sim.integrationUser.Id,
    portalId: '4242',
    extraFieldsJson: '[]',
  });

  test('getSettings and saveSettings answer canEdit: true by default, as for Sync_Doctor_Admin', async () => {
    const controller = withRights();
    expect(JSON.parse((await controller.call('getSettings', {}))!)).toMatchObject({
      canEdit: true,
    });
    expect(JSON.parse((await controller.call('saveSettings', saveArgs()))!)).toMatchObject({
      portalId: '4242',
      canEdit: true,
    });
  });

  test('a viewer reads them with canEdit: false, and saving is refused as the Apex refuses it', async () => {
    const controller = withRights(false);
    expect(JSON.parse((await controller.call('getSettings', {}))!)).toEqual({
      userId: sim.integrationUser.Id,
      portalId: '12345678',
      extraFields: [],
      canEdit: false,
    });
    await expect(controller.call('saveSettings', saveArgs())).rejects.toMatchObject({
      statusCode: 403,
      message: expect.stringContaining('Sync_Doctor_Manage_Settings'),
    });
    expect(controller.settings().portalId).toBe('12345678');
  });
});

describe('the rights to apply fixes (getFixRights: Assign Permission Sets, Manage Profiles and Permission Sets)', () => {
  const withFixRights = (canFix?: boolean) =>
    createSyncDoctorController({
      connection: () =>
        (connection ??= connect({ instanceUrl: sim.url, accessToken: sim.accessToken })),
      settings: { userId: sim.integrationUser.Id, portalId: '12345678' },
      ...(canFix === undefined ? {} : { canFix }),
    });

  test('getFixRights answers canFix: true by default, as for an admin', async () => {
    expect(JSON.parse((await withFixRights().call('getFixRights', {}))!)).toEqual({
      canFix: true,
      canAssign: true,
      missingRights: [],
    });
  });

  test('a user without them is told which to ask for, and a fix is refused as the Apex refuses it', async () => {
    const controller = withFixRights(false);
    expect(JSON.parse((await controller.call('getFixRights', {}))!)).toEqual({
      canFix: false,
      canAssign: false,
      missingRights: ['Assign Permission Sets', 'Manage Profiles and Permission Sets'],
    });
    const refusal = {
      statusCode: 403,
      message: expect.stringMatching(/^You cannot assign permission sets: /),
    };
    await expect(
      controller.call('assignIntegrationPermissionSet', { userId: sim.integrationUser.Id }),
    ).rejects.toMatchObject(refusal);
    await expect(
      controller.call('applyRemediation', {
        userId: sim.integrationUser.Id,
        planJson: JSON.stringify({
          assignPermissionSets: [],
          objectPermissions: [{ sobjectType: 'Contact', read: true, create: true, edit: true }],
          fieldPermissions: [],
          systemPermissions: [],
        }),
      }),
    ).rejects.toMatchObject(refusal);
  });
});
