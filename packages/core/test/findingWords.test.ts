/**
 * Findings in words an admin reads on the Findings card and in the CLI: what Sync Doctor did not
 * read is said as such (never "the snapshot"), with where Setup shows it; an object reached by many
 * lookups names a few, not thirty.
 */
import * as core from '../src/index.js';
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { HUBSPOT_MAPPINGS_PLACE } from '../src/diagnosis/hubspotPlaces.js';
import { SUSPENSION_REASONS } from '../src/reasons/catalog.js';
import { planRemediation } from '../src/remediation/planRemediation.js';
import { validateSnapshot } from '../src/snapshot/schema.js';
import { REASON_CODES } from '../src/reasons/codes.js';
import { checkSuspensionSteps } from '../src/relayed/suspensionSteps.js';
import { RULE_LABELS, reachedByShortText, reachedBySentence } from '../src/report/labels.js';
import { DEFAULT_REQUIREMENTS, mergeRequirements } from '../src/requirements/defaults.js';
import type { Snapshot } from '../src/snapshot/types.js';
import {
  FIXTURE_NAMES,
  HUBSPOT_SET,
  PROFILE_SET,
  assignSalesOpsGroup,
  fixture,
  onlyFinding,
} from './support.js';

describe('a required permission set perhaps inside a group', () => {
  function withGroupOnly(held?: { Id: string; Name: string; Label: string }[]): Snapshot {
    const s = fixture('healthy');
    s.assignments = s.assignments!.filter((a) => a.PermissionSetId !== HUBSPOT_SET);
    assignSalesOpsGroup(s, { held });
    return s;
  }
  const hubspotSet = {
    Id: '0PS000000000HsPAAA',
    Name: 'HubSpot_Integration_Permissions',
    Label: 'HubSpot Integration Permissions',
  };

  it("says the group's sets could not be read, and where Setup lists them", () => {
    const d = evaluateAccess(withGroupOnly());
    const finding = d.findings.find((f) => f.rule === 'required-permission-set')!;
    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain(
      "(unless it is part of the permission set group 'Sales Ops', whose sets could not be read: see Setup > Permission Set Groups > 'Sales Ops' > Permission Sets in Group).",
    );
    expect(finding.message).not.toMatch(/snapshot|does not read/i);
  });

  it('counts the set as assigned when the group holds it, and asks to assign nothing', () => {
    // The admin would otherwise assign a set the user already holds, and leave the muting be.
    const s = withGroupOnly([hubspotSet]);
    expect(validateSnapshot(s).ok).toBe(true);
    const d = evaluateAccess(s);
    expect(d.findings.filter((f) => f.rule === 'required-permission-set')).toEqual([]);
    expect(planRemediation(d).assignPermissionSets).toEqual([]);
    expect(d.grants?.find((g) => g.kind === 'permissionSet')).toMatchObject({
      granted: true,
      by: ['Permission set group: Sales Ops'],
    });
  });

  it('says plainly it is not assigned when the group was read and does not hold it', () => {
    const d = evaluateAccess(
      withGroupOnly([{ Id: '0PS000000000OthAAA', Name: 'Other', Label: 'Other' }]),
    );
    const finding = d.findings.find((f) => f.rule === 'required-permission-set')!;
    expect(finding.severity).toBe('error');
    expect(finding.message).not.toContain('unless');
  });
});

describe('no "snapshot" in what the object and user checks say', () => {
  it.each([...FIXTURE_NAMES])('%s', (name) => {
    const s = fixture(name);
    // Each way these checks have of saying what was not read.
    const variants: Snapshot[] = [
      s,
      { ...s, objectPermissions: undefined },
      { ...s, user: undefined },
      { ...s, assignments: s.assignments?.filter((a) => a.PermissionSetId !== PROFILE_SET) },
    ];
    for (const variant of variants)
      for (const f of evaluateAccess(variant).findings.filter((x) =>
        [
          'object-permissions',
          'lookup-target-read',
          'campaign-marketing-user',
          'required-permission-set',
          'profile-not-in-snapshot',
        ].includes(x.rule ?? ''),
      ))
        expect(`${f.message} ${f.remedy}`).not.toMatch(/\bsnapshot\b/i);
  });

  it("an object's note says Sync Doctor read no object permissions", () => {
    const s = fixture('healthy');
    delete s.objectPermissions;
    const d = evaluateAccess(s);
    expect(d.objects.map((o) => o.note)).toContain(
      'Not judged: Sync Doctor read no object permissions.',
    );
  });
});

