/** One test (or a few) per rule of evaluateAccess, each on a small change to the healthy snapshot. */
import { evaluateAccess, verdictOf } from '../src/diagnosis/evaluateAccess.js';
import { DEFAULT_REQUIREMENTS, mergeRequirements } from '../src/requirements/defaults.js';
import { planRemediation } from '../src/remediation/planRemediation.js';
import { findingCode, findingTitle } from '../src/reasons/catalog.js';
import type { Requirements } from '../src/requirements/types.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { validateSnapshot } from '../src/snapshot/schema.js';
import {
  EXTRAS_SET,
  HUBSPOT_SET,
  HUBSPOT_MUTES,
  PROFILE_SET,
  assign,
  assignSalesOpsGroup,
  assignmentOf,
  field,
  fieldRow,
  findingsFor,
  fixture,
  object,
  objectRow,
  onlyFinding,
  permissionSet,
  removeFieldRows,
  removeObjectRows,
  set,
} from './support.js';

const healthy = (): Snapshot => fixture('healthy');
const only = (
  objects: Requirements['objects'],
  fields: Requirements['fields'] = [],
): Requirements => ({
  objects,
  fields,
  permissionSets: [],
  systemPermissions: [],
});

describe('union of permission sources', () => {
  it('adds rights from the profile, a permission set and a group aggregate, and names each in grantedBy', () => {
    const s = healthy();
    removeObjectRows(s, 'Lead');
    s.objectPermissions!.push(
      objectRow(PROFILE_SET, 'Lead', 'R'),
      objectRow(EXTRAS_SET, 'Lead', 'RC'),
    );
    const group = permissionSet('0PS000000000GrpAAA', 'Marketing Ops', { Type: 'Group' });
    assign(s, group, {
      PermissionSetGroupId: '0PG000000000001AAA',
      PermissionSetGroup: {
        Id: '0PG000000000001AAA',
        MasterLabel: 'Marketing Ops',
        Status: 'Updated',
      },
    });
    s.objectPermissions!.push(objectRow(group.Id, 'Lead', 'RE'));
    const d = evaluateAccess(s);
    expect(object(d, 'Lead').effective).toMatchObject({
      read: true,
      create: true,
      edit: true,
      delete: false,
    });
    expect(object(d, 'Lead').grantedBy.sort()).toEqual([
      'Permission set group: Marketing Ops',
      'Permission set: Sync Integration Extras',
      'Profile: Minimum Access - API Only Integrations',
    ]);
    expect(findingsFor(d, 'Lead')).toEqual([]);
  });

  it('ignores permission rows of sets not assigned to the user', () => {
    const s = healthy();
    removeObjectRows(s, 'Lead');
    s.objectPermissions!.push(objectRow('0PS00000000OtherAA', 'Lead', 'RCE'));
    expect(onlyFinding(evaluateAccess(s), 'Lead').message).toContain(
      'cannot Read, Create and Edit Lead',
    );
  });

  it('applies object rights implications: Modify All implies read, edit, delete and view all; edit implies read', () => {
    const s = healthy();
    removeObjectRows(s, 'Lead');
    s.objectPermissions!.push(objectRow(EXTRAS_SET, 'Lead', 'CM'));
    expect(object(evaluateAccess(s), 'Lead').effective).toEqual({
      read: true,
      create: true,
      edit: true,
      delete: true,
      viewAll: true,
      modifyAll: true,
    });
    removeObjectRows(s, 'Lead');
    s.objectPermissions!.push(objectRow(EXTRAS_SET, 'Lead', 'CE'));
    expect(object(evaluateAccess(s), 'Lead').effective).toMatchObject({
      read: true,
      edit: true,
      delete: false,
      viewAll: false,
    });
  });
});

