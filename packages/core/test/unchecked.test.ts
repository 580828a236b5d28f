/**
 * A diagnosis says what it could not check: a snapshot without the frozen state, Login History or
 * HubSpot's connected app (the reader lacked Manage Users, Monitor Login History, Customize
 * Application) has no finding about them, which is no all-clear.
 */
import {
  CONNECTED_APPS_NOT_READ_MESSAGE,
  FROZEN_NOT_READ_MESSAGES,
  LOGINS_NOT_READ_MESSAGE,
  REASON_CODES,
  checkSuspensionSteps,
  evaluateAccess,
  isPartlyChecked,
  uncheckedList,
  uncheckedNeeds,
  uncheckedOf,
  uncheckedSentence,
  type Snapshot,
} from '../src/index.js';
import { fixture } from './support.js';

function allRead(): Snapshot {
  const s = fixture('healthy');
  s.user!.IsFrozen = false;
  s.logins = [];
  s.connectedApps = { apps: [], access: [] };
  return s;
}

describe('uncheckedOf / Diagnosis.unchecked', () => {
  it('is absent when the frozen state, Login History and the connected app were read', () => {
    const d = evaluateAccess(allRead());
    expect(d.verdict).toBe('healthy');
    expect(d.unchecked).toBeUndefined();
    expect(isPartlyChecked(d)).toBe(false);
  });

  it('lists each part not read, in order, with why, what to check by hand and the rights it takes', () => {
    const s = fixture('healthy');
    // As the Apex reader gives it to an admin without Manage Users.
    (s as Snapshot & { frozenRead: unknown }).frozenRead = {
      read: false,
      cause: 'needs-manage-users',
      message: FROZEN_NOT_READ_MESSAGES['needs-manage-users'],
    };
    const d = evaluateAccess(s);
    // The verdict keeps its meaning (from the findings): the partial check is beside it.
    expect(d.verdict).toBe('healthy');
    expect(isPartlyChecked(d)).toBe(true);
    expect(d.unchecked!.map((u) => u.check)).toEqual(['frozen', 'loginHistory', 'connectedApps']);
    expect(d.unchecked!.map((u) => u.line)).toEqual([
      FROZEN_NOT_READ_MESSAGES['needs-manage-users'],
      LOGINS_NOT_READ_MESSAGE,
      CONNECTED_APPS_NOT_READ_MESSAGE,
    ]);
    expect(d.unchecked![0]!.byHand).toContain('Unfreeze');
    expect(d.unchecked![1]!.byHand).toContain('Login History');
    expect(uncheckedList(d.unchecked)).toBe(
      "frozen state, Login History and HubSpot's connected app",
    );
    expect(uncheckedNeeds(d.unchecked)).toBe(
      // Per check, once each: "Monitor Login History" was left out when "Manage Users" covered both.
      'frozen state: "Manage Users"; Login History: "Manage Users" or "Monitor Login History"; HubSpot\'s connected app: "Customize Application" with "Modify All Data" or "Manage Connected Apps"',
    );
    expect(uncheckedSentence(d.unchecked)).toMatch(
      /^Not checked: frozen state, Login History and HubSpot's connected app\. Check them by hand, or ask an admin who has these to check again: frozen state: "Manage Users"; Login History: "Manage Users" or "Monitor Login History"; /,
    );
  });

  it('names one part alone, and a frozen state read as false is checked', () => {
    const s = allRead();
    delete s.logins;
    const unchecked = uncheckedOf(s);
    expect(unchecked.map((u) => u.check)).toEqual(['loginHistory']);
    expect(uncheckedNeeds(unchecked)).toBe(
      'Login History: "Manage Users" or "Monitor Login History"',
    );
    expect(uncheckedSentence(unchecked)).toContain('Check it by hand');
    expect(uncheckedSentence([])).toBe('');
  });

  it('words a frozen state not read without a reason neutrally', () => {
    const s = allRead();
    delete s.user!.IsFrozen;
    expect(uncheckedOf(s)).toEqual([
      expect.objectContaining({
        check: 'frozen',
        line: 'Whether the user is frozen was not read.',
      }),
    ]);
  });
});

