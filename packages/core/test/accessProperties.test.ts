/**
 * Properties of the diagnosis that hold for every snapshot, checked on generated changes to the
 * fixtures: more rights never read as worse, fewer never as better, the remediation plan closes
 * every gap it names and nothing more, the order Salesforce returns records in changes nothing, and
 * a section not read is always said. The examples in the other files pin what each rule says; these
 * catch a rule that contradicts another on inputs nobody wrote by hand. Seeds are fixed so CI is
 * repeatable; a failure prints the fewest changes that break the property.
 */
import fc from 'fast-check';
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import type { Diagnosis, Verdict } from '../src/diagnosis/types.js';
import { planRemediation } from '../src/remediation/planRemediation.js';
import type { Snapshot } from '../src/snapshot/types.js';
import {
  applyPlan,
  assignExtraSet,
  extraSets,
  fieldChanges,
  fixtureName,
  grantOnRows,
  permutationOf,
  revocations,
  revokedFixture,
  rowRights,
  type Revocation,
} from './arbitraries.js';
import { fixture } from './support.js';

const VERDICT_RANK: Record<Verdict, number> = { healthy: 0, 'at-risk': 1, blocked: 2 };

/** The findings that make a verdict, as keys that stay put when other findings come and go. */
function problems(d: Diagnosis): Set<string> {
  return new Set(
    d.findings
      .filter((f) => f.severity !== 'info')
      .map((f) => `${f.severity} ${f.reason} ${f.subject}`),
  );
}

/** The rights set to true in an `effective` map. */
const held = (effective: object): Set<string> =>
  new Set(
    Object.entries(effective)
      .filter(([, has]) => has === true)
      .map(([right]) => right),
  );

/** Each object's and field's effective rights, by name. */
function rightsOf(d: Diagnosis): Map<string, Set<string>> {
  return new Map([
    ...d.objects.map((o) => [o.name, held(o.effective)] as const),
    ...d.fields.map((f) => [f.name, held(f.effective)] as const),
  ]);
}

function missingOf(d: Diagnosis): Set<string> {
  return new Set([
    ...d.objects.flatMap((o) => (o.missing ?? []).map((m) => `${o.name}.${m}`)),
    ...d.fields.flatMap((f) => (f.missing ?? []).map((m) => `${f.name} ${m}`)),
  ]);
}

const notIn = <T>(items: Iterable<T>, other: Set<T>): T[] =>
  [...items].filter((x) => !other.has(x));

/** Every right `small` has on a subject, `large` has too; the subjects `large` lacks are listed. */
function rightsLost(large: Diagnosis, small: Diagnosis): string[] {
  const largeRights = rightsOf(large);
  const lost: string[] = [];
  for (const [subject, rights] of rightsOf(small)) {
    const there = largeRights.get(subject);
    if (!there) continue;
    for (const right of rights) if (!there.has(right)) lost.push(`${subject}.${right}`);
  }
  return lost;
}

describe('more rights never read as worse', () => {
  it('granting rights on existing rows or through one more set adds no error or warning (seed 2101, 400 runs)', () => {
    fc.assert(
      fc.property(
        fixtureName,
        rowRights(12),
        fieldChanges(30),
        fc.option(extraSets, { nil: undefined }),
        (name, rights, fields, extra) => {
          const before = evaluateAccess(fixture(name));
          const s = fixture(name);
          grantOnRows(s, rights, fields);
          if (extra) assignExtraSet(s, extra);
          const after = evaluateAccess(s);
          expect(notIn(problems(after), problems(before))).toEqual([]);
          expect(VERDICT_RANK[after.verdict]).toBeLessThanOrEqual(VERDICT_RANK[before.verdict]);
          expect(rightsLost(after, before)).toEqual([]);
          expect(notIn(missingOf(after), missingOf(before))).toEqual([]);
        },
      ),
      { seed: 2101, numRuns: 400 },
    );
  });
});

describe('fewer rights never read as better', () => {
  it('taking rights away never improves the verdict, adds a right or removes a missing one (seed 2102, 400 runs)', () => {
    fc.assert(
      fc.property(revocations, (revocation) => {
        const before = evaluateAccess(fixture(revocation.name));
        const s = revokedFixture(revocation);
        const after = evaluateAccess(s);
        expect(VERDICT_RANK[after.verdict]).toBeGreaterThanOrEqual(VERDICT_RANK[before.verdict]);
        expect(rightsLost(before, after)).toEqual([]);
        expect(notIn(missingOf(before), missingOf(after))).toEqual([]);
      }),
      { seed: 2102, numRuns: 400 },
    );
  });
});