describe('an object reached by many lookups', () => {
  const lookups = Array.from(
    { length: 30 },
    (_, i) => `Custom_Object_${String(i + 1).padStart(3, '0')}__c.Account__c`,
  );

  function manyLookups() {
    const s = fixture('lookup-to-unreadable-object');
    for (const name of lookups)
      (s.fields as Record<string, unknown>)[name] = {
        permissionable: true,
        calculated: false,
        nillable: true,
        type: 'reference',
        referenceTo: ['Account'],
      };
    const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
      fields: lookups.map((name) => ({ name, access: ['read'] })),
    });
    return evaluateAccess(s, requirements);
  }

  it('names the first three and how many more in the finding, not all thirty', () => {
    const d = manyLookups();
    const account = onlyFinding(d, 'Account');
    expect(account.message).toMatch(
      / through the lookups from Contact\.AccountId, Opportunity\.AccountId, Custom_Object_001__c\.Account__c and 29 more\.$/,
    );
    expect(account.message).not.toContain('Custom_Object_002__c');
    // The object keeps every source (the matrix shows them all on demand, --json lists them).
    expect(d.objects.find((o) => o.name === 'Account')!.reachedBy).toHaveLength(32);
  });

  it('names all of them up to four', () => {
    const four = ['lookup from A.X', 'lookup from B.X', 'lookup from C.X', 'lookup from D.X'];
    expect(reachedByShortText(four)).toBe('lookups from A.X, B.X, C.X and D.X');
    expect(reachedByShortText([...four, 'lookup from E.X'])).toBe(
      'lookups from A.X, B.X, C.X and 2 more',
    );
    // Each source once, whatever its spelling, before counting.
    expect(reachedByShortText([...four, 'lookup from d.x'])).toBe(
      'lookups from A.X, B.X, C.X and D.X',
    );
    expect(
      reachedByShortText(
        ['mapped field W.A', 'lookup from A.X', 'lookup from B.X', 'other', 'lookup from C.X'],
        ' and the ',
      ),
    ).toBe('mapped field W.A and the lookups from A.X, B.X and 2 more');
    expect(reachedBySentence('Account', four.concat('lookup from E.X'), true)).toBe(
      ' HubSpot also reaches Account through the lookups from A.X, B.X, C.X and 2 more.',
    );
    expect(reachedBySentence('Account', [])).toBe('');
  });
});

/**
 * An admin never took a snapshot nor ran a describe: what Sync Doctor could not read is said as
 * that, in every finding, note, suspension step and rule label, whichever part was not read.
 */