describe('the frozen state not read: what the admin can do follows the cause', () => {
  /** Only the frozen state unread, with the reader's frozenRead. */
  function frozenUnread(frozenRead?: Snapshot['frozenRead']): Snapshot {
    const s = allRead();
    delete s.user!.IsFrozen;
    if (frozenRead !== undefined) s.frozenRead = frozenRead;
    return s;
  }
  const noRow = {
    read: false,
    cause: 'no-user-login',
    message: FROZEN_NOT_READ_MESSAGES['no-user-login'],
  } as const;
  const refused = {
    read: false,
    cause: 'error',
    message: 'Whether the user is frozen was not read: An unexpected error occurred.',
  } as const;

  it('no UserLogin row, or Salesforce refusing a holder of Manage Users: check it by hand, no right to get', () => {
    for (const read of [noRow, refused]) {
      const unchecked = evaluateAccess(frozenUnread(read)).unchecked!;
      expect(unchecked).toEqual([
        expect.objectContaining({ check: 'frozen', needs: '', line: expect.any(String) }),
      ]);
      expect(uncheckedNeeds(unchecked)).toBe('');
      expect(uncheckedSentence(unchecked)).toBe('Not checked: frozen state. Check it by hand.');
    }
    expect(uncheckedOf(frozenUnread(noRow))[0]!.line).toContain(
      'Salesforce has no UserLogin row for it.',
    );
  });

  it('names Manage Users when the reader lacks it, or when the snapshot does not say why', () => {
    const lacks = uncheckedOf(
      frozenUnread({
        read: false,
        cause: 'needs-manage-users',
        message: FROZEN_NOT_READ_MESSAGES['needs-manage-users'],
      }),
    );
    for (const unchecked of [lacks, uncheckedOf(frozenUnread()), uncheckedOf(frozenUnread(null))]) {
      expect(unchecked[0]!.needs).toBe('"Manage Users"');
      expect(uncheckedSentence(unchecked)).toBe(
        'Not checked: frozen state. Check it by hand, or ask an admin who has this to check again: frozen state: "Manage Users".',
      );
    }
  });

  it('asks an admin only for the parts a right would let Sync Doctor read, by name', () => {
    const s = frozenUnread(noRow);
    delete s.connectedApps;
    delete s.logins;
    const unchecked = uncheckedOf(s);
    expect(unchecked.map((u) => u.check)).toEqual(['frozen', 'loginHistory', 'connectedApps']);
    expect(uncheckedNeeds(unchecked)).toBe(
      'Login History: "Manage Users" or "Monitor Login History"; HubSpot\'s connected app: "Customize Application" with "Modify All Data" or "Manage Connected Apps"',
    );
    expect(uncheckedSentence(unchecked)).toBe(
      'Not checked: frozen state, Login History and HubSpot\'s connected app. Check them by hand, or ask an admin who has these to check again: Login History: "Manage Users" or "Monitor Login History"; HubSpot\'s connected app: "Customize Application" with "Modify All Data" or "Manage Connected Apps".',
    );
  });
});

describe('the suspension steps, partly checked', () => {
  it('never calls the cause fixed while checks were not made: "partly checked", the checks by hand first', () => {
    // (Not "Missing field permissions": a field mapped only in HubSpot keeps that one open.)
    const partly = checkSuspensionSteps(
      'OBJECT_PERMISSIONS_MISSING',
      evaluateAccess(fixture('healthy')),
    );
    expect(partly.agreement).toBe('partly-checked');
    expect(partly.summary).toBe(
      "The HubSpot permission set is assigned and every required object right is granted now. Before you clear the suspension in HubSpot, check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app), or HubSpot may suspend the sync again.",
    );
    expect(partly.summary).not.toMatch(/fixed/i);
    const click = partly.steps[partly.steps.length - 1]!;
    expect(click.evidence).toBe(
      "This step is in HubSpot, which Sync Doctor cannot see. Sync Doctor's checks find nothing blocking now; some it could not make, and they come first (below).",
    );

    const full = checkSuspensionSteps('OBJECT_PERMISSIONS_MISSING', evaluateAccess(allRead()));
    expect(full.agreement).toBe('fixed-since');
    expect(full.summary).not.toContain('check by hand');
    expect(full.steps[full.steps.length - 1]!.evidence).toContain(
      "Sync Doctor's checks find nothing blocking now.",
    );
  });

  /** Every reason on the healthy org partly checked, near its API limit or not. */
  const partlyCases = REASON_CODES.flatMap((reason) =>
    (['as read', 'near its API limit'] as const).map((org) => [reason, org] as const),
  );
  it.each(partlyCases)(
    '%s on the healthy org %s, partly checked: "check by hand" once in the summary and steps, never "fixed"',
    (reason, org) => {
      const s = fixture('healthy');
      if (org === 'near its API limit')
        s.limits!.DailyApiRequests = { Max: 100_000, Remaining: 3_500 };
      const d = evaluateAccess(s);
      expect(d.findings.filter((f) => f.severity === 'error')).toEqual([]);
      const check = checkSuspensionSteps(reason, d);
      const box = [check.summary, ...check.steps.map((step) => step.evidence)].join('\n');
      expect(box.match(/check by hand/gi)).toHaveLength(1);
      expect(check.summary).toContain(
        "heck by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app)",
      );
      expect(check.agreement).not.toBe('fixed-since');
      expect(box).not.toMatch(/Fixed since/);
    },
  );

  it('cannot call "API access disabled" fixed while a frozen or IP-blocked user would not show', () => {
    const check = checkSuspensionSteps('API_ACCESS_DISABLED', evaluateAccess(fixture('healthy')));
    expect(check.agreement).toBe('not-judged');
    expect(check.summary).toContain(
      "Check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app) before you clear the suspension.",
    );
    expect(checkSuspensionSteps('API_ACCESS_DISABLED', evaluateAccess(allRead())).agreement).toBe(
      'fixed-since',
    );
  });

  it('qualifies "nothing blocking" for a cause Salesforce does not show', () => {
    const check = checkSuspensionSteps('ORG_LOCKED', evaluateAccess(fixture('healthy')));
    expect(check.agreement).toBe('not-visible');
    expect(check.summary).toContain(
      "Its own checks find nothing blocking. Check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app) too.",
    );
  });
});

/**
 * Login History shows logins refused by IP ranges, login hours or a lockout; a frozen user is its
 * own check (the frozen state). The by-hand step says what the verdict says it would have shown.
 */
describe('Login History not read: the by-hand step and the verdict say the same', () => {
  it('names IP ranges, login hours and a lockout, not a frozen user', () => {
    const s = allRead();
    delete (s as { logins?: unknown }).logins;
    const unchecked = evaluateAccess(s).unchecked!.find((u) => u.check === 'loginHistory')!;
    expect(unchecked.byHand).toContain(
      'refused by IP ranges, login hours or a lockout shows there',
    );
    expect(unchecked.byHand).not.toContain('frozen');
  });
});