describe('assignments that grant nothing', () => {
  it('an assignment expiring after capturedAt still grants; one expired before does not', () => {
    const s = healthy();
    assignmentOf(s, HUBSPOT_SET).ExpirationDate = '2026-12-31T00:00:00.000+0000';
    expect(evaluateAccess(s).verdict).toBe('healthy');
    assignmentOf(s, HUBSPOT_SET).ExpirationDate = '2026-11-28T11:59:59.000+0000';
    expect(evaluateAccess(s).verdict).toBe('blocked');
  });

  it('an expired set that is not required is reported as info, and its rights are not counted', () => {
    const s = healthy();
    removeObjectRows(s, 'Lead', HUBSPOT_SET);
    s.objectPermissions!.push(objectRow(EXTRAS_SET, 'Lead', 'RCE'));
    assignmentOf(s, EXTRAS_SET).ExpirationDate = '2026-01-15T00:00:00Z';
    const d = evaluateAccess(s);
    expect(onlyFinding(d, 'Sync Integration Extras')).toMatchObject({
      severity: 'info',
      rule: 'expired-assignment',
    });
    expect(onlyFinding(d, 'Lead').message).toContain(
      'Sync Integration Extras grants Read, Create and Edit, but its assignment expired on 2026-01-15',
    );
  });

  it('a session-based set is a warning and grants nothing, even system permissions', () => {
    const s = healthy();
    set(s, PROFILE_SET).PermissionsApiEnabled = false;
    assign(
      s,
      permissionSet('0PS000000000SessAA', 'API Session', {
        HasActivationRequired: true,
        Type: 'Session',
        PermissionsApiEnabled: true,
      }),
    );
    const d = evaluateAccess(s);
    expect(onlyFinding(d, 'API Session')).toMatchObject({
      severity: 'warning',
      rule: 'session-based-permission-set',
    });
    const api = onlyFinding(d, 'PermissionsApiEnabled');
    expect(api.reason).toBe('API_ACCESS_DISABLED');
    expect(api.message).toContain(
      'Permission set: API Session would grant it, but it is session-based',
    );
  });

  it('a session-based permission set group (PermissionSetGroup.HasActivationRequired) grants nothing', () => {
    const s = healthy();
    removeObjectRows(s, 'Lead');
    s.objectPermissions!.push(objectRow(PROFILE_SET, 'Lead', 'R'));
    // The group's aggregate permission set need not say it: the group record does (API 53.0+).
    const group = permissionSet('0PS000000000GrpAAA', 'Lead Sync', { Type: 'Group' });
    assign(s, group, {
      PermissionSetGroupId: '0PG1',
      PermissionSetGroup: {
        Id: '0PG1',
        MasterLabel: 'Lead Sync',
        Status: 'Updated',
        HasActivationRequired: true,
      },
    });
    s.objectPermissions!.push(objectRow(group.Id, 'Lead', 'RCE'));
    const d = evaluateAccess(s);
    expect(onlyFinding(d, 'Lead Sync')).toMatchObject({
      severity: 'warning',
      rule: 'session-based-permission-set',
    });
    const lead = onlyFinding(d, 'Lead');
    expect(lead.severity).toBe('error');
    expect(lead.message).toContain('Permission set group: Lead Sync grants Create and Edit');
    expect(lead.message).toContain('session-based');
  });

  it('a system permission or field right missing while a group is assigned points at muting, as for objects', () => {
    // The group's aggregate set leaves out what its muting set removes: the admin may see API
    // Enabled or the field's Edit granted by a set inside the group and wonder why it does not count.
    const s = healthy();
    set(s, PROFILE_SET).PermissionsApiEnabled = false;
    s.fieldPermissions!.find((r) => r.Field === 'Contact.Email')!.PermissionsEdit = false;
    assignSalesOpsGroup(s, { aggregate: { PermissionsApiEnabled: false } });
    const d = evaluateAccess(s);
    const muted =
      "Permission set group 'Sales Ops' does not grant it either: if a set in the group grants it, a muting permission set in the group removes it.";
    expect(onlyFinding(d, 'PermissionsApiEnabled').message).toContain(muted);
    expect(onlyFinding(d, 'Contact.Email').message).toContain(muted);
  });

  it("names the group's muting permission set and where to change it, when the snapshot read it", () => {
    // Without the name the admin must hunt through Setup for the set that removes HubSpot's right.
    const s = healthy();
    set(s, PROFILE_SET).PermissionsApiEnabled = false;
    s.fieldPermissions!.find((r) => r.Field === 'Contact.Email')!.PermissionsEdit = false;
    assignSalesOpsGroup(s, {
      muting: [HUBSPOT_MUTES],
      aggregate: { PermissionsApiEnabled: false },
    });
    const d = evaluateAccess(s);
    const muted =
      "Permission set group 'Sales Ops' does not grant it either: if a set in the group grants it, its muting permission set 'HubSpot Mutes' removes it.";
    for (const subject of ['PermissionsApiEnabled', 'Contact.Email']) {
      expect(onlyFinding(d, subject).message).toContain(muted);
      // Where to change it is said once, in the remedy, not in the message too.
      expect(onlyFinding(d, subject).message).not.toContain('Setup >');
      expect(onlyFinding(d, subject).remedy).toContain(
        "Setup > Permission Set Groups > 'Sales Ops'",
      );
      expect(onlyFinding(d, subject).message).not.toContain('a muting permission set in the group');
    }
    expect(validateSnapshot(s).ok).toBe(true);
  });

  describe("a muted right and the group's own sets (PermissionSetGroup.PermissionSets)", () => {
    // The readers read rights of the assigned sets only (the group's aggregate set, which leaves
    // the muted right out), so which of the group's sets grants it is not known: the hint names
    // the sets it may be, and says plainly when the group holds none.
    const withHeld = (held: { Id: string; Name: string; Label: string }[]) => {
      const s = healthy();
      for (const r of s.objectPermissions!.filter((r) => r.SobjectType === 'Contact'))
        r.PermissionsCreate = r.PermissionsEdit = false;
      assignSalesOpsGroup(s, { muting: [HUBSPOT_MUTES], held });
      expect(validateSnapshot(s).ok).toBe(true);
      return onlyFinding(evaluateAccess(s), 'Contact');
    };
    const hubspot = {
      Id: '0PS000000000HsPAAA',
      Name: 'HubSpot_Integration_Permissions',
      Label: 'HubSpot Integration Permissions',
    };

    it('names the one set the group holds', () => {
      expect(withHeld([hubspot]).message).toContain(
        "Permission set group 'Sales Ops' does not grant it either: if its set 'HubSpot Integration Permissions' grants it, its muting permission set 'HubSpot Mutes' removes it.",
      );
    });

    it('says once, in the message, that a set in the group may grant it and the muting set remove it', () => {
      const finding = withHeld([hubspot]);
      const said = `${finding.message} ${finding.remedy}`;
      expect(said.match(/\bgrants (it|them)\b/g)).toHaveLength(1);
      expect(said).not.toContain('which mutes');
      expect(finding.remedy).toMatch(
        /^Remove Create and Edit on Contact from the muting permission set 'HubSpot Mutes' \(Setup > Permission Set Groups > 'Sales Ops' > Muting Permission Set 'HubSpot Mutes' > Object Settings > Contact\); or give /,
      );
    });

    it('names each set the group holds', () => {
      expect(
        withHeld([hubspot, { Id: '0PS000000000OpsAAA', Name: 'Ops_Extras', Label: '' }]).message,
      ).toContain(
        "if one of its sets 'HubSpot Integration Permissions' or 'Ops_Extras' grants it, its muting permission set 'HubSpot Mutes' removes it.",
      );
    });

    it('says a group holding no set grants nothing to mute, and sends nobody to its muting set', () => {
      const finding = withHeld([]);
      expect(finding.message).toContain(
        "Permission set group 'Sales Ops' does not grant it either: it holds no permission set.",
      );
      expect(finding.remedy).not.toContain('muting');
    });
  });

  describe("the remedy of a right a group's muting permission set may remove", () => {
    // A snapshot with Contact's Create and Edit and Contact.Email's Edit from no source, and a
    // group assigned: a set in the group may grant them and its muting set remove them.
    const mutedSnapshot = (
      muting?: { Id: string; DeveloperName: string; MasterLabel: string }[],
    ) => {
      const s = healthy();
      set(s, PROFILE_SET).PermissionsApiEnabled = false;
      for (const r of s.objectPermissions!.filter((r) => r.SobjectType === 'Contact'))
        r.PermissionsCreate = r.PermissionsEdit = false;
      for (const r of s.fieldPermissions!.filter((r) => r.Field === 'Contact.Email'))
        r.PermissionsEdit = false;
      assignSalesOpsGroup(s, { muting, aggregate: { PermissionsApiEnabled: false } });
      return s;
    };
    const place =
      "Setup > Permission Set Groups > 'Sales Ops' > Muting Permission Set 'HubSpot Mutes'";

    it('says to remove it from the named muting set, or to grant it outside the group', () => {
      const s = mutedSnapshot([HUBSPOT_MUTES]);
      expect(validateSnapshot(s).ok).toBe(true);
      const d = evaluateAccess(s);
      const who = "'hubspot@acme.com'";
      expect(onlyFinding(d, 'Contact').remedy).toBe(
        `Remove Create and Edit on Contact from the muting permission set 'HubSpot Mutes' (${place} > Object Settings > Contact); or give the user Read, Create and Edit on Contact outside the group: add them under Object Settings > Contact in a permission set assigned to ${who} such as 'Sync Integration Extras', or let Sync Doctor's fix create and assign 'Sync_Doctor_Remediation'.`,
      );
      expect(onlyFinding(d, 'Contact.Email').remedy).toBe(
        `Remove Edit on Contact.Email from the muting permission set 'HubSpot Mutes' (${place} > Object Settings > Contact > Field Permissions); or give the user Read and Edit on Contact.Email outside the group: Object Settings > Contact > Field Permissions in a permission set assigned to ${who} such as 'Sync Integration Extras', or let Sync Doctor's fix create and assign 'Sync_Doctor_Remediation'.`,
      );
      expect(onlyFinding(d, 'PermissionsApiEnabled').remedy).toBe(
        `Remove "API Enabled" from the muting permission set 'HubSpot Mutes' (${place} > System Permissions); or turn on "API Enabled" (System Permissions) outside the group in the user's profile or in a permission set assigned to ${who}, then re-enter the Salesforce credentials in HubSpot to clear the suspension.`,
      );
      // Sync Doctor's fix still grants through its own set, outside the group, as the remedy's
      // second way says: it does not touch the muting set.
      const plan = planRemediation(d);
      expect(plan.objectPermissions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ sobjectType: 'Contact', create: true, edit: true }),
        ]),
      );
      expect(plan.fieldPermissions).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'Contact.Email', edit: true })]),
      );
    });

    it('names each muting set of the group as a place to look', () => {
      const d = evaluateAccess(
        mutedSnapshot([
          HUBSPOT_MUTES,
          { Id: '0QM000000000002AAA', DeveloperName: 'Ops_Mutes', MasterLabel: '' },
        ]),
      );
      expect(onlyFinding(d, 'Contact').remedy).toContain(
        `Remove Create and Edit on Contact from the muting permission set that mutes them, 'HubSpot Mutes' (${place} > Object Settings > Contact) or 'Ops_Mutes' (Setup > Permission Set Groups > 'Sales Ops' > Muting Permission Set 'Ops_Mutes' > Object Settings > Contact); or give `,
      );
    });

    it.each([
      ['an older snapshot that did not read the muting sets', undefined],
      ['a group with no muting set', []],
    ])('keeps the remedy as it was for %s', (_, muting) => {
      const d = evaluateAccess(mutedSnapshot(muting));
      const who = "'hubspot@acme.com'";
      expect(onlyFinding(d, 'Contact').remedy).toBe(
        `Give the user Read, Create and Edit on Contact: add them under Object Settings > Contact in a permission set assigned to ${who} such as 'Sync Integration Extras', or let Sync Doctor's fix create and assign 'Sync_Doctor_Remediation'.`,
      );
      expect(onlyFinding(d, 'Contact.Email').remedy).toBe(
        `Give the user Read and Edit on Contact.Email: Object Settings > Contact > Field Permissions in a permission set assigned to ${who} such as 'Sync Integration Extras', or let Sync Doctor's fix create and assign 'Sync_Doctor_Remediation'.`,
      );
      expect(onlyFinding(d, 'PermissionsApiEnabled').remedy).toBe(
        `Turn on "API Enabled" (System Permissions) in the user's profile or in a permission set assigned to ${who}, then re-enter the Salesforce credentials in HubSpot to clear the suspension.`,
      );
      // The message names the user; the remedy names it once, where the set is assigned.
      for (const subject of ['Contact', 'Contact.Email'])
        expect(onlyFinding(d, subject).remedy.split(who)).toHaveLength(2);
    });
  });

  describe('Task and Event rights a muting permission set may remove ("Edit Tasks" / "Edit Events")', () => {
    // Task and Event have no object settings: their create and edit come from the system permissions
    // "Edit Tasks" / "Edit Events", which a group's muting permission set can mute as any other.
    type Muting = { Id: string; DeveloperName: string; MasterLabel: string } & Record<
      string,
      unknown
    >;
    const mutes = (label: string, extra: Record<string, unknown> = {}): Muting => ({
      Id: `0QM00000000000${label.length}AAA`,
      DeveloperName: label.replace(/ /g, '_'),
      MasterLabel: label,
      ...extra,
    });
    const activitySnapshot = (muting?: Muting[]) => {
      const s = healthy();
      for (const a of s.assignments!)
        a.PermissionSet.PermissionsEditTask = a.PermissionSet.PermissionsEditEvent = false;
      assignSalesOpsGroup(s, { muting });
      return s;
    };
    const who = "'hubspot@acme.com'";
    const outside = `turn on "Edit Tasks" (under System Permissions) outside the group in a permission set assigned to ${who} such as 'Sync Integration Extras', or let Sync Doctor's fix create and assign 'Sync_Doctor_Remediation'.`;
    const place = (set: string) =>
      `Setup > Permission Set Groups > 'Sales Ops' > Muting Permission Set '${set}' > System Permissions`;

    it('names the group\'s muting set and its System Permissions as where "Edit Tasks" may be removed', () => {
      const s = activitySnapshot([mutes('HubSpot Mutes')]);
      expect(validateSnapshot(s).ok).toBe(true);
      const task = onlyFinding(evaluateAccess(s), 'Task');
      expect(task.rule).toBe('task-edit-tasks');
      expect(task.message).toContain(
        "Permission set group 'Sales Ops' does not grant it either: if a set in the group grants it, its muting permission set 'HubSpot Mutes' removes it.",
      );
      expect(task.remedy).toBe(
        `Remove "Edit Tasks" from the muting permission set 'HubSpot Mutes' (${place('HubSpot Mutes')}); or ${outside}`,
      );
    });

    it('names only the set that mutes "Edit Tasks" when the snapshot read what each set mutes', () => {
      const s = activitySnapshot([
        mutes('HubSpot Mutes', { PermissionsEditTask: true, PermissionsEditEvent: false }),
        mutes('Ops Mutes', { PermissionsEditTask: false, PermissionsEditEvent: false }),
      ]);
      expect(validateSnapshot(s).ok).toBe(true);
      const d = evaluateAccess(s);
      const task = onlyFinding(d, 'Task');
      expect(task.message).toContain(
        "Permission set group 'Sales Ops' does not grant it either: its muting permission set 'HubSpot Mutes' mutes it, so no set in the group can grant it.",
      );
      expect(task.remedy).toBe(
        `Remove "Edit Tasks" from the muting permission set 'HubSpot Mutes' (${place('HubSpot Mutes')}); or ${outside}`,
      );
      expect(task.remedy).not.toContain('Ops Mutes');
      // Neither set mutes "Edit Events": its finding says so and sends the admin outside the group only.
      const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [{ name: 'Event', access: ['read', 'create', 'edit'] }],
      });
      const event = onlyFinding(evaluateAccess(s, requirements), 'Event');
      expect(event.message).toContain(
        "Permission set group 'Sales Ops' does not grant it either, and its muting permission sets 'HubSpot Mutes' and 'Ops Mutes' do not mute it.",
      );
      expect(event.remedy).toBe(
        `Turn on "Edit Events" (under System Permissions) in a permission set assigned to ${who} such as 'Sync Integration Extras', or let Sync Doctor's fix create and assign 'Sync_Doctor_Remediation'.`,
      );
      // Sync Doctor's fix still grants the system permission through its own set, outside the group.
      expect(planRemediation(d).systemPermissions).toContain('PermissionsEditTask');
    });

    it('keeps the remedy as it was when the snapshot did not read the muting sets', () => {
      const task = onlyFinding(evaluateAccess(activitySnapshot()), 'Task');
      expect(task.message).toContain('a muting permission set in the group removes it');
      expect(task.remedy).toBe(
        `Turn on "Edit Tasks" (under System Permissions) in a permission set assigned to ${who} such as 'Sync Integration Extras', or let Sync Doctor's fix create and assign 'Sync_Doctor_Remediation'.`,
      );
    });
  });

  it('a group read with no muting permission set says so instead of pointing at muting', () => {
    const s = healthy();
    set(s, PROFILE_SET).PermissionsApiEnabled = false;
    assignSalesOpsGroup(s, { muting: [] });
    const message = onlyFinding(evaluateAccess(s), 'PermissionsApiEnabled').message;
    expect(message).toContain(
      "Permission set group 'Sales Ops' does not grant it either, and has no muting permission set.",
    );
    expect(message).not.toContain('muting permission set in the group');
  });

  it.each(['Outdated', 'Failed', 'Updating'])(
    'a permission set group with status %s is a warning',
    (status) => {
      const s = healthy();
      const group = permissionSet('0PS000000000GrpAAA', 'Sales', { Type: 'Group' });
      assign(s, group, {
        PermissionSetGroupId: '0PG1',
        PermissionSetGroup: { Id: '0PG1', MasterLabel: 'Sales', Status: status },
      });
      const d = evaluateAccess(s);
      expect(onlyFinding(d, 'Sales')).toMatchObject({
        severity: 'warning',
        rule: 'permission-set-group-status',
      });
      expect(d.verdict).toBe('at-risk');
    },
  );
});

