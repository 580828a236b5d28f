import { accessAlertKind, buildAccessAlert, findingId } from '../src/access/alert.js';
import type { AccessFinding } from '../src/access/check.js';

// When the access watch alerts: on an error finding it has not alerted yet, and once when none is
// left; never for the same findings, fewer findings, or warnings.
const finding = (subject: string, severity: 'error' | 'warning' = 'error'): AccessFinding => ({
  severity,
  reason: 'OBJECT_PERMISSIONS_MISSING',
  rule: 'object-permissions',
  subject,
  message: `'hubspot@acme.example' cannot Edit ${subject} records.`,
  remedy: `Give Edit on ${subject}.`,
});
const worse = (...subjects: string[]) => ({
  kind: 'worse' as const,
  errors: subjects.map((s) => findingId(finding(s))),
});

describe('accessAlertKind', () => {
  test.each([
    ['healthy, nothing alerted', null, [], null],
    ['warnings only', null, [finding('Lead', 'warning')], null],
    ['a first error', null, [finding('Contact')], 'worse'],
    [
      'after a restore, the same error again',
      { kind: 'restored' as const, errors: [] },
      [finding('Contact')],
      'worse',
    ],
    ['the alerted error still there', worse('Contact'), [finding('Contact')], null],
    ['fewer errors, not none', worse('Contact', 'Lead'), [finding('Contact')], null],
    [
      'another error beside the alerted one',
      worse('Contact'),
      [finding('Contact'), finding('Lead')],
      'worse',
    ],
    ['one error swapped for another', worse('Contact'), [finding('Lead')], 'worse'],
    ['no error left (a warning stays)', worse('Contact'), [finding('Lead', 'warning')], 'restored'],
    ['restored already', { kind: 'restored' as const, errors: [] }, [], null],
  ])('%s', (_, previous, findings, expected) => {
    expect(accessAlertKind(previous, findings)).toBe(expected);
  });
});

describe('buildAccessAlert', () => {
  const base = {
    portalId: '42',
    findings: [finding('Contact')],
    previousErrors: [],
    user: { id: '005000000000001AAA', username: 'hubspot@acme.example' },
    checkedAt: '2026-11-30T04:00:00.000Z',
    appUrl: null,
  };
  test('the same episode gives the same key; a new episode (after another alert) a new one', () => {
    const a = buildAccessAlert({ ...base, kind: 'worse', previousKey: null });
    const again = buildAccessAlert({
      ...base,
      kind: 'worse',
      previousKey: null,
      checkedAt: 'later',
    });
    expect(again.key).toBe(a.key);
    expect(String(a.key)).toMatch(/^access-[0-9a-f]{32}$/);
    const next = buildAccessAlert({ ...base, kind: 'worse', previousKey: 'access-restored-key' });
    expect(next.key).not.toBe(a.key);
  });
  test('the webhook, Slack and e-mail say what was lost, what it leads to and what to do', () => {
    const alert = buildAccessAlert({ ...base, kind: 'worse', previousKey: null }) as {
      headline: string;
      email: { subject: string; text: string };
      slack: { text: string };
      webhookBody: { findings: { new: boolean }[] };
    };
    expect(alert.headline).toContain('cannot Edit Contact records');
    expect(alert.email.subject).toContain('portal 42');
    expect(alert.email.text).toContain('HubSpot suspends the sync at its next write that needs it');
    expect(alert.email.text).toContain('Give Edit on Contact.');
    expect(alert.slack.text).toContain('portal 42');
    expect(alert.webhookBody.findings[0]!.new).toBe(true);
  });
});
