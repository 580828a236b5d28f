/**
 * Field-level security binds admins too: "Users with View All Data (or Modify All Data) permission
 * ... must still be assigned field permissions" (Salesforce Help, "'View All' and 'Modify All'
 * Permissions Overview"). An admin whose profile hides a mapped field gets a describe without it,
 * as any user does. The snapshot must say the field was hidden from the reader, not that it does
 * not exist, when the integration user's own permission sets show it (FieldPermissions rows exist
 * only for fields that do): the sync is not blocked by a field the admin merely cannot see.
 */
import {
  DEFAULT_REQUIREMENTS,
  evaluateAccess,
  mergeRequirements,
  validateSnapshot,
  type Finding,
} from '@sync-doctor/core';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import { collectSnapshot, type CollectOptions } from '../src/collect/collectSnapshot.js';
import { connect } from '../src/connect.js';
import { jwtSimulatorForAll } from './simulator.js';

const clientId = '3MVG9SyncDoctor';
const EXISTENCE_ERRORS = ['object-does-not-exist', 'field-does-not-exist', 'field-not-in-describe'];

let sim: OrgSimulator;
const { privatePem: pem } = jwtSimulatorForAll(
  {
    fixture: 'healthy',
    clientId,
    changes: [
      {
        op: 'setFieldAccess',
        profile: 'System Administrator',
        field: 'Contact.Email',
        access: 'none',
      },
    ],
  },
  (started) => (sim = started),
);

const asAdmin = () =>
  connect({
    kind: 'jwt',
    clientId,
    privateKey: pem,
    username: sim.adminUser.Username,
    loginUrl: sim.url,
  });

const errors = (findings: Finding[]) => findings.filter((f) => f.severity === 'error');
const about = (findings: Finding[], subject: string) =>
  findings.filter((f) => f.subject === subject);

/** Contact.Email, which the fixture's HubSpot permission set gives Edit on, is mapped. */
const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
  fields: [{ name: 'Contact.Email', access: ['read', 'edit'], hubspotProperty: 'email' }],
});

async function collectAsAdmin(options: Partial<CollectOptions> = {}) {
  const conn = await asAdmin();
  return collectSnapshot(conn, {
    user: sim.integrationUser.Username,
    requirements,
    ...options,
  });
}

function expectHiddenNotAbsent(snapshot: Awaited<ReturnType<typeof collectAsAdmin>>['snapshot']) {
  expect(validateSnapshot(JSON.parse(JSON.stringify(snapshot)))).toMatchObject({ ok: true });
  // The admin reads every object: Contact is there, only its Email was left out of the describe.
  expect(snapshot.objects?.Contact).toMatchObject({ exists: true });
  expect(snapshot.objects?.Contact).not.toHaveProperty('hiddenFromReader');
  expect(snapshot.fields?.['Contact.Email']).toMatchObject({
    exists: false,
    hiddenFromReader: true,
  });
  expect(snapshot.reader).toMatchObject({
    Id: sim.adminUser.Id,
    Username: sim.adminUser.Username,
  });
  // The integration user's own grant is still in the snapshot, and judged.
  expect(snapshot.fieldPermissions?.some((r) => r.Field === 'Contact.Email')).toBe(true);

  const diagnosis = evaluateAccess(snapshot, requirements);
  expect(diagnosis.verdict).not.toBe('blocked');
  expect(errors(diagnosis.findings)).toEqual([]);
  const email = about(diagnosis.findings, 'Contact.Email');
  expect(email.filter((f) => EXISTENCE_ERRORS.includes(f.rule ?? ''))).toEqual([]);
  expect(email.map((f) => f.message).join('\n')).not.toContain('does not exist');
  expect(email).toEqual([
    expect.objectContaining({
      severity: 'warning',
      reason: 'FIELD_MAPPINGS_MISSING',
      rule: 'section-absent',
      message: expect.stringContaining(`'${sim.adminUser.Username}'`),
    }),
  ]);
  expect(diagnosis.fields.find((f) => f.name === 'Contact.Email')).toMatchObject({
    effective: { read: true, edit: true },
  });
}

describe('an admin (Modify All Data) whose field-level security hides a mapped field', () => {
  it('the simulator hides it from the admin: the describe leaves it out', async () => {
    const conn = await asAdmin();
    const described = (await conn.request(
      `/services/data/v${conn.version}/sobjects/Contact/describe`,
    )) as { fields: { name: string }[] };
    expect(described.fields.map((f) => f.name)).not.toContain('Email');
    expect(described.fields.map((f) => f.name)).toContain('Phone');
  });

  it('marks it hidden from the admin, not absent: no "does not exist", not blocked; one request more', async () => {
    const result = await collectAsAdmin();
    expectHiddenNotAbsent(result.snapshot);
    // The admin's snapshot takes 3 requests; who the admin is (its OAuth identity) is the one more.
    expect(result.requests).toBe(4);
  });

  it('names the admin from the reader the caller gives (one query instead of the identity)', async () => {
    const result = await collectAsAdmin({ reader: sim.adminUser.Username });
    expectHiddenNotAbsent(result.snapshot);
    expect(result.requests).toBe(4);
  });

  it('without the optional sections (its Modify All Data unread) the reader access composite says the same', async () => {
    const result = await collectAsAdmin({ loginHistory: false, connectedApps: false });
    expectHiddenNotAbsent(result.snapshot);
  });

  it('a mapped field that does not exist is still an error beside it', async () => {
    const withMissing = mergeRequirements(requirements, {
      fields: [{ name: 'Contact.Tier__c', access: ['read'] }],
    });
    for (const options of [{}, { loginHistory: false, connectedApps: false }]) {
      const conn = await asAdmin();
      const { snapshot } = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements: withMissing,
        ...options,
      });
      expect(snapshot.fields?.['Contact.Email']).toMatchObject({
        exists: false,
        hiddenFromReader: true,
      });
      expect(snapshot.fields?.['Contact.Tier__c']).toMatchObject({ exists: false });
      expect(snapshot.fields?.['Contact.Tier__c']).not.toHaveProperty('hiddenFromReader');
      const found = errors(evaluateAccess(snapshot, withMissing).findings);
      expect(found.map((f) => `${f.subject}: ${f.rule}`)).toEqual([
        'Contact.Tier__c: field-does-not-exist',
      ]);
    }
  });
});