describe('Modify All Data and View All Data', () => {
  it('View All Data grants read and view all on objects, but not edit', () => {
    const s = healthy();
    removeObjectRows(s, 'Lead');
    set(s, EXTRAS_SET).PermissionsViewAllData = true;
    const d = evaluateAccess(s);
    expect(object(d, 'Lead').effective).toMatchObject({
      read: true,
      viewAll: true,
      create: false,
      edit: false,
    });
    expect(object(d, 'Lead').grantedBy).toEqual([
      'Permission set: Sync Integration Extras (View All Data)',
    ]);
    expect(object(d, 'Lead').missing).toEqual(['create', 'edit']);
  });

  it('neither grants field access', () => {
    const s = healthy();
    set(s, EXTRAS_SET).PermissionsModifyAllData = true;
    removeFieldRows(s, 'Lead.Email');
    const f = onlyFinding(evaluateAccess(s), 'Lead.Email');
    expect(f).toMatchObject({
      reason: 'FIELD_PERMISSIONS_MISSING',
      rule: 'modify-all-data-grants-no-field-access',
    });
    expect(f.message).toContain('must still be given');
  });
});

describe('field rules', () => {
  it('View All Fields on the object grants read on its fields, not edit', () => {
    const s = healthy();
    removeFieldRows(s, 'Lead.Email');
    s.objectPermissions!.push(objectRow(EXTRAS_SET, 'Lead', 'RF'));
    const d = evaluateAccess(s);
    expect(field(d, 'Lead.Email')).toMatchObject({
      effective: { read: true, edit: false },
      missing: ['edit'],
    });
    expect(field(d, 'Lead.Email').grantedBy).toEqual([
      'Permission set: Sync Integration Extras (View All Fields)',
    ]);
    expect(onlyFinding(d, 'Lead.Email').message).toContain('cannot edit Lead.Email');
  });

  it('a non-permissionable field follows its object and is never reported missing', () => {
    const s = healthy();
    removeObjectRows(s, 'Lead');
    s.objectPermissions!.push(objectRow(EXTRAS_SET, 'Lead', 'R'));
    const d = evaluateAccess(s);
    expect(field(d, 'Lead.Company')).toMatchObject({
      effective: { read: true, edit: false },
      missing: [],
    });
    expect(field(d, 'Lead.Company').note).toContain('Blocked by the object access on Lead');
    expect(findingsFor(d, 'Lead.Company')).toEqual([]);
    expect(onlyFinding(d, 'Lead').message).toContain('cannot Create and Edit Lead');
  });

  it('a calculated field never needs edit', () => {
    const s = healthy();
    s.fields!['Contact.Score__c'] = {
      permissionable: true,
      calculated: true,
      type: 'double',
      nillable: true,
    };
    s.fieldPermissions!.push(fieldRow(HUBSPOT_SET, 'Contact.Score__c', true, false));
    const req = mergeRequirements(DEFAULT_REQUIREMENTS, {
      fields: [{ name: 'Contact.Score__c', access: ['read', 'edit'] }],
    });
    const d = evaluateAccess(s, req);
    expect(findingsFor(d, 'Contact.Score__c')).toEqual([]);
    expect(field(d, 'Contact.Score__c')).toMatchObject({
      required: ['read'],
      effective: { read: true, edit: false },
      missing: [],
    });
    expect(field(d, 'Contact.Score__c').note).toContain('Calculated');
  });

  it('an auto-number field never needs edit, and the plan grants none (Salesforce, and the Apex applier, refuse it)', () => {
    const s = healthy();
    // As describe answers for Case.CaseNumber: field-level security, Read at most, nobody writes it.
    s.fields!['Contact.Member_No__c'] = {
      permissionable: true,
      calculated: false,
      autoNumber: true,
      createable: false,
      updateable: false,
      type: 'string',
    };
    s.objects = { Contact: { exists: true, createable: true, updateable: true } };
    const req = mergeRequirements(DEFAULT_REQUIREMENTS, {
      fields: [{ name: 'Contact.Member_No__c', access: ['read', 'edit'] }],
    });
    const d = evaluateAccess(s, req);
    expect(field(d, 'Contact.Member_No__c')).toMatchObject({ required: ['read'] });
    expect(field(d, 'Contact.Member_No__c').note).toContain('Auto-number');
    const plan = planRemediation(d);
    expect(plan.fieldPermissions).toEqual([
      { field: 'Contact.Member_No__c', sobjectType: 'Contact', read: true, edit: false },
    ]);
    s.fieldPermissions!.push(fieldRow(HUBSPOT_SET, 'Contact.Member_No__c', true, false));
    const readable = evaluateAccess(s, req);
    expect(findingsFor(readable, 'Contact.Member_No__c')).toEqual([]);
    expect(field(readable, 'Contact.Member_No__c')).toMatchObject({
      effective: { read: true, edit: false },
      missing: [],
    });
  });

  it('Edit mapped on a calculated field asks no Edit of its object either (least privilege)', () => {
    // Invoice__c is reached only through the formula field: Read on it is all the sync can use.
    const s = healthy();
    s.fields!['Invoice__c.Total__c'] = { permissionable: true, calculated: true, type: 'currency' };
    s.objectPermissions!.push(objectRow(HUBSPOT_SET, 'Invoice__c', 'R'));
    s.fieldPermissions!.push(fieldRow(HUBSPOT_SET, 'Invoice__c.Total__c', true, false));
    const d = evaluateAccess(
      s,
      only([], [{ name: 'Invoice__c.Total__c', access: ['read', 'edit'] }]),
    );
    expect(object(d, 'Invoice__c')).toMatchObject({
      required: ['read'],
      missing: [],
      reachedBy: ['mapped field Invoice__c.Total__c'],
    });
    expect(d.findings).toEqual([]);
    expect(planRemediation(d).objectPermissions).toEqual([]);
  });

  it('field access needs object access: readable FLS on an unreadable object reads nothing', () => {
    const s = healthy();
    removeObjectRows(s, 'Lead');
    const d = evaluateAccess(s);
    expect(field(d, 'Lead.Email')).toMatchObject({
      effective: { read: false, edit: false },
      missing: [],
    });
    expect(field(d, 'Lead.Email').note).toContain('Blocked by the object access on Lead');
    expect(findingsFor(d, 'Lead.Email')).toEqual([]);
    expect(onlyFinding(d, 'Lead').severity).toBe('error');
  });

  it('a mapped field on an object not otherwise required makes that object required', () => {
    const s = healthy();
    s.fields!['Invoice__c.Total__c'] = {
      permissionable: true,
      calculated: false,
      type: 'currency',
    };
    s.fieldPermissions!.push(fieldRow(HUBSPOT_SET, 'Invoice__c.Total__c', true, true));
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        fields: [{ name: 'Invoice__c.Total__c', access: ['read', 'edit'] }],
      }),
    );
    expect(object(d, 'Invoice__c')).toMatchObject({
      required: ['read', 'edit'],
      reachedBy: ['mapped field Invoice__c.Total__c (edit)'],
    });
    const f = onlyFinding(d, 'Invoice__c');
    expect(f.rule).toBe('object-permissions');
    expect(f.message).toContain('through the mapped field Invoice__c.Total__c (edit).');
  });

  it('edit-only FieldPermissions rows count as read too (edit without read cannot exist)', () => {
    const s = healthy();
    removeFieldRows(s, 'Lead.Email');
    s.fieldPermissions!.push(fieldRow(EXTRAS_SET, 'Lead.Email', false, true));
    expect(field(evaluateAccess(s), 'Lead.Email').effective).toEqual({ read: true, edit: true });
  });

  it('matches field and object names case-insensitively', () => {
    const s = healthy();
    const d = evaluateAccess(
      s,
      only(
        [{ name: 'contact', access: ['read'] }],
        [{ name: 'contact.email', access: ['read', 'edit'] }],
      ),
    );
    expect(d.verdict).toBe('healthy');
    expect(field(d, 'contact.email').effective).toEqual({ read: true, edit: true });
  });

  it('a field the org says does not exist is a broken mapping (FIELD_MAPPINGS_MISSING)', () => {
    const s = healthy();
    s.fields!['Contact.Title'] = { ...s.fields!['Contact.Title']!, exists: false };
    const f = onlyFinding(evaluateAccess(s), 'Contact.Title');
    expect(f).toMatchObject({
      reason: 'FIELD_MAPPINGS_MISSING',
      severity: 'error',
      rule: 'field-does-not-exist',
    });
    expect(f.message).toContain("mapped from HubSpot's 'jobtitle'");
  });

  it('a field absent from the describe is FIELD_PERMISSIONS_MISSING (deleted or hidden: Salesforce says INVALID_FIELD)', () => {
    const s = healthy();
    delete s.fields!['Contact.Title'];
    const d = evaluateAccess(s);
    expect(onlyFinding(d, 'Contact.Title')).toMatchObject({
      reason: 'FIELD_PERMISSIONS_MISSING',
      rule: 'field-not-in-describe',
    });
    expect(field(d, 'Contact.Title').exists).toBe(false);
  });

  it('without a describe, missing field rights are warnings, not errors (could be non-permissionable)', () => {
    const s = healthy();
    delete s.fields;
    removeFieldRows(s, 'Contact.Email');
    const d = evaluateAccess(s);
    expect(onlyFinding(d, 'Contact.Email').severity).toBe('warning');
    expect(onlyFinding(d, 'fields')).toMatchObject({ severity: 'info', rule: 'section-absent' });
    // Required non-permissionable fields, with no rows, are then reported too, but only as warnings.
    expect(onlyFinding(d, 'Contact.LastName').severity).toBe('warning');
    expect(d.verdict).toBe('at-risk');
  });
});

