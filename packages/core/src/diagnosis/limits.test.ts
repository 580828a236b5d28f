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
    // A per-app quota of its own (a Salesforce pilot), below the org's 100,000.
    (api as unknown as Record<string, unknown>).HubSpot = {
      Max: 20000,
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
    const diagnosis = evaluateAccess(withApiUse(3498, 1600));
    const app = diagnosis.findings.find((f) => f.subject === 'DailyApiRequests.HubSpot')!;
    // The remediation plan lists this rule's step under HubSpot (HUBSPOT_RULES).
    expect(app.rule).toBe(RULES.connectedAppApiLimit);
    expect(app.remedy).toMatch(/^In HubSpot's /);
    expect(app.remedy).toContain(
      'In HubSpot\'s Salesforce integration settings (Connected apps > Salesforce, Sync Health tab), lower "Allocated to HubSpot" so HubSpot stays under',
    );
  });
});

describe('judgeLimits: a per-app quota is only one of its own', () => {
  function withHubSpotApp(max: number, remaining: number): Snapshot {
    const snapshot = fixture('healthy');
    const api = snapshot.limits!.DailyApiRequests!;
    api.Remaining = 3500;
    (api as unknown as Record<string, unknown>).HubSpot = { Max: max, Remaining: remaining };
    return snapshot;
  }
  const appFindings = (s: Snapshot) =>
    evaluateAccess(s).findings.filter((f) => f.rule === RULES.connectedAppApiLimit);

  it('Max 0 (no per-app quota, as /limits lists every app): judged against the org limit only', () => {
    expect(appFindings(withHubSpotApp(0, 0))).toEqual([]);
  });

  it("Max equal to the org's maximum: no per-app limit to raise, the org limit's finding says it", () => {
    const findings = appFindings(withHubSpotApp(100000, 11600));
    expect(findings).toEqual([]);
    const org = evaluateAccess(withHubSpotApp(100000, 11600)).findings.find(
      (f) => f.subject === 'DailyApiRequests',
    )!;
    expect(org.severity).toBe('warning');
  });

  it('a quota of its own (Max > 0, not the org maximum): the per-app wording', () => {
    const [finding] = appFindings(withHubSpotApp(20000, 2000));
    expect(finding!.message).toContain("'HubSpot' has used 90% of the 20,000 API requests");
  });
});

describe("judgeLimits: the org limit's finding says HubSpot's own share of the calls", () => {
  function withApps(apps: Record<string, { Max: number; Remaining: number }>): Snapshot {
    const snapshot = fixture('healthy');
    const api = snapshot.limits!.DailyApiRequests!;
    api.Remaining = 3500; // 96,500 of 100,000 used
    Object.assign(api as unknown as Record<string, unknown>, apps);
    return snapshot;
  }
  const orgFinding = (s: Snapshot) =>
    evaluateAccess(s).findings.find((f) => f.subject === 'DailyApiRequests')!;

  it('names how many of the org’s calls HubSpot’s connected app made, so the admin knows which side to slow', () => {
    const finding = orgFinding(withApps({ HubSpot: { Max: 100000, Remaining: 11600 } }));
    expect(finding.message).toContain(
      "HubSpot's connected app 'HubSpot' made 88,400 of them (91.6%).",
    );
  });

  it('says where HubSpot shows its share when /limits gives its app no count (Max 0, as real orgs list apps without a quota) or lists no HubSpot app', () => {
    const cases: Record<string, { Max: number; Remaining: number }>[] = [
      { HubSpot: { Max: 0, Remaining: 0 } },
      { 'Other App': { Max: 100000, Remaining: 50000 } },
    ];
    for (const apps of cases) {
      const finding = orgFinding(withApps(apps));
      expect(finding.message).not.toContain('made');
      expect(finding.message).toContain(
        " Salesforce counts no calls per connected app without a quota of its own, so HubSpot's share is not in its limits: HubSpot's Salesforce integration settings (Connected apps > Salesforce, Sync Health tab) show HubSpot's calls of the last 24 hours under \"API calls used\".",
      );
      // The fix already names Salesforce's report: the message does not say it twice.
      expect(finding.message).not.toContain('API Usage Last 7 Days');
      expect(finding.remedy).toContain('API Usage Last 7 Days');
    }
    // Over the limit too (the error), not only near it.
    const over = withApps({ HubSpot: { Max: 0, Remaining: 0 } });
    over.limits!.DailyApiRequests!.Remaining = 0;
    expect(orgFinding(over).severity).toBe('error');
    expect(orgFinding(over).message).toContain('"API calls used"');
    // Below the warning share, no finding at all, so nothing to say.
    const calm = withApps({ HubSpot: { Max: 0, Remaining: 0 } });
    calm.limits!.DailyApiRequests!.Remaining = 80000;
    expect(orgFinding(calm)).toBeUndefined();
  });
});