describe('the remediation plan', () => {
  function revoked(r: Revocation) {
    const snapshot = revokedFixture(r);
    const diagnosis = evaluateAccess(snapshot);
    return { snapshot, diagnosis, plan: planRemediation(diagnosis) };
  }

  it('grants exactly what is missing, each other right with what needs it, never Modify All (seed 2103, 400 runs)', () => {
    fc.assert(
      fc.property(revocations, (revocation) => {
        const { diagnosis, plan } = revoked(revocation);
        const missing = diagnosis.objects.flatMap((o) =>
          (o.missing ?? []).map((m) => `${o.name}.${m}`),
        );
        const planned = plan.objectRights
          .filter((r) => r.missing)
          .map((r) => `${r.sobjectType}.${r.right}`);
        expect(planned.sort()).toEqual(missing.sort());
        expect(plan.objectRights.filter((r) => !r.missing && !r.neededFor)).toEqual([]);
        expect(plan.objectPermissions.filter((o) => o.modifyAll)).toEqual([]);
      }),
      { seed: 2103, numRuns: 400 },
    );
  });

  it('once saved, leaves nothing missing, adds no problem, and a second plan grants nothing (seed 2104, 400 runs)', () => {
    let applied = 0;
    fc.assert(
      fc.property(revocations, (revocation) => {
        const { snapshot, plan } = revoked(revocation);
        // A plan that first assigns another set: what that set grants is not in the snapshot.
        fc.pre(!plan.assignFirst);
        applied += 1;
        const original = problems(evaluateAccess(fixture(revocation.name)));
        applyPlan(snapshot, plan);
        const fixed = evaluateAccess(snapshot);
        expect([...missingOf(fixed)]).toEqual([]);
        expect(notIn(problems(fixed), original)).toEqual([]);
        const again = planRemediation(fixed);
        expect({
          objects: again.objectPermissions,
          fields: again.fieldPermissions,
          system: again.systemPermissions,
        }).toEqual({ objects: [], fields: [], system: [] });
      }),
      { seed: 2104, numRuns: 400 },
    );
    // The property must be about plans that were saved, not only about the ones skipped.
    expect(applied).toBeGreaterThan(300);
  });
});

describe('the order of the records', () => {
  const normalized = (d: Diagnosis) => ({
    verdict: d.verdict,
    findings: d.findings.map((f) => `${f.severity} ${f.reason} ${f.subject} ${f.rule}`).sort(),
    objects: d.objects.map((o) => ({ ...o, grantedBy: [...o.grantedBy].sort() })),
    fields: d.fields.map((f) => ({ ...f, grantedBy: [...f.grantedBy].sort() })),
    missing: [...missingOf(d)].sort(),
  });

  it('any order of assignments, object and field rows gives the same diagnosis (seed 2105, 300 runs)', () => {
    const keys = fc.array(fc.integer(), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(
        fixtureName,
        fc.option(extraSets, { nil: undefined }),
        keys,
        keys,
        keys,
        (name, extra, a, o, f) => {
          // With one more set, two rows often give rights on one object: they must add up alike.
          const s = fixture(name);
          if (extra) assignExtraSet(s, extra);
          const shuffled: Snapshot = {
            ...s,
            assignments: permutationOf(s.assignments ?? [], a),
            objectPermissions: permutationOf(s.objectPermissions ?? [], o),
            fieldPermissions: permutationOf(s.fieldPermissions ?? [], f),
          };
          expect(normalized(evaluateAccess(shuffled))).toEqual(normalized(evaluateAccess(s)));
        },
      ),
      { seed: 2105, numRuns: 300 },
    );
  });
});

describe('sections not read', () => {
  const SECTIONS = [
    'organization',
    'user',
    'assignments',
    'objectPermissions',
    'fieldPermissions',
    'fields',
    'limits',
  ] as const;

  it('each absent section is named by a finding, whatever else is absent (seed 2106, 300 runs)', () => {
    fc.assert(
      fc.property(fixtureName, fc.subarray([...SECTIONS], { minLength: 1 }), (name, absent) => {
        const s = fixture(name);
        for (const section of absent) delete s[section];
        const d = evaluateAccess(s);
        const named = new Set(d.findings.map((f) => f.subject));
        // Without assignments, no object or field right can be judged: its finding says so for all.
        const covered = (section: string) =>
          named.has(section) ||
          (absent.includes('assignments') &&
            (section === 'objectPermissions' || section === 'fieldPermissions'));
        expect(absent.filter((section) => !covered(section))).toEqual([]);
        expect(() => planRemediation(d)).not.toThrow();
      }),
      { seed: 2106, numRuns: 300 },
    );
  });
});
