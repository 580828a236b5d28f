import type { Diagnosis } from '../diagnosis/types.js';
import type { RelayedStatus } from '../relayed/status.js';
import type { Snapshot } from '../snapshot/types.js';
import { FROZEN_READ_CAUSES, type FrozenRead } from '../snapshot/frozenRead.js';
import { formatReport } from './formatReport.js';
import { evaluateAccess } from '../diagnosis/evaluateAccess.js';
import { fixture } from '../../test/support.js';

const none = {
  read: false,
  create: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false,
};

const diagnosis: Diagnosis = {
  verdict: 'blocked',
  findings: [
    {
      reason: 'STORAGE_LIMIT_EXCEEDED',
      severity: 'warning',
      subject: 'DataStorageMB',
      message: 'Data storage is 93% used.',
      remedy: 'Free data storage before it fills up.',
    },
    {
      reason: 'OBJECT_PERMISSIONS_MISSING',
      severity: 'error',
      subject: 'Contact',
      message: 'The integration user can read Contact but not edit it.',
      remedy: 'Give Edit on Contact in HubSpot Integration Permissions.',
      rule: 'object-permissions',
    },
    {
      reason: 'FIELD_PERMISSIONS_MISSING',
      severity: 'error',
      subject: 'Contact.Email',
      message: 'Contact.Email is read-only for the integration user.',
      remedy: 'Give Edit on Contact.Email (field-level security).',
    },
  ],
  objects: [
    {
      name: 'Contact',
      required: ['read', 'edit'],
      effective: { ...none, read: true },
      grantedBy: ['Profile: Minimum Access'],
    },
    {
      name: 'Account',
      required: ['read', 'edit'],
      effective: { ...none, read: true, create: true, edit: true },
      grantedBy: ['HubSpot Integration Permissions'],
    },
  ],
  fields: [
    {
      name: 'Contact.Email',
      required: ['read', 'edit'],
      effective: { read: true, edit: false },
      grantedBy: ['Profile: Minimum Access'],
    },
    {
      name: 'Contact.FirstName',
      required: ['read', 'edit'],
      effective: { read: true, edit: true },
      grantedBy: ['HubSpot Integration Permissions'],
    },
    {
      name: 'Account.Industry',
      required: ['read'],
      effective: { read: false, edit: false },
      grantedBy: [],
      note: 'no FieldPermissions row',
    },
  ],
  limits: [
    { name: 'DailyApiRequests', used: 12_345, max: 15_000, ratio: 0.823 },
    { name: 'DataStorageMB', used: 930, max: 1_000, ratio: 0.93 },
  ],
};

const snapshot: Snapshot = {
  capturedAt: '2026-11-28T12:00:00.000Z',
  organization: {
    Id: '00D000000000001',
    Name: 'Acme',
    InstanceName: 'EU42',
    IsSandbox: false,
    OrganizationType: 'Enterprise Edition',
  },
  user: {
    Id: '005000000000001',
    Username: 'hubspot@acme.example',
    Name: 'HubSpot Integration',
    IsActive: true,
    Profile: { Name: 'Minimum Access' },
  },
};

const status: RelayedStatus = {
  portalId: '123456',
  state: 'suspended',
  reason: 'FIELD_PERMISSIONS_MISSING',
  title: 'Salesforce field permissions missing',
  since: '2026-11-28T11:00:00.000Z',
  lastSeenAt: '2026-11-28T11:30:00.000Z',
  clearedAt: null,
  source: 'email',
  excerpt: 'Your Salesforce integration has been suspended: Salesforce field permissions missing.',
  history: [],
};

