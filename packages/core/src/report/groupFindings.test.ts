import type { Finding } from '../diagnosis/types.js';
import { groupFindings } from './groupFindings.js';

const finding = (over: Partial<Finding>): Finding => ({
  reason: 'OBJECT_PERMISSIONS_MISSING',
  severity: 'error',
  subject: 'Contact',
  message: 'm',
  remedy: 'r',
  ...over,
});

describe('groupFindings: the one grouping of findings every renderer shows', () => {
  const note = finding({ severity: 'info', subject: 'User' });
  const fieldError = finding({ reason: 'FIELD_PERMISSIONS_MISSING', subject: 'Contact.Email' });
  const limitRisk = finding({
    reason: 'API_LIMIT_EXCEEDED',
    severity: 'warning',
    subject: 'DailyApiRequests',
  });
  const objectError = finding({ subject: 'Lead' });
  const stopped = finding({
    reason: 'API_ACCESS_DISABLED',
    symptom: 'SYNC_STOPPED',
    severity: 'warning',
    subject: 'hubspot@acme.com',
  });
  const inactive = finding({
    reason: 'API_ACCESS_DISABLED',
    cause: 'USER_INACTIVE',
    subject: 'hubspot@acme.com',
  });
  const accessDisabled = finding({
    reason: 'API_ACCESS_DISABLED',
    subject: 'PermissionsApiEnabled',
  });
  const secondFieldError = finding({
    reason: 'FIELD_PERMISSIONS_MISSING',
    subject: 'Contact.Phone',
  });
  const findings = [
    note,
    fieldError,
    limitRisk,
    objectError,
    stopped,
    inactive,
    accessDisabled,
    secondFieldError,
  ];

  it('puts errors first, then warnings, then notes; codes in the order they first appear', () => {
    expect(groupFindings(findings).map((g) => [g.severity, g.code, g.findings])).toEqual([
      ['error', 'FIELD_PERMISSIONS_MISSING', [fieldError, secondFieldError]],
      ['error', 'OBJECT_PERMISSIONS_MISSING', [objectError]],
      ['error', 'USER_INACTIVE', [inactive]],
      ['error', 'API_ACCESS_DISABLED', [accessDisabled]],
      ['warning', 'API_LIMIT_EXCEEDED', [limitRisk]],
      ['warning', 'SYNC_STOPPED', [stopped]],
      ['info', 'OBJECT_PERMISSIONS_MISSING', [note]],
    ]);
  });

  it('heads each group by findingTitle of its first finding, at its severity', () => {
    expect(groupFindings(findings).map((g) => g.title)).toEqual([
      'Salesforce field permissions missing',
      'Salesforce object permissions missing',
      'Integration user inactive (HubSpot would suspend with: Salesforce org API access disabled)',
      'Salesforce org API access disabled',
      "At risk: Salesforce org API limit nearly reached (HubSpot's reason if it suspends: Salesforce org API limit exceeded)",
      "At risk: HubSpot's sync has stopped",
      'About HubSpot\'s reason "Salesforce object permissions missing"',
    ]);
  });

  it('keeps a symptom and a cause apart from the reason they carry', () => {
    const codes = groupFindings(findings).map((g) => `${g.severity} ${g.code}`);
    expect(codes).toContain('error USER_INACTIVE');
    expect(codes).toContain('error API_ACCESS_DISABLED');
    expect(codes).toContain('warning SYNC_STOPPED');
    expect(codes).not.toContain('warning API_ACCESS_DISABLED');
  });

  it('keeps only the severities asked for, in the same order', () => {
    expect(
      groupFindings(findings, { severities: ['warning', 'error'] }).map((g) => g.code),
    ).toEqual([
      'FIELD_PERMISSIONS_MISSING',
      'OBJECT_PERMISSIONS_MISSING',
      'USER_INACTIVE',
      'API_ACCESS_DISABLED',
      'API_LIMIT_EXCEEDED',
      'SYNC_STOPPED',
    ]);
    expect(groupFindings(findings, { severities: ['info'] })).toEqual([
      {
        severity: 'info',
        code: 'OBJECT_PERMISSIONS_MISSING',
        title: 'About HubSpot\'s reason "Salesforce object permissions missing"',
        findings: [note],
      },
    ]);
    expect(groupFindings(findings, { severities: [] })).toEqual([]);
  });

  it('one severity of one code is one group, even when other findings come between', () => {
    const groups = groupFindings([objectError, fieldError, finding({ subject: 'Account' })]);
    expect(groups.map((g) => g.findings.map((f) => f.subject))).toEqual([
      ['Lead', 'Account'],
      ['Contact.Email'],
    ]);
  });

  it('leaves its input as it was, and gives nothing for no findings', () => {
    const copy = [...findings];
    groupFindings(findings);
    expect(findings).toEqual(copy);
    expect(groupFindings([])).toEqual([]);
  });

  it('puts a severity it does not know last, as a group of its own', () => {
    const odd = finding({ severity: 'critical' as Finding['severity'] });
    expect(groupFindings([odd, note, objectError]).map((g) => g.severity)).toEqual([
      'error',
      'info',
      'critical',
    ]);
  });
});
