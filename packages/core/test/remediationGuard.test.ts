import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import {
  GRANTABLE_SYSTEM_PERMISSIONS,
  NEVER_GRANTED_SYSTEM_PERMISSIONS,
  planGrantRefusal,
  systemPermissionRefusal,
} from '../src/remediation/grantable.js';
import { planRemediation } from '../src/remediation/planRemediation.js';
import { DEFAULT_REQUIREMENTS, mergeRequirements } from '../src/requirements/defaults.js';
import { fixture, removeObjectRows } from './support.js';

describe('what a remediation plan may grant (grantable.ts)', () => {
  it('plans no View All, whatever the requirements ask: a manual step, as Modify All', () => {
    const s = fixture('healthy');
    removeObjectRows(s, 'Lead');
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [{ name: 'Lead', access: ['read', 'viewAll'] }],
      }),
    );
    const p = planRemediation(d);
    expect(p.objectPermissions.find((o) => o.sobjectType === 'Lead')).toMatchObject({
      read: true,
      viewAll: false,
      modifyAll: false,
    });
    expect(planGrantRefusal(p)).toBeNull();
    const steps = p.manualSteps.map((m) => `${m.subject}: ${m.step}`);
    expect(steps).toContainEqual(expect.stringMatching(/^Lead: .*never grants View All/));
  });

  it('plans a system permission off the grantable list as a manual step, so the plan stays appliable', () => {
    const s = fixture('healthy');
    for (const a of s.assignments ?? []) a.PermissionSet.PermissionsViewAllData = false;
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [],
        fields: [],
        permissionSets: [],
        systemPermissions: ['PermissionsViewAllData', 'PermissionsApiEnabled'],
      }),
    );
    expect(d.findings.some((f) => f.subject === 'PermissionsViewAllData')).toBe(true);
    const p = planRemediation(d);
    // Before: the plan asked View All Data, which both appliers refuse, so nothing could be applied.
    expect(p.systemPermissions).not.toContain('PermissionsViewAllData');
    expect(planGrantRefusal(p)).toBeNull();
    expect(p.manualSteps).toContainEqual(
      expect.objectContaining({
        subject: 'PermissionsViewAllData',
        step: expect.stringMatching(
          /^Sync Doctor does not grant "View All Data" \(it grants only API Enabled, Edit Tasks, Edit Events and View All Users\)/,
        ),
      }),
    );
  });

  it('refuses a hand-made plan asking View All, Modify All or a system permission off the list', () => {
    const row = { sobjectType: 'Account', read: true };
    expect(planGrantRefusal({ objectPermissions: [{ ...row, viewAll: true }] })).toBe(
      'Sync Doctor never grants View All on Account: grant it yourself if the integration user really needs it.',
    );
    expect(planGrantRefusal({ objectPermissions: [{ ...row, modifyAll: 'true' }] })).toMatch(
      'never grants Modify All on Account',
    );
    expect(
      planGrantRefusal({ objectPermissions: [], systemPermissions: ['PermissionsResetPasswords'] }),
    ).toMatch('grants only the system permissions');
    expect(systemPermissionRefusal('permissionsmodifyalldata')).toMatch(
      'never grants permissionsmodifyalldata',
    );
    expect(
      planGrantRefusal({
        objectPermissions: [{ ...row, viewAll: false, modifyAll: false }],
        systemPermissions: GRANTABLE_SYSTEM_PERMISSIONS.map((p) => p.toLowerCase()),
      }),
    ).toBeNull();
  });

  it('keeps the never-granted list off the grantable one', () => {
    const grantable = GRANTABLE_SYSTEM_PERMISSIONS.map((p) => p.toLowerCase());
    expect(
      NEVER_GRANTED_SYSTEM_PERMISSIONS.filter((p) => grantable.includes(p.toLowerCase())),
    ).toEqual([]);
  });
});
