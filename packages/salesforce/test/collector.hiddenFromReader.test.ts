/**
 * A collector connected as a user with fewer rights than an admin (the relay's own user: API
 * Enabled, Sync_Doctor_Relay and View Setup): Salesforce answers the describe of an object that user
 * may not read with NOT_FOUND and leaves the fields it may not see out of a describe, as it does
 * for what does not exist. The snapshot must say "hidden from the reader", not "absent", and the
 * core then warns that it could not check, instead of reporting the objects as deleted.
 */
import {
  DEFAULT_REQUIREMENTS,
  evaluateAccess,
  mergeRequirements,
  validateSnapshot,
  type Finding,
} from '@sync-doctor/core';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { connect } from '../src/connect.js';
import { jwtSimulatorForAll } from './simulator.js';

const clientId = '3MVG9SyncDoctor';
const EXISTENCE_ERRORS = ['object-does-not-exist', 'field-does-not-exist', 'field-not-in-describe'];

let sim: OrgSimulator;
const { privatePem: pem } = jwtSimulatorForAll(
  { fixture: 'healthy', clientId },
  (started) => (sim = started),
);
beforeEach(() => sim.useFixture('healthy'));

function permissionSetId(name: string): string {
  const set = sim.org.table('PermissionSet').find((r) => r.Name === name);
  expect(set).toBeDefined();
  return String(set!.Id);
}

function assign(userId: string, permissionSetName: string): void {
  sim.org.insert(
    'PermissionSetAssignment',
    {
      AssigneeId: userId,
      PermissionSetId: permissionSetId(permissionSetName),
      PermissionSetGroupId: null,
      ExpirationDate: null,
      IsActive: true,
    },
    '',
  );
}

/** The relay's user as the README sets it up: Sync_Doctor_Relay and Sync_Doctor_Relay_Access_Watch. */
async function asRelayUser() {
  assign(sim.relayUser.Id, 'Sync_Doctor_Relay_Access_Watch');
  return connect({
    kind: 'jwt',
    clientId,
    privateKey: pem,
    username: sim.relayUser.Username,
    loginUrl: sim.url,
  });
}

const errors = (findings: Finding[]) => findings.filter((f) => f.severity === 'error');

describe('a reader that may not see the mapped objects', () => {
  it('marks them hidden from the reader: no "does not exist" on a healthy org, warnings naming the reader', async () => {
    const conn = await asRelayUser();
    const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
    const { snapshot } = result;
    expect(validateSnapshot(JSON.parse(JSON.stringify(snapshot)))).toMatchObject({ ok: true });
    expect(snapshot.reader).toMatchObject({
      Id: sim.relayUser.Id,
      Username: sim.relayUser.Username,
    });
    for (const object of ['Contact', 'Lead', 'Account', 'Opportunity', 'Campaign'])
      expect(snapshot.objects?.[object]).toEqual({ exists: false, hiddenFromReader: true });
    expect(snapshot.fields?.['Contact.Email']).toMatchObject({ hiddenFromReader: true });
    // The schema knows both (SNAPSHOT_SCHEMA): the collector's types pass, a wrong one is refused.
    const copy = () => JSON.parse(JSON.stringify(snapshot)) as Record<string, unknown>;
    const tampered = copy();
    (tampered.objects as Record<string, Record<string, unknown>>).Contact!.hiddenFromReader =
      'true';
    expect(validateSnapshot(tampered)).toEqual({
      ok: false,
      path: 'objects.Contact.hiddenFromReader',
      message: 'expected boolean or null, got string',
    });
    const noUsername = copy();
    delete (noUsername.reader as Record<string, unknown>).Username;
    expect(validateSnapshot(noUsername)).toMatchObject({ ok: false, path: 'reader.Username' });

    const diagnosis = evaluateAccess(snapshot);
    expect(errors(diagnosis.findings)).toEqual([]);
    expect(diagnosis.findings.filter((f) => EXISTENCE_ERRORS.includes(f.rule ?? ''))).toEqual([]);
    const contact = diagnosis.findings.find(
      (f) => f.subject === 'Contact' && f.reason === 'FIELD_MAPPINGS_MISSING',
    );
    expect(contact).toMatchObject({ severity: 'warning', rule: 'section-absent' });
    expect(contact!.message).toContain(`'${sim.relayUser.Username}'`);
    expect(contact!.message).toContain('Could not check that Contact exists');
    expect(contact!.remedy).toContain(`Give '${sim.relayUser.Username}' Read on Contact`);
    // The integration user's rights were still judged from its permission sets.
    expect(diagnosis.objects.find((o) => o.name === 'Contact')).toMatchObject({
      effective: { read: true, edit: true },
    });
    expect(diagnosis.objects.find((o) => o.name === 'Contact')!.exists).toBeUndefined();
    // One request more than an admin's snapshot (the reader's identity) and one composite.
    expect(result.requests).toBe(5);
  });

  it('takes the reader from the caller when given: no identity request', async () => {
    const conn = await asRelayUser();
    const result = await collectSnapshot(conn, {
      user: sim.integrationUser.Username,
      reader: sim.relayUser.Username,
    });
    expect(result.snapshot.reader?.Username).toBe(sim.relayUser.Username);
    expect(result.requests).toBe(4);
    expect(errors(evaluateAccess(result.snapshot).findings)).toEqual([]);
  });

  it('an integration user that lost its rights is still an error when read by the relay', async () => {
    sim.useFixture('read-only-contacts');
    const conn = await asRelayUser();
    const { snapshot } = await collectSnapshot(conn, { user: sim.integrationUser.Username });
    const found = errors(evaluateAccess(snapshot).findings);
    expect(found.map((f) => f.subject)).toContain('Contact');
    expect(found.filter((f) => EXISTENCE_ERRORS.includes(f.rule ?? ''))).toEqual([]);
  });
});