describe('objects the org does not have', () => {
  it('a required object that does not exist is its own finding, not missing permissions', () => {
    const s = healthy();
    s.objects = { Nope__c: { exists: false }, Lead: { exists: true } };
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [{ name: 'Nope__c', access: ['read', 'edit'] }],
      }),
    );
    const f = onlyFinding(d, 'Nope__c');
    expect(f).toMatchObject({
      reason: 'FIELD_MAPPINGS_MISSING',
      severity: 'error',
      rule: 'object-does-not-exist',
    });
    expect(f.message).toBe(
      'Nope__c does not exist in this Salesforce org (no object has that API name), yet the requirements ask for Read and Edit on it: HubSpot cannot sync it.',
    );
    expect(f.remedy).not.toContain('Object Settings');
    expect(object(d, 'Nope__c')).toMatchObject({ exists: false, missing: [], grantedBy: [] });
    expect(d.findings.filter((x) => x.subject !== 'Nope__c')).toEqual([]);
  });

  it('the fields of an object that does not exist are named once, in the object finding', () => {
    const s = healthy();
    s.objects = { Invoice__c: { exists: false } };
    s.fields!['Invoice__c.Amount__c'] = { exists: false, permissionable: false, calculated: false };
    s.fields!['Invoice__c.Paid__c'] = { exists: false, permissionable: false, calculated: false };
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        fields: [
          { name: 'Invoice__c.Amount__c', access: ['read', 'edit'] },
          { name: 'Invoice__c.Paid__c', access: ['read'] },
        ],
      }),
    );
    expect(d.findings).toHaveLength(1);
    const f = onlyFinding(d, 'Invoice__c');
    expect(f).toMatchObject({ reason: 'FIELD_MAPPINGS_MISSING', rule: 'object-does-not-exist' });
    expect(f.message).toContain(
      'yet HubSpot maps its fields Invoice__c.Amount__c and Invoice__c.Paid__c: every sync of those records fails.',
    );
    expect(f.remedy).toContain('Deleted Objects');
    expect(field(d, 'Invoice__c.Amount__c')).toMatchObject({
      exists: false,
      missing: [],
      note: 'Its object Invoice__c does not exist in this org.',
    });
  });

  it('an object the snapshot does not mention is judged as before (collectors may list none)', () => {
    const s = healthy();
    s.objects = { Nope__c: { exists: true } };
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [{ name: 'nope__c', access: ['read'] }],
      }),
    );
    expect(onlyFinding(d, 'nope__c').rule).toBe('object-permissions');
  });
});

