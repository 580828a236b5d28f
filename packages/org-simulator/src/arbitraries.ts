/**
 * Generated fixture changes for property tests (fast-check), in the fixture files' format: pass
 * them as `changes` to startOrgSimulator or useFixture. For tests only: the simulator, the demo
 * and the benches never load this file (`@sync-doctor/org-simulator/arbitraries`), and fast-check
 * is an optional peer dependency.
 */
import { DEFAULT_REQUIREMENTS } from '@sync-doctor/core';
import fc from 'fast-check';
import type { FixtureChange } from './fixtures/model.js';

/** Where the integration user's rights come from in every fixture (base.json). */
const HOLDERS = [
  { permissionSet: 'HubSpot_Integration_Permissions' },
  { profile: 'HubSpot Integration User' },
] as const;
const SYNCED = ['Lead', 'Contact', 'Account', 'Opportunity', 'Campaign'] as const;
const MAPPED_FIELDS = DEFAULT_REQUIREMENTS.fields.map((f) => f.name);

/**
 * One admin's edit of the rights HubSpot needs, on the integration user's permission set or
 * profile: an object's rights set to some of Read, Create, Edit, Delete and View All (Read kept
 * when any other is, as Salesforce requires), so most edits take a right away; field-level security
 * of a mapped field, or of a whole object's fields, lowered to read or none; API Enabled, Edit
 * Tasks or View All Users taken off the profile. Every fixture has the names these use, so each
 * applies to any of them.
 */
export const rightsChange: fc.Arbitrary<FixtureChange> = fc.oneof(
  fc
    .record({
      holder: fc.constantFrom(...HOLDERS),
      object: fc.constantFrom(...SYNCED),
      rights: fc.subarray(['create', 'edit', 'delete', 'viewAll'] as const),
      read: fc.boolean(),
    })
    .map(({ holder, object, rights, read }) => ({
      op: 'setObjectAccess' as const,
      ...holder,
      object,
      access: read || rights.length ? ['read' as const, ...rights] : [],
    })),
  fc
    .record({
      holder: fc.constantFrom(...HOLDERS),
      field: fc.constantFrom(...MAPPED_FIELDS, ...SYNCED, 'Task', 'User'),
      access: fc.constantFrom('read' as const, 'none' as const),
    })
    .map(({ holder, field, access }) => ({
      op: 'setFieldAccess' as const,
      ...holder,
      field,
      access,
    })),
  fc
    .constantFrom('PermissionsApiEnabled', 'PermissionsEditTask', 'PermissionsViewAllUsers')
    .map((permission) => ({
      op: 'setSystemPermission' as const,
      profile: 'HubSpot Integration User',
      permission,
      value: false,
    })),
);

/**
 * A rights change, or what else makes HubSpot suspend: a limit used up to 120% of its maximum,
 * the integration user deactivated or frozen.
 */
export const orgChange: fc.Arbitrary<FixtureChange> = fc.oneof(
  { weight: 3, arbitrary: rightsChange },
  {
    weight: 1,
    arbitrary: fc
      .record({
        name: fc.constantFrom('DailyApiRequests', 'DataStorageMB', 'FileStorageMB'),
        permille: fc.integer({ min: 0, max: 1200 }),
      })
      .map(({ name, permille }) => ({ op: 'setLimit' as const, name, used: permille, max: 1000 })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<FixtureChange>(
      { op: 'setUser', user: 'integration', values: { IsActive: false } },
      { op: 'freezeUser', user: 'integration' },
    ),
  },
);
