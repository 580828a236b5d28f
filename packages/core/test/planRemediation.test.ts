import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import type { Diagnosis } from '../src/diagnosis/types.js';
import type { ReasonCode } from '../src/reasons/codes.js';
import {
  objectGrantLines,
  objectRightsCountText,
  planRemediation,
} from '../src/remediation/planRemediation.js';
import { DEFAULT_REQUIREMENTS, mergeRequirements } from '../src/requirements/defaults.js';
import {
  EXTRAS_SET,
  HUBSPOT_SET,
  assign,
  permissionSet,
  fieldRow,
  fixture,
  objectRow,
  removeFieldRows,
  removeObjectRows,
  set,
} from './support.js';

const plan = (name: Parameters<typeof fixture>[0]) =>
  planRemediation(evaluateAccess(fixture(name)));

describe('planRemediation', () => {
  it('is empty for a healthy org', () => {
    const p = plan('healthy');
    expect(p).toMatchObject({
      assignPermissionSets: [],
      objectPermissions: [],
      fieldPermissions: [],
      systemPermissions: [],
      manualSteps: [],
      isEmpty: true,
    });
    expect(p.summary).toContain('Nothing to fix');
  });

  it('grants only the missing edit, with the read it depends on', () => {
    const p = plan('missing-object-edit');
    expect(p.objectPermissions).toEqual([
      {
        sobjectType: 'Account',
        read: true,
        create: false,
        edit: false,
        delete: false,
        viewAll: false,
        modifyAll: false,
        requiredBy: ['Contact'],
        saveWave: 0,
      },
      {
        sobjectType: 'Contact',
        read: true,
        create: false,
        edit: true,
        delete: false,
        viewAll: false,
        modifyAll: false,
        saveWave: 1,
      },
    ]);
    expect(p.fieldPermissions).toEqual([]);
    expect(p.isEmpty).toBe(false);
    // Read on Account comes along (Salesforce refuses Contact's rights in a set without it), said why.
    expect(p.summary).toBe(
      "Grant 1 object right (Edit on Contact) through the permission set 'Sync_Doctor_Remediation' (also writes Read on Account and Contact into it: Salesforce needs them there).",
    );
  });

  it('a read-only field gets read+edit on the field and read on its object', () => {
    const p = plan('read-only-mapped-field');
    expect(p.fieldPermissions).toEqual([
      { field: 'Contact.Email', sobjectType: 'Contact', read: true, edit: true },
    ]);
    expect(p.objectPermissions).toEqual([
      {
        sobjectType: 'Account',
        read: true,
        create: false,
        edit: false,
        delete: false,
        viewAll: false,
        modifyAll: false,
        requiredBy: ['Contact'],
        saveWave: 0,
      },
      {
        sobjectType: 'Contact',
        read: true,
        create: false,
        edit: false,
        delete: false,
        viewAll: false,
        modifyAll: false,
        saveWave: 1,
      },
    ]);
    // The object matrix calls Contact's object rights complete: the summary says why it grants Read.
    expect(p.summary).toBe(
      "Grant 1 field permission through the permission set 'Sync_Doctor_Remediation' (also writes Read on Account and Contact into it: Salesforce needs them there).",
    );
    expect(objectGrantLines(p).map((line) => line.text)).toEqual([
      'Account: Read (already granted elsewhere; Salesforce needs it in the same permission set for the rights on Contact)',
      'Contact: Read (already granted elsewhere; Salesforce needs it in the same permission set for the field permissions on Contact)',
    ]);
  });

  it('counts object rights, the unit the object matrix counts missing ones in', () => {
    const d = evaluateAccess(fixture('muted-permission-set-group'));
    const missing = d.objects.flatMap((o) => o.missing ?? []);
    expect(missing).toEqual(['create', 'edit']);
    // Every right the set gets is counted, as the dialog lists them: the 2 missing ones apart from
    // Opportunity's and Account's Read, which the user has and Salesforce wants in the same set.
    const p = planRemediation(d);
    expect(p.summary).toBe(
      "Grant 2 object rights (Create and Edit on Opportunity) through the permission set 'Sync_Doctor_Remediation' (also writes Read on Account and Opportunity into it: Salesforce needs them there).",
    );
    expect(p.objectRights.filter((r) => r.missing)).toHaveLength(missing.length);
    expect(objectRightsCountText(p)).toBe(
      '4 object rights: 2 missing, 2 already granted elsewhere that Salesforce needs in the same permission set',
    );
  });

  it('Modify All Data only: field permissions for every permissionable mapped field, no object rights, never Modify All', () => {
    const d = evaluateAccess(fixture('modify-all-data-only'));
    const p = planRemediation(d);
    const permissionable = d.fields.filter((f) => !f.note?.includes('Not permissionable'));
    expect(p.fieldPermissions).toHaveLength(permissionable.length);
    expect(p.fieldPermissions.map((f) => f.field)).not.toContain('Contact.LastName');
    expect(p.objectPermissions.every((o) => o.read && !o.edit && !o.modifyAll)).toBe(true);
  });

  it('assigns the required permission set when it is missing, and lists API Enabled as a system permission', () => {
    const s = fixture('api-disabled');
    s.assignments = s.assignments!.filter((a) => a.PermissionSetId !== HUBSPOT_SET);
    s.objectPermissions!.push(
      ...['Lead', 'Contact', 'Account', 'Opportunity'].map((o) => objectRow(EXTRAS_SET, o, 'RCE')),
      objectRow(EXTRAS_SET, 'Campaign', 'RE'),
    );
    for (const row of s.fieldPermissions!)
      if (row.ParentId === HUBSPOT_SET) row.ParentId = EXTRAS_SET;
    Object.assign(set(s, EXTRAS_SET), { PermissionsEditTask: true, PermissionsViewAllUsers: true });
    const p = planRemediation(evaluateAccess(s));
    expect(p.assignPermissionSets).toEqual(['HubSpot Integration Permissions']);
    expect(p.systemPermissions).toEqual(['PermissionsApiEnabled']);
    expect(p.objectPermissions).toEqual([]);
    expect(p.summary).toBe(
      "Assign 'HubSpot Integration Permissions' first, then check again: Sync Doctor cannot see what it grants until it is assigned, and it may grant what is missing now (1 system permission); what is still missing after that, Sync Doctor grants through the permission set 'Sync_Doctor_Remediation'.",
    );
  });

  it('Task maps to the Edit Tasks system permission, not an object permission', () => {
    const s = fixture('healthy');
    set(s, HUBSPOT_SET).PermissionsEditTask = false;
    const p = planRemediation(evaluateAccess(s));
    expect(p.systemPermissions).toEqual(['PermissionsEditTask']);
    expect(p.objectPermissions).toEqual([]);
  });

  it('lookup targets get read only', () => {
    const s = fixture('healthy');
    s.fields!['Contact.Partner__c'] = {
      permissionable: true,
      calculated: false,
      type: 'reference',
      referenceTo: ['Partner__c'],
    };
    s.fieldPermissions!.push(fieldRow(HUBSPOT_SET, 'Contact.Partner__c', true, true));
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        fields: [{ name: 'Contact.Partner__c', access: ['read', 'edit'] }],
      }),
    );
    expect(planRemediation(d).objectPermissions).toEqual([
      {
        sobjectType: 'Partner__c',
        read: true,
        create: false,
        edit: false,
        delete: false,
        viewAll: false,
        modifyAll: false,
        saveWave: 0,
      },
    ]);
  });

  it('an inactive user: reactivated in Salesforce, its credentials re-entered in HubSpot', () => {
    const p = plan('inactive-user');
    expect(p.manualSteps).toEqual([
      expect.objectContaining({ subject: 'hubspot@acme.com', where: 'salesforce' }),
      expect.objectContaining({ subject: 'hubspot@acme.com', where: 'hubspot' }),
    ]);
    expect(p.manualSteps[0]!.step).toMatch(
      /^Reactivate the integration user 'hubspot@acme.com' in Setup > Users/,
    );
    expect(p.manualSteps[0]!.step).not.toMatch(/credentials|suspension|HubSpot's/);
    expect(p.manualSteps[1]!.step).toContain('re-enter the Salesforce credentials');
    expect(p.summary).toBe('Do 1 step by hand in Salesforce; do 1 step in HubSpot.');
    expect(p.title).toBe('Fix it in Salesforce and HubSpot');
  });

  it('a frozen user: unfrozen in Salesforce, its credentials re-entered in HubSpot', () => {
    const s = fixture('healthy');
    s.user!.IsFrozen = true;
    const p = planRemediation(evaluateAccess(s));
    expect(p.manualSteps.map((m) => m.where)).toEqual(['salesforce', 'hubspot']);
    expect(p.manualSteps[0]!.step).toContain('click Unfreeze');
    expect(p.manualSteps[0]!.step).not.toMatch(/credentials|suspension|HubSpot's/);
  });

  it('a frozen user without a reported suspension: the HubSpot step clears it only if HubSpot suspended the sync', () => {
    const s = fixture('healthy');
    s.user!.IsFrozen = true;
    const diagnosis = evaluateAccess(s);
    // No suspension known (none relayed, or the caller does not say): a condition, not an order.
    for (const p of [planRemediation(diagnosis), planRemediation(diagnosis, { suspended: false })])
      expect(p.manualSteps[1]!.step).toMatch(
        /, then clear the suspension if HubSpot suspended the sync\.$/,
      );
    // HubSpot reported a suspension: clear it.
    expect(planRemediation(diagnosis, { suspended: true }).manualSteps[1]!.step).toMatch(
      /re-enter the Salesforce credentials of the integration user '[^']+', then clear the suspension\.$/,
    );
  });

  it("a frozen user under a relayed suspension: the status's state and reason decide how the HubSpot step ends", () => {
    const s = fixture('healthy');
    s.user!.IsFrozen = true;
    const diagnosis = evaluateAccess(s);
    const hubspotStep = (status: {
      state: 'suspended' | 'suspected' | 'cleared';
      reason: ReasonCode | null;
    }) =>
      planRemediation(diagnosis, { status }).manualSteps.find((m) => m.where === 'hubspot')!.step;
    // Reported or suspected, cleared by "Clear Suspension": clear it, no "if".
    for (const state of ['suspended', 'suspected'] as const)
      for (const reason of ['UNKNOWN_ERROR', null] as const)
        expect(hubspotStep({ state, reason })).toMatch(/'[^']+', then clear the suspension\.$/);
    // Cleared: the condition again.
    expect(hubspotStep({ state: 'cleared', reason: 'UNKNOWN_ERROR' })).toMatch(
      /, then clear the suspension if HubSpot suspended the sync\.$/,
    );
    // "API access disabled" is lifted by reconnecting, not by "Clear Suspension" (the catalog's
    // liftedBy, the app's banner): the step says so rather than a click the banner says not to rely on.
    const reconnect = hubspotStep({ state: 'suspended', reason: 'API_ACCESS_DISABLED' });
    expect(reconnect).toMatch(
      /^In HubSpot's Salesforce integration settings .*, re-enter the Salesforce credentials of the integration user '[^']+': reconnecting clears the suspension\.$/,
    );
    expect(reconnect).not.toContain('then clear');
  });

  it('storage-full becomes a manual step', () => {
    const p = plan('storage-full');
    expect(p.manualSteps).toEqual([
      expect.objectContaining({
        reason: 'STORAGE_LIMIT_EXCEEDED',
        subject: 'DataStorageMB',
        where: 'salesforce',
      }),
    ]);
    expect(p.objectPermissions).toEqual([]);
    expect(p.summary).toBe('Do 1 step by hand in Salesforce.');
  });

  // The org's API calls near (api-limit-near: 96.5%) or over the limit: who uses them is found in
  // Salesforce, but HubSpot's own share is set in HubSpot, a step the remedy alone never named.
  it.each([
    ['limits-exhausted', () => fixture('limits-exhausted')],
    [
      'api-limit-near',
      () => {
        const s = fixture('healthy');
        s.limits!.DailyApiRequests = { Max: 100_000, Remaining: 3_500 } as never;
        return s;
      },
    ],
  ] as const)(
    "%s: a step in Salesforce, and HubSpot's allocation lowered in HubSpot",
    (_, make) => {
      const p = planRemediation(evaluateAccess(make()));
      expect(p.manualSteps).toEqual([
        expect.objectContaining({
          reason: 'API_LIMIT_EXCEEDED',
          subject: 'DailyApiRequests',
          where: 'salesforce',
        }),
        expect.objectContaining({
          reason: 'API_LIMIT_EXCEEDED',
          subject: 'DailyApiRequests',
          where: 'hubspot',
        }),
      ]);
      expect(p.manualSteps[0]!.step).toMatch(/^In Salesforce, find which integrations use/);
      expect(p.manualSteps[1]!.step).toBe(
        "In HubSpot's Salesforce integration settings (Connected apps > Salesforce, Sync Health tab), lower \"Allocated to HubSpot\" to what the org can spare and click Update: HubSpot's calls count against the same daily limit as every other integration's.",
      );
      expect(p.objectPermissions).toEqual([]);
      expect(p.summary).toBe('Do 1 step by hand in Salesforce; do 1 step in HubSpot.');
      expect(p.title).toBe('Fix it in Salesforce and HubSpot');
    },
  );

  it('the Marketing User checkbox and sharing are manual steps', () => {
    const s = fixture('healthy');
    s.user!.UserPermissionsMarketingUser = false;
    s.organization!.DefaultLeadAccess = 'None';
    const p = planRemediation(evaluateAccess(s));
    expect(p.manualSteps.map((m) => m.subject).sort()).toEqual(['Campaign', 'Lead']);
    expect(p.manualSteps.find((m) => m.subject === 'Campaign')?.step).toContain('Marketing User');
    expect(p.objectPermissions).toEqual([]);
  });

  it('expired and session-based sources: grants the missing rights again in the remediation set', () => {
    const p = plan('session-based-set');
    expect(p.objectPermissions).toEqual([
      expect.objectContaining({ sobjectType: 'Account', read: true, edit: false, create: false }),
      expect.objectContaining({ sobjectType: 'Contact', read: true, edit: true, create: false }),
    ]);
    expect(p.manualSteps).toEqual([]);
    const expired = plan('expired-assignment');
    expect(expired.assignPermissionSets).toEqual(['HubSpot Integration Permissions']);
    expect(expired.systemPermissions).toEqual(['PermissionsEditTask']);
  });

  it('never plans Modify All; a required Modify All becomes a manual step', () => {
    const s = fixture('healthy');
    removeObjectRows(s, 'Lead');
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [{ name: 'Lead', access: ['modifyAll'] }],
      }),
    );
    const p = planRemediation(d);
    const lead = p.objectPermissions.find((o) => o.sobjectType === 'Lead');
    expect(lead).toEqual({
      sobjectType: 'Lead',
      read: true,
      create: true,
      edit: true,
      delete: false,
      viewAll: false,
      modifyAll: false,
      saveWave: 0,
    });
    expect(
      p.manualSteps.some((m) => m.subject === 'Lead' && m.step.includes('never grants Modify All')),
    ).toBe(true);
  });

  it('works from a diagnosis without the optional missing lists (required minus effective)', () => {
    const s = fixture('missing-object-edit');
    removeFieldRows(s, 'Contact.Email');
    const d: Diagnosis = evaluateAccess(s);
    for (const o of d.objects) delete o.missing;
    const p = planRemediation(d);
    expect(p.objectPermissions.find((o) => o.sobjectType === 'Contact')).toMatchObject({
      read: true,
      edit: true,
    });
    expect(p.fieldPermissions).toEqual([
      { field: 'Contact.Email', sobjectType: 'Contact', read: true, edit: true },
    ]);
  });

  describe("HubSpot's connected app for admin-approved users only", () => {
    const APP_ID = '0H45g000000HubSpAAA';
    const withAdminApprovedApp = () => {
      const s = fixture('healthy');
      s.connectedApps = {
        apps: [
          {
            attributes: { type: 'ConnectedApplication' },
            Id: APP_ID,
            Name: 'HubSpot',
            OptionsAllowAdminApprovedUsersOnly: true,
          },
        ],
        access: [],
      };
      return s;
    };

    it('approves the remediation permission set for the app, instead of a step by hand', () => {
      const p = planRemediation(evaluateAccess(withAdminApprovedApp()));
      expect(p.connectedApps).toEqual([{ id: APP_ID, name: 'HubSpot' }]);
      expect(p.manualSteps).toEqual([]);
      expect(p.isEmpty).toBe(false);
      expect(p.summary).toBe(
        'Grant approval for the connected app "HubSpot" through the permission set \'Sync_Doctor_Remediation\'.',
      );
    });

    it('plans nothing once a source of the user is approved', () => {
      const s = withAdminApprovedApp();
      s.connectedApps!.access.push({
        attributes: { type: 'SetupEntityAccess' },
        ParentId: HUBSPOT_SET,
        SetupEntityId: APP_ID,
      });
      expect(planRemediation(evaluateAccess(s))).toMatchObject({
        connectedApps: [],
        isEmpty: true,
      });
    });

    it("keeps the approval a step by hand for a diagnosis without the app's Id (older producer)", () => {
      const d = evaluateAccess(withAdminApprovedApp());
      for (const grant of d.grants!) delete grant.id;
      const p = planRemediation(d);
      expect(p.connectedApps).toEqual([]);
      expect(p.manualSteps).toEqual([
        expect.objectContaining({ subject: 'HubSpot', reason: 'API_ACCESS_DISABLED' }),
      ]);
    });
  });

  describe('where a step by hand is done', () => {
    /** Healthy, but HubSpot logged in every hour for two days, then not for the last nine hours. */
    function loginsStopped() {
      const s = fixture('healthy');
      const capturedAt = Date.parse(s.capturedAt);
      s.logins = Array.from({ length: 48 }, (_, i) => ({
        attributes: { type: 'LoginHistory' },
        LoginTime: new Date(capturedAt - (9 + i) * 3_600_000).toISOString().replace('Z', '+0000'),
        Status: 'Success',
        Application: 'HubSpot',
        LoginType: 'Remote Access 2.0',
        SourceIp: '54.174.52.10',
      }));
      return s;
    }

    it('puts the stopped-logins step in HubSpot, by its symptom, and counts it apart', () => {
      const s = loginsStopped();
      s.limits!.DataStorageMB = { Max: 1000, Remaining: 0 };
      const p = planRemediation(evaluateAccess(s));
      // The stopped sync blocks (an error), so its step comes first.
      expect(p.manualSteps).toEqual([
        expect.objectContaining({ reason: 'API_ACCESS_DISABLED', where: 'hubspot' }),
        expect.objectContaining({ subject: 'DataStorageMB', where: 'salesforce' }),
      ]);
      expect(p.summary).toBe('Do 1 step by hand in Salesforce; do 1 step in HubSpot.');
    });

    it("puts the cap on HubSpot's connected app in HubSpot, the org's API limit in Salesforce", () => {
      const s = fixture('healthy');
      s.limits!.DailyApiRequests = {
        Max: 100_000,
        Remaining: 0,
        HubSpot: { Max: 5_000, Remaining: 0 },
      } as never;
      const p = planRemediation(evaluateAccess(s));
      expect(p.manualSteps.map((m) => [m.subject, m.where])).toEqual([
        ['DailyApiRequests', 'salesforce'],
        ['DailyApiRequests.HubSpot', 'hubspot'],
      ]);
    });

    it("puts HubSpot's own API allocation (HUBSPOT_API_LIMIT_EXCEEDED) in HubSpot, by its reason", () => {
      const d = evaluateAccess(fixture('healthy'));
      d.findings.push({
        reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
        severity: 'error',
        subject: 'HubSpot',
        message: "HubSpot's allocation of Salesforce API calls is used up.",
        remedy: 'Raise the allocation.',
      });
      const p = planRemediation(d);
      expect(p.manualSteps).toEqual([expect.objectContaining({ where: 'hubspot' })]);
      expect(p.summary).toBe('Do 1 step in HubSpot.');
    });

    it('puts the step after a login failure whose cause is gone in HubSpot, by its rule', () => {
      // The user was frozen when HubSpot last tried, and is not any more: HubSpot must log in again.
      const s = fixture('healthy');
      s.logins = [
        {
          attributes: { type: 'LoginHistory' },
          LoginTime: s.capturedAt,
          Status: 'User is Frozen',
          Application: 'HubSpot',
          LoginType: 'Remote Access 2.0',
          SourceIp: '54.174.52.10',
        },
      ];
      s.user!.IsFrozen = false;
      const p = planRemediation(evaluateAccess(s));
      expect(p.manualSteps).toEqual([
        expect.objectContaining({ reason: 'API_ACCESS_DISABLED', where: 'hubspot' }),
      ]);
      expect(p.manualSteps[0]!.step).toContain('Clear Suspension');
      expect(p.summary).toBe('Do 1 step in HubSpot.');
      expect(p.title).toBe('Fix it in HubSpot');
    });

    it('keeps a login refused by a cause that is still there in Salesforce', () => {
      const s = fixture('healthy');
      s.logins = [
        {
          attributes: { type: 'LoginHistory' },
          LoginTime: s.capturedAt,
          Status: 'Restricted IP',
          Application: 'HubSpot',
          LoginType: 'Remote Access 2.0',
          SourceIp: '54.174.52.10',
        },
      ];
      const p = planRemediation(evaluateAccess(s));
      expect(p.manualSteps).toEqual([expect.objectContaining({ where: 'salesforce' })]);
      expect(p.title).toBe('Fix it in Salesforce');
    });
  });

  describe('counts object rights in one unit: every right the set gets, the missing ones told apart', () => {
    // As on the demo org read-only-contacts: the user reads Contact and has Account in full.
    const readOnlyContacts = () => {
      const s = fixture('healthy');
      for (const row of s.objectPermissions!)
        if (row.SobjectType === 'Contact')
          Object.assign(row, { PermissionsCreate: false, PermissionsEdit: false });
      return planRemediation(evaluateAccess(s));
    };

    it('lists each right of the rows once, with why, in the rows order', () => {
      const p = readOnlyContacts();
      expect(p.objectRights).toEqual([
        {
          sobjectType: 'Account',
          right: 'read',
          missing: false,
          grantedElsewhere: true,
          neededFor: 'the rights on Contact',
        },
        {
          sobjectType: 'Contact',
          right: 'read',
          missing: false,
          grantedElsewhere: true,
          neededFor: 'Create and Edit on Contact',
        },
        { sobjectType: 'Contact', right: 'create', missing: true },
        { sobjectType: 'Contact', right: 'edit', missing: true },
      ]);
      // The same count as the rows hold, so the dialog (a line per row) and the summary agree.
      const flags = p.objectPermissions.flatMap((row) =>
        (['read', 'create', 'edit', 'delete', 'viewAll'] as const).filter((r) => row[r]),
      );
      expect(p.objectRights).toHaveLength(flags.length);
    });

    it('says the count, the missing ones and those already granted elsewhere the same way in the summary, the dialog lines and the count text', () => {
      const p = readOnlyContacts();
      expect(p.summary).toBe(
        "Grant 2 object rights (Create and Edit on Contact) through the permission set 'Sync_Doctor_Remediation' (also writes Read on Account and Contact into it: Salesforce needs them there).",
      );
      expect(objectGrantLines(p)).toEqual([
        {
          sobjectType: 'Account',
          text: 'Account: Read (already granted elsewhere; Salesforce needs it in the same permission set for the rights on Contact)',
        },
        {
          sobjectType: 'Contact',
          text: 'Contact: Create, Edit; Read (already granted elsewhere; Salesforce needs it in the same permission set for Create and Edit on Contact)',
        },
      ]);
      expect(objectRightsCountText(p)).toBe(
        '4 object rights: 2 missing, 2 already granted elsewhere that Salesforce needs in the same permission set',
      );
    });

    it('does not say "already granted elsewhere" of a right the diagnosis did not judge', () => {
      const s = fixture('healthy');
      for (const row of s.objectPermissions!)
        if (row.SobjectType === 'Contact')
          Object.assign(row, { PermissionsCreate: false, PermissionsEdit: false });
      const d = evaluateAccess(s);
      // Account not among the judged objects (a master only the describe names, say).
      d.objects = d.objects.filter((o) => o.name !== 'Account');
      const p = planRemediation(d);
      expect(p.objectRights[0]).toEqual({
        sobjectType: 'Account',
        right: 'read',
        missing: false,
        neededFor: 'the rights on Contact',
      });
      expect(objectGrantLines(p)[0]!.text).toBe(
        'Account: Read (Salesforce needs it in the same permission set for the rights on Contact)',
      );
      expect(objectRightsCountText(p)).toBe(
        '4 object rights: 2 missing, 1 already granted elsewhere that Salesforce needs in the same permission set, 1 more that Salesforce needs in the same permission set',
      );
    });
  });

  describe('a required permission set not assigned: assigning it comes first', () => {
    // As on the demo org missing-permission-set: HubSpot's set gave every object and field right.
    const withoutHubSpotSet = () => {
      const s = fixture('healthy');
      s.assignments = s.assignments!.filter((a) => a.PermissionSetId !== HUBSPOT_SET);
      return planRemediation(evaluateAccess(s));
    };

    it('marks the assignment as the first step and says the grants are recomputed after it', () => {
      const p = withoutHubSpotSet();
      expect(p.assignPermissionSets).toEqual(['HubSpot Integration Permissions']);
      expect(p.assignFirst).toBe(true);
      // The snapshot cannot tell what the set grants: the grants stay, counted as what is missing now.
      expect(p.objectPermissions.length).toBeGreaterThan(0);
      const missingRights = p.objectRights.filter((r) => r.missing).length;
      expect(p.summary).toMatch(
        new RegExp(
          `^Assign 'HubSpot Integration Permissions' first, then check again: Sync Doctor cannot see what it grants until it is assigned, and it may grant what is missing now \\(${missingRights} object rights?, ${p.fieldPermissions.length} field permissions?(, [^)]*)?\\); what is still missing after that, Sync Doctor grants through the permission set 'Sync_Doctor_Remediation'`,
        ),
      );
      expect(p.summary).not.toMatch(/^Assign [^;]*; grant/);
    });

    it('is not set when nothing is to be assigned', () => {
      expect(plan('missing-object-edit').assignFirst).toBe(false);
      expect(plan('healthy').assignFirst).toBe(false);
    });
  });

  describe('title', () => {
    const hubSpotFinding = {
      reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
      severity: 'error',
      subject: 'HubSpot',
      message: "HubSpot's allocation of Salesforce API calls is used up.",
      remedy: 'Raise the allocation.',
    } as const;

    it('says Salesforce when every fix is made there, and for an empty plan', () => {
      expect(plan('missing-object-edit').title).toBe('Fix it in Salesforce');
      expect(plan('healthy').title).toBe('Fix it in Salesforce');
      const s = fixture('healthy');
      s.limits!.DataStorageMB = { Max: 1000, Remaining: 0 };
      const p = planRemediation(evaluateAccess(s));
      expect(p.manualSteps.map((m) => m.where)).toEqual(['salesforce']);
      expect(p.title).toBe('Fix it in Salesforce');
    });

    it('says HubSpot when every step is done in HubSpot', () => {
      const d = evaluateAccess(fixture('healthy'));
      d.findings.push({ ...hubSpotFinding });
      expect(planRemediation(d).title).toBe('Fix it in HubSpot');
    });

    it('names both places when some fixes are in Salesforce and some in HubSpot', () => {
      // A grant is made in Salesforce, so a grant and a HubSpot step are both places too.
      const d = evaluateAccess(fixture('missing-object-edit'));
      d.findings.push({ ...hubSpotFinding });
      const p = planRemediation(d);
      expect(p.manualSteps.map((m) => m.where)).toEqual(['hubspot']);
      expect(p.title).toBe('Fix it in Salesforce and HubSpot');

      const s = fixture('healthy');
      s.limits!.DataStorageMB = { Max: 1000, Remaining: 0 };
      const mixed = evaluateAccess(s);
      mixed.findings.push({ ...hubSpotFinding });
      expect(planRemediation(mixed).title).toBe('Fix it in Salesforce and HubSpot');
    });
  });

  describe("a child object's rights need Read on its parent in the same permission set", () => {
    const REMEDIATION_SET = '0PS5g00000RemedGAQ';

    it('adds Read on Account, and only Read, before Contact, Opportunity and Contract rights', () => {
      const s = fixture('healthy');
      for (const o of ['Contact', 'Opportunity']) {
        removeObjectRows(s, o);
        s.objectPermissions!.push(objectRow(HUBSPOT_SET, o, 'R'));
      }
      const d = evaluateAccess(s);
      // The user reads Account through HubSpot's set: the added Read grants it nothing new.
      expect(d.objects.find((o) => o.name === 'Account')!.effective.read).toBe(true);
      const p = planRemediation(d);
      expect(p.objectPermissions.map((o) => o.sobjectType)).toEqual([
        'Account',
        'Contact',
        'Opportunity',
      ]);
      expect(p.objectPermissions[0]).toEqual({
        sobjectType: 'Account',
        read: true,
        create: false,
        edit: false,
        delete: false,
        viewAll: false,
        modifyAll: false,
        requiredBy: ['Contact', 'Opportunity'],
        saveWave: 0,
      });
      // Contact and Opportunity wait for Account's Read, saved in the wave before theirs.
      expect(p.objectPermissions.map((o) => o.saveWave)).toEqual([0, 1, 1]);
      expect(objectGrantLines(p)[0]!.text).toBe(
        'Account: Read (already granted elsewhere; Salesforce needs it in the same permission set for the rights on Contact and Opportunity)',
      );
    });

    it('adds nothing when the remediation set already reads Account', () => {
      const s = fixture('missing-object-edit');
      assign(s, permissionSet(REMEDIATION_SET, 'Sync Doctor Remediation'));
      s.objectPermissions!.push(objectRow(REMEDIATION_SET, 'Account', 'R'));
      const p = planRemediation(evaluateAccess(s));
      expect(p.objectPermissions.map((o) => o.sobjectType)).toEqual(['Contact']);
      expect(p.summary).toBe(
        "Grant 1 object right (Edit on Contact) through the permission set 'Sync_Doctor_Remediation' (also writes Read on Contact into it: Salesforce needs it there).",
      );
    });

    it('marks a parent missing rights of its own as required, first, and explains nothing twice', () => {
      const s = fixture('healthy');
      for (const o of ['Account', 'Contact']) {
        removeObjectRows(s, o);
        s.objectPermissions!.push(objectRow(HUBSPOT_SET, o, 'R'));
      }
      const p = planRemediation(evaluateAccess(s));
      expect(p.objectPermissions).toEqual([
        expect.objectContaining({
          sobjectType: 'Account',
          read: true,
          create: true,
          edit: true,
          requiredBy: ['Contact'],
        }),
        expect.objectContaining({ sobjectType: 'Contact', create: true, edit: true }),
      ]);
      expect(p.objectPermissions[1]!.requiredBy).toBeUndefined();
      expect(p.summary).toBe(
        "Grant 4 object rights (Create and Edit on Account and Contact) through the permission set 'Sync_Doctor_Remediation' (also writes Read on Account and Contact into it: Salesforce needs them there).",
      );
    });

    it('leaves an object without a known parent dependency alone (Lead)', () => {
      const s = fixture('healthy');
      removeObjectRows(s, 'Lead');
      s.objectPermissions!.push(objectRow(HUBSPOT_SET, 'Lead', 'R'));
      const p = planRemediation(evaluateAccess(s));
      expect(p.objectPermissions.map((o) => o.sobjectType)).toEqual(['Lead']);
    });
  });
});

describe('HUBSPOT_ALLOCATION_PLACE', () => {
  // A view that names "Allocated to HubSpot" (the LWC's limits card) says where it is changed in
  // the plan's own words: the package's entry exports the place the plan's step names.
  it('is exported by the package, the place the allocation step names', async () => {
    const core = await import('../src/index.js');
    expect(typeof core.HUBSPOT_ALLOCATION_PLACE).toBe('string');
    const step = planRemediation(evaluateAccess(fixture('limits-exhausted'))).manualSteps.find(
      (m) => m.where === 'hubspot',
    );
    expect(step?.step).toContain(
      `In ${core.HUBSPOT_ALLOCATION_PLACE}, lower "Allocated to HubSpot"`,
    );
  });
});