describe('lookups', () => {
  it('a mapped lookup needs read on every referenced object; Group is not permission-governed', () => {
    const s = healthy();
    s.fields!['Contact.Partner__c'] = {
      permissionable: true,
      calculated: false,
      type: 'reference',
      referenceTo: ['Partner__c', 'Group'],
    };
    s.fieldPermissions!.push(fieldRow(HUBSPOT_SET, 'Contact.Partner__c', true, true));
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        fields: [{ name: 'Contact.Partner__c', access: ['read', 'edit'] }],
      }),
    );
    const f = onlyFinding(d, 'Partner__c');
    expect(f).toMatchObject({
      reason: 'OBJECT_PERMISSIONS_MISSING',
      severity: 'error',
      rule: 'lookup-target-read',
    });
    expect(f.message).toContain('cannot Read Partner__c');
    expect(f.message).toContain('lookup from Contact.Partner__c');
    expect(object(d, 'Partner__c')).toMatchObject({
      required: ['read'],
      reachedBy: ['lookup from Contact.Partner__c'],
      missing: ['read'],
    });
    expect(d.objects.some((o) => o.name === 'Group')).toBe(false);
    s.objectPermissions!.push(objectRow(EXTRAS_SET, 'Partner__c', 'R'));
    expect(
      findingsFor(
        evaluateAccess(
          s,
          mergeRequirements(DEFAULT_REQUIREMENTS, {
            fields: [{ name: 'Contact.Partner__c', access: ['read'] }],
          }),
        ),
        'Partner__c',
      ),
    ).toEqual([]);
  });

  it('a polymorphic lookup (Task.WhatId) needs read only on the targets HubSpot otherwise uses, not on every object it may point at', () => {
    const s = healthy();
    // WhatId points at every object with activities; HubSpot links tasks to accounts, deals, ...
    s.fields!['Task.WhatId'] = {
      permissionable: false,
      calculated: false,
      type: 'reference',
      referenceTo: ['Account', 'Opportunity', 'Asset', 'Case', 'Solution'],
    };
    s.fields!['Task.WhoId'] = {
      permissionable: false,
      calculated: false,
      type: 'reference',
      referenceTo: ['Contact', 'Lead'],
    };
    const req = mergeRequirements(DEFAULT_REQUIREMENTS, {
      fields: [
        { name: 'Task.WhatId', access: ['read', 'edit'] },
        { name: 'Task.WhoId', access: ['read', 'edit'] },
      ],
    });
    const d = evaluateAccess(s, req);
    for (const name of ['Asset', 'Case', 'Solution']) {
      expect(findingsFor(d, name)).toEqual([]);
      expect(d.objects.some((o) => o.name === name)).toBe(false);
    }
    expect(object(d, 'Account').reachedBy).toContain('lookup from Task.WhatId');
    expect(object(d, 'Lead').reachedBy).toContain('lookup from Task.WhoId');
    // A target HubSpot uses is still judged: without read on Lead, the lookup is named.
    removeObjectRows(s, 'Lead');
    const f = onlyFinding(evaluateAccess(s, req), 'Lead');
    expect(f.severity).toBe('error');
    expect(f.message).toContain('lookup from Task.WhoId');
  });
});