describe('formatReport', () => {
  const text = formatReport(diagnosis, { snapshot, status });
  const lines = text.split('\n');

  it('states the verdict with counts, the org and the user', () => {
    expect(text).toContain('Verdict: BLOCKED (2 findings block the sync, 1 risk, 0 notes)');
    expect(text).toContain(
      'Org: Acme (00D000000000001), instance EU42, Enterprise Edition, production',
    );
    expect(text).toContain(
      'Integration user: HubSpot Integration <hubspot@acme.example> (005000000000001), active, profile "Minimum Access"',
    );
    // In the core's words ('2026-11-28 12:00 UTC'), as the app and the CLI say every time.
    expect(text).toContain('Snapshot taken: 2026-11-28 12:00 UTC');
    expect(text).not.toMatch(/\d\dT\d\d:\d\d/);
  });

  it('relays the suspension with its remedy steps', () => {
    expect(text).toContain(
      'State: suspended - Salesforce field permissions missing [FIELD_PERMISSIONS_MISSING]',
    );
    expect(text).toContain(
      'since 2026-11-28 11:00 UTC, last seen 2026-11-28 11:30 UTC, source: email',
    );
    expect(text).toContain('  > Your Salesforce integration has been suspended');
    expect(text).toMatch(
      /What to do \(checked against this diagnosis\):\n {2}1\. \[done\] Find the field/,
    );
    // The diagnosis still lacks Edit on Contact.Email: HubSpot's reason is confirmed, the grant is to do.
    expect(text).toMatch(
      / {2}2\. \[to do\] In Salesforce, give the integration user read and edit/,
    );
    expect(text).toContain('Sync Doctor: 1 mapped field still lacks access: Contact.Email.');
    expect(text).toMatch(/ {2}4\. \[not checked\] Click "Clear Suspension"/);
  });

  it("names a known reason by the catalog's English title, as the app and the CLI do, whatever language HubSpot wrote it in", () => {
    // A Danish notification: the relay keeps HubSpot's title as it came.
    const danish = formatReport(diagnosis, {
      snapshot,
      status: { ...status, title: 'Manglende Salesforce-felttilladelser' },
    });
    expect(danish).toContain(
      'State: suspended - Salesforce field permissions missing [FIELD_PERMISSIONS_MISSING]',
    );
    // An unknown reason keeps HubSpot's own words.
    const unknown = formatReport(diagnosis, {
      snapshot,
      status: { ...status, reason: null, title: 'Something HubSpot never said before' },
    });
    expect(unknown).toContain('State: suspended - Something HubSpot never said before');
  });

  it("lists what blocks the sync before the risks, in the badges' words, each with its remedy", () => {
    const first = lines.findIndex((l) => l.startsWith('1. '));
    expect(lines[first]).toBe(
      '1. [Blocks the sync] Contact: Salesforce object permissions missing',
    );
    expect(lines[first + 2]).toBe(
      '   Fix: Give Edit on Contact in HubSpot Integration Permissions.',
    );
    // The rule as an admin reads it, never its id.
    expect(lines[first + 3]).toBe(
      '   Rule: Object permissions (ObjectPermissions, Modify/View All Data)',
    );
    expect(text).not.toContain('Rule: object-permissions');
    expect(text).toContain(
      '2. [Blocks the sync] Contact.Email: Salesforce field permissions missing',
    );
    expect(text).toContain(
      "3. [Risk] Data storage: At risk: Salesforce org storage nearly full (HubSpot's reason if it suspends: Salesforce org storage limits exceeded)",
    );
  });

  it('prints the object matrix as aligned columns, NO where a required right is missing', () => {
    const header = lines.find((l) => /^Object\s+Required/.test(l))!;
    const contact = lines.find((l) => l.startsWith('Contact '))!;
    const account = lines.find((l) => l.startsWith('Account '))!;
    expect(header).toMatch(
      /^Object\s+Required\s+Read\s+Create\s+Edit\s+Delete\s+View All\s+Modify All\s+Granted by$/,
    );
    // Every column starts at the same offset in each row.
    expect(contact.indexOf('read,edit')).toBe(header.indexOf('Required'));
    expect(contact.slice(header.indexOf('Edit'), header.indexOf('Edit') + 2)).toBe('NO');
    expect(account.slice(header.indexOf('Edit'), header.indexOf('Edit') + 3)).toBe('yes');
    expect(contact.slice(header.indexOf('Granted by'))).toBe('Profile: Minimum Access');
  });

  it('lists only the failing fields', () => {
    expect(text).toContain('Fields missing access (2 of 3 checked)');
    expect(lines.some((l) => /^Contact\.Email\s+read,edit\s+read\s+-\s+-$/.test(l))).toBe(true);
    expect(
      lines.some((l) => /^Account\.Industry\s+read\s+none\s+-\s+no FieldPermissions row$/.test(l)),
    ).toBe(true);
    expect(text).not.toMatch(/^Contact\.FirstName/m);
  });

  it('prints limits as Setup names them, with thousands separators, units and percentages', () => {
    expect(
      lines.some((l) =>
        /^API requests, last 24 hours \(whole org\)\s+12,345 \/ 15,000 used\s+82\.3%$/.test(l),
      ),
    ).toBe(true);
    expect(lines.some((l) => /^Data storage\s+930 MB \/ 1,000 MB used\s+93%$/.test(l))).toBe(true);
    expect(text).not.toContain('DataStorageMB');
  });

  it('works without snapshot or status and says when all is well', () => {
    const healthy = formatReport({
      verdict: 'healthy',
      findings: [],
      objects: [],
      fields: [],
      limits: [],
    });
    expect(healthy).toContain('Verdict: HEALTHY (0 findings block the sync, 0 risks, 0 notes)');
    expect(healthy).toContain('None: the integration user can do everything HubSpot needs.');
    expect(healthy).toContain("Not read (Sync Doctor read none of the org's limits).");
    expect(healthy).not.toContain('HubSpot suspension status');
  });

  it('marks a step whose cause Sync Doctor finds absent now as such, never [done]', () => {
    const report = formatReport(
      {
        verdict: 'healthy',
        findings: [],
        objects: [],
        fields: [],
        limits: [{ name: 'DailyApiRequests', used: 12_000, max: 100_000, ratio: 0.12 }],
      },
      { status: { ...status, reason: 'API_LIMIT_EXCEEDED', title: null } },
    );
    expect(report).toMatch(/ {2}1\. \[not the cause now\] In Salesforce, open Setup > Company/);
    expect(report).toContain("Sync Doctor: Not the cause now: 12% of the org's daily API requests");
  });

  it('is plain text without trailing spaces', () => {
    for (const line of lines) expect(line).toBe(line.trimEnd());
    expect(text.endsWith('\n')).toBe(true);
  });

  it('rejects a missing diagnosis clearly', () => {
    expect(() => formatReport(undefined as unknown as Diagnosis)).toThrow(/Diagnosis is required/);
  });

  it("lists the refused logins under the login card's and the CLI's headers, times in UTC", () => {
    const report = formatReport({
      ...diagnosis,
      logins: {
        days: 7,
        attempts: 190,
        otherApplications: 0,
        lastAttemptAt: '2026-11-29T21:22:00.000+0000',
        lastSuccessAt: '2026-11-29T15:24:00.000+0000',
        failingSince: '2026-11-29T16:20:00.000+0000',
        failures: [
          {
            status: 'Restricted IP',
            cause: 'ip-range',
            count: 1234,
            lastAt: '2026-11-29T21:22:00.000+0000',
            sourceIps: ['198.51.100.21', '198.51.100.52'],
          },
        ],
      },
    });
    const section = report.slice(report.indexOf('Logins, last 7 days'));
    expect(section.split('\n').slice(2, 6)).toEqual([
      '190 login attempts by HubSpot (or with no Application in Login History); last at 2026-11-29 21:22 UTC, last success 2026-11-29 15:24 UTC.',
      'Refused since 2026-11-29 16:20 UTC.',
      'Refused with   Times  Last at               From',
      'Restricted IP  1,234  2026-11-29 21:22 UTC  198.51.100.21, 198.51.100.52',
    ]);
  });
});

