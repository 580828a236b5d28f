import {
  chooseIntegrationUser,
  compareIntegrationUserCandidates,
  rankIntegrationUserCandidates,
  type IntegrationUserCandidate,
  type IntegrationUserSource,
} from '../src/integrationUser/chooseIntegrationUser.js';

let nextId = 1;
function candidate(
  name: string | null,
  sources: IntegrationUserSource[],
  isActive = true,
): IntegrationUserCandidate {
  const id = String(nextId++).padStart(12, '0');
  return {
    userId: `005${id}`,
    username: `${(name ?? 'nameless').toLowerCase().replace(/\s+/g, '.')}@acme.example`,
    name,
    isActive,
    sources,
  };
}

describe('rankIntegrationUserCandidates (the one ranking: CLI, preview and the LWC inside Salesforce)', () => {
  it('puts more evidence first, whatever the activity or the name', () => {
    const one = candidate('Aaron', ['oauth']);
    const two = candidate('Zed', ['oauth', 'permissionSet'], false);
    const three = candidate('Mia', ['oauth', 'permissionSet', 'saved'], false);
    expect(rankIntegrationUserCandidates([one, two, three]).map((c) => c.name)).toEqual([
      'Mia',
      'Zed',
      'Aaron',
    ]);
  });

  it('at equal evidence puts active users first, then orders by name by code unit like Apex', () => {
    const inactive = candidate('Alice', ['oauth'], false);
    const lower = candidate('bob', ['permissionSet']);
    const upper = candidate('Bob', ['oauth']);
    const nameless = candidate(null, ['saved']);
    // Apex String.compareTo is by code unit: '' < 'Bob' < 'bob' (uppercase sorts first).
    expect(
      rankIntegrationUserCandidates([inactive, lower, upper, nameless]).map((c) => c.name),
    ).toEqual([null, 'Bob', 'bob', 'Alice']);
  });

  it('merges the evidence of a user listed twice and keeps the canonical source order', () => {
    const holder = candidate('Hub', ['saved', 'permissionSet']);
    const ranked = rankIntegrationUserCandidates([
      holder,
      { ...holder, sources: ['oauth', 'saved'] },
      candidate('Other', ['oauth']),
    ]);
    expect(ranked).toHaveLength(2);
    expect(ranked[0]).toMatchObject({ name: 'Hub', sources: ['oauth', 'permissionSet', 'saved'] });
  });

  it('does not change its input', () => {
    const list = [candidate('B', ['oauth']), candidate('A', ['oauth', 'saved'])];
    const copy = structuredClone(list);
    rankIntegrationUserCandidates(list);
    expect(list).toEqual(copy);
  });

  it('compare is antisymmetric and zero only for the same evidence, activity and name', () => {
    const a = candidate('Same', ['oauth']);
    const b = { ...candidate('Same', ['saved']) };
    expect(compareIntegrationUserCandidates(a, b)).toBe(0);
    const c = candidate('Same', ['saved'], false);
    expect(Math.sign(compareIntegrationUserCandidates(a, c))).toBe(
      -Math.sign(compareIntegrationUserCandidates(c, a)),
    );
    expect(compareIntegrationUserCandidates(a, c)).toBeLessThan(0);
  });
});

describe('chooseIntegrationUser', () => {
  it('none: no candidates, or only users without evidence', () => {
    expect(chooseIntegrationUser([])).toEqual({ outcome: 'none' });
    expect(chooseIntegrationUser([candidate('Searched', [])])).toEqual({ outcome: 'none' });
  });

  it('one candidate is chosen, active or not (an inactive user is the finding to show)', () => {
    const only = candidate('Former', ['oauth'], false);
    expect(chooseIntegrationUser([only])).toEqual({ outcome: 'chosen', user: only, others: [] });
  });

  it('chooses the user with the most evidence and lists the others ranked', () => {
    const hub = candidate('HubSpot Integration', ['oauth', 'permissionSet']);
    const sales = candidate('Sam Sales', ['oauth']);
    const old = candidate('Old Connector', ['oauth'], false);
    const choice = chooseIntegrationUser([old, sales, hub]);
    expect(choice).toEqual({ outcome: 'chosen', user: hub, others: [sales, old] });
  });

  it('at equal evidence chooses the only active one', () => {
    const active = candidate('Zara', ['oauth']);
    const inactive = candidate('Adam', ['oauth'], false);
    expect(chooseIntegrationUser([inactive, active])).toMatchObject({
      outcome: 'chosen',
      user: { name: 'Zara' },
      others: [{ name: 'Adam' }],
    });
  });

  it('a tie on evidence and activity is ambiguous: the name is no evidence', () => {
    const a = candidate('Anna', ['oauth', 'permissionSet']);
    const b = candidate('Bert', ['permissionSet', 'saved']);
    const weaker = candidate('Carl', ['oauth']);
    const choice = chooseIntegrationUser([weaker, b, a]);
    expect(choice).toEqual({ outcome: 'ambiguous', tied: [a, b], others: [weaker] });
  });

  it('two inactive users tied at the top are ambiguous too', () => {
    const choice = chooseIntegrationUser([
      candidate('X', ['oauth'], false),
      candidate('Y', ['saved'], false),
    ]);
    expect(choice.outcome).toBe('ambiguous');
  });
});