describe('objects outside object permissions', () => {
  it('Task: create and edit come from "Edit Tasks"', () => {
    const s = healthy();
    set(s, HUBSPOT_SET).PermissionsEditTask = false;
    const d = evaluateAccess(s);
    const f = onlyFinding(d, 'Task');
    expect(f).toMatchObject({
      reason: 'OBJECT_PERMISSIONS_MISSING',
      severity: 'error',
      rule: 'task-edit-tasks',
    });
    expect(f.message).toContain('Edit Tasks');
    expect(object(d, 'Task')).toMatchObject({
      effective: { read: true, create: false, edit: false },
      missing: [],
      rule: 'task-edit-tasks',
    });
  });

  it('Task: ObjectPermissions rows do not count, Modify All Data does', () => {
    const s = healthy();
    set(s, HUBSPOT_SET).PermissionsEditTask = false;
    s.objectPermissions!.push(objectRow(EXTRAS_SET, 'Task', 'RCE'));
    expect(onlyFinding(evaluateAccess(s), 'Task').rule).toBe('task-edit-tasks');
    set(s, EXTRAS_SET).PermissionsModifyAllData = true;
    expect(findingsFor(evaluateAccess(s), 'Task')).toEqual([]);
  });

  it('Task: an org without the PermissionsEditTask column is a warning to check by hand, not "Edit Tasks not granted"', () => {
    const s = healthy();
    for (const a of s.assignments!) delete a.PermissionSet.PermissionsEditTask;
    s.absentPermissions = ['PermissionsEditTask'];
    const d = evaluateAccess(s);
    const f = onlyFinding(d, 'Task');
    expect(f).toMatchObject({
      reason: 'OBJECT_PERMISSIONS_MISSING',
      severity: 'warning',
      rule: 'permission-not-in-org',
    });
    expect(f.message).toContain('does not expose "Edit Tasks"');
    expect(f.message).toContain('cannot tell whether');
    expect(f.message).not.toContain('which no active profile or permission set of the user grants');
    expect(f.remedy).toMatch(/^Check by hand/);
    expect(f.remedy).toContain('"Edit Tasks"');
    expect(d.verdict).toBe('at-risk');
    const task = object(d, 'Task');
    expect(task).toMatchObject({ effective: { read: true }, rule: 'task-edit-tasks' });
    expect(task.missing).toBeUndefined();
    expect(task.note).toMatch(/^Not judged: .*PermissionsEditTask/);
    // Nothing is granted blindly: the plan asks to check by hand instead of turning on a column the org lacks.
    const plan = planRemediation(d);
    expect(plan.systemPermissions).not.toContain('PermissionsEditTask');
    expect(plan.manualSteps).toContainEqual(
      expect.objectContaining({ subject: 'Task', step: expect.stringMatching(/^Check by hand/) }),
    );
    // Modify All Data still answers the question.
    set(s, EXTRAS_SET).PermissionsModifyAllData = true;
    expect(findingsFor(evaluateAccess(s), 'Task')).toEqual([]);
  });

  it('User: readable without object permissions; without View All Users an info note', () => {
    const s = healthy();
    set(s, HUBSPOT_SET).PermissionsViewAllUsers = false;
    const d = evaluateAccess(s);
    expect(object(d, 'User')).toMatchObject({
      effective: { read: true, viewAll: false },
      rule: 'user-visibility',
    });
    expect(onlyFinding(d, 'User')).toMatchObject({ severity: 'info', rule: 'user-visibility' });
    expect(d.verdict).toBe('healthy');
    set(s, EXTRAS_SET).PermissionsViewAllData = true;
    const withVad = evaluateAccess(s);
    expect(object(withVad, 'User').effective.viewAll).toBe(true);
    expect(findingsFor(withVad, 'User')).toEqual([]);
  });

  it('User: requiring view all without View All Users is an error', () => {
    const s = healthy();
    set(s, HUBSPOT_SET).PermissionsViewAllUsers = false;
    const d = evaluateAccess(s, only([{ name: 'User', access: ['read', 'viewAll'] }]));
    expect(onlyFinding(d, 'User')).toMatchObject({ severity: 'error', rule: 'user-visibility' });
  });

  it('Campaign: edit needs the Marketing User checkbox on top of object permissions', () => {
    const s = healthy();
    s.user!.UserPermissionsMarketingUser = false;
    const d = evaluateAccess(s);
    const f = onlyFinding(d, 'Campaign');
    expect(f).toMatchObject({ severity: 'error', rule: 'campaign-marketing-user' });
    expect(f.message).toContain('although its permissions grant Edit on Campaign');
    expect(object(d, 'Campaign')).toMatchObject({
      effective: { read: true, edit: false },
      missing: [],
      rule: 'campaign-marketing-user',
    });
  });

  it('Campaign: without a user section the checkbox cannot be judged (warning)', () => {
    const s = healthy();
    delete s.user;
    const d = evaluateAccess(s);
    expect(findingsFor(d, 'Campaign')).toEqual([
      expect.objectContaining({ severity: 'warning', rule: 'campaign-marketing-user' }),
    ]);
  });
});

