import {
  PERMISSION_SET_FIELDS,
  SNAPSHOT_SCHEMA,
  validateSnapshot,
} from '../src/snapshot/schema.js';
import { parseSalesforceDateTime } from '../src/snapshot/jsonSchema.js';
import { fixture } from './support.js';

/** The healthy fixture as an untyped JSON tree, to break it in ways the types forbid. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const loose = (): Json => fixture('healthy') as unknown as Json;

function invalid(value: unknown) {
  const result = validateSnapshot(value);
  if (result.ok) throw new Error('expected the snapshot to be rejected');
  return `${result.path}: ${result.message}`;
}

describe('validateSnapshot', () => {
  it('accepts a minimal snapshot and returns it', () => {
    const value = { capturedAt: '2026-11-28T12:00:00Z' };
    expect(validateSnapshot(value)).toEqual({ ok: true, snapshot: value });
  });

  it('accepts the reader and what was hidden from it, as the collector writes them', () => {
    const s = loose();
    s.reader = { Id: '0055g00000RelayAAA', Username: 'relay@acme.com', Name: 'Relay' };
    s.objects = { Contact: { exists: false, hiddenFromReader: true } };
    s.fields['Contact.Email'] = {
      exists: false,
      permissionable: false,
      calculated: false,
      hiddenFromReader: true,
    };
    expect(validateSnapshot(s).ok).toBe(true);
    // Apex writes an unset section as null, and a describe it could see whole as false.
    s.reader = null;
    s.objects.Contact.hiddenFromReader = false;
    expect(validateSnapshot(s).ok).toBe(true);
  });

  it('refuses a malformed reader or hiddenFromReader, naming where, rather than judge from it', () => {
    const s = loose();
    s.objects = { Contact: { exists: false, hiddenFromReader: 'yes' } };
    expect(invalid(s)).toBe(
      'objects.Contact.hiddenFromReader: expected boolean or null, got string',
    );
    const f = loose();
    f.fields['Contact.Email'].hiddenFromReader = 1;
    expect(invalid(f)).toBe(
      'fields["Contact.Email"].hiddenFromReader: expected boolean or null, got integer',
    );
    const r = loose();
    r.reader = 'relay@acme.com';
    expect(invalid(r)).toBe('reader: expected object or null, got string');
    r.reader = { Id: '0055g00000RelayAAA' };
    expect(invalid(r)).toMatch(/^reader(\.Username)?: /);
    r.reader = { Username: 42 };
    expect(invalid(r)).toBe('reader.Username: expected string, got integer');
  });

  it('accepts Salesforce shapes: attributes, nulls, extra fields, Apex date format', () => {
    const s = loose();
    s.assignments[0].ExpirationDate = '2027-01-01T00:00:00.000+0000';
    s.assignments[0].PermissionSet.PermissionsCustomizeApplication = true;
    s.assignments[0].SystemModstamp = '2026-01-01T00:00:00.000+0000';
    s.user.Profile = null;
    s.organization.DefaultCaseAccess = null;
    s.fields['Contact.Email'].referenceTo = null;
    s.somethingNew = { a: 1 };
    expect(validateSnapshot(s).ok).toBe(true);
  });

  it("checks a group's muting permission sets when read, and accepts snapshots without them", () => {
    const s = loose();
    const group = {
      Id: '0PG000000000001AAA',
      MasterLabel: 'Sales Ops',
      MutingPermissionSets: [
        { Id: '0QM000000000001AAA', DeveloperName: 'HubSpot_Mutes', MasterLabel: 'HubSpot Mutes' },
      ],
    };
    s.assignments[0].PermissionSetGroup = group;
    expect(validateSnapshot(s).ok).toBe(true);
    group.MutingPermissionSets = null as never;
    expect(validateSnapshot(s).ok).toBe(true);
    delete (group as Json).MutingPermissionSets;
    expect(validateSnapshot(s).ok).toBe(true);
    (group as Json).MutingPermissionSets = [{ DeveloperName: 'HubSpot_Mutes' }];
    expect(invalid(s)).toBe(
      'assignments[0].PermissionSetGroup.MutingPermissionSets[0].Id: is required (string)',
    );
    (group as Json).MutingPermissionSets = { Id: '0QM000000000001AAA' };
    expect(invalid(s)).toMatch(
      /^assignments\[0\]\.PermissionSetGroup\.MutingPermissionSets: expected array or null/,
    );
  });

  it('names the first bad path inside arrays and nested records', () => {
    const s = loose();
    s.assignments[2].PermissionSet.Name = 42;
    expect(invalid(s)).toBe('assignments[2].PermissionSet.Name: expected string, got integer');
  });

  it('reports a missing required key', () => {
    const s = loose();
    delete s.objectPermissions[3].PermissionsEdit;
    expect(invalid(s)).toBe('objectPermissions[3].PermissionsEdit: is required (boolean)');
  });

  it('checks field describes and limits keyed by name', () => {
    const s = loose();
    s.fields['Contact.Email'].permissionable = 'yes';
    expect(invalid(s)).toBe('fields["Contact.Email"].permissionable: expected boolean, got string');
    const t = loose();
    t.limits.DailyApiRequests.HubSpot = { Max: 'lots', Remaining: 1 };
    expect(invalid(t)).toBe('limits.DailyApiRequests.HubSpot.Max: expected number, got string');
  });

  it('checks object existence and absent permissions', () => {
    const s = loose();
    s.objects = { Invoice__c: { exists: false }, Lead: { exists: true } };
    s.absentPermissions = ['PermissionsEditTask'];
    expect(validateSnapshot(s).ok).toBe(true);
    s.objects.Invoice__c = { exists: 'no' };
    expect(invalid(s)).toBe('objects.Invoice__c.exists: expected boolean, got string');
    const t = loose();
    t.absentPermissions = [42];
    expect(invalid(t)).toBe('absentPermissions[0]: expected string, got integer');
  });

  it('rejects non-objects, bad dates and wrong section types', () => {
    expect(invalid(null)).toBe('(root): expected object, got null');
    expect(invalid([])).toBe('(root): expected object, got array');
    expect(invalid({})).toBe('capturedAt: is required (string)');
    expect(invalid({ capturedAt: 'yesterday' })).toBe('capturedAt: expected an ISO 8601 date-time');
    expect(invalid({ capturedAt: '2026-11-28T12:00:00Z', assignments: {} })).toBe(
      'assignments: expected array or null, got object',
    );
    expect(invalid({ capturedAt: '2026-11-28T12:00:00Z', schemaVersion: 2 })).toBe(
      'schemaVersion: expected one of 1',
    );
  });

  it('accepts null sections (Apex serializes unset members as null)', () => {
    expect(
      validateSnapshot({
        capturedAt: '2026-11-28T12:00:00Z',
        limits: null,
        user: null,
        fields: null,
      }).ok,
    ).toBe(true);
  });

  it('is a plain JSON Schema document (serializable, no functions)', () => {
    const text = JSON.stringify(SNAPSHOT_SCHEMA);
    expect(JSON.parse(text)).toEqual(SNAPSHOT_SCHEMA);
    expect(text).toContain('"PermissionSetId"');
  });
});

describe('parseSalesforceDateTime', () => {
  it('reads ISO and Salesforce offsets without a colon alike', () => {
    expect(parseSalesforceDateTime('2026-01-31T10:00:00.000+0000')).toBe(Date.UTC(2026, 0, 31, 10));
    expect(parseSalesforceDateTime('2026-01-31T12:00:00.000+0200')).toBe(Date.UTC(2026, 0, 31, 10));
    expect(parseSalesforceDateTime('2026-01-31T10:00:00Z')).toBe(Date.UTC(2026, 0, 31, 10));
    expect(Number.isNaN(parseSalesforceDateTime('soon'))).toBe(true);
  });
});

describe('PERMISSION_SET_FIELDS', () => {
  it('lists every Permissions* column the schema knows, so collectors select what the rules read', () => {
    const schemaColumns = Object.keys(
      (SNAPSHOT_SCHEMA.properties!.assignments!.items!.properties!.PermissionSet!.properties ??
        {}) as object,
    ).filter((k) => k.startsWith('Permissions'));
    expect([...PERMISSION_SET_FIELDS].filter((k) => k.startsWith('Permissions')).sort()).toEqual(
      schemaColumns.sort(),
    );
  });
});