describe('no developer words in what was not read', () => {
  const JARGON = /\bsnapshot\b|\bcollect(or|ed)?\b|\bdescribed?\b|\bSOQL\b|\bsections?\b/i;

  function withoutEach(): [string, Snapshot][] {
    const s = fixture('healthy');
    const hiddenField = fixture('healthy');
    delete (hiddenField.fields as Record<string, unknown>)['Lead.Fax'];
    const noApi = fixture('healthy');
    delete (noApi.limits as Record<string, unknown>).DailyApiRequests;
    return [
      ['user', { ...s, user: undefined }],
      ['assignments', { ...s, assignments: undefined }],
      ['objectPermissions', { ...s, objectPermissions: undefined }],
      ['fieldPermissions', { ...s, fieldPermissions: undefined }],
      ['fields', { ...s, fields: undefined }],
      ['limits', { ...s, limits: undefined }],
      ['organization', { ...s, organization: undefined }],
      ['DailyApiRequests', noApi],
      ['a mapped field', hiddenField],
      [
        'the profile set',
        { ...s, assignments: s.assignments?.filter((a) => a.PermissionSetId !== PROFILE_SET) },
      ],
    ];
  }

  it.each(withoutEach())('without %s', (_, snapshot) => {
    const d = evaluateAccess(snapshot);
    const texts = [
      ...d.findings.flatMap((f) => [f.message, f.remedy]),
      ...d.fields.map((f) => f.note ?? ''),
      ...d.objects.map((o) => o.note ?? ''),
      ...REASON_CODES.flatMap((reason) => {
        const check = checkSuspensionSteps(reason, d);
        return [check.summary, ...check.steps.map((step) => step.evidence ?? '')];
      }),
    ];
    for (const text of texts) expect(text).not.toMatch(JARGON);
  });

  it('says which part Sync Doctor could not read, and to check again', () => {
    const s = fixture('healthy');
    const d = evaluateAccess({ ...s, assignments: undefined });
    const f = d.findings.find((x) => x.rule === 'section-absent' && x.subject === 'assignments')!;
    expect(f.message).toMatch(/^Sync Doctor read no permission set assignments: /);
    expect(f.remedy).toBe(
      'Check again as a user with "View Setup and Configuration": Sync Doctor needs it to read this.',
    );
  });

  it('labels the rules in words an admin reads (the ids stay)', () => {
    for (const label of Object.values(RULE_LABELS)) expect(label).not.toMatch(JARGON);
    expect(RULE_LABELS['section-absent']).toBe('Part of the org Sync Doctor could not read');
    expect(RULE_LABELS['profile-not-in-snapshot']).toBe("Profile's permissions not read");
  });
});

describe("HubSpot's places", () => {
  it('are named by the one constant per place, never by a menu path spelled by hand', () => {
    // "Connected apps > Salesforce, Sync Health tab" beside "Settings > Integrations > Connected
    // Apps > Salesforce > Sync Health > API calls used": one place, two paths.
    const texts: string[] = [];
    for (const name of FIXTURE_NAMES)
      for (const f of evaluateAccess(fixture(name)).findings) texts.push(f.message, f.remedy);
    for (const reason of Object.values(SUSPENSION_REASONS)) texts.push(JSON.stringify(reason));
    const s = fixture('healthy');
    s.fields!['Contact.Email']!.exists = false;
    for (const f of evaluateAccess(s).findings) texts.push(f.remedy);
    const all = texts.join('\n');
    expect(all).not.toContain('Settings > Integrations');
    expect(all).toContain(HUBSPOT_MAPPINGS_PLACE);
  });
});

describe('dates', () => {
  it("are formatted by the core's one function, exported for the cards and the CLI", () => {
    // Findings said "2026-11-30 18:48 UTC", the cards "Dec 1, 2026, 03:12 PM UTC".
    expect(core.minute('2026-12-01T15:12:00.000+0000')).toBe('2026-12-01 15:12 UTC');
  });
});

/** HubSpot's Sync Health tab heads the allocation "API calls used" ("Manage your Salesforce integration settings"). */
describe('where "Allocated to HubSpot" is set', () => {
  it('names the Sync Health tab\'s "API calls used" section, never the old "API call use"', () => {
    const labels = (['API_LIMIT_EXCEEDED', 'HUBSPOT_API_LIMIT_EXCEEDED'] as const).flatMap((r) =>
      SUSPENSION_REASONS[r].whereToLook.map((w) => w.label),
    );
    const allocation = labels.filter((l) => l.includes('"Allocated to HubSpot"'));
    expect(allocation.length).toBeGreaterThan(0);
    for (const label of allocation) {
      expect(label).toContain('API calls used, "Allocated to HubSpot"');
      expect(label).not.toMatch(/API call use\b/);
    }
  });
});
