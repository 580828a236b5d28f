/** The rules of an optional snapshot part are raised from that part alone: absent, none of them. */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { RULES_OF_OPTIONAL_SECTIONS } from '../src/diagnosis/rules.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { FIXTURE_NAMES, fixture } from './support.js';

const rulesRaised = (s: Snapshot) =>
  new Set(evaluateAccess(s).findings.map((f) => f.rule as string | null));

/** Each part present in a way that raises one of its rules, and the same snapshot without it. */
const CASES: Record<
  keyof typeof RULES_OF_OPTIONAL_SECTIONS,
  { present: (s: Snapshot) => void; absent: (s: Snapshot) => void }
> = {
  frozen: {
    present: (s) => {
      s.user!.IsFrozen = true;
    },
    absent: (s) => {
      delete s.user!.IsFrozen;
    },
  },
  // No login of HubSpot's in the window: no-recent-login.
  loginHistory: {
    present: (s) => {
      s.logins = [];
    },
    absent: (s) => {
      delete s.logins;
    },
  },
  // Read, and no app named like HubSpot: connected-app-not-installed.
  connectedApps: {
    present: (s) => {
      s.connectedApps = { apps: [], access: [] };
    },
    absent: (s) => {
      delete s.connectedApps;
    },
  },
};

describe('rules of the optional snapshot parts', () => {
  it.each(Object.keys(CASES) as (keyof typeof CASES)[])(
    '%s: its rules are raised when it was read, none when it is absent',
    (part) => {
      const rules: readonly string[] = RULES_OF_OPTIONAL_SECTIONS[part];
      const present = fixture('healthy');
      CASES[part].present(present);
      expect(rules.some((r) => rulesRaised(present).has(r))).toBe(true);
      CASES[part].absent(present);
      expect(rules.filter((r) => rulesRaised(present).has(r))).toEqual([]);
    },
  );

  it.each(FIXTURE_NAMES)('%s without the optional parts raises none of their rules', (name) => {
    const s = fixture(name);
    for (const c of Object.values(CASES)) c.absent(s);
    const raised = rulesRaised(s);
    const all: string[] = Object.values(RULES_OF_OPTIONAL_SECTIONS).flat();
    expect(all.filter((r) => raised.has(r))).toEqual([]);
  });
});
