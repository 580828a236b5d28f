/**
 * The generated fixture changes other packages' property tests use (src/arbitraries.ts) must apply
 * to every fixture: a name that base.json lost would make applyChanges throw there, far from here.
 */
import fc from 'fast-check';
import { orgChange } from '../src/arbitraries.js';
import { FIXTURE_NAMES, startOrgSimulator, type OrgSimulator } from '../src/index.js';

let sim: OrgSimulator;
beforeAll(async () => {
  sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
});
afterAll(() => sim.close());

describe('the generated fixture changes', () => {
  it('apply to every fixture, and the integration user stays the one HubSpot uses (seed 2501, 300 runs)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIXTURE_NAMES),
        fc.array(orgChange, { maxLength: 8 }),
        (fixture, changes) => {
          expect(() => sim.useFixture(fixture, 'default', { changes })).not.toThrow();
          expect(sim.integrationUser.Username).toMatch(/^hubspot\./);
        },
      ),
      { seed: 2501, numRuns: 300 },
    );
  });
});