describe('system permissions and permission sets', () => {
  it('API Enabled may come from a permission set instead of the profile', () => {
    const s = healthy();
    set(s, PROFILE_SET).PermissionsApiEnabled = false;
    set(s, EXTRAS_SET).PermissionsApiEnabled = true;
    expect(evaluateAccess(s).verdict).toBe('healthy');
  });

  it('other required system permissions are OBJECT_PERMISSIONS_MISSING errors with a friendly name', () => {
    const d = evaluateAccess(
      healthy(),
      mergeRequirements(DEFAULT_REQUIREMENTS, { systemPermissions: ['PermissionsViewSetup'] }),
    );
    const f = onlyFinding(d, 'PermissionsViewSetup');
    expect(f).toMatchObject({ reason: 'OBJECT_PERMISSIONS_MISSING', rule: 'system-permission' });
    expect(f.message).toContain('View Setup and Configuration');
  });

  it('a required HubSpot permission the org has no column for is a warning to check by hand, not "not granted"', () => {
    const s = healthy();
    for (const a of s.assignments!) delete a.PermissionSet.PermissionsApiEnabled;
    s.absentPermissions = ['PermissionsApiEnabled'];
    const d = evaluateAccess(s);
    const f = onlyFinding(d, 'PermissionsApiEnabled');
    expect(f).toMatchObject({
      reason: 'API_ACCESS_DISABLED',
      severity: 'warning',
      rule: 'permission-not-in-org',
    });
    expect(f.message).toContain('does not expose "API Enabled"');
    expect(f.message).not.toContain('lacks');
    expect(f.remedy).toMatch(/^Check by hand/);
    expect(d.verdict).toBe('at-risk');
  });

  it('a required permission the org does not have, named by the requirements, is a requirements error', () => {
    const s = healthy();
    s.absentPermissions = ['PermissionsBogus'];
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, { systemPermissions: ['PermissionsBogus'] }),
    );
    const f = onlyFinding(d, 'PermissionsBogus');
    expect(f).toMatchObject({ severity: 'warning', rule: 'invalid-requirement' });
    expect(f.message).toBe(
      "The requirements ask for the system permission 'PermissionsBogus', which this org does not have (PermissionSet has no such column), so it could not be judged.",
    );
    expect(f.remedy).not.toContain('Turn on');
    expect(d.verdict).toBe('at-risk');
  });

  it('a standard permission the requirements add and this org lacks is checked by hand, not called a mistake', () => {
    // "Edit Events" is a real PermissionSet column (the core reads it for Event): an org without it
    // lacks the feature or edition, the requirements are not misspelt.
    const s = healthy();
    s.absentPermissions = ['PermissionsEditEvent'];
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, { systemPermissions: ['PermissionsEditEvent'] }),
    );
    const f = onlyFinding(d, 'PermissionsEditEvent');
    expect(f).toMatchObject({ severity: 'warning', rule: 'permission-not-in-org' });
    expect(f.message).toContain('does not expose "Edit Events"');
    expect(f.message).not.toContain('HubSpot needs it');
    expect(f.remedy).toMatch(/^Check by hand/);
    expect(f.remedy).not.toContain('Correct');
  });

  it('names HubSpot only for its own permission set; any other required set gets plain wording', () => {
    const d = evaluateAccess(
      healthy(),
      mergeRequirements(DEFAULT_REQUIREMENTS, { permissionSets: ['Does Not Exist'] }),
    );
    const f = onlyFinding(d, 'Does Not Exist');
    expect(f).toMatchObject({ severity: 'error', rule: 'required-permission-set' });
    expect(f.message).toBe(
      "The permission set 'Does Not Exist' is not assigned to 'hubspot@acme.com'.",
    );
    expect(f.remedy).not.toContain('HubSpot');
    expect(f.remedy).toContain('check in Setup > Permission Sets that a set of that name exists');
    const s = healthy();
    s.assignments = s.assignments!.filter((a) => a.PermissionSetId !== HUBSPOT_SET);
    const hubspot = onlyFinding(evaluateAccess(s), 'HubSpot Integration Permissions');
    expect(hubspot.message).toContain('HubSpot names a missing');
    expect(hubspot.remedy).toContain("reinstall HubSpot's Salesforce package");
  });

  it('the required permission set missing is an error; matched by API name with a namespace too', () => {
    const s = healthy();
    s.assignments = s.assignments!.filter((a) => a.PermissionSetId !== HUBSPOT_SET);
    s.objectPermissions!.push(
      ...['Lead', 'Contact', 'Account', 'Opportunity'].map((o) => objectRow(EXTRAS_SET, o, 'RCE')),
    );
    const d = evaluateAccess(s);
    expect(onlyFinding(d, 'HubSpot Integration Permissions')).toMatchObject({
      reason: 'OBJECT_PERMISSIONS_MISSING',
      severity: 'error',
      rule: 'required-permission-set',
    });
    const ns = healthy();
    Object.assign(set(ns, HUBSPOT_SET), {
      Name: 'HubSpot_Inc__HubSpot_Integration_Permissions',
      Label: 'HubSpot Integration Perms',
    });
    expect(findingsFor(evaluateAccess(ns), 'HubSpot Integration Permissions')).toEqual([]);
  });

  it('the required permission set missing while groups are assigned is a warning (it may be inside a group)', () => {
    const s = healthy();
    s.assignments = s.assignments!.filter((a) => a.PermissionSetId !== HUBSPOT_SET);
    const group = permissionSet('0PS000000000GrpAAA', 'Integration Bundle', {
      Type: 'Group',
      PermissionsEditTask: true,
      PermissionsViewAllUsers: true,
    });
    assign(s, group, {
      PermissionSetGroupId: '0PG1',
      PermissionSetGroup: { Id: '0PG1', MasterLabel: 'Integration Bundle', Status: 'Updated' },
    });
    for (const row of s.objectPermissions!)
      if (row.ParentId === HUBSPOT_SET) row.ParentId = group.Id;
    for (const row of s.fieldPermissions!)
      if (row.ParentId === HUBSPOT_SET) row.ParentId = group.Id;
    const d = evaluateAccess(s);
    const f = onlyFinding(d, 'HubSpot Integration Permissions');
    expect(f.severity).toBe('warning');
    expect(f.message).toContain("'Integration Bundle'");
    expect(d.verdict).toBe('at-risk');
  });

  it('warns when the profile permission set is not in the snapshot', () => {
    const s = healthy();
    s.assignments = s.assignments!.filter((a) => a.PermissionSetId !== PROFILE_SET);
    set(s, HUBSPOT_SET).PermissionsApiEnabled = true;
    expect(onlyFinding(evaluateAccess(s), 'Minimum Access - API Only Integrations')).toMatchObject({
      severity: 'warning',
      rule: 'profile-not-in-snapshot',
    });
  });
});

describe('user', () => {
  it('an inactive user is an API_ACCESS_DISABLED error', () => {
    const s = healthy();
    s.user!.IsActive = false;
    const f = onlyFinding(evaluateAccess(s), 'hubspot@acme.com');
    expect(f.reason).toBe('API_ACCESS_DISABLED');
    expect(f.remedy).toContain('re-enter the Salesforce credentials');
    // Reconnecting lifts "API access disabled" (planRemediation, the app's banner): no "clear the
    // suspension", which the banner says is not the way out.
    expect(f.remedy).toMatch(/; reconnecting clears a suspension for it\.$/);
    expect(f.remedy).not.toContain('clear the suspension');
  });

  it('an inactive user is headed and grouped by its own cause, which names the reason it leads to', () => {
    const s = healthy();
    s.user!.IsActive = false;
    const f = onlyFinding(evaluateAccess(s), 'hubspot@acme.com');
    expect(f.cause).toBe('USER_INACTIVE');
    expect(findingCode(f)).toBe('USER_INACTIVE');
    expect(findingTitle(f)).toBe(
      'Integration user inactive (HubSpot would suspend with: Salesforce org API access disabled)',
    );
  });

  it('an inactive user without API Enabled: two groups, each named by its own cause', () => {
    const s = healthy();
    s.user!.IsActive = false;
    set(s, PROFILE_SET).PermissionsApiEnabled = false;
    const findings = evaluateAccess(s).findings.filter((f) => f.severity === 'error');
    expect(new Set(findings.map((f) => findingTitle(f)))).toEqual(
      new Set([
        'Integration user inactive (HubSpot would suspend with: Salesforce org API access disabled)',
        'Salesforce org API access disabled',
      ]),
    );
    expect(new Set(findings.map((f) => findingCode(f)))).toEqual(
      new Set(['USER_INACTIVE', 'API_ACCESS_DISABLED']),
    );
  });
});

describe('limits', () => {
  const withApi = (remaining: number) => {
    const s = healthy();
    s.limits!.DailyApiRequests = {
      Max: 100000,
      Remaining: remaining,
      HubSpot: { Max: 20000, Remaining: 5000 },
    };
    return evaluateAccess(s);
  };
  it('warns above 75% of daily API requests, not at 75%', () => {
    expect(findingsFor(withApi(25000), 'DailyApiRequests')).toEqual([]);
    expect(onlyFinding(withApi(24000), 'DailyApiRequests')).toMatchObject({
      reason: 'API_LIMIT_EXCEEDED',
      severity: 'warning',
    });
    expect(onlyFinding(withApi(0), 'DailyApiRequests').severity).toBe('error');
  });
  it('lists a connected app with its own cap', () => {
    expect(withApi(50000).limits).toContainEqual({
      name: 'DailyApiRequests.HubSpot',
      used: 15000,
      max: 20000,
      ratio: 0.75,
    });
  });
  it('warns above 90% of data or file storage and errs when full', () => {
    const s = healthy();
    s.limits!.FileStorageMB = { Max: 1000, Remaining: 50 };
    s.limits!.DataStorageMB = { Max: 1000, Remaining: 100 };
    const d = evaluateAccess(s);
    expect(onlyFinding(d, 'FileStorageMB')).toMatchObject({
      reason: 'STORAGE_LIMIT_EXCEEDED',
      severity: 'warning',
    });
    expect(findingsFor(d, 'DataStorageMB')).toEqual([]);
    s.limits!.FileStorageMB = { Max: 1000, Remaining: 0 };
    expect(onlyFinding(evaluateAccess(s), 'FileStorageMB').severity).toBe('error');
  });
});

