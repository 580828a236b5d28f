/**
 * The core's remediation plan as the CLI asks it: with HubSpot's relayed suspension (the rule the
 * verdict's sentence is asked by too), and the HubSpot step of an at-risk API limit, which its
 * finding's remedy leaves to the plan, printed under that remedy.
 */
import {
  checkSuspensionSteps,
  evaluateAccess,
  DEFAULT_REQUIREMENTS,
  type Diagnosis,
  type Finding,
  type RelayedStatus,
} from '@sync-doctor/core';
import { startOrgSimulator } from '@sync-doctor/org-simulator';
import { collectSnapshot, connect } from '@sync-doctor/salesforce';
import { renderDiagnosis, type CheckContext } from '../src/render/diagnosis.js';
import { planOf, relayedSuspension } from '../src/render/diagnosis/plan.js';
import { createStyle } from '../src/render/style.js';
import { relayedStatus } from './support.js';

const plain = createStyle(false);

function relayedAs(status: RelayedStatus | null): Pick<CheckContext, 'relayed'> {
  return {
    relayed: {
      status,
      updatedAt: status ? '2026-11-28T09:00:00.000Z' : null,
      source: status ? 'From HubSpot_Sync_Status__c' : 'No suspension has been relayed',
      otherPortals: [],
      check: null,
    },
  };
}

const USER = 'hubspot.integration@acme.example';
const frozen: Finding = {
  reason: 'API_ACCESS_DISABLED',
  severity: 'error',
  subject: USER,
  rule: 'frozen-user',
  message: `'${USER}' is frozen: it stays active but cannot log in, so HubSpot cannot call Salesforce at all.`,
  remedy: `Open '${USER}' in Setup > Users and click Unfreeze; then re-enter the Salesforce credentials in HubSpot's Salesforce integration settings (Connected apps > Salesforce); reconnecting clears a suspension for it.`,
};

it("the frozen user's finding here says what the core's frozen-user rule says", async () => {
  const sim = await startOrgSimulator({
    fixture: 'healthy',
    port: 0,
    changes: [{ op: 'freezeUser', user: 'integration' }],
  });
  try {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const { snapshot } = await collectSnapshot(conn, {
      user: sim.integrationUser.Username,
      requirements: DEFAULT_REQUIREMENTS,
    });
    const core = evaluateAccess(snapshot, DEFAULT_REQUIREMENTS).findings.find(
      (f) => f.rule === 'frozen-user',
    )!;
    expect(sim.integrationUser.Username).toBe(USER);
    expect(core.remedy).toBe(frozen.remedy);
    expect(core.message).toBe(frozen.message);
  } finally {
    await sim.close();
  }
});

function diagnosisOf(findings: Finding[]): Diagnosis {
  return {
    verdict: findings.some((f) => f.severity === 'error') ? 'blocked' : 'at-risk',
    findings,
    objects: [],
    fields: [],
    limits: [{ name: 'DailyApiRequests', used: 96_502, max: 100_000, ratio: 0.96502 }],
  };
}

/** The plan's HubSpot step for the frozen user. */
function hubspotStep(context: Pick<CheckContext, 'relayed'>): string {
  const step = planOf(diagnosisOf([frozen]), context).manualSteps.find(
    (s) => s.where === 'hubspot',
  );
  return step?.step ?? '';
}

describe('the plan under a relayed suspension', () => {
  it('a frozen user under a relayed suspension: "then clear the suspension.", no "if"', () => {
    for (const state of ['suspended', 'suspected'] as const) {
      const context = relayedAs(relayedStatus({ state }));
      expect(relayedSuspension(context)).toBe(true);
      expect(hubspotStep(context)).toMatch(/, then clear the suspension\.$/);
      expect(hubspotStep(context)).not.toContain('if HubSpot suspended');
    }
    // The reason relayed says how it is lifted: "API access disabled" by reconnecting.
    const reconnect = relayedAs(relayedStatus({ reason: 'API_ACCESS_DISABLED' }));
    expect(hubspotStep(reconnect)).toMatch(/: reconnecting clears the suspension\.$/);
  });

  it('without a relayed suspension (none, cleared, no status read) the step keeps its "if"', () => {
    const contexts = [
      {},
      relayedAs(null),
      relayedAs(relayedStatus({ state: 'cleared', clearedAt: '2026-11-28T10:00:00.000Z' })),
    ];
    for (const context of contexts) {
      expect(relayedSuspension(context)).toBe(false);
      expect(hubspotStep(context)).toMatch(
        /, then clear the suspension if HubSpot suspended the sync\.$/,
      );
    }
  });

  it("the frozen user's remedy already says what to do in HubSpot: no plan step repeats it", () => {
    const out = renderDiagnosis(
      diagnosisOf([frozen]),
      relayedAs(relayedStatus({ reason: 'API_ACCESS_DISABLED' })),
      { style: plain, width: 100 },
    );
    const findings = out.slice(out.indexOf('Findings ('));
    expect(findings.match(/re-enter the Salesforce credentials/g)).toHaveLength(1);
    expect(findings).not.toContain('Also:');
  });
});

