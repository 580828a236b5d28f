/** The verdict's sentence: each cause once, HubSpot's reason as a forecast, once per reason. */
import type { Finding } from '../src/diagnosis/types.js';
import { verdictSentence } from '../src/report/verdict.js';
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { formatReport } from '../src/report/formatReport.js';
import { HUBSPOT_SET, fixture } from './support.js';

const finding = (extra: Partial<Finding>): Finding => ({
  reason: 'API_ACCESS_DISABLED',
  severity: 'error',
  subject: 'hubspot@acme.com',
  message: '',
  remedy: '',
  ...extra,
});
const frozen = finding({ cause: 'USER_FROZEN', rule: 'frozen-user' });
const notApproved = finding({
  cause: 'CONNECTED_APP_NOT_APPROVED',
  rule: 'connected-app-approval',
  subject: 'HubSpot',
  pending: true,
});

describe('verdictSentence', () => {
  it("names HubSpot's reason once, as a forecast, for two causes of the same reason", () => {
    const text = verdictSentence({ verdict: 'blocked', findings: [frozen, notApproved] })!;
    expect(text).toBe(
      "HubSpot cannot sync: Integration user frozen and Integration user not approved for HubSpot's connected app (HubSpot would suspend with: Salesforce org API access disabled). Fix them below.",
    );
    expect(text).not.toContain("HubSpot's reason:");
  });

  it('says a refusal still to come as what will happen, not as a sync already blocked', () => {
    expect(verdictSentence({ verdict: 'blocked', findings: [notApproved] })).toBe(
      "HubSpot still syncs, but Salesforce will refuse it from its next login on: Integration user not approved for HubSpot's connected app (HubSpot would suspend with: Salesforce org API access disabled). Fix it below.",
    );
  });

  it('says a stopped sync with no cause found as blocked, and where to see why', () => {
    const stopped = finding({ symptom: 'SYNC_STOPPED', rule: 'hubspot-logins-stopped' });
    expect(verdictSentence({ verdict: 'blocked', findings: [stopped] })).toBe(
      "HubSpot's sync has stopped and Sync Doctor found no cause in Salesforce: open HubSpot's Salesforce integration settings (Connected apps > Salesforce, Sync Health tab) to see why.",
    );
  });

  it('says most findings may come from the set to assign first', () => {
    const missing = Array.from({ length: 55 }, (_, i) =>
      finding({ reason: 'FIELD_PERMISSIONS_MISSING', subject: `Contact.F${i}` }),
    );
    expect(
      verdictSentence(
        { verdict: 'blocked', findings: missing },
        { assignFirst: ['HubSpot Integration Permissions'] },
      ),
    ).toBe(
      "HubSpot cannot sync: Salesforce field permissions missing. Most findings may come from 'HubSpot Integration Permissions' not being assigned: assign it first, then check again.",
    );
  });
});

describe("the report's verdict", () => {
  it('says what blocks the sync, and the unassigned set behind most findings', () => {
    const s = fixture('healthy');
    s.assignments = s.assignments!.filter((a) => a.PermissionSetId !== HUBSPOT_SET);
    for (const r of s.objectPermissions!.filter((r) => r.ParentId === HUBSPOT_SET))
      r.PermissionsEdit = false;
    for (const r of s.fieldPermissions!) r.PermissionsEdit = false;
    const d = evaluateAccess(s);
    expect(d.verdict).toBe('blocked');
    expect(formatReport(d, { snapshot: s }).replace(/\s+/g, ' ')).toContain(
      'not being assigned: assign it first, then check again.',
    );
  });
});

describe("the report's verdict, as the app's", () => {
  it('says what risks an at-risk sync, without the page\'s "below"', () => {
    const s = fixture('healthy');
    s.limits!.DailyApiRequests!.Remaining = 8_000;
    const d = evaluateAccess(s);
    expect(d.verdict).toBe('at-risk');
    const text = formatReport(d, { snapshot: s }).replace(/\s+/g, ' ');
    expect(verdictSentence(d)).toBe(
      "HubSpot can sync now, but something below will suspend it soon or breaks part of the sync: Salesforce org API limit nearly reached (HubSpot's reason if it suspends: Salesforce org API limit exceeded).",
    );
    expect(text).toContain(
      "HubSpot can sync now, but something will suspend it soon or breaks part of the sync: Salesforce org API limit nearly reached (HubSpot's reason if it suspends: Salesforce org API limit exceeded).",
    );
    expect(text).not.toMatch(/\bbelow\b/);
  });

  it("says a stopped sync found with a risk only in the report's words too", () => {
    const stopped = finding({
      severity: 'warning',
      symptom: 'SYNC_STOPPED',
      rule: 'hubspot-logins-stopped',
    });
    const limit = finding({
      severity: 'warning',
      reason: 'API_LIMIT_EXCEEDED',
      rule: 'api-limit-near',
    });
    const d = { verdict: 'at-risk' as const, findings: [stopped, limit] };
    expect(verdictSentence(d, { report: true })).not.toMatch(/\bbelow\b/i);
    expect(verdictSentence(d)).toMatch(/\bbelow\b/i);
  });
});
