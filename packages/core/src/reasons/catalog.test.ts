import type { Finding, Severity } from '../diagnosis/types.js';
import {
  SUSPENSION_REASONS,
  findingCode,
  findingHeading,
  findingTitle,
  suspensionNextStep,
} from './catalog.js';
import { CAUSES, CAUSE_CODES } from './causes.js';
import type { ReasonCode } from './codes.js';
import { SYMPTOM_CODES, SYMPTOM_TITLES, type SymptomCode } from './symptoms.js';
import { classifySuspensionText } from './classifySuspensionText.js';
import { REASON_CODES } from './codes.js';
import { DEFAULT_REQUIREMENTS } from '../requirements/defaults.js';
import { HUBSPOT_MAPPINGS_PLACE } from '../diagnosis/hubspotPlaces.js';

describe('SUSPENSION_REASONS', () => {
  it('has exactly one entry per reason code, keyed by it', () => {
    expect(Object.keys(SUSPENSION_REASONS).sort()).toEqual([...REASON_CODES].sort());
    for (const code of REASON_CODES) expect(SUSPENSION_REASONS[code].code).toBe(code);
  });

  it('uses the English titles of issue 2', () => {
    expect(SUSPENSION_REASONS.API_LIMIT_EXCEEDED.titles.en).toBe(
      'Salesforce org API limit exceeded',
    );
    expect(SUSPENSION_REASONS.SERVER_ERROR.titles.en).toBe('Salesforce.com server error');
    expect(SUSPENSION_REASONS.HUBSPOT_API_LIMIT_EXCEEDED.titles.en).toBe(
      'HubSpot API limit exceeded',
    );
    expect(SUSPENSION_REASONS.FIELD_MAPPINGS_MISSING.titles.en).toBe('Missing field mappings');
  });

  it('uses the Danish headings of the article verbatim', () => {
    expect(SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.titles.da).toBe(
      'Manglende tilladelser til Salesforce-felter',
    );
    expect(SUSPENSION_REASONS.ORG_LOCKED.titles.da).toBe('Salesforce-organisation låst');
  });

  it.each([...REASON_CODES])('%s is complete and its titles classify back to it', (code) => {
    const reason = SUSPENSION_REASONS[code];
    expect(reason.meaning.length).toBeGreaterThan(20);
    expect(reason.remedy.length).toBeGreaterThanOrEqual(2);
    for (const step of reason.remedy) expect(step.trim().length).toBeGreaterThan(10);
    expect(reason.whereToLook.length).toBeGreaterThan(0);
    for (const place of reason.whereToLook) {
      expect(place.label).toBeTruthy();
      if (place.url) expect(place.url).toMatch(/^https:\/\//);
    }
    for (const [language, title] of Object.entries(reason.titles)) {
      expect(classifySuspensionText(title)).toEqual({ reason: code, language });
    }
  });

  it('knows which suspensions lift by themselves', () => {
    expect(SUSPENSION_REASONS.HUBSPOT_API_LIMIT_EXCEEDED.liftsByItself).toBe(true);
    expect(SUSPENSION_REASONS.HUBSPOT_API_LIMIT_EXCEEDED.clearSuspensionNext).toBe(false);
    // HubSpot's article: the error often passes, but the suspension stays until "Clear Suspension".
    expect(SUSPENSION_REASONS.UNKNOWN_ERROR.liftsByItself).toBe(false);
    expect(SUSPENSION_REASONS.UNKNOWN_ERROR.clearSuspensionNext).toBe(true);
    expect(SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.liftsByItself).toBe(false);
    expect(SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.clearSuspensionNext).toBe(true);
  });

  it('points outages at Salesforce Status', () => {
    for (const code of ['ORG_UNAVAILABLE', 'SERVER_ERROR', 'ORG_LOCKED'] as const) {
      expect(SUSPENSION_REASONS[code].whereToLook.map((w) => w.url)).toContain(
        'https://status.salesforce.com',
      );
    }
  });

  it("links HubSpot's mappings article wherever a mapping is what to change", () => {
    for (const code of ['FIELD_MAPPINGS_MISSING', 'FIELD_PERMISSIONS_MISSING'] as const) {
      expect(SUSPENSION_REASONS[code].whereToLook.map((w) => w.url)).toContain(
        'https://knowledge.hubspot.com/salesforce/map-hubspot-properties-to-salesforce-fields',
      );
    }
  });

  it("says where the lookup step differs from HubSpot's article (read and edit on related objects)", () => {
    const step = SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.remedy.find((r) =>
      r.includes('through a lookup'),
    );
    // Sync Doctor's rule (lookup-target-read) asks Read; HubSpot's article asks Edit too: the step
    // names both and when to grant Edit, rather than a bare "read (and edit where HubSpot writes)".
    expect(step).toContain('a lookup needs Read, which Sync Doctor checks');
    expect(step).toContain("HubSpot's article asks read and edit on related objects");
    expect(step).toContain(
      'if HubSpot still reports this reason once Read is granted, grant Edit on them too',
    );
  });

  it('advises exactly the object rights check requires (DEFAULT_REQUIREMENTS), object by object', () => {
    const reason = SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING;
    const step = reason.remedy.find((r) => r.includes('on each synced object'));
    expect(step).toBeDefined();
    // 'Read, Create and Edit on Lead and Contact; Read on User.' -> { Lead: 'read,create,edit', ... }
    const advised = new Map<string, string>();
    for (const clause of step!
      .slice(step!.indexOf(': ') + 2)
      .replace(/\.$/, '')
      .split('; ')) {
      const [rights, objects] = clause.split(' on ');
      const words = rights!.split(/, | and /).map((r) => r.toLowerCase().replace(/ /g, ''));
      for (const object of objects!.split(/, | and /)) advised.set(object, words.join(','));
    }
    const required = new Map(
      DEFAULT_REQUIREMENTS.objects.map((o) => [
        o.name,
        o.access.map((a) => a.toLowerCase()).join(','),
      ]),
    );
    expect(advised).toEqual(required);
    for (const o of DEFAULT_REQUIREMENTS.objects) expect(reason.meaning).toContain(o.name);
  });
});

describe('findingTitle', () => {
  const finding = (
    reason: ReasonCode,
    severity: Severity,
    symptom?: SymptomCode,
  ): Pick<Finding, 'reason' | 'severity' | 'symptom'> => ({ reason, severity, symptom });

  it("heads an error by HubSpot's title, a warning by what it forecasts: never as the suspension having happened", () => {
    // api-limit-near: 96.5% of the org's API limit is not "exceeded".
    expect(findingTitle(finding('API_LIMIT_EXCEEDED', 'warning'))).toBe(
      "At risk: Salesforce org API limit nearly reached (HubSpot's reason if it suspends: Salesforce org API limit exceeded)",
    );
    expect(findingTitle(finding('STORAGE_LIMIT_EXCEEDED', 'warning'))).toBe(
      "At risk: Salesforce org storage nearly full (HubSpot's reason if it suspends: Salesforce org storage limits exceeded)",
    );
    expect(findingTitle(finding('API_LIMIT_EXCEEDED', 'error'))).toBe(
      'Salesforce org API limit exceeded',
    );
    // The heading without 'At risk: ', for a verdict that says so itself.
    expect(findingHeading(finding('API_LIMIT_EXCEEDED', 'warning'))).toBe(
      "Salesforce org API limit nearly reached (HubSpot's reason if it suspends: Salesforce org API limit exceeded)",
    );
    expect(findingHeading(finding('API_LIMIT_EXCEEDED', 'error'))).toBe(
      'Salesforce org API limit exceeded',
    );
  });

  it('heads a note as about the reason, never as the reason having happened', () => {
    expect(findingTitle(finding('API_LIMIT_EXCEEDED', 'info'))).toBe(
      'About HubSpot\'s reason "Salesforce org API limit exceeded"',
    );
  });

  it('has, for every reason, a risk title that does not say the reason happened', () => {
    for (const code of REASON_CODES) {
      const { riskTitle, titles } = SUSPENSION_REASONS[code];
      expect(riskTitle.length).toBeGreaterThan(10);
      expect(riskTitle).not.toBe(titles.en);
      // A forecast: it may happen, or is nearly there; never HubSpot's past participle alone.
      expect(riskTitle).toMatch(/\b(may|nearly)\b/);
      expect(riskTitle).not.toMatch(/\b(exceeded|disabled)\b/i);
      expect(findingTitle(finding(code, 'warning'))).toContain(riskTitle);
      expect(findingTitle(finding(code, 'error'))).toBe(titles.en);
    }
  });

  it('heads a symptom as itself, never as the reason it was filed under', () => {
    const stopped = finding('API_ACCESS_DISABLED', 'warning', 'SYNC_STOPPED');
    expect(findingTitle(stopped)).toBe("At risk: HubSpot's sync has stopped");
    expect(findingCode(stopped)).toBe('SYNC_STOPPED');
    expect(findingTitle(finding('API_ACCESS_DISABLED', 'info', 'NO_RECENT_LOGIN'))).toBe(
      'HubSpot has not logged in as this user',
    );
    // A refused login is HubSpot's "API access disabled", and stays under it.
    const refused = finding('API_ACCESS_DISABLED', 'error');
    expect(findingTitle(refused)).toBe('Salesforce org API access disabled');
    expect(findingCode(refused)).toBe('API_ACCESS_DISABLED');
  });

  it("heads a cause as itself, naming HubSpot's reason it leads to", () => {
    const inactive = {
      ...finding('API_ACCESS_DISABLED', 'error'),
      cause: 'USER_INACTIVE' as const,
    };
    expect(findingTitle(inactive)).toBe(
      'Integration user inactive (HubSpot would suspend with: Salesforce org API access disabled)',
    );
    expect(findingCode(inactive)).toBe('USER_INACTIVE');
    const frozen = { ...finding('API_ACCESS_DISABLED', 'warning'), cause: 'USER_FROZEN' as const };
    expect(findingTitle(frozen)).toBe(
      "At risk: Integration user frozen (HubSpot's reason if it suspends: Salesforce org API access disabled)",
    );
    // Every cause leads to one of HubSpot's reasons, and has a title of its own.
    for (const code of CAUSE_CODES) {
      expect(CAUSES[code].code).toBe(code);
      expect(SUSPENSION_REASONS[CAUSES[code].reason]).toBeDefined();
      expect(CAUSES[code].title).not.toBe(SUSPENSION_REASONS[CAUSES[code].reason].titles.en);
    }
  });

  it('has a title for every symptom', () => {
    for (const code of SYMPTOM_CODES) expect(SYMPTOM_TITLES[code].length).toBeGreaterThan(10);
  });
});

describe('where to look: each link is what its label says', () => {
  it('"Allocated to HubSpot" is a place in HubSpot; the article that explains it is labelled as the article', () => {
    for (const code of ['API_LIMIT_EXCEEDED', 'HUBSPOT_API_LIMIT_EXCEEDED'] as const) {
      const places = SUSPENSION_REASONS[code].whereToLook;
      const setting = places.find((p) => p.label.includes('"Allocated to HubSpot"'))!;
      expect(setting.url).toBeUndefined();
      const article = places.find((p) =>
        p.url?.endsWith('/resolve-salesforce-integration-sync-errors'),
      )!;
      expect(article.label).toMatch(
        /^HubSpot's help article: Manage Salesforce integration API calls/,
      );
    }
  });
});

describe('suspensionNextStep: the banner follows the reason', () => {
  it('API access disabled: reconnect, not "Clear Suspension"', () => {
    const text = suspensionNextStep('API_ACCESS_DISABLED', { blocked: true });
    expect(text).toBe(
      'Fix the findings below first, then re-enter the integration user\'s Salesforce credentials in HubSpot (reconnect): "Clear Suspension" is not the way out of this one.',
    );
    expect(suspensionNextStep('API_ACCESS_DISABLED', { blocked: false })).toContain('reconnect');
  });
  it("HubSpot's allocation lifts by itself; others are cleared in HubSpot", () => {
    expect(suspensionNextStep('HUBSPOT_API_LIMIT_EXCEEDED', { blocked: true })).toBe(
      'Fix the findings below first; HubSpot resumes by itself once calls fall out of the rolling 24-hour window.',
    );
    expect(suspensionNextStep('STORAGE_LIMIT_EXCEEDED', { blocked: true })).toBe(
      'Fix the findings below first, then clear the suspension in HubSpot.',
    );
    expect(suspensionNextStep(null, { blocked: true })).toBe(
      'Fix the findings below first, then clear the suspension in HubSpot.',
    );
  });
});

describe('Missing field mappings: words an admin reads', () => {
  const entry = SUSPENSION_REASONS.FIELD_MAPPINGS_MISSING;
  it('says what happened to the mappings without "gone"', () => {
    expect(entry.meaning).not.toMatch(/\bgone\b/);
    expect(entry.meaning).toContain('missing or were removed');
  });
  it('names the mappings as the place it points to does ("property mappings")', () => {
    expect(HUBSPOT_MAPPINGS_PLACE).toContain('property mappings');
    expect(entry.remedy[0]).toContain('property mappings');
    expect(entry.remedy[0]).not.toContain('field mappings');
  });
});
