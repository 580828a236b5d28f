/** Every fixture is valid, up to date with its builder, and diagnosed as the case it stands for. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { validateSnapshot } from '../src/snapshot/schema.js';
import {
  FIXTURES_DIR,
  FIXTURE_NAMES,
  field,
  fixture,
  findingsFor,
  object,
  onlyFinding,
} from './support.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const builder = require('./fixtures/build-fixtures.cjs') as {
  buildFixtures(): Record<string, unknown>;
  FIXTURE_NAMES: string[];
};

describe('fixture files', () => {
  it('are exactly what build-fixtures.cjs produces (run it after editing)', () => {
    const built = builder.buildFixtures();
    expect(Object.keys(built).sort()).toEqual([...FIXTURE_NAMES].sort());
    for (const name of FIXTURE_NAMES) {
      const onDisk = JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8'));
      expect({ name, snapshot: onDisk }).toEqual({ name, snapshot: built[name] });
    }
  });

  it.each(FIXTURE_NAMES)('%s passes the snapshot schema', (name) => {
    const result = validateSnapshot(fixture(name));
    expect(result).toMatchObject({ ok: true });
  });

  it('carry Salesforce record attributes', () => {
    const s = fixture('healthy');
    expect(s.user?.attributes?.type).toBe('User');
    expect(s.assignments?.[0]?.attributes?.type).toBe('PermissionSetAssignment');
    expect(s.objectPermissions?.[0]?.attributes?.type).toBe('ObjectPermissions');
  });
});

describe('evaluateAccess on the fixtures', () => {
  it('healthy: no findings, every required right granted, grantedBy names the sources', () => {
    const d = evaluateAccess(fixture('healthy'));
    expect(d.findings).toEqual([]);
    expect(d.verdict).toBe('healthy');
    expect(d.user).toEqual({
      id: '0055g00000HubSpUAAS',
      username: 'hubspot@acme.com',
      isActive: true,
    });
    for (const o of d.objects) {
      for (const right of o.required)
        expect({ object: o.name, right, granted: o.effective[right as 'read'] }).toEqual({
          object: o.name,
          right,
          granted: true,
        });
      expect(o.missing).toEqual([]);
    }
    expect(object(d, 'Contact').grantedBy).toEqual([
      'Permission set: HubSpot Integration Permissions',
    ]);
    expect(object(d, 'Task').grantedBy).toContain(
      'Permission set: HubSpot Integration Permissions',
    );
    expect(field(d, 'Contact.Email')).toMatchObject({
      effective: { read: true, edit: true },
      grantedBy: ['Permission set: HubSpot Integration Permissions'],
      hubspotProperty: 'email',
    });
    expect(d.limits.map((l) => l.name)).toEqual([
      'DailyApiRequests',
      'DataStorageMB',
      'FileStorageMB',
    ]);
    expect(d.limits[0]).toEqual({
      name: 'DailyApiRequests',
      used: 18000,
      max: 100000,
      ratio: 0.18,
    });
  });

  it('missing object edit: one error on Contact naming the missing right', () => {
    const d = evaluateAccess(fixture('missing-object-edit'));
    expect(d.verdict).toBe('blocked');
    const f = onlyFinding(d, 'Contact');
    expect(f).toMatchObject({
      reason: 'OBJECT_PERMISSIONS_MISSING',
      severity: 'error',
      rule: 'object-permissions',
    });
    expect(f.message).toContain("'hubspot@acme.com' cannot Edit Contact records");
    expect(f.remedy).toContain('Give the user Read and Edit on Contact');
    expect(f.remedy).toContain("'Sync Integration Extras'");
    expect(object(d, 'Contact').missing).toEqual(['edit']);
    expect(d.findings).toHaveLength(1);
  });

  it('expired assignment: the set grants nothing and the messages say why', () => {
    const d = evaluateAccess(fixture('expired-assignment'));
    expect(d.verdict).toBe('blocked');
    const required = onlyFinding(d, 'HubSpot Integration Permissions');
    expect(required).toMatchObject({ severity: 'error', rule: 'required-permission-set' });
    expect(required.message).toContain('expired on 2026-11-01');
    expect(object(d, 'Lead').effective.read).toBe(false);
    const lead = onlyFinding(d, 'Lead');
    expect(lead.message).toContain(
      'HubSpot Integration Permissions grants Read, Create and Edit, but its assignment expired on 2026-11-01',
    );
  });

  it('muted permission set group: the aggregate grants Read only and the message points at muting', () => {
    const d = evaluateAccess(fixture('muted-permission-set-group'));
    const f = onlyFinding(d, 'Opportunity');
    expect(f.severity).toBe('error');
    expect(f.message).toContain("Permission set group 'Sales Integration Group'");
    expect(f.message).toContain('muting');
    expect(object(d, 'Opportunity')).toMatchObject({
      effective: { read: true, create: false, edit: false },
      grantedBy: ['Permission set group: Sales Integration Group'],
      missing: ['create', 'edit'],
    });
  });

  it('Modify All Data only: objects fine, every permissionable field missing with the trap explained', () => {
    const d = evaluateAccess(fixture('modify-all-data-only'));
    expect(d.verdict).toBe('blocked');
    expect(d.findings.filter((f) => f.reason === 'OBJECT_PERMISSIONS_MISSING')).toEqual([]);
    expect(object(d, 'Contact').effective).toEqual({
      read: true,
      create: true,
      edit: true,
      delete: true,
      viewAll: true,
      modifyAll: true,
    });
    expect(object(d, 'Contact').grantedBy).toContain(
      'Profile: System Administrator (Modify All Data)',
    );
    const email = onlyFinding(d, 'Contact.Email');
    expect(email).toMatchObject({
      reason: 'FIELD_PERMISSIONS_MISSING',
      severity: 'error',
      rule: 'modify-all-data-grants-no-field-access',
    });
    expect(email.message).toContain(
      'Profile: System Administrator grants Modify All Data and View All Data, but those grant object access only',
    );
    // Non-permissionable fields follow the object, so Modify All Data is enough for them.
    expect(findingsFor(d, 'Contact.LastName')).toEqual([]);
    expect(field(d, 'Contact.LastName').effective).toEqual({ read: true, edit: true });
  });

  it('non-permissionable required fields: accessible through the object without any FieldPermissions row', () => {
    const s = fixture('non-permissionable-required-field');
    expect(s.fieldPermissions!.some((r) => r.Field === 'Lead.Company')).toBe(false);
    const d = evaluateAccess(s);
    expect(d.verdict).toBe('healthy');
    for (const name of [
      'Lead.Company',
      'Lead.Status',
      'Contact.LastName',
      'Account.Name',
      'Opportunity.StageName',
    ]) {
      expect(field(d, name)).toMatchObject({ effective: { read: true, edit: true }, missing: [] });
      expect(field(d, name).note).toContain('Not permissionable');
    }
  });

  it('read-only mapped field: an edit error on that field only', () => {
    const d = evaluateAccess(fixture('read-only-mapped-field'));
    expect(d.findings).toHaveLength(1);
    const f = onlyFinding(d, 'Contact.Email');
    expect(f).toMatchObject({
      reason: 'FIELD_PERMISSIONS_MISSING',
      severity: 'error',
      rule: 'field-level-security',
    });
    expect(f.message).toContain("cannot edit Contact.Email (mapped from HubSpot's 'email')");
    expect(field(d, 'Contact.Email')).toMatchObject({
      effective: { read: true, edit: false },
      missing: ['edit'],
    });
  });

  it('lookup to an unreadable object: object permissions missing on the related object, with reachedBy', () => {
    const d = evaluateAccess(fixture('lookup-to-unreadable-object'));
    const f = onlyFinding(d, 'Account');
    expect(f.reason).toBe('OBJECT_PERMISSIONS_MISSING');
    // Each source once, the lookups together: never 'lookup from X and lookup from Y'.
    expect(f.message).toContain(
      'reaches Account through the lookups from Contact.AccountId and Opportunity.AccountId.',
    );
    expect(object(d, 'Account').reachedBy).toEqual([
      'lookup from Contact.AccountId',
      'lookup from Opportunity.AccountId',
    ]);
    // The lookup field itself is readable; it just points at records the user cannot read.
    expect(findingsFor(d, 'Contact.AccountId')).toEqual([]);
  });

  it('API disabled: API_ACCESS_DISABLED on PermissionsApiEnabled', () => {
    const d = evaluateAccess(fixture('api-disabled'));
    expect(onlyFinding(d, 'PermissionsApiEnabled')).toMatchObject({
      reason: 'API_ACCESS_DISABLED',
      severity: 'error',
      rule: 'api-enabled',
    });
    expect(d.verdict).toBe('blocked');
  });

  it('limits exhausted: API_LIMIT_EXCEEDED error', () => {
    const d = evaluateAccess(fixture('limits-exhausted'));
    expect(onlyFinding(d, 'DailyApiRequests')).toMatchObject({
      reason: 'API_LIMIT_EXCEEDED',
      severity: 'error',
    });
    expect(d.limits[0]).toMatchObject({ used: 100000, max: 100000, ratio: 1 });
  });

  it('storage full: STORAGE_LIMIT_EXCEEDED error, used beyond max', () => {
    const d = evaluateAccess(fixture('storage-full'));
    expect(onlyFinding(d, 'DataStorageMB')).toMatchObject({
      reason: 'STORAGE_LIMIT_EXCEEDED',
      severity: 'error',
    });
    expect(d.limits.find((l) => l.name === 'DataStorageMB')).toMatchObject({
      used: 5132,
      max: 5120,
    });
  });

  it('inactive user: an API_ACCESS_DISABLED error on the user', () => {
    const d = evaluateAccess(fixture('inactive-user'));
    expect(onlyFinding(d, 'hubspot@acme.com')).toMatchObject({
      reason: 'API_ACCESS_DISABLED',
      cause: 'USER_INACTIVE',
      severity: 'error',
      rule: 'inactive-user',
    });
    expect(d.user?.isActive).toBe(false);
  });

  it('session-based set: a warning, and its Contact Edit is not counted', () => {
    const d = evaluateAccess(fixture('session-based-set'));
    const warning = onlyFinding(d, 'HubSpot Session Access');
    expect(warning).toMatchObject({ severity: 'warning', rule: 'session-based-permission-set' });
    const contact = onlyFinding(d, 'Contact');
    expect(contact.severity).toBe('error');
    expect(contact.message).toContain(
      'Permission set: HubSpot Session Access grants Edit, but it is session-based',
    );
    expect(object(d, 'Contact').grantedBy).not.toContain('Permission set: HubSpot Session Access');
  });
});
