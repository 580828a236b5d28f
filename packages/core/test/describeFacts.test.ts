/**
 * The facts only the org's describe gives: custom master-detail masters, Person Accounts and a
 * field's createable/updateable. Each is optional: a snapshot without it is judged and planned as
 * before, which the "absent" cases check.
 */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { RULES } from '../src/diagnosis/rules.js';
import { objectGrantLines, planRemediation } from '../src/remediation/planRemediation.js';
import { DEFAULT_REQUIREMENTS, mergeRequirements } from '../src/requirements/defaults.js';
import { validateSnapshot } from '../src/snapshot/schema.js';
import type { Snapshot } from '../src/snapshot/types.js';
import {
  HUBSPOT_SET,
  field,
  fieldRow,
  findingsFor,
  fixture,
  object,
  objectRow,
  onlyFinding,
  removeObjectRows,
} from './support.js';

const healthy = (): Snapshot => fixture('healthy');

/** Invoice__c required at object level only (no fields), so only its describe can name its master. */
const withInvoice = mergeRequirements(DEFAULT_REQUIREMENTS, {
  objects: [{ name: 'Invoice__c', access: ['read', 'create', 'edit'] }],
});

describe('custom master-detail masters', () => {
  it('plan Read on the master, before the detail, for an object required without fields', () => {
    const s = healthy();
    s.objects = { Invoice__c: { exists: true, masterDetailParents: ['Account'] } };
    const d = evaluateAccess(s, withInvoice);
    expect(d.readDependencies).toEqual({ Invoice__c: ['Account'] });
    const p = planRemediation(d);
    expect(p.objectPermissions).toEqual([
      {
        sobjectType: 'Account',
        read: true,
        create: false,
        edit: false,
        delete: false,
        viewAll: false,
        modifyAll: false,
        requiredBy: ['Invoice__c'],
        saveWave: 0,
      },
      expect.objectContaining({
        sobjectType: 'Invoice__c',
        read: true,
        create: true,
        edit: true,
        saveWave: 1,
      }),
    ]);
    expect(objectGrantLines(p)[0]!.text).toBe(
      'Account: Read (already granted elsewhere; Salesforce needs it in the same permission set for the rights on Invoice__c)',
    );
  });

  it('follows a chain of masters, each saved before its detail', () => {
    const s = healthy();
    s.objects = {
      Invoice_Line__c: { exists: true, masterDetailParents: ['Invoice__c'] },
      Invoice__c: { exists: true, masterDetailParents: ['Project__c'] },
      Project__c: { exists: true, masterDetailParents: [] },
    };
    const req = mergeRequirements(DEFAULT_REQUIREMENTS, {
      objects: [{ name: 'Invoice_Line__c', access: ['read', 'create'] }],
    });
    const p = planRemediation(evaluateAccess(s, req));
    expect(p.objectPermissions.map((o) => [o.sobjectType, o.requiredBy, o.saveWave])).toEqual([
      ['Project__c', ['Invoice__c'], 0],
      ['Invoice__c', ['Invoice_Line__c'], 1],
      ['Invoice_Line__c', undefined, 2],
    ]);
  });

  it('a standard object keeps the fixed table: describe masters count for custom objects only', () => {
    const s = healthy();
    removeObjectRows(s, 'Lead');
    s.objectPermissions!.push(objectRow(HUBSPOT_SET, 'Lead', 'R'));
    s.objects = { Lead: { exists: true, masterDetailParents: ['Account'] } };
    const d = evaluateAccess(s);
    expect(d.readDependencies).toBeUndefined();
    expect(planRemediation(d).objectPermissions.map((o) => o.sobjectType)).toEqual(['Lead']);
  });

  it('without the fact (an older snapshot) the plan adds no master, as before', () => {
    const s = healthy();
    const d = evaluateAccess(s, withInvoice);
    expect(d.readDependencies).toBeUndefined();
    expect(planRemediation(d).objectPermissions.map((o) => o.sobjectType)).toEqual(['Invoice__c']);
  });
});