describe("formatReport: the page's words", () => {
  it('counts and tags notes as the page does, never as errors or warnings', () => {
    const report = formatReport({
      verdict: 'healthy',
      findings: [
        {
          reason: 'API_ACCESS_DISABLED',
          severity: 'info',
          subject: 'HubSpot',
          message: "HubSpot's connected app is not installed in this org.",
          remedy: '',
        },
      ],
      objects: [],
      fields: [],
      limits: [],
    });
    expect(report).toContain('Verdict: HEALTHY (0 findings block the sync, 0 risks, 1 note)');
    expect(report).toContain(
      '1. [Note] HubSpot: About HubSpot\'s reason "Salesforce org API access disabled"',
    );
    expect(report).not.toMatch(/\b(errors?|warnings?)\b|\[(ERROR|WARNING|INFO)\]/);
  });

  it("names the attempts counted as HubSpot's in Login History's words, and the others left out", () => {
    const logins = {
      days: 7,
      attempts: 0,
      otherApplications: 12,
      lastAttemptAt: null,
      lastSuccessAt: null,
      failingSince: null,
      failures: [],
    };
    const report = formatReport({
      verdict: 'healthy',
      findings: [],
      objects: [],
      fields: [],
      limits: [],
      logins,
    });
    expect(report).toContain(
      'No login attempt by HubSpot (or with no Application in Login History; 12 of other applications left out).',
    );
    expect(report).not.toContain('unnamed client');
  });
});

