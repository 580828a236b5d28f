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
  // The Slack layout is hubspot-signals' alertSlackBlocks, the suspension alerts' own: an access
  // alert carries the same button to the app (red while access is missing, green once restored),
  // which it lacked while it built its blocks itself.
  test("Slack gets the suspension alerts' layout: the lost access, what to do, a button to the app", () => {
    type Block = {
      type: string;
      text?: { text: string };
      elements?: { url: string; style: string }[];
    };
    const appUrl = 'https://acme.my.salesforce.com/lightning/n/Sync_Doctor';
    const slackOf = (alert: Record<string, unknown>) => (alert.slack as { blocks: Block[] }).blocks;
    const worseBlocks = slackOf(
      buildAccessAlert({ ...base, kind: 'worse', previousKey: null, appUrl }),
    );
    expect(worseBlocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'actions',
    ]);
    expect(worseBlocks[2]!.text!.text).toMatch(/^• \[new\] 'hubspot@acme\.example' cannot Edit/);
    expect(worseBlocks[3]!.text!.text).toBe('*What to do*\n1. Give Edit on Contact.');
    expect(worseBlocks[4]!.elements![0]).toMatchObject({ url: appUrl, style: 'danger' });

    const restored = slackOf(
      buildAccessAlert({
        ...base,
        kind: 'restored',
        findings: [],
        previousErrors: [findingId(finding('Contact'))],
        previousKey: 'access-x',
        appUrl,
      }),
    );
    expect(restored.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions']);
    expect(restored[3]!.elements![0]).toMatchObject({ url: appUrl, style: 'primary' });
    // Without an app URL there is nothing to open: no button.
    expect(
      slackOf(buildAccessAlert({ ...base, kind: 'worse', previousKey: null })).map((b) => b.type),
    ).not.toContain('actions');
  });
});

// A section the relay's user could not read this time (an ACCESS_SECTION_UNREAD warning) neither
// shows nor rules out the errors its rules found before: no "restored" for them, no "worse" again
// when it is read once more.
describe('a section not read', () => {
  const frozen: AccessFinding = {
    severity: 'error',
    reason: 'API_ACCESS_DISABLED',
    rule: 'frozen-user',
    subject: 'hubspot@acme.example',
    message: "'hubspot@acme.example' is frozen.",
    remedy: 'Unfreeze it.',
  };
  const frozenUnread: AccessFinding = {
    severity: 'warning',
    reason: 'ACCESS_SECTION_UNREAD',
    rule: null,
    subject: 'UserLogin.IsFrozen',
    message: 'Not checked: whether the integration user is frozen.',
    remedy: 'Check it in Setup.',
  };
  const alertedFrozen = { kind: 'worse' as const, errors: [findingId(frozen)] };

  test('keeps an alerted error of that section: no "restored"', () => {
    expect(accessAlertKind(alertedFrozen, [frozenUnread])).toBeNull();
  });
  test('read again and still there: no alert again', () => {
    expect(accessAlertKind(alertedFrozen, [frozen])).toBeNull();
  });
  test('read again and gone: "restored"', () => {
    expect(accessAlertKind(alertedFrozen, [])).toBe('restored');
  });
  test('another section unread does not keep it', () => {
    const loginsUnread = { ...frozenUnread, subject: 'LoginHistory' };
    expect(accessAlertKind(alertedFrozen, [loginsUnread])).toBe('restored');
  });
  test('a new error while it is unread alerts, and the record keeps the unread one', () => {
    const contact = finding('Contact');
    expect(accessAlertKind(alertedFrozen, [frozenUnread, contact])).toBe('worse');
    const alert = buildAccessAlert({
      portalId: '42',
      kind: 'worse',
      previousKey: 'access-before',
      findings: [frozenUnread, contact],
      previousErrors: alertedFrozen.errors,
      user: { id: null, username: 'hubspot@acme.example' },
      checkedAt: 'now',
      appUrl: null,
    }) as { access: { errors: string[] } };
    expect(alert.access.errors).toEqual([findingId(contact), findingId(frozen)].sort());
    // Read again, frozen still: nothing new to alert.
    expect(accessAlertKind(alert.access as never, [frozen, contact])).toBeNull();
  });
});