describe('a reader that may read the object but not a mapped field', () => {
  it('warns that it could not check the field instead of calling it deleted', async () => {
    // The relay's user gets Read on Contact (not on its custom field) in a set of its own.
    const set = sim.org.insert(
      'PermissionSet',
      { Name: 'Relay_Reads_Contact', Label: 'Relay Reads Contact', IsOwnedByProfile: false },
      '',
    );
    sim.org.insert(
      'ObjectPermissions',
      {
        ParentId: set.Id,
        SobjectType: 'Contact',
        PermissionsRead: true,
        PermissionsCreate: false,
        PermissionsEdit: false,
        PermissionsDelete: false,
        PermissionsViewAllRecords: false,
        PermissionsModifyAllRecords: false,
      },
      '',
    );
    assign(sim.relayUser.Id, 'Relay_Reads_Contact');
    const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
      fields: [{ name: 'Contact.Email', access: ['read', 'edit'], hubspotProperty: 'email' }],
    });
    const conn = await asRelayUser();
    const { snapshot } = await collectSnapshot(conn, {
      user: sim.integrationUser.Username,
      requirements,
    });
    expect(snapshot.objects?.Contact).toMatchObject({ exists: true });
    expect(snapshot.fields?.['Contact.Email']).toMatchObject({
      exists: false,
      hiddenFromReader: true,
    });
    const diagnosis = evaluateAccess(snapshot, requirements);
    expect(errors(diagnosis.findings)).toEqual([]);
    expect(diagnosis.findings.find((f) => f.subject === 'Contact.Email')).toMatchObject({
      severity: 'warning',
      reason: 'FIELD_MAPPINGS_MISSING',
      rule: 'section-absent',
    });
  });
});

describe('an admin reader: absence is still evidence', () => {
  it('an object and a field that do not exist are errors, with no request more', async () => {
    const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
      objects: [{ name: 'Invoice__c', access: ['read'] }],
      fields: [{ name: 'Contact.Tier__c', access: ['read'] }],
    });
    const conn = await connect({
      kind: 'jwt',
      clientId,
      privateKey: pem,
      username: sim.adminUser.Username,
      loginUrl: sim.url,
    });
    const result = await collectSnapshot(conn, {
      user: sim.integrationUser.Username,
      requirements,
    });
    expect(result.snapshot.reader).toBeUndefined();
    expect(result.snapshot.objects?.Invoice__c).toEqual({ exists: false });
    expect(result.snapshot.fields?.['Contact.Tier__c']).not.toHaveProperty('hiddenFromReader');
    const rules = errors(evaluateAccess(result.snapshot, requirements).findings).map(
      (f) => `${f.subject}: ${f.rule}`,
    );
    expect(rules).toEqual(
      expect.arrayContaining([
        'Invoice__c: object-does-not-exist',
        'Contact.Tier__c: field-does-not-exist',
      ]),
    );
    expect(result.requests).toBe(3);
  });
});