describe('Person Accounts', () => {
  it("plan Read on Contact for Account's rights when the org uses them", () => {
    const s = healthy();
    removeObjectRows(s, 'Account');
    s.objectPermissions!.push(objectRow(HUBSPOT_SET, 'Account', 'R'));
    s.objects = { Account: { exists: true, personAccounts: true } };
    const d = evaluateAccess(s);
    expect(d.readDependencies).toEqual({ Account: ['Contact'] });
    // Effective access is unchanged: Salesforce keeps the pair in each set, so nothing new is judged.
    expect(d.findings.map((f) => f.subject)).toEqual(['Account']);
    const p = planRemediation(d);
    expect(
      p.objectPermissions.map((o) => [o.sobjectType, o.read, o.edit, o.requiredBy, o.saveWave]),
    ).toEqual([
      ['Contact', true, false, ['Account'], 0],
      // Contact's Read needs Account's in turn, which the plan grants anyway: one wave for both.
      ['Account', true, true, ['Contact'], 0],
    ]);
    expect(objectGrantLines(p)[0]!.text).toBe(
      'Contact: Read (already granted elsewhere; Salesforce needs it in the same permission set for the rights on Account)',
    );
  });

  it('Contact and Account need each other: both planned, each required by the other', () => {
    const s = healthy();
    removeObjectRows(s, 'Contact');
    s.objectPermissions!.push(objectRow(HUBSPOT_SET, 'Contact', 'R'));
    s.objects = { Account: { exists: true, personAccounts: true } };
    const p = planRemediation(evaluateAccess(s));
    expect(p.objectPermissions.map((o) => [o.sobjectType, o.requiredBy, o.saveWave])).toEqual([
      ['Account', ['Contact'], 0],
      ['Contact', ['Account'], 0],
    ]);
  });

  it('an org without them (personAccounts false or absent) plans Account alone', () => {
    for (const objects of [{ Account: { exists: true, personAccounts: false } }, undefined]) {
      const s = healthy();
      removeObjectRows(s, 'Account');
      s.objectPermissions!.push(objectRow(HUBSPOT_SET, 'Account', 'R'));
      if (objects) s.objects = objects;
      const p = planRemediation(evaluateAccess(s));
      expect(p.objectPermissions.map((o) => o.sobjectType)).toEqual(['Account']);
    }
  });
});