describe('org-wide defaults', () => {
  it('a Private default without View All is a warning; View All silences it', () => {
    const s = healthy();
    s.organization!.DefaultLeadAccess = 'None';
    const f = onlyFinding(evaluateAccess(s), 'Lead');
    expect(f).toMatchObject({ severity: 'warning', rule: 'org-wide-default' });
    expect(f.message).toContain('invisible to the sync');
    s.objectPermissions!.push(objectRow(EXTRAS_SET, 'Lead', 'RV'));
    // Lead is required read only here: View All is all it takes.
    const readOnly = only([{ name: 'Lead', access: ['read'] }]);
    expect(findingsFor(evaluateAccess(s, readOnly), 'Lead')).toEqual([]);
  });

  it('a Private default with View All but not Modify All still blocks updates of records others own', () => {
    // View All lifts sharing for reading only; HubSpot updates leads owned by the mapped owners.
    const s = healthy();
    s.organization!.DefaultLeadAccess = 'None';
    s.objectPermissions!.push(objectRow(EXTRAS_SET, 'Lead', 'RV'));
    const f = onlyFinding(evaluateAccess(s), 'Lead');
    expect(f).toMatchObject({ severity: 'warning', rule: 'org-wide-default' });
    expect(f.message).toContain('View All grants no edit');
    expect(f.message).not.toContain('invisible');
    s.objectPermissions!.push(objectRow(EXTRAS_SET, 'Lead', 'RCEDVM'));
    expect(findingsFor(evaluateAccess(s), 'Lead')).toEqual([]);
  });

  it('contacts controlled by parent follow the account default', () => {
    const s = healthy();
    s.organization!.DefaultAccountAccess = 'None';
    const d = evaluateAccess(s);
    expect(onlyFinding(d, 'Contact').rule).toBe('org-wide-default');
    expect(onlyFinding(d, 'Account').rule).toBe('org-wide-default');
  });

  it('Public Read Only with edit required and no Modify All is a warning', () => {
    const s = healthy();
    s.organization!.DefaultOpportunityAccess = 'Read';
    expect(onlyFinding(evaluateAccess(s), 'Opportunity').message).toContain('Public Read Only');
  });
});

describe('absent sections: say what could not be judged, never guess', () => {
  it('no assignments: a warning and no permission errors', () => {
    const s = healthy();
    delete s.assignments;
    const d = evaluateAccess(s);
    expect(d.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(onlyFinding(d, 'assignments')).toMatchObject({
      severity: 'warning',
      rule: 'section-absent',
    });
    expect(object(d, 'Contact').missing).toBeUndefined();
    expect(object(d, 'Contact').note).toContain('Not judged');
    expect(field(d, 'Contact.Email').note).toContain('Not judged');
    expect(d.verdict).toBe('at-risk');
  });

  it('null sections count as absent', () => {
    const s = healthy() as unknown as Record<string, unknown>;
    s.limits = null;
    s.organization = null;
    const d = evaluateAccess(s as unknown as Snapshot);
    expect(onlyFinding(d, 'limits')).toMatchObject({
      severity: 'warning',
      reason: 'API_LIMIT_EXCEEDED',
    });
    expect(onlyFinding(d, 'organization').severity).toBe('info');
    expect(d.limits).toEqual([]);
  });

  it('no objectPermissions / fieldPermissions / user: warnings naming them', () => {
    const s = healthy();
    delete s.objectPermissions;
    delete s.fieldPermissions;
    delete s.user;
    const d = evaluateAccess(s);
    for (const section of ['objectPermissions', 'fieldPermissions', 'user'])
      expect(onlyFinding(d, section).severity).toBe('warning');
    expect(d.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(d.user).toBeUndefined();
  });
});

describe('verdict', () => {
  it('is blocked on any error, at-risk on warnings only, healthy otherwise', () => {
    const f = (severity: 'error' | 'warning' | 'info') => ({
      reason: 'UNKNOWN_ERROR' as const,
      severity,
      subject: 'x',
      message: '',
      remedy: '',
    });
    expect(verdictOf([])).toBe('healthy');
    expect(verdictOf([f('info')])).toBe('healthy');
    expect(verdictOf([f('info'), f('warning')])).toBe('at-risk');
    expect(verdictOf([f('warning'), f('error')])).toBe('blocked');
  });

  it('sorts findings errors first', () => {
    const s = healthy();
    s.organization!.DefaultLeadAccess = 'None';
    s.user!.IsActive = false;
    const severities = evaluateAccess(s).findings.map((x) => x.severity);
    expect(severities).toEqual(
      [...severities].sort(
        (a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b),
      ),
    );
    expect(severities[0]).toBe('error');
  });

  it('does not modify the snapshot or the requirements', () => {
    const s = healthy();
    const before = JSON.stringify(s);
    const req = JSON.stringify(DEFAULT_REQUIREMENTS);
    evaluateAccess(s);
    expect(JSON.stringify(s)).toBe(before);
    expect(JSON.stringify(DEFAULT_REQUIREMENTS)).toBe(req);
  });
});

describe('requirements that cannot be judged', () => {
  it('a required field without its object is a warning, not silently ignored', () => {
    const d = evaluateAccess(
      fixture('healthy'),
      mergeRequirements(DEFAULT_REQUIREMENTS, { fields: [{ name: 'Email', access: ['read'] }] }),
    );
    expect(onlyFinding(d, 'Email')).toMatchObject({
      severity: 'warning',
      rule: 'invalid-requirement',
      reason: 'FIELD_MAPPINGS_MISSING',
    });
    expect(d.fields.some((f) => f.name === 'Email')).toBe(false);
  });
});

describe('a union, not a sequence', () => {
  it.each([
    'healthy',
    'muted-permission-set-group',
    'expired-assignment',
    'session-based-set',
  ] as const)(
    '%s: the order of assignments and permission rows does not change the diagnosis',
    (name) => {
      const s = fixture(name);
      const reversed = fixture(name);
      reversed.assignments!.reverse();
      reversed.objectPermissions!.reverse();
      reversed.fieldPermissions!.reverse();
      const normalize = (d: ReturnType<typeof evaluateAccess>) => ({
        verdict: d.verdict,
        findings: d.findings.map((f) => `${f.severity} ${f.reason} ${f.subject} ${f.rule}`).sort(),
        objects: d.objects.map((o) => ({ ...o, grantedBy: [...o.grantedBy].sort() })),
        fields: d.fields.map((f) => ({ ...f, grantedBy: [...f.grantedBy].sort() })),
      });
      expect(normalize(evaluateAccess(reversed))).toEqual(normalize(evaluateAccess(s)));
    },
  );
});

describe('more ways to be locked out', () => {
  it('a frozen user is an API_ACCESS_DISABLED error', () => {
    const s = fixture('healthy');
    s.user!.IsFrozen = true;
    const f = onlyFinding(evaluateAccess(s), 'hubspot@acme.com');
    expect(f).toMatchObject({
      reason: 'API_ACCESS_DISABLED',
      cause: 'USER_FROZEN',
      severity: 'error',
      rule: 'frozen-user',
    });
    expect(f.remedy).toBe(
      "Open 'hubspot@acme.com' in Setup > Users and click Unfreeze; then re-enter the Salesforce credentials in HubSpot's Salesforce integration settings (Connected apps > Salesforce); reconnecting clears a suspension for it.",
    );
    // Named by its cause, not as the org's API access being off.
    expect(findingTitle(f)).toBe(
      'Integration user frozen (HubSpot would suspend with: Salesforce org API access disabled)',
    );
  });

  it("HubSpot's connected app exhausting its own cap is an API_LIMIT_EXCEEDED error; other apps are only listed", () => {
    const s = fixture('healthy');
    s.limits!.DailyApiRequests = {
      Max: 100000,
      Remaining: 90000,
      HubSpot: { Max: 5000, Remaining: 0 },
      'Data Loader': { Max: 1000, Remaining: 0 },
    };
    const d = evaluateAccess(s);
    expect(onlyFinding(d, 'DailyApiRequests.HubSpot')).toMatchObject({
      severity: 'error',
      rule: 'connected-app-api-requests',
    });
    expect(findingsFor(d, 'DailyApiRequests.Data Loader')).toEqual([]);
    expect(d.limits.map((l) => l.name)).toContain('DailyApiRequests.Data Loader');
  });
});