describe('formatReport: the frozen state not read', () => {
  const notRead =
    'Whether the user is frozen was not read: reading UserLogin needs the "Manage Users" permission.';

  it('says so right under the integration user, so a ticket does not read it as "not frozen"', () => {
    const report = formatReport(diagnosis, { snapshot, frozenNotRead: notRead });
    const lines = report.split('\n');
    const user = lines.findIndex((line) => line.startsWith('Integration user: '));
    expect(user).toBeGreaterThan(-1);
    expect(lines[user + 1]).toBe(notRead);
    expect(formatReport(diagnosis, { snapshot })).not.toContain('frozen');
  });

  it('is left out when the snapshot has the flag (it was read)', () => {
    for (const IsFrozen of [true, false]) {
      const read: Snapshot = { ...snapshot, user: { ...snapshot.user!, IsFrozen } };
      expect(formatReport(diagnosis, { snapshot: read, frozenNotRead: notRead })).not.toContain(
        notRead,
      );
    }
  });

  it('is printed without a snapshot too', () => {
    expect(formatReport(diagnosis, { frozenNotRead: notRead })).toContain(`\n${notRead}\n`);
  });

  it("says each collector's cause in its own words, naming Manage Users only to a reader without it", () => {
    const lineOf = (frozenRead: FrozenRead) => {
      const lines = formatReport(diagnosis, { snapshot, frozenRead }).split('\n');
      return lines[lines.findIndex((line) => line.startsWith('Integration user: ')) + 1];
    };
    expect(lineOf({ read: false, cause: 'needs-manage-users', message: 'x' })).toBe(notRead);
    const noRow = lineOf({
      read: false,
      cause: 'no-user-login',
      message: 'Whether the user is frozen was not read: Salesforce has no UserLogin row for it.',
    });
    expect(noRow).toBe(
      'Whether the user is frozen was not read: Salesforce has no UserLogin row for it. Check the user in Setup > Users (a frozen user has an Unfreeze button).',
    );
    const refused = lineOf({
      read: false,
      cause: 'error',
      errorCode: 'UNKNOWN_EXCEPTION',
      message: 'Whether the user is frozen was not read: An unexpected error occurred.',
    });
    expect(refused).toBe('Whether the user is frozen was not read: An unexpected error occurred.');
    for (const line of [noRow, refused]) expect(line).not.toContain('Manage Users');
    // Every cause the collectors give has its line.
    for (const cause of FROZEN_READ_CAUSES)
      expect(lineOf({ read: false, cause, message: 'm' })).toMatch(/^Whether the user is frozen/);
  });

  it("asks for Manage Users under the verdict only when the snapshot's frozenRead says the reader lacks it", () => {
    // As both readers give it: the frozen state in the snapshot's frozenRead, and nothing else
    // unread, so the verdict's sentence is the frozen state's alone.
    const reportOf = (frozenRead: FrozenRead) => {
      const s = fixture('healthy');
      s.logins = [];
      s.connectedApps = { apps: [], access: [] };
      s.frozenRead = frozenRead;
      return formatReport(evaluateAccess(s), { snapshot: s });
    };
    const noRow = reportOf({
      read: false,
      cause: 'no-user-login',
      message: 'Whether the user is frozen was not read: Salesforce has no UserLogin row for it.',
    });
    expect(noRow).toContain('Verdict: PARTLY CHECKED (frozen state not read)');
    // "No problems found ..." names no check: the sentence under it does, for "it" to stand for one.
    expect(noRow).toContain('\nNot checked: frozen state. Check it by hand.\n');
    // The line under the user comes from the snapshot too, when the caller gives none.
    expect(noRow).toContain('Salesforce has no UserLogin row for it. Check the user in Setup');
    expect(noRow).not.toContain('Manage Users');
    const refused = reportOf({ read: false, cause: 'error', message: 'm' });
    expect(refused).toContain('\nNot checked: frozen state. Check it by hand.\n');
    expect(refused).not.toContain('Manage Users');
    expect(
      reportOf({ read: false, cause: 'needs-manage-users', message: 'm' }).replace(/\s+/g, ' '),
    ).toContain(
      'Not checked: frozen state. Check it by hand, or ask an admin who has this to check again: frozen state: "Manage Users".',
    );
  });

  it('says nothing when the frozen state was read', () => {
    const read: Snapshot = { ...snapshot, user: { ...snapshot.user!, IsFrozen: false } };
    expect(
      formatReport(diagnosis, { snapshot: read, frozenRead: { read: true, frozen: false } }),
    ).not.toContain('frozen');
  });
});

