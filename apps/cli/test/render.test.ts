import {
  renderConnectedAppNotRead,
  renderDiagnosis,
  renderFailingFields,
  renderLimits,
  renderLogins,
  renderObjects,
  whatIsWrong,
  MAX_FINDINGS_PER_GROUP,
  type CheckContext,
} from '../src/render/diagnosis.js';
import { renderTable, wrapText } from '../src/render/table.js';
import { colourWanted, createStyle, stripAnsi, visibleLength } from '../src/render/style.js';
import { renderFailure, summarizeFailure } from '../src/render/failure.js';
import { renderExplanation } from '../src/render/explain.js';
import { RELAYED_SECTION } from '../src/render/relayed.js';
import {
  CONNECTED_APPS_NOT_READ_MESSAGE,
  LOGINS_NOT_READ_MESSAGE,
  SUSPENSION_REASONS,
  verdictSentence,
  type Diagnosis,
  type Finding,
  type ObjectResult,
} from '@sync-doctor/core';
import { readOnlyContactsDiagnosis } from './support.js';

const plain = createStyle(false);
const colour = createStyle(true);

describe('colour decision', () => {
  it('colours a TTY unless NO_COLOR is set; FORCE_COLOR forces it', () => {
    expect(colourWanted({ isTTY: true }, {})).toBe(true);
    expect(colourWanted({ isTTY: false }, {})).toBe(false);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colourWanted({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourWanted({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  it("FORCE_COLOR=0 or false turns colour off, even at a terminal, as in Node's own output", () => {
    for (const off of ['0', 'false'])
      for (const isTTY of [true, false])
        expect(colourWanted({ isTTY }, { FORCE_COLOR: off })).toBe(false);
    for (const on of ['1', 'true', '2', '3'])
      expect(colourWanted({ isTTY: false }, { FORCE_COLOR: on })).toBe(true);
  });

  it('writes no escape codes when colour is off', () => {
    const text = renderDiagnosis(readOnlyContactsDiagnosis(), {}, { style: plain, width: 100 });
    expect(text).not.toMatch(/\u001b\[/);
    const coloured = renderDiagnosis(
      readOnlyContactsDiagnosis(),
      {},
      { style: colour, width: 100 },
    );
    expect(coloured).toMatch(/\u001b\[31m/);
    expect(stripAnsi(coloured)).toBe(text);
  });
});

describe('tables', () => {
  it('aligns columns and wraps the last one to the width', () => {
    const table = renderTable(
      ['Name', 'Note'],
      [
        ['a', 'short'],
        ['longer name', 'word '.repeat(30).trim()],
      ],
      { width: 50 },
    );
    const lines = table.split('\n');
    expect(lines[0]).toBe('  Name         Note');
    expect(lines[1]).toBe('  a            short');
    for (const line of lines) expect(visibleLength(line)).toBeLessThanOrEqual(50);
    expect(lines.length).toBeGreaterThan(3);
    expect(
      lines.slice(2).every((l) => l.startsWith('  longer name  ') || l.startsWith(' '.repeat(15))),
    ).toBe(true);
  });

  it('wraps at spaces and cuts words longer than a line', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('x'.repeat(10), 4)).toEqual(['xxxx', 'xxxx', 'xx']);
  });
});

describe('diagnosis report', () => {
  const text = renderDiagnosis(
    readOnlyContactsDiagnosis(),
    {
      snapshot: {
        capturedAt: '2026-11-28T00:00:00Z',
        user: {
          Id: '005000000000001AAA',
          Username: 'hubspot@acme.com',
          Name: 'HubSpot Integration',
          IsActive: true,
        },
        organization: { Id: '00D000000000001AAA', Name: 'Acme', InstanceName: 'NA42' },
      },
      requests: 2,
      apiUsage: { used: 12000, max: 15000 },
      source: 'the demo fixture',
    },
    { style: plain, width: 100 },
  );

  it('says what is wrong right under the verdict, before the tables, and where the remedies are', () => {
    const lines = text.split('\n');
    const verdict = lines.indexOf('Verdict: BLOCKED  1 error, 1 warning, 0 notes');
    // A risk is headed by what it forecasts (the core's risk title, dd4a16d), wrapped at 100.
    // First the core's verdict sentence (the app's), which already says the fixes are below.
    expect(lines.slice(verdict + 1, verdict + 6)).toEqual([
      '  HubSpot cannot sync: Salesforce object permissions missing. Fix it below.',
      '  ✗ Salesforce object permissions missing: Contact',
      "  ! At risk: Salesforce org API limit nearly reached (HubSpot's reason if it suspends: Salesforce",
      '    org API limit exceeded): API requests, last 24 hours (whole org)',
      '',
    ]);
    expect(text.indexOf('Salesforce object permissions missing: Contact')).toBeLessThan(
      text.indexOf('Objects'),
    );
  });

  it("says the core's verdict sentence under the verdict, as the app's verdict does; the CLI's pointer to the remedies only where the sentence has none", () => {
    const diagnosis = readOnlyContactsDiagnosis();
    const context = { source: 'the demo fixture' };
    const verdictText = (relayed?: CheckContext['relayed']) => {
      const lines = renderDiagnosis(
        diagnosis,
        { ...context, relayed },
        { style: plain, width: 100 },
      ).split('\n');
      const at = lines.findIndex((l) => l.startsWith('Verdict:'));
      return lines.slice(at + 1, lines.indexOf('', at)).join('\n');
    };
    const own = verdictText();
    expect(own).toContain(`  ${verdictSentence(diagnosis, { suspended: false })}`);
    expect(own).not.toContain('What to do');
    // Suspended, the app's banner says to fix the findings first and the core's sentence only names
    // the causes: the CLI, which has no banner, keeps its pointer to the remedies.
    const relayed = {
      status: { state: 'suspended', reason: 'API_ACCESS_DISABLED' },
      updatedAt: null,
      source: 'HubSpot_Sync_Status__c',
      otherPortals: [],
      check: null,
    } as unknown as CheckContext['relayed'];
    const suspended = verdictText(relayed);
    expect(suspended).toContain(`  ${verdictSentence(diagnosis, { suspended: true })}`);
    expect(suspended).toContain('What to do: the remedies are under Findings, at the end.');
    // A healthy verdict has no sentence: nothing under it.
    const healthy = renderDiagnosis({ ...diagnosis, verdict: 'healthy', findings: [] }, context, {
      style: plain,
      width: 100,
    }).split('\n');
    expect(healthy[healthy.findIndex((l) => l.startsWith('Verdict:')) + 1]).toBe('');
  });

  it("names HubSpot's relayed reason for a stopped sync with no cause found, pointing to the section below as the app and --report do", () => {
    const stopped: Finding = {
      reason: 'UNKNOWN_ERROR',
      severity: 'error',
      subject: 'HubSpot',
      symptom: 'SYNC_STOPPED',
      rule: 'hubspot-logins-stopped',
      message: 'm',
      remedy: 'r',
    };
    const diagnosis = { ...readOnlyContactsDiagnosis(), findings: [stopped] };
    const relayed = {
      status: { state: 'suspended', reason: 'API_ACCESS_DISABLED', title: null },
      updatedAt: null,
      source: 'HubSpot_Sync_Status__c',
      otherPortals: [],
      check: null,
    } as unknown as CheckContext['relayed'];
    const text = renderDiagnosis(
      diagnosis,
      { source: 'the demo fixture', relayed },
      { style: plain, width: 1000 },
    );
    expect(text).toContain(
      `  ${verdictSentence(diagnosis, { status: relayed!.status, section: RELAYED_SECTION })}`,
    );
    expect(text).toContain(
      'but HubSpot reported "Salesforce org API access disabled": "HubSpot reported" below says what to check.',
    );
    expect(text).not.toContain('to see why');
  });

  it('names five kinds of finding under the verdict, then counts the other kinds; notes and a healthy org add nothing', () => {
    const finding = (reason: string, severity: Finding['severity'], subject: string): Finding => ({
      reason: reason as Finding['reason'],
      severity,
      subject,
      message: 'm',
      remedy: 'r',
    });
    const findings = [
      ...['A', 'B', 'C', 'D', 'E'].map((s) => finding('OBJECT_PERMISSIONS_MISSING', 'error', s)),
      ...['R1', 'R2', 'R3', 'R4', 'R5', 'R6'].map((r) => finding(r, 'warning', 'Contact')),
      finding('R7', 'info', 'Contact'),
    ];
    const lines = whatIsWrong(
      { ...readOnlyContactsDiagnosis(), findings },
      {
        style: plain,
        width: 100,
      },
    );
    expect(lines[0]).toBe('  ✗ Salesforce object permissions missing: A, B, C and 2 more');
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe(
      '    … and 2 other kinds of finding. What to do: the remedies are under Findings, at the end.',
    );
    expect(lines.join('\n')).not.toContain('R7');
    const healthy = { ...readOnlyContactsDiagnosis(), findings: [findings[11]!] };
    expect(whatIsWrong(healthy, { style: plain, width: 100 })).toEqual([]);
  });

  it('says the verdict and counts', () => {
    expect(text).toContain('Verdict: BLOCKED  1 error, 1 warning, 0 notes');
    expect(text).toContain('hubspot@acme.com (HubSpot Integration)');
    expect(text).toContain('Acme, NA42');
  });

  it('marks the missing Contact edit right in the object matrix', () => {
    const contact = text.split('\n').find((l) => l.trim().startsWith('Contact '))!;
    expect(contact).toMatch(/Contact\s+✓\s+✓\s+✗\s+missing edit\s+Profile: Read Only/);
    const lead = text.split('\n').find((l) => l.trim().startsWith('Lead '))!;
    expect(lead).toMatch(/Lead\s+✓\s+✓\s+✓\s+ok/);
    expect(text).toMatch(/Group\*\s+.*not required/);
    expect(text).toContain('* also reached through a lookup');
  });

  it('lists only the failing fields', () => {
    const fields = renderFailingFields(readOnlyContactsDiagnosis(), { style: plain, width: 100 });
    expect(fields).toContain('Fields that fail (1 of 2)');
    expect(fields).toMatch(
      /Contact\.Email\s+email\s+read, edit\s+✓\s+✗\s+read-only through the profile/,
    );
    expect(fields).not.toContain('Lead.Email');
  });

  it('once a note repeats, the notes go under the table as [1], [2]: each given once, each field one line at 80 columns', () => {
    const base = readOnlyContactsDiagnosis();
    const blocked = (name: string, note: string) => ({
      ...base.fields[0]!,
      name: `Contact.${name}`,
      hubspotProperty: name.toLowerCase(),
      note,
    });
    const shared = 'Blocked by the object access on Contact.';
    const fields = renderFailingFields(
      {
        ...base,
        fields: [
          blocked('Fax', shared),
          blocked('Phone', shared),
          blocked('Email', 'read-only through the profile'),
          blocked('MailingCity', shared),
        ],
      },
      { style: plain, width: 80 },
    ).split('\n');
    expect(fields).toEqual([
      'Fields that fail (4 of 4)',
      expect.stringMatching(/^ {2}Field\s+HubSpot property\s+Needs\s+Read\s+Edit$/),
      expect.stringMatching(/^ {2}Contact\.Fax \[1\]\s+fax\s+read, edit\s+✓\s+✗$/),
      expect.stringMatching(/^ {2}Contact\.Phone \[1\]\s+phone\s+read, edit\s+✓\s+✗$/),
      expect.stringMatching(/^ {2}Contact\.Email \[2\]\s+email\s+read, edit\s+✓\s+✗$/),
      expect.stringMatching(/^ {2}Contact\.MailingCity \[1\]\s+mailingcity\s+read, edit\s+✓\s+✗$/),
      `  [1] ${shared}`,
      '  [2] read-only through the profile',
    ]);
    for (const line of fields) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('says what the rest of a long list of fields are', () => {
    const base = readOnlyContactsDiagnosis();
    const many = Array.from({ length: 15 }, (_, i) => ({
      ...base.fields[0]!,
      name: `Contact.Field${i}__c`,
    }));
    expect(renderFailingFields({ ...base, fields: many }, { style: plain, width: 100 })).toContain(
      '… and 3 more failing fields (all of them with --json)',
    );
  });

  it('shows limits with their share', () => {
    expect(text).toMatch(/API requests, last 24 hours \(whole org\)\s+12,000\s+15,000\s+80%/);
    expect(text).not.toContain('DailyApiRequests');
  });

  it('lists findings errors first, each with its remedy', () => {
    const findings = text.slice(text.indexOf('Findings (2)'));
    expect(findings.indexOf('ERROR')).toBeLessThan(findings.indexOf('WARNING'));
    expect(findings).toContain(
      "Remedy: Give edit on Contact in the permission set 'HubSpot Integration Permissions'.",
    );
    expect(findings).toContain('OBJECT_PERMISSIONS_MISSING');
  });

  it("shows no rule id under a finding (an admin reads nothing in 'object-permissions'); --json keeps it", () => {
    const rule = readOnlyContactsDiagnosis().findings[0]!.rule!;
    const findings = text.slice(text.indexOf('Findings (2)'));
    expect(findings).not.toContain('Why:');
    expect(text).not.toContain(rule);
  });

  it('ends with what the check cost', () => {
    expect(text).toContain('2 API requests to read the org · org API usage 12,000 / 15,000');
  });

  it('shows rights columns only as far as they matter', () => {
    const objects = renderObjects(readOnlyContactsDiagnosis(), { style: plain, width: 100 });
    expect(objects).toMatch(/Object\s+Read\s+Create\s+Edit\s+Status/);
    expect(objects).not.toContain('Modify All');
  });

  it('a right the core could not judge (the org does not expose "Edit Tasks") is a ? to check by hand, not missing', () => {
    const diagnosis = readOnlyContactsDiagnosis();
    diagnosis.objects.push({
      name: 'Task',
      required: ['read', 'create', 'edit'],
      effective: {
        read: true,
        create: false,
        edit: false,
        delete: false,
        viewAll: false,
        modifyAll: false,
      },
      grantedBy: ['Every user (activities on records it can see)'],
      rule: 'task-edit-tasks',
      note: 'Not judged: this org\'s API does not expose "Edit Tasks" (PermissionSet has no PermissionsEditTask column), which governs create and edit.',
    });
    const objects = renderObjects(diagnosis, { style: plain, width: 200 });
    const task = objects.split('\n').find((l) => l.trim().startsWith('Task '))!;
    expect(task).toMatch(/Task\s+✓\s+\?\s+\?\s+check create, edit by hand/);
    expect(task).not.toContain('missing');
    // A judged object keeps its ✗ and "missing".
    expect(objects).toMatch(/Contact\s+✓\s+✓\s+✗\s+missing edit/);
  });

  it('says under the objects table what a · means, only when one is shown', () => {
    const diagnosis = readOnlyContactsDiagnosis();
    const objects = renderObjects(diagnosis, { style: plain, width: 80 }).split('\n');
    // Group is reached only through a lookup and needs nothing: · under every right.
    expect(objects.find((l) => l.trim().startsWith('Group*'))).toMatch(/Group\*\s+·\s+·\s+·/);
    expect(objects).toContain('  · not granted, and HubSpot does not need it');
    // The lookup note stays, before it.
    expect(objects.findIndex((l) => l.startsWith('  * also reached'))).toBeLessThan(
      objects.indexOf('  · not granted, and HubSpot does not need it'),
    );
    // Every right either required or granted: no ·, no legend for it.
    const noDot = {
      ...diagnosis,
      objects: diagnosis.objects.filter((o) => o.name !== 'Group'),
    };
    const without = renderObjects(noDot, { style: plain, width: 80 });
    expect(without).not.toContain('·');
    // A right granted but not required is a dim ✓, not a ·: no legend either.
    const grantedUnneeded = {
      ...diagnosis,
      objects: [{ ...diagnosis.objects[0]!, required: ['read' as const] }],
    };
    grantedUnneeded.objects[0]!.effective = {
      ...grantedUnneeded.objects[0]!.effective,
      create: true,
      edit: true,
    };
    expect(renderObjects(grantedUnneeded, { style: plain, width: 80 })).not.toContain('·');
  });

  it('says once the sources most objects share, names the others on their rows, and loses none', () => {
    const base = readOnlyContactsDiagnosis().objects[1]!;
    const both = ['Profile: HubSpot Integration User', 'Permission set: HubSpot Sync'];
    const object = (name: string, extra: Partial<ObjectResult>): ObjectResult => ({
      ...base,
      name,
      grantedBy: both,
      ...extra,
    });
    const objects = [
      object('Lead', {}),
      object('Contact', {}),
      object('Task', { grantedBy: ['Every user (activities on records it can see)', both[0]!] }),
      object('Account', {}),
      // A note keeps the row's sources beside it, even the shared ones.
      object('Event', { note: 'Not judged: no Edit Events column.' }),
      object('Case', { grantedBy: [] }),
      object('Quote', { exists: false, grantedBy: [] }),
    ];
    const text = renderObjects(
      { ...readOnlyContactsDiagnosis(), objects },
      { style: plain, width: 200 },
    );
    const row = (name: string) => text.split('\n').find((l) => l.startsWith(`  ${name} `))!;
    expect(row('Lead')).toMatch(/ok$/);
    expect(row('Contact')).toMatch(/ok$/);
    expect(row('Account')).toMatch(/ok$/);
    expect(row('Task')).toMatch(
      /ok\s+Every user \(activities on records it can see\); Profile: HubSpot Integration User$/,
    );
    expect(row('Event')).toMatch(
      /Profile: HubSpot Integration User; Permission set: HubSpot Sync {2}Not judged/,
    );
    expect(row('Case')).toMatch(/nothing grants it$/);
    expect(row('Quote')).toMatch(/not in the org$/);
    expect(text).toContain(
      '\n  Granted by, unless a row says otherwise: Profile: HubSpot Integration User; Permission set: HubSpot Sync',
    );
    // Every source of every object is in sight.
    for (const o of objects) for (const source of o.grantedBy) expect(text).toContain(source);

    // All alike: one line, and no column left empty.
    const alike = renderObjects(
      { ...readOnlyContactsDiagnosis(), objects: objects.slice(0, 2) },
      { style: plain, width: 200 },
    ).split('\n');
    expect(alike[1]).toMatch(/Status$/);
    expect(alike).toContain(
      '  Granted by: Profile: HubSpot Integration User; Permission set: HubSpot Sync',
    );
    // No two alike: each row its own, as before.
    const apart = renderObjects(
      { ...readOnlyContactsDiagnosis(), objects: objects.slice(1, 3) },
      { style: plain, width: 200 },
    );
    expect(apart).not.toContain('unless a row says otherwise');
    expect(apart).toMatch(/Contact\s+.*ok\s+Profile: HubSpot Integration User; Permission set/);
  });

  it('counts the notes on the verdict line too, as the Findings number them', () => {
    const diagnosis = readOnlyContactsDiagnosis();
    const note = { ...diagnosis.findings[1]!, severity: 'info' as const, subject: 'Lead' };
    const withNotes = renderDiagnosis(
      { ...diagnosis, findings: [...diagnosis.findings, note, { ...note, subject: 'Task' }] },
      {},
      { style: plain, width: 80 },
    );
    expect(withNotes).toContain('\nVerdict: BLOCKED  1 error, 1 warning, 2 notes\n');
    expect(withNotes).toContain('Findings (4)');
    const oneNote = renderDiagnosis(
      { ...diagnosis, verdict: 'healthy', findings: [note] },
      {},
      { style: plain, width: 80 },
    );
    expect(oneNote).toContain('\nVerdict: HEALTHY  0 errors, 0 warnings, 1 note\n');
  });

  it('says so when everything is fine', () => {
    const healthy = renderDiagnosis(
      { verdict: 'healthy', findings: [], objects: [], fields: [], limits: [] },
      {},
      { style: plain, width: 80 },
    );
    expect(healthy).toContain('Verdict: HEALTHY  0 errors, 0 warnings, 0 notes');
    // The app's Findings card's words, which claim nothing on the sync itself.
    expect(healthy).toMatch(/Findings \(0\)\n {2}No problems found\.\n/);
  });
});

describe('many findings alike', () => {
  /** A finding as the core words missing field-level security on `field`. */
  const fls = (field: string): Finding => ({
    reason: 'FIELD_PERMISSIONS_MISSING',
    severity: 'error',
    subject: field,
    rule: 'field-level-security',
    message: `'hubspot@acme.com' cannot read or edit ${field} (HubSpot property x): no active profile or permission set gives it Read and Edit access.`,
    remedy: `Give 'hubspot@acme.com' Read and Edit on ${field}: Object Settings > Contact > Field Permissions in a permission set assigned to 'hubspot@acme.com'.`,
  });
  const withFindings = (findings: Finding[]): Diagnosis => ({
    ...readOnlyContactsDiagnosis(),
    findings,
  });
  const findingsOf = (d: Diagnosis) =>
    renderDiagnosis(d, {}, { style: plain, width: 100 }).split('Findings (')[1]!;

  it('an org missing field-level security on 3,000 fields: a few of them and one line for the rest, not some 27,000 lines', () => {
    const [objectFinding, apiWarning] = readOnlyContactsDiagnosis().findings;
    const fields = Array.from({ length: 3000 }, (_, i) => fls(`Contact.Field_${i}__c`));
    // The object finding comes between field findings: the group gathers them all the same.
    const diagnosis = withFindings([
      ...fields.slice(0, 2),
      objectFinding!,
      ...fields.slice(2),
      apiWarning!,
    ]);
    const text = renderDiagnosis(diagnosis, {}, { style: plain, width: 100 });
    expect(text.split('\n').length).toBeLessThan(150);
    const findings = findingsOf(diagnosis);
    expect(findings.startsWith('3002)')).toBe(true);
    const numbered = findings.split('\n').filter((l) => /^\s+\d+\. /.test(l));
    expect(numbered.map((l) => l.trim().replace(/\s+/g, ' '))).toEqual([
      ...Array.from(
        { length: MAX_FINDINGS_PER_GROUP },
        (_, i) => `${i + 1}. ERROR Contact.Field_${i}__c FIELD_PERMISSIONS_MISSING`,
      ),
      `${MAX_FINDINGS_PER_GROUP + 1}. ERROR Contact OBJECT_PERMISSIONS_MISSING`,
      `${MAX_FINDINGS_PER_GROUP + 2}. WARNING API requests, last 24 hours (whole org) API_LIMIT_EXCEEDED`,
    ]);
    expect(findings.replace(/\s+/g, ' ')).toContain(
      `… and 2,995 more FIELD_PERMISSIONS_MISSING errors like these: run with --json or --report for all 3,000.`,
    );
    expect(findings).not.toContain(`Contact.Field_${MAX_FINDINGS_PER_GROUP}__c`);
  });

  it('a group one over the limit is shown whole; a group at the limit needs no line for the rest', () => {
    for (const size of [MAX_FINDINGS_PER_GROUP, MAX_FINDINGS_PER_GROUP + 1]) {
      const findings = findingsOf(
        withFindings(Array.from({ length: size }, (_, i) => fls(`Contact.Field_${i}__c`))),
      );
      expect(findings).toContain(`Contact.Field_${size - 1}__c`);
      expect(findings).not.toContain('more FIELD_PERMISSIONS_MISSING');
    }
    const seven = findingsOf(
      withFindings(
        Array.from({ length: MAX_FINDINGS_PER_GROUP + 2 }, (_, i) => fls(`Contact.F${i}__c`)),
      ),
    );
    expect(seven.replace(/\s+/g, ' ')).toContain('… and 2 more FIELD_PERMISSIONS_MISSING errors');
  });
});

describe('a symptom among the findings', () => {
  it("names HubSpot's stopped logins SYNC_STOPPED, not a reason it does not know", () => {
    const diagnosis: Diagnosis = {
      ...readOnlyContactsDiagnosis(),
      verdict: 'at-risk',
      findings: [
        {
          reason: 'API_ACCESS_DISABLED',
          symptom: 'SYNC_STOPPED',
          severity: 'warning',
          subject: 'hubspot@acme.com',
          rule: 'hubspot-logins-stopped',
          message:
            "HubSpot has not logged in as 'hubspot@acme.com' for 20 hours, while before that it logged in about every hour: HubSpot's sync has stopped.",
          remedy: 'In HubSpot, open Settings > Integrations > Connected Apps > Salesforce.',
        },
      ],
    };
    for (const width of [100, 50]) {
      const text = renderDiagnosis(diagnosis, {}, { style: plain, width });
      expect(text).toMatch(/WARNING\s+hubspot@acme\.com\s+SYNC_STOPPED/);
      expect(text).not.toContain('API_ACCESS_DISABLED');
    }
  });
});

describe('failure and explanation', () => {
  it('renders a Salesforce failure with the reason and the catalog remedy', () => {
    const text = renderFailure(
      {
        message: 'TotalRequests Limit exceeded.',
        reason: 'API_LIMIT_EXCEEDED',
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
        statusCode: 403,
      },
      plain,
      100,
    );
    expect(text).toContain(
      'Could not diagnose: API_LIMIT_EXCEEDED (REQUEST_LIMIT_EXCEEDED, HTTP 403)',
    );
    expect(text).toContain(SUSPENSION_REASONS.API_LIMIT_EXCEEDED.remedy[0]!.slice(0, 40));
  });

  it("gives advice about Sync Doctor's own access where the catalog would mislead", () => {
    const text = renderFailure(
      {
        message: 'Session expired or invalid',
        reason: 'API_ACCESS_DISABLED',
        errorCode: 'INVALID_SESSION_ID',
        statusCode: 401,
      },
      plain,
      100,
    );
    expect(text).toContain('The session Sync Doctor used is expired or invalid');
    // `sf org display` shows no token any more; a session the CLI cannot renew needs a new login.
    expect(text).toContain('sf org login web --alias ALIAS');
    expect(text).not.toContain('sf org display');
    expect(text).not.toContain(SUSPENSION_REASONS.API_ACCESS_DISABLED.remedy[0]!.slice(0, 40));
  });

  it("calls a read denied to Sync Doctor's own user SYNC_DOCTOR_ACCESS_DENIED, not the integration user's missing rights", () => {
    const failure = {
      message: 'Insufficient Privileges',
      reason: 'OBJECT_PERMISSIONS_MISSING',
      errorCode: 'INSUFFICIENT_ACCESS',
      statusCode: 403,
    };
    expect(summarizeFailure(failure)).toEqual({
      errorCode: 'SYNC_DOCTOR_ACCESS_DENIED',
      salesforceErrorCode: 'INSUFFICIENT_ACCESS',
      statusCode: 403,
      retryable: false,
      message: 'Insufficient Privileges',
    });
    const text = renderFailure(failure, plain, 200);
    expect(text.split('\n')[0]).toBe(
      'Could not diagnose: SYNC_DOCTOR_ACCESS_DENIED (INSUFFICIENT_ACCESS, HTTP 403)',
    );
    expect(text).toContain('your own user, not the HubSpot integration user');
    expect(text).toContain('View Setup and Configuration');
    expect(text).not.toContain('OBJECT_PERMISSIONS_MISSING');
    const apiOff = summarizeFailure({
      message: 'API is disabled for this User',
      reason: 'API_ACCESS_DISABLED',
      errorCode: 'API_CURRENTLY_DISABLED',
      statusCode: 403,
    });
    expect(apiOff).toMatchObject({
      errorCode: 'SYNC_DOCTOR_ACCESS_DENIED',
      salesforceErrorCode: 'API_CURRENTLY_DISABLED',
    });
    expect(apiOff.reason).toBeUndefined();
  });

  it("calls a refused login of Sync Doctor's own SYNC_DOCTOR_LOGIN_FAILED, not a HubSpot reason", () => {
    const failure = {
      message: 'Session expired or invalid',
      reason: 'API_ACCESS_DISABLED',
      errorCode: 'INVALID_SESSION_ID',
      statusCode: 401,
    };
    expect(summarizeFailure(failure)).toEqual({
      errorCode: 'SYNC_DOCTOR_LOGIN_FAILED',
      salesforceErrorCode: 'INVALID_SESSION_ID',
      statusCode: 401,
      retryable: false,
      message: 'Session expired or invalid',
    });
    const text = renderFailure(failure, plain, 200);
    expect(text.split('\n')[0]).toBe(
      'Could not diagnose: SYNC_DOCTOR_LOGIN_FAILED (INVALID_SESSION_ID, HTTP 401)',
    );
    expect(text).toContain("your own login, not the HubSpot integration user's");
    expect(text).not.toContain('API_ACCESS_DISABLED');
    // The OAuth endpoint's lower-case codes too.
    expect(
      summarizeFailure({
        message: "user hasn't approved this consumer",
        reason: 'API_ACCESS_DISABLED',
        errorCode: 'invalid_grant',
      }),
    ).toMatchObject({
      errorCode: 'SYNC_DOCTOR_LOGIN_FAILED',
      salesforceErrorCode: 'invalid_grant',
    });
    expect(renderFailure({ message: 'x', errorCode: 'invalid_grant' }, plain, 100)).toContain(
      'The JWT was refused',
    );
  });

  it('gives no HubSpot reason for a refused redirect or a timeout of its own', () => {
    const redirect = renderFailure(
      { message: 'moved', reason: 'UNKNOWN_ERROR', errorCode: 'REDIRECT_REFUSED', statusCode: 301 },
      plain,
      100,
    );
    expect(redirect.split('\n')[0]).toBe('Could not diagnose: REDIRECT_REFUSED (HTTP 301)');
    expect(redirect).toContain('--instance-url');
    expect(
      summarizeFailure({ message: 'slow', reason: 'UNKNOWN_ERROR', errorCode: 'REQUEST_TIMEOUT' }),
    ).toEqual({ errorCode: 'REQUEST_TIMEOUT', message: 'slow', retryable: true });
    // A Salesforce error that HubSpot's connector would meet keeps its reason.
    expect(
      summarizeFailure({
        message: 'down',
        reason: 'ORG_UNAVAILABLE',
        errorCode: 'SERVER_UNAVAILABLE',
        statusCode: 503,
      }),
    ).toMatchObject({ reason: 'ORG_UNAVAILABLE' });
  });

  it('gives no HubSpot reason, and no "Clear Suspension" advice, for a failure of the command line or its own connection', () => {
    // What the core calls UNKNOWN_ERROR for these is HubSpot's "wait, then Clear Suspension":
    // wrong for a mistyped --user, an alias the sf CLI lacks, or a certificate Node refuses.
    for (const errorCode of [
      'USER_NOT_FOUND',
      'SF_CLI_NOT_FOUND',
      'SF_CLI_ORG_NOT_AUTHORIZED',
      'SF_CLI_TIMEOUT',
      'HTTP_407',
      'PROXY_REFUSED',
      'PROXY_UNTRUSTED',
      'PROXY_MISCONFIGURED',
      'UNEXPECTED_RESPONSE',
      'TOO_MANY_ROUNDS',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'EPROTO',
    ]) {
      const failure = { message: 'x', reason: 'UNKNOWN_ERROR', errorCode };
      // A hung Salesforce CLI may pass; the rest need someone to act.
      expect(summarizeFailure(failure)).toEqual({
        errorCode,
        message: 'x',
        retryable: errorCode === 'SF_CLI_TIMEOUT',
      });
      const text = renderFailure(failure, plain, 200);
      expect(text.split('\n')[0]).toBe(`Could not diagnose: ${errorCode}`);
      expect(text).not.toContain('Clear Suspension');
      expect(text).not.toContain("If HubSpot's connector meets the same error");
      expect(text).toContain('What to do');
    }
    const tls = renderFailure(
      {
        message: 'self-signed certificate',
        reason: 'UNKNOWN_ERROR',
        errorCode: 'SELF_SIGNED_CERT_IN_CHAIN',
      },
      plain,
      200,
    );
    expect(tls).toContain('NODE_EXTRA_CA_CERTS');
    expect(
      renderFailure(
        {
          message: 'proxy wants credentials',
          reason: 'UNKNOWN_ERROR',
          errorCode: 'HTTP_407',
          statusCode: 407,
        },
        plain,
        200,
      ),
    ).toContain('http://USER:PASSWORD@PROXY:PORT');
    // Through a proxy the CLI meets the tunnel's codes (the proxy's 407 is PROXY_REFUSED), each
    // with what to do about the proxy; an unreachable proxy is worth another try.
    expect(
      renderFailure(
        {
          message:
            'The proxy http://proxy:3128 refused the tunnel to acme.my.salesforce.com:443: HTTP 407',
          reason: 'UNKNOWN_ERROR',
          errorCode: 'PROXY_REFUSED',
          statusCode: 407,
        },
        plain,
        200,
      ),
    ).toContain('http://USER:PASSWORD@PROXY:PORT');
    const unreachable = { message: 'x', reason: 'UNKNOWN_ERROR', errorCode: 'PROXY_UNREACHABLE' };
    expect(summarizeFailure(unreachable)).toEqual({
      errorCode: 'PROXY_UNREACHABLE',
      message: 'x',
      retryable: true,
    });
    expect(renderFailure(unreachable, plain, 200)).toContain('NO_PROXY');
    expect(renderFailure(unreachable, plain, 200)).not.toContain('Clear Suspension');
    // A SOCKS5 proxy's own failure to reach the host: the proxy's doing, worth another try.
    const socks = {
      message:
        'The SOCKS5 proxy socks5h://proxy:1080 could not reach acme.my.salesforce.com:443: reply 4 (host unreachable)',
      reason: 'UNKNOWN_ERROR',
      errorCode: 'PROXY_SOCKS_ERROR',
    };
    expect(summarizeFailure(socks)).toEqual({
      errorCode: 'PROXY_SOCKS_ERROR',
      message: socks.message,
      retryable: true,
    });
    expect(renderFailure(socks, plain, 200)).toContain('SOCKS5 proxy');
    expect(renderFailure(socks, plain, 200)).not.toContain('Clear Suspension');
    // Connection refused may be the proxy's, not the org's.
    expect(
      renderFailure(
        {
          message: 'connect ECONNREFUSED 10.0.0.1:3128',
          reason: 'ORG_UNAVAILABLE',
          errorCode: 'ECONNREFUSED',
        },
        plain,
        200,
      ),
    ).toContain('HTTPS_PROXY');
    // An address that answers, but not as Salesforce's REST API (a proxy's login page, another site).
    expect(
      renderFailure(
        {
          message: 'The composite response had no compositeResponse array',
          reason: 'UNKNOWN_ERROR',
          errorCode: 'UNEXPECTED_RESPONSE',
        },
        plain,
        200,
      ),
    ).toContain('not as Salesforce');
  });

  it("a 404 on a request of its own (not a sub-request) says the address is not the org's REST API", () => {
    const wrongAddress = {
      message: 'The requested resource does not exist',
      reason: 'UNKNOWN_ERROR',
      errorCode: 'NOT_FOUND',
      statusCode: 404,
      request: 'POST /composite (snapshot)',
    };
    expect(summarizeFailure(wrongAddress).reason).toBeUndefined();
    const text = renderFailure(wrongAddress, plain, 200);
    expect(text).not.toContain('Clear Suspension');
    expect(text).toContain('My Domain URL');
    // A sub-request's NOT_FOUND is Salesforce's answer about a record or an object: unchanged.
    expect(summarizeFailure({ ...wrongAddress, request: 'composite:user' }).reason).toBe(
      'UNKNOWN_ERROR',
    );
  });

  it('renders a catalog entry with numbered steps', () => {
    const text = renderExplanation(
      { reason: SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING, matchedBy: 'code' },
      plain,
      100,
    );
    expect(text.startsWith(SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.titles.en)).toBe(true);
    expect(text).toContain('   1. ');
    expect(text).toContain('What to do');
  });
});

describe('limits', () => {
  // The core decides what a limit's use means (API use warns above 75%, storage above 90%, an
  // exhausted limit is an error); the table's colour follows its finding, not thresholds of its own.
  const limitsOf = (
    limits: Diagnosis['limits'],
    findings: Partial<Diagnosis['findings'][number]>[],
  ): Diagnosis => ({
    ...readOnlyContactsDiagnosis(),
    limits,
    findings: findings as Diagnosis['findings'],
  });
  const row = (text: string, name: string) =>
    text.split('\n').find((l) => stripAnsi(l).trimStart().startsWith(`${name} `))!;

  it('colours each limit by the severity of the core finding about it', () => {
    const diagnosis = limitsOf(
      [
        { name: 'DailyApiRequests', used: 965, max: 1000, ratio: 0.965 },
        { name: 'DataStorageMB', used: 85, max: 100, ratio: 0.85 },
        { name: 'FileStorageMB', used: 100, max: 100, ratio: 1 },
      ],
      [
        { reason: 'API_LIMIT_EXCEEDED', severity: 'warning', subject: 'DailyApiRequests' },
        { reason: 'STORAGE_LIMIT_EXCEEDED', severity: 'error', subject: 'FileStorageMB' },
      ],
    );
    const text = renderLimits(diagnosis, {}, { style: colour, width: 100 });
    expect(row(text, 'API requests, last 24 hours (whole org)')).toContain('\u001b[33m96.5%');
    expect(row(text, 'Data storage')).not.toMatch(/\u001b\[3[13]m/);
    expect(row(text, 'Data storage')).toContain('85 MB');
    expect(row(text, 'File storage')).toContain('\u001b[31m100%');
  });

  it('shows storage past its limit as more than 100%, as the app and the report do', () => {
    const diagnosis = limitsOf(
      [{ name: 'DataStorageMB', used: 10792, max: 10740, ratio: 10792 / 10740 }],
      [{ reason: 'STORAGE_LIMIT_EXCEEDED', severity: 'error', subject: 'DataStorageMB' }],
    );
    const text = stripAnsi(renderLimits(diagnosis, {}, { style: colour, width: 100 }));
    expect(row(text, 'Data storage')).toMatch(/10,792 MB\s+10,740 MB\s+100\.5%$/);
  });

  it("shows a connected app without a quota of its own as its share of the org's calls used", () => {
    // Its Max is the org's: "88,400 of 100,000 · 88.4%" made the org's maximum HubSpot's quota.
    const diagnosis = limitsOf(
      [
        { name: 'DailyApiRequests', used: 96507, max: 100000, ratio: 0.96507 },
        { name: 'DailyApiRequests.HubSpot', used: 88400, max: 100000, ratio: 0.884 },
      ],
      [],
    );
    const text = stripAnsi(renderLimits(diagnosis, {}, { style: colour, width: 120 }));
    expect(row(text, 'API requests of the connected app HubSpot')).toMatch(
      /88,400\s+of the org's 96,507 used\s+91\.6%$/,
    );
  });
});

describe('logins', () => {
  const withLogins = (logins: Diagnosis['logins']): Diagnosis => ({
    ...readOnlyContactsDiagnosis(),
    logins,
  });
  const refused: NonNullable<Diagnosis['logins']> = {
    days: 7,
    attempts: 170,
    otherApplications: 3,
    lastAttemptAt: '2026-11-29T11:36:00.000+0000',
    lastSuccessAt: '2026-11-29T05:36:00.000+0000',
    failingSince: '2026-11-29T06:36:00.000+0000',
    failures: [
      {
        status: 'Restricted IP',
        cause: 'ip-range',
        count: 6,
        lastAt: '2026-11-29T11:36:00.000+0000',
        sourceIps: ['198.51.100.21', '198.51.100.37'],
      },
    ],
  };

  it('says when HubSpot last got in, since when it is refused, and with what from where', () => {
    const text = stripAnsi(renderLogins(withLogins(refused), {}, { style: colour, width: 100 }));
    expect(text.split('\n')[0]).toBe('Logins (last 7 days)');
    expect(text).toContain('Last success 2026-11-29 05:36 UTC');
    expect(text).toContain('refused since 2026-11-29 06:36 UTC');
    expect(text).toMatch(
      /Restricted IP\s+6\s+2026-11-29 11:36 UTC\s+198\.51\.100\.21, 198\.51\.100\.37/,
    );
    // The headers the login card and the report use.
    expect(text).toMatch(/Refused with\s+Times\s+Last at\s+From/);
    for (const line of text.split('\n')) expect(visibleLength(line)).toBeLessThanOrEqual(100);
    // The refusal that still holds is red.
    expect(renderLogins(withLogins(refused), {}, { style: colour, width: 100 })).toContain(
      colour.red('Restricted IP'),
    );
  });

  it('says how many login attempts there were and how many Salesforce refused, not just "170 attempts"', () => {
    const text = renderLogins(withLogins(refused), {}, { style: plain, width: 100 });
    expect(text).toContain(
      '170 login attempts: 6 refused, 164 let in (3 attempts of other applications left out)',
    );
    expect(text).not.toMatch(/· 170 attempts/);
    const fine = { ...refused, failingSince: null, failures: [], otherApplications: 0 };
    expect(renderLogins(withLogins(fine), {}, { style: plain, width: 100 })).toContain(
      '· 170 login attempts, all let in',
    );
    // At the read cap (200, newest first) they are the latest, not all of the week's.
    expect(
      renderLogins(withLogins({ ...fine, attempts: 200 }), {}, { style: plain, width: 100 }),
    ).toContain('the latest 200 login attempts (Sync Doctor reads no more), all let in');
  });

  it('shows only the last success when nothing was refused, and fits a narrow terminal', () => {
    const ok = {
      ...refused,
      failingSince: null,
      lastSuccessAt: refused.lastAttemptAt,
      failures: [],
    };
    const text = renderLogins(withLogins(ok), {}, { style: plain, width: 40 });
    expect(text).toContain('Last success 2026-11-29 11:36 UTC');
    expect(text).not.toContain('refused');
    for (const line of text.split('\n')) expect(visibleLength(line)).toBeLessThanOrEqual(40);
  });

  it('says no HubSpot login was seen', () => {
    const none = {
      ...refused,
      attempts: 0,
      lastAttemptAt: null,
      lastSuccessAt: null,
      failingSince: null,
      failures: [],
    };
    expect(renderLogins(withLogins(none), {}, { style: plain, width: 100 })).toContain(
      'No login by HubSpot (3 attempts of other applications left out).',
    );
  });

  it('is one line when Login History could not be read, and nothing when it was not asked for', () => {
    const d = readOnlyContactsDiagnosis();
    expect(renderLogins(d, {}, { style: plain, width: 100 })).toBe('');
    expect(
      renderLogins(
        d,
        { loginHistory: { read: false, cause: 'needs-manage-users', message: 'x' } },
        { style: plain, width: 300 },
      ),
    ).toBe(`Logins\n  ${LOGINS_NOT_READ_MESSAGE}`);
    expect(
      renderLogins(
        d,
        { loginHistory: { read: false, cause: 'error', message: 'Login History not read: boom' } },
        { style: plain, width: 100 },
      ),
    ).toBe('Logins\n  Not read: boom');
    expect(renderDiagnosis(withLogins(refused), {}, { style: plain, width: 100 })).toMatch(
      /Limits[\s\S]*Logins \(last 7 days\)[\s\S]*Findings/,
    );
  });
});

describe("HubSpot's connected app not read", () => {
  it('says so in one line under its own heading, before the findings; nothing when it was read or not asked for', () => {
    const d = readOnlyContactsDiagnosis();
    const options = { style: plain, width: 100 };
    expect(renderConnectedAppNotRead({}, options)).toBe('');
    expect(renderConnectedAppNotRead({ connectedApps: { read: true } }, options)).toBe('');
    expect(
      renderConnectedAppNotRead(
        {
          connectedApps: { read: false, cause: 'needs-permissions', message: 'x' },
        },
        { style: plain, width: 300 },
      ),
    ).toBe(`HubSpot's connected app\n  ${CONNECTED_APPS_NOT_READ_MESSAGE}`);
    expect(
      renderConnectedAppNotRead(
        {
          connectedApps: {
            read: false,
            cause: 'error',
            message: "HubSpot's connected app not read: boom",
          },
        },
        options,
      ),
    ).toBe("HubSpot's connected app\n  Not read: boom");
    expect(
      renderDiagnosis(d, { connectedApps: { read: false, cause: 'needs-permissions' } }, options),
    ).toMatch(/Limits[\s\S]*HubSpot's connected app\n {2}Not read[\s\S]*Findings/);
    expect(renderDiagnosis(d, { connectedApps: { read: true } }, options)).not.toContain(
      "HubSpot's connected app\n",
    );
  });
});
