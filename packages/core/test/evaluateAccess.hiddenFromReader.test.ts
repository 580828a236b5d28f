/**
 * Objects and fields hidden from the user who read the org (the relay's own user reads with fewer
 * rights than an admin): Salesforce answers them as absent, so the collector marks them
 * `hiddenFromReader` and the diagnosis must warn that it could not check them, never report them
 * as deleted. Absence read by a user who could have seen (no `hiddenFromReader`) stays an error.
 */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { DEFAULT_REQUIREMENTS, mergeRequirements } from '../src/requirements/defaults.js';
import { checkSuspensionSteps } from '../src/relayed/suspensionSteps.js';
import { validateSnapshot } from '../src/snapshot/schema.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { field, fixture, object, onlyFinding, removeFieldRows } from './support.js';

const READER = { Id: '005000000000RLYAAA', Username: 'relay@acme.example' };

/** The healthy snapshot as the relay's user reads it: Contact (and its fields) hidden from it. */
function readByRelay(): Snapshot {
  const s = fixture('healthy');
  s.reader = { ...READER };
  s.objects = { ...s.objects, Contact: { exists: false, hiddenFromReader: true } };
  for (const name of Object.keys(s.fields!))
    if (name.startsWith('Contact.'))
      s.fields![name] = {
        exists: false,
        permissionable: false,
        calculated: false,
        hiddenFromReader: true,
      };
  return s;
}

describe('an object hidden from the reader', () => {
  it('is a warning naming the reader and what to grant, not "does not exist"', () => {
    const s = readByRelay();
    expect(validateSnapshot(JSON.parse(JSON.stringify(s)))).toMatchObject({ ok: true });
    const d = evaluateAccess(s);
    expect(d.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(d.findings.filter((f) => f.rule === 'object-does-not-exist')).toEqual([]);
    const f = d.findings.find((x) => x.subject === 'Contact' && x.rule === 'section-absent');
    expect(f).toMatchObject({ severity: 'warning', reason: 'FIELD_MAPPINGS_MISSING' });
    expect(f!.message).toContain(
      "'relay@acme.example', the user who read the org, may not read Contact",
    );
    expect(f!.remedy).toContain("Give 'relay@acme.example' Read on Contact");
    // The integration user's own rights on it are judged as ever.
    expect(object(d, 'Contact')).toMatchObject({ effective: { read: true, edit: true } });
    expect(object(d, 'Contact').exists).toBeUndefined();
    expect(field(d, 'Contact.Email').exists).toBeUndefined();
    expect(d.verdict).toBe('at-risk');
  });

  it('still reports the integration user missing rights on it as errors', () => {
    const s = readByRelay();
    s.objectPermissions = s.objectPermissions!.filter((r) => r.SobjectType !== 'Contact');
    const d = evaluateAccess(s);
    expect(d.findings.some((f) => f.severity === 'error' && f.subject === 'Contact')).toBe(true);
  });

  it('a field without rows of the integration user on a hidden object is not judged, once per object', () => {
    const s = readByRelay();
    removeFieldRows(s, 'Contact.Email');
    const d = evaluateAccess(s);
    expect(d.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const f = d.findings.find((x) => x.reason === 'FIELD_PERMISSIONS_MISSING');
    expect(f).toMatchObject({ severity: 'warning', rule: 'section-absent' });
    expect(f!.message).toContain('Contact.Email');
    expect(field(d, 'Contact.Email').missing).toBeUndefined();
  });

  it('suspension steps say the existence was not checked rather than done', () => {
    const d = evaluateAccess(readByRelay());
    // The catalog's second step: whether the mapped objects and fields exist in the org.
    const exists = checkSuspensionSteps('FIELD_MAPPINGS_MISSING', d).steps[1]!;
    expect(exists).toMatchObject({ status: 'unknown' });
    expect(exists.evidence).toContain('Contact');
  });
});

describe('a field hidden from the reader', () => {
  it('is a warning that it could not be checked, where a deleted field is an error', () => {
    const s = fixture('healthy');
    s.reader = { ...READER };
    s.fields!['Contact.Title'] = {
      exists: false,
      permissionable: false,
      calculated: false,
      hiddenFromReader: true,
    };
    const d = evaluateAccess(s);
    expect(d.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(onlyFinding(d, 'Contact.Title')).toMatchObject({
      severity: 'warning',
      reason: 'FIELD_MAPPINGS_MISSING',
      rule: 'section-absent',
    });
    expect(onlyFinding(d, 'Contact.Title').message).toContain("'relay@acme.example'");

    const deleted = fixture('healthy');
    deleted.fields!['Contact.Title'] = { ...deleted.fields!['Contact.Title']!, exists: false };
    expect(onlyFinding(evaluateAccess(deleted), 'Contact.Title')).toMatchObject({
      severity: 'error',
      rule: 'field-does-not-exist',
    });
  });
});

describe('absence read by a reader who could see', () => {
  it('an object that does not exist is still an error', () => {
    const s = fixture('healthy');
    s.objects = { Nope__c: { exists: false } };
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [{ name: 'Nope__c', access: ['read'] }],
      }),
    );
    expect(onlyFinding(d, 'Nope__c')).toMatchObject({
      severity: 'error',
      rule: 'object-does-not-exist',
    });
  });
});
