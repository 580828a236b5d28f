/**
 * An inactive-owner group of HubSpot's exported sync errors (INACTIVE_OWNER_OR_USER): the owner
 * named, and whether the integration user may update records whose owner is inactive ("Update
 * Records with Inactive Owners"), read from its permission sets and never required.
 */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { syncErrorKindInfo } from '../src/relayed/syncErrorKinds.js';
import { inactiveOwnerId } from '../src/relayed/salesforceErrorText.js';
import { syncErrorGroupNow } from '../src/relayed/syncErrorsNow.js';
import { syncErrorsView } from '../src/relayed/syncErrorsText.js';
import { validateSnapshot } from '../src/snapshot/schema.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { fixture } from './support.js';

const COLUMN = 'PermissionsUpdateWithInactiveOwner';
const OWNER = {
  reason: null,
  errorType: 'Error',
  object: 'contact',
  field: null,
  example:
    'INACTIVE_OWNER_OR_USER: operation performed with inactive user [0055g00000AbCdEAAZ] as owner of contact',
};

/** The healthy org whose permission sets were read with the column: `grantedBy` the set granting it. */
function withColumn(grantedBy: string | null): Snapshot {
  const s = fixture('healthy');
  for (const a of s.assignments!)
    (a.PermissionSet as unknown as Record<string, unknown>)[COLUMN] =
      a.PermissionSet.Name === grantedBy;
  return s;
}

describe('an inactive-owner group', () => {
  it('names the inactive owner Salesforce names in its line, and the permission as the second way out', () => {
    const { kind, advice } = syncErrorKindInfo(OWNER);
    expect(kind).toBe('owner');
    expect(advice).toBe(
      'The records\' Salesforce owner is inactive: give them an active owner, or map the HubSpot owner to an active Salesforce user. Records that must keep their owner need the integration user to have "Update Records with Inactive Owners": turn on Setup > User Interface > \'Enable "Set Audit Fields upon Record Creation" and "Update Records with Inactive Owners" User Permissions\', then grant only that permission in a permission set assigned to the integration user (leave "Set Audit Fields upon Record Creation" off).',
    );
    expect(inactiveOwnerId(OWNER.example)).toBe('0055g00000AbCdEAAZ');
    const view = syncErrorsView({
      syncErrors: {
        receivedAt: '2026-12-01T09:30:00.000Z',
        rows: 2,
        groupsLeftOut: 0,
        groups: [{ ...OWNER, count: 2 }],
      },
      state: 'suspended',
    });
    expect(view!.lines[0]!.text).toBe('contact (owner 0055g00000AbCdEAAZ): Error, 2 rows');
  });

  it('the user lacks it: give the records an active owner, or turn the setting on and grant only it', () => {
    const d = evaluateAccess(withColumn(null));
    expect(d.sideGrants).toEqual([
      { kind: 'systemPermission', name: COLUMN, by: [], granted: false },
    ]);
    expect(syncErrorGroupNow(OWNER, d)).toEqual({
      ok: false,
      text: 'Now: the integration user lacks "Update Records with Inactive Owners".',
    });
  });

  it('never a finding: the verdict is the same whether the user has it or not', () => {
    const without = evaluateAccess(withColumn(null));
    const granted = evaluateAccess(withColumn('Sync_Integration_Extras'));
    expect(granted.findings).toEqual(without.findings);
    expect(granted.grants).toEqual(without.grants);
  });

  it('the user has it: these records only need a resync, and what it does not cover is said', () => {
    const d = evaluateAccess(withColumn('Sync_Integration_Extras'));
    expect(syncErrorGroupNow(OWNER, d)).toEqual({
      ok: true,
      text: 'Now: the integration user has "Update Records with Inactive Owners" (Permission set: Sync Integration Extras); resync these records. A record HubSpot creates still needs an active owner.',
    });
  });

  it('an org without the column: its User Interface setting is off, or the edition lacks it', () => {
    const s = fixture('healthy');
    s.absentPermissions = [COLUMN];
    expect(syncErrorGroupNow(OWNER, evaluateAccess(s))).toEqual({
      ok: false,
      text: 'Now: this org does not offer "Update Records with Inactive Owners": its User Interface setting is off (or the edition lacks it).',
    });
  });

  it('says nothing of an export from before the suspension was cleared, which asks nothing checked', () => {
    const view = syncErrorsView(
      {
        syncErrors: {
          receivedAt: '2026-12-01T09:30:00.000Z',
          rows: 2,
          groupsLeftOut: 0,
          groups: [{ ...OWNER, count: 2 }],
        },
        state: 'cleared',
        clearedAt: '2026-12-01T10:00:00.000Z',
      },
      { diagnosis: evaluateAccess(withColumn(null)) },
    );
    expect(view!.stale).toMatch(/^Exported before the suspension was cleared/);
    expect(view!.lines[0]!.now).toBeNull();
  });

  it('says nothing when the column was not read, nor of tasks, which the permission does not cover', () => {
    // An older snapshot: no permission set carries the column, and the org did not say it lacks it.
    const old = evaluateAccess(fixture('healthy'));
    expect(old.sideGrants).toEqual([{ kind: 'systemPermission', name: COLUMN, by: [] }]);
    expect(syncErrorGroupNow(OWNER, old)).toBeNull();
    for (const object of ['Task', 'calls', 'Meeting', 'email', 'Notes', 'Event'])
      expect(syncErrorGroupNow({ ...OWNER, object }, evaluateAccess(withColumn(null)))).toBeNull();
    // Nor does the advice offer it for activities.
    expect(syncErrorKindInfo({ ...OWNER, object: 'Task' }).advice).not.toContain(
      'Update Records with Inactive Owners',
    );
    // Assignments not read: nothing to say either.
    const unread = fixture('healthy');
    delete unread.assignments;
    expect(evaluateAccess(unread).sideGrants).toBeUndefined();
  });

  it('the snapshot schema takes the column as a boolean only', () => {
    expect(validateSnapshot(withColumn(null)).ok).toBe(true);
    const bad = withColumn(null);
    (bad.assignments![0]!.PermissionSet as unknown as Record<string, unknown>)[COLUMN] = 'yes';
    expect(validateSnapshot(bad)).toMatchObject({ ok: false });
  });
});