describe('Edit on a field nobody can write', () => {
  const withCreatedDate = mergeRequirements(DEFAULT_REQUIREMENTS, {
    fields: [{ name: 'Contact.CreatedDate', access: ['read', 'edit'] }],
  });
  const systemField = (s: Snapshot): void => {
    s.fields!['Contact.CreatedDate'] = {
      exists: true,
      permissionable: false,
      calculated: false,
      type: 'datetime',
      createable: false,
      updateable: false,
    };
  };

  it('is a plain warning, not a missing grant, and the plan grants nothing for it', () => {
    const s = healthy();
    systemField(s);
    s.objects = { Contact: { exists: true, createable: true, updateable: true } };
    const d = evaluateAccess(s, withCreatedDate);
    const f = onlyFinding(d, 'Contact.CreatedDate');
    expect(f).toMatchObject({ severity: 'warning', rule: RULES.fieldNotWritable });
    expect(f.message).toContain('nobody can write it');
    expect(f.remedy).toContain('Require only Read on Contact.CreatedDate');
    expect(field(d, 'Contact.CreatedDate')).toMatchObject({
      required: ['read'],
      effective: { read: true, edit: false },
      missing: [],
    });
    expect(field(d, 'Contact.CreatedDate').note).toContain('Not writable by anyone');
    expect(d.verdict).toBe('at-risk');
    const p = planRemediation(d);
    expect(p.fieldPermissions).toEqual([]);
    expect(p.objectPermissions).toEqual([]);
    expect(p.manualSteps).toEqual([
      expect.objectContaining({ subject: 'Contact.CreatedDate', where: 'salesforce' }),
    ]);
  });

  it('asks no Edit of its object when nothing else needs it (the plan grants none)', () => {
    const s = healthy();
    s.fields!['Invoice__c.CreatedDate'] = {
      exists: true,
      permissionable: false,
      calculated: false,
      type: 'datetime',
      createable: false,
      updateable: false,
    };
    s.objects = { Invoice__c: { exists: true, createable: true, updateable: true } };
    s.objectPermissions!.push(objectRow(HUBSPOT_SET, 'Invoice__c', 'R'));
    const d = evaluateAccess(s, {
      objects: [],
      fields: [{ name: 'Invoice__c.CreatedDate', access: ['read', 'edit'] }],
      permissionSets: [],
      systemPermissions: [],
    });
    expect(object(d, 'Invoice__c')).toMatchObject({ required: ['read'], missing: [] });
    expect(findingsFor(d, 'Invoice__c')).toEqual([]);
    expect(onlyFinding(d, 'Invoice__c.CreatedDate').rule).toBe(RULES.fieldNotWritable);
    expect(planRemediation(d).objectPermissions).toEqual([]);
  });

  it('says nothing new without the facts, or when the describer could not write the object', () => {
    for (const objects of [
      undefined,
      { Contact: { exists: true, createable: false, updateable: false } },
    ]) {
      const s = healthy();
      systemField(s);
      if (objects) s.objects = objects;
      const d = evaluateAccess(s, withCreatedDate);
      expect(findingsFor(d, 'Contact.CreatedDate')).toEqual([]);
      // Judged by the object, as before: HubSpot's set edits Contact.
      expect(field(d, 'Contact.CreatedDate')).toMatchObject({
        required: ['read', 'edit'],
        effective: { read: true, edit: true },
      });
    }
  });

  it('trusts a false createable only when the describer may create, a false updateable only when it may edit', () => {
    // A describer with Create but not Edit on Contact reads updateable false on every field: that
    // says nothing about the field, so "nobody can write it" is not shown and Edit is judged as before.
    for (const rights of [
      { createable: true, updateable: false },
      { createable: false, updateable: true },
    ]) {
      const s = healthy();
      systemField(s);
      s.objects = { Contact: { exists: true, ...rights } };
      const d = evaluateAccess(s, withCreatedDate);
      expect(findingsFor(d, 'Contact.CreatedDate')).toEqual([]);
      expect(field(d, 'Contact.CreatedDate').required).toEqual(['read', 'edit']);
    }
  });

  it("a Person Account field follows Contact's field-level security: not judged unwritable", () => {
    // Account.PersonEmail has no FLS of its own (it is Contact.Email's), so its describe says what
    // the describer's Contact FLS allows, not what Salesforce allows anyone.
    for (const name of ['PersonEmail', 'Loyalty__pc']) {
      const s = healthy();
      s.fields![`Account.${name}`] = {
        exists: true,
        permissionable: false,
        calculated: false,
        createable: false,
        updateable: false,
      };
      s.objects = {
        Account: { exists: true, createable: true, updateable: true, personAccounts: true },
      };
      const req = mergeRequirements(DEFAULT_REQUIREMENTS, {
        fields: [{ name: `Account.${name}`, access: ['read', 'edit'] }],
      });
      const d = evaluateAccess(s, req);
      expect(
        findingsFor(d, `Account.${name}`).filter((f) => f.rule === RULES.fieldNotWritable),
      ).toEqual([]);
      expect(field(d, `Account.${name}`).required).toEqual(['read', 'edit']);
    }
  });

  it('a field with field-level security not writable for the describer is still judged by FLS', () => {
    const s = healthy();
    s.fields!['Contact.Rating__c'] = {
      exists: true,
      permissionable: true,
      calculated: false,
      createable: false,
      updateable: false,
    };
    s.fieldPermissions!.push(fieldRow(HUBSPOT_SET, 'Contact.Rating__c', true, false));
    s.objects = { Contact: { exists: true, createable: true, updateable: true } };
    const req = mergeRequirements(DEFAULT_REQUIREMENTS, {
      fields: [{ name: 'Contact.Rating__c', access: ['read', 'edit'] }],
    });
    const d = evaluateAccess(s, req);
    expect(onlyFinding(d, 'Contact.Rating__c').rule).toBe(RULES.fieldLevelSecurity);
    expect(planRemediation(d).fieldPermissions).toEqual([
      { field: 'Contact.Rating__c', sobjectType: 'Contact', read: true, edit: true },
    ]);
  });

  it('a calculated field keeps its own note and no finding', () => {
    const s = healthy();
    s.fields!['Contact.Score__c'] = {
      permissionable: false,
      calculated: true,
      createable: false,
      updateable: false,
    };
    s.objects = { Contact: { exists: true, createable: true, updateable: true } };
    const req = mergeRequirements(DEFAULT_REQUIREMENTS, {
      fields: [{ name: 'Contact.Score__c', access: ['read', 'edit'] }],
    });
    const d = evaluateAccess(s, req);
    expect(findingsFor(d, 'Contact.Score__c')).toEqual([]);
    expect(field(d, 'Contact.Score__c').note).toContain('Calculated');
  });
});

describe('snapshot schema', () => {
  it('accepts the new facts, and nulls for them', () => {
    const s = healthy();
    s.objects = {
      Invoice__c: { exists: true, masterDetailParents: ['Account'], createable: true },
      Account: { exists: true, personAccounts: true, updateable: null as unknown as boolean },
    };
    s.fields!['Contact.Email']!.createable = true;
    s.fields!['Contact.Email']!.updateable = false;
    expect(validateSnapshot(s)).toEqual({ ok: true, snapshot: s });
  });

  it('names a wrong type', () => {
    const s = healthy();
    s.objects = {
      Invoice__c: { exists: true, masterDetailParents: 'Account' as unknown as string[] },
    };
    expect(validateSnapshot(s)).toMatchObject({
      ok: false,
      path: 'objects.Invoice__c.masterDetailParents',
    });
  });
});