describe('an at-risk API limit: its remedy in both places', () => {
  const apiLimit: Finding = {
    reason: 'API_LIMIT_EXCEEDED',
    severity: 'warning',
    subject: 'DailyApiRequests',
    rule: 'daily-api-requests',
    message:
      'The org has used 96.5% of its daily API requests (96,502 of 100,000); at 100% Salesforce refuses every call and HubSpot suspends the sync. HubSpot\'s Salesforce integration settings (Connected apps > Salesforce, Sync Health tab) show HubSpot\'s calls of the last 24 hours under "API calls used".',
    remedy:
      'In Salesforce, find which integrations use the org\'s API calls (Setup > System Overview, or the "API Usage Last 7 Days" report) and slow or pause any that run away before the org reaches 100%.',
  };
  const flat = (text: string) => text.replace(/\s+/g, ' ');

  it.each([100, 60])(
    'prints HubSpot\'s step ("Allocated to HubSpot") under the remedy, once, at %i columns',
    (width) => {
      const out = renderDiagnosis(diagnosisOf([apiLimit]), {}, { style: plain, width });
      const findings = flat(out.slice(out.indexOf('Findings (')));
      expect(findings).toContain(
        `Remedy: ${apiLimit.remedy} Also: In HubSpot's Salesforce integration settings (Connected apps > Salesforce, Sync Health tab), lower "Allocated to HubSpot" to what the org can spare and click Update`,
      );
      expect(flat(out).match(/Allocated to HubSpot/g)).toHaveLength(1);
      // The finding's message and remedy are said once.
      expect(flat(out).split('The org has used 96.5% of its daily API requests')).toHaveLength(2);
      expect(flat(out).split(apiLimit.remedy)).toHaveLength(2);
      for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(width);
    },
  );

  it('under a suspension HubSpot reported for this very reason, "HubSpot reported" says it: not again', () => {
    const context: Pick<CheckContext, 'relayed'> = relayedAs(
      relayedStatus({ reason: 'API_LIMIT_EXCEEDED' }),
    );
    const diagnosis = diagnosisOf([apiLimit]);
    context.relayed!.check = checkSuspensionSteps('API_LIMIT_EXCEEDED', diagnosis);
    const out = renderDiagnosis(diagnosis, context, { style: plain, width: 100 });
    const findings = flat(out.slice(out.indexOf('Findings (')));
    expect(findings).toContain(`Remedy: ${apiLimit.remedy}`);
    expect(findings).not.toContain('Also:');
    expect(flat(out.slice(0, out.indexOf('Findings (')))).toContain('"Allocated to HubSpot"');
    // Another reason reported: the API limit's HubSpot half is said under its remedy.
    const other = relayedAs(relayedStatus({ reason: 'OBJECT_PERMISSIONS_MISSING' }));
    other.relayed!.check = checkSuspensionSteps('OBJECT_PERMISSIONS_MISSING', diagnosis);
    expect(
      flat(renderDiagnosis(diagnosis, other, { style: plain, width: 100 })).match(
        /Also: In HubSpot's Salesforce integration settings/g,
      ),
    ).toHaveLength(1);
  });
});

describe('no findings', () => {
  it("under HubSpot's suspension the Findings say none was found, not that nothing stands in the way", () => {
    const healthy: Diagnosis = {
      verdict: 'healthy',
      findings: [],
      objects: [],
      fields: [],
      limits: [],
    };
    const out = renderDiagnosis(healthy, relayedAs(relayedStatus()), { style: plain, width: 80 });
    expect(out).toContain('Verdict: ACCESS OK, SYNC SUSPENDED');
    expect(out).toMatch(/Findings \(0\)\n {2}No problems found\.\n/);
    expect(out).not.toContain('Nothing stands in the way');
  });
});