describe('formatReport: the suspension summary, with no heading above it', () => {
  it('opens with the risk of the cause: the report has no box heading to say it', () => {
    const s = fixture('healthy');
    s.limits!.DailyApiRequests = { Max: 100_000, Remaining: 3_500 };
    const text = formatReport(evaluateAccess(s), {
      status: { ...status, state: 'suspended', reason: 'API_LIMIT_EXCEEDED' },
    });
    // The app's box says "At risk of this cause: check HubSpot" above "Step 1 lists the risk.":
    // the report, without that heading, keeps the standalone opening.
    expect(text.replace(/\s+/g, ' ')).toContain(
      'At risk of this cause (step 1). What decides this cause is in HubSpot',
    );
    expect(text).not.toContain('Step 1 lists the risk.');
  });
});

describe("formatReport: HubSpot's sync errors", () => {
  const syncErrors = {
    receivedAt: '2026-11-28T11:10:00.000Z',
    rows: 412,
    groups: [
      {
        reason: 'FIELD_PERMISSIONS_MISSING' as const,
        errorType: 'Salesforce field permission',
        object: 'Account',
        field: 'Rating',
        count: 400,
        example: null,
      },
      ...Array.from({ length: 16 }, (_, i) => ({
        reason: null,
        errorType: `Picklist value ${i}`,
        object: 'Lead',
        field: `Field${i}__c`,
        count: 0,
        example: null,
      })),
    ],
    groupsLeftOut: 2,
  };

  it('a part of its own after the relayed status, in the words the panel and the CLI use', () => {
    const text = formatReport(diagnosis, { snapshot, status: { ...status, syncErrors } });
    const part = text.indexOf("\nHubSpot's sync errors\n---------------------\n");
    expect(part).toBeGreaterThan(text.indexOf('HubSpot suspension status (relayed)'));
    expect(part).toBeLessThan(text.indexOf('\nFindings'));
    const body = text.slice(part, text.indexOf('\nFindings'));
    expect(body).toContain(
      "\nHubSpot's exported sync errors (received 2026-11-28 11:10 UTC): 412 rows\n",
    );
    expect(body).toContain(
      '\n  Account.Rating: Salesforce field permission, 400 rows (Salesforce field permissions missing)\n',
    );
    // 15 groups listed; the other 2 kept and the 2 the relay left out are counted.
    expect(body).toContain('\n  Lead.Field13__c: Picklist value 13, 0 rows\n');
    expect(body).not.toContain('Field14__c');
    expect(body).toContain('\n  and 4 smaller groups\n');
    // What to do, under the first group of each advice: the 15 picklist groups share one.
    expect(body).toContain(
      '\n    Field permission: Give the integration user read and edit access to Account.Rating (field-level\n    security). A formula, roll-up or auto-number field is never writable: sync it into HubSpot only.\n',
    );
    expect(body.match(/Picklist value: HubSpot sent a value/g)).toHaveLength(1);
    expect(body.indexOf('Picklist value: HubSpot sent')).toBeGreaterThan(
      body.indexOf('Lead.Field0__c: Picklist value 0'),
    );
    expect(body).toMatch(
      /because HubSpot failed to write them\.\nOnce a group is fixed, select its errors in HubSpot's Sync Health/,
    );
    // The field-permission field first, then the picklists that refused a value: ten, and the rest counted.
    expect(body).toContain(
      'Sync Doctor checks the fields Account.Rating, Lead.Field0__c, Lead.Field1__c, Lead.Field2__c,\nLead.Field3__c',
    );
    expect(body).toContain('Lead.Field8__c and 7\nmore because HubSpot failed to write them.');
  });

  it('says under a group what the diagnosis finds now of its field', () => {
    const judged: Diagnosis = {
      ...diagnosis,
      fields: [
        ...diagnosis.fields,
        {
          name: 'Account.Rating',
          required: ['read', 'edit'],
          effective: { read: true, edit: false },
          grantedBy: [],
        },
      ],
    };
    const text = formatReport(judged, { snapshot, status: { ...status, syncErrors } });
    expect(text).toContain(
      'sync it into HubSpot only.\n    Now: the integration user still lacks edit on Account.Rating.\n  Lead.Field0__c',
    );
    // Without the field in the diagnosis, nothing is said of it.
    expect(formatReport(diagnosis, { snapshot, status: { ...status, syncErrors } })).not.toContain(
      'Now:',
    );
  });

  it("says under the sync errors why the org's validation rules were not read, when they were not", () => {
    const notRead =
      'Validation rules not read: Server temporarily unavailable; the custom-code groups do not name their rule.';
    const text = formatReport(diagnosis, {
      snapshot,
      status: { ...status, syncErrors },
      rulesNotRead: [notRead],
    });
    const body = text.slice(text.indexOf("\nHubSpot's sync errors\n"), text.indexOf('\nFindings'));
    expect(body).toContain(
      'click Resync.\nValidation rules not read: Server temporarily unavailable; the custom-code groups do not name their\nrule.\n',
    );
    // Only under sync errors: with none, the line has nowhere to go.
    expect(formatReport(diagnosis, { snapshot, status, rulesNotRead: [notRead] })).not.toContain(
      'Validation rules not read',
    );
  });

  it('the JSON text Sync_Errors__c holds reads the same', () => {
    const parsed = formatReport(diagnosis, { status: { ...status, syncErrors } });
    const text = formatReport(diagnosis, {
      status: { ...status, syncErrors: JSON.stringify(syncErrors) },
    });
    expect(text).toBe(parsed);
    expect(text).toContain("\nHubSpot's sync errors\n---");
    // None, or a damaged field: no part.
    for (const value of [undefined, null, '{not json'])
      expect(formatReport(diagnosis, { status: { ...status, syncErrors: value } })).not.toContain(
        "\nHubSpot's sync errors\n---",
      );
  });
});
