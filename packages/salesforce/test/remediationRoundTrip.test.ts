/**
 * The whole Node fix, on generated orgs: each simulated fixture with rights taken away at random
 * (the simulator's generated rightsChange: object rights of HubSpot's set or of the integration
 * user's profile, field-level security, API Enabled, Edit Tasks), then read by the collector,
 * judged by the core, planned, and written back by applyRemediation (the Node twin of the app's
 * Apex fix, which the demo's Fix button runs). One fix must be enough: read again,
 * nothing is missing, a new plan grants nothing, and every error left is one of the plan's steps
 * by hand (an inactive user, a full storage). The core's property tests check the plan on
 * snapshots; this checks that the collector reads and the applier writes what the core means, in
 * an order Salesforce accepts (the simulator refuses a right without the rights it depends on).
 * Against the org simulator: no Salesforce org is reachable from here. Seed fixed.
 */
import fc from 'fast-check';
import { evaluateAccess, planRemediation, type RemediationPlan } from '@sync-doctor/core';
import { FIXTURE_NAMES, startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { rightsChange } from '@sync-doctor/org-simulator/arbitraries';
import type { Connection } from 'jsforce';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { connect } from '../src/connect.js';
import { applyRemediation } from '../src/write/applyRemediation.js';

jest.setTimeout(120_000);

let sim: OrgSimulator;
beforeAll(async () => {
  sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
});
afterAll(() => sim.close());

async function diagnose(conn: Connection) {
  const { snapshot } = await collectSnapshot(conn, { user: sim.integrationUser.Username });
  return evaluateAccess(snapshot);
}

/** Everything applyRemediation would write for the plan, counted. */
const writesOf = (plan: RemediationPlan): number =>
  plan.assignPermissionSets.length +
  plan.objectPermissions.length +
  plan.fieldPermissions.length +
  plan.systemPermissions.length +
  plan.connectedApps.length;

describe('applyRemediation on generated orgs', () => {
  it('one fix leaves nothing to grant, nothing missing, and only steps by hand (seed 2301, 150 runs)', async () => {
    let fixed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FIXTURE_NAMES),
        fc.array(rightsChange, { maxLength: 8 }),
        async (fixture, changes) => {
          sim.useFixture(fixture, 'default', { changes });
          const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
          const plan = planRemediation(await diagnose(conn));
          if (writesOf(plan) > 0) {
            await applyRemediation(conn, { userId: sim.integrationUser.Id, plan });
            fixed += 1;
          }
          const after = await diagnose(conn);
          const again = planRemediation(after);
          expect(writesOf(again)).toBe(0);
          expect(after.objects.filter((o) => o.missing?.length)).toEqual([]);
          expect(after.fields.filter((f) => f.missing?.length)).toEqual([]);
          const byHand = new Set(again.manualSteps.map((s) => `${s.reason} ${s.subject}`));
          const errors = after.findings
            .filter((f) => f.severity === 'error')
            .map((f) => `${f.reason} ${f.subject}`);
          expect(errors.filter((e) => !byHand.has(e))).toEqual([]);
        },
      ),
      { seed: 2301, numRuns: 150 },
    );
    // Most generated orgs must have needed a fix, or the property says little.
    expect(fixed).toBeGreaterThan(100);
  });
});
