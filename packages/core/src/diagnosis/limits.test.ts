import { fixture } from '../../test/support.js';
import type { Snapshot } from '../snapshot/types.js';
import { evaluateAccess } from './evaluateAccess.js';
import { RULES } from './rules.js';

/** The healthy fixture with the org's (and HubSpot's connected app's) API use set. */
function withApiUse(orgRemaining: number, hubspotRemaining?: number): Snapshot {
  const snapshot = fixture('healthy');
  const api = snapshot.limits!.DailyApiRequests!;
  api.Remaining = orgRemaining;
  if (hubspotRemaining !== undefined)
    (api as unknown as Record<string, unknown>).HubSpot = {
      Max: 100000,
      Remaining: hubspotRemaining,
    };
  return snapshot;
}

const ALLOCATION = /allocat/i;

describe('judgeLimits: where each API limit step is done', () => {
  it.each([
    ['near (96.5%)', 3498],
    ['exhausted', 0],
  ])(
    "the org limit %s: its Salesforce step does not ask for HubSpot's allocation, a HubSpot setting",
    (_, remaining) => {
      const diagnosis = evaluateAccess(withApiUse(remaining));
      const finding = diagnosis.findings.find((f) => f.subject === 'DailyApiRequests')!;
      expect(finding.remedy).toMatch(/^In Salesforce, find which integrations use the org's API/);
      // The remediation plan lists this rule's step under Salesforce (stepPlace).
      expect(finding.rule).toBe(RULES.apiLimit);
      expect(finding.remedy).not.toMatch(ALLOCATION);
    },
  );

  it("the connected app's cap: HubSpot's allocation, named where HubSpot sets it, is done in HubSpot", () => {
    const diagnosis = evaluateAccess(withApiUse(3498, 11600));
    const app = diagnosis.findings.find((f) => f.subject === 'DailyApiRequests.HubSpot')!;
    // The remediation plan lists this rule's step under HubSpot (HUBSPOT_RULES).
    expect(app.rule).toBe(RULES.connectedAppApiLimit);
    expect(app.remedy).toMatch(/^In HubSpot's /);
    expect(app.remedy).toContain(
      'In HubSpot\'s Salesforce integration settings (Connected apps > Salesforce, Sync Health tab), lower "Allocated to HubSpot" so HubSpot stays under',
    );
  });
});
