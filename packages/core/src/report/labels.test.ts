import { RULES } from '../diagnosis/rules.js';
import type { Snapshot } from '../snapshot/types.js';
import { uncheckedOf } from '../snapshot/unchecked.js';
import {
  NO_PROBLEMS_FOUND,
  NO_PROBLEMS_FOUND_PARTLY,
  RULE_LABELS,
  SEVERITY_LABELS,
  findingCountsLabel,
  limitLabel,
  noProblemsLabel,
  ruleLabel,
  shareLabel,
  subjectLabel,
} from './labels.js';

describe('labels: what a finding is about, as Setup names it', () => {
  it.each([
    ['DailyApiRequests', 'API requests, last 24 hours (whole org)', ''],
    ['DailyApiRequests.HubSpot', 'API requests of the connected app HubSpot', ''],
    ['DataStorageMB', 'Data storage', ' MB'],
    ['FileStorageMB', 'File storage', ' MB'],
    ['DailyBulkApiBatches', 'DailyBulkApiBatches', ''],
  ])('limit %s reads "%s"', (name, label, unit) => {
    expect(limitLabel(name)).toEqual({ label, unit });
  });

  it.each([
    [0.23, '23%'],
    [0.965, '96.5%'],
    [10792 / 10740, '100.5%'],
    [0, '0%'],
    [Number.NaN, '?'],
    [Number.POSITIVE_INFINITY, '?'],
  ])('a limit used to %s reads "%s" (never clamped, so past the limit shows)', (ratio, label) => {
    expect(shareLabel(ratio)).toBe(label);
  });

  it.each([
    ['DataStorageMB', 'Data storage'],
    ['DailyApiRequests.HubSpot', 'API requests of the connected app HubSpot'],
    ['PermissionsApiEnabled', 'API Enabled (system permission)'],
    ['PermissionsViewAllUsers', 'View All Users (system permission)'],
    ['Contact', 'Contact'],
    ['Contact.Email', 'Contact.Email'],
    ['hubspot@acme.com', 'hubspot@acme.com'],
    ['HubSpot Integration Permissions', 'HubSpot Integration Permissions'],
    ['', ''],
  ])('subject %j reads %j', (subject, label) => {
    expect(subjectLabel(subject)).toBe(label);
  });
});

describe('rule labels: what each rule checks, in words an admin knows', () => {
  const ids = Object.values(RULES);

  it('labels every rule of RULES, and nothing else', () => {
    expect(Object.keys(RULE_LABELS).sort()).toEqual([...ids].sort());
  });

  it.each(ids)('%s has a label of its own, not its id', (id) => {
    const label = ruleLabel(id);
    expect(label).toBe(RULE_LABELS[id]);
    expect(label).not.toBe(id);
    expect(label).toMatch(/^[A-Z]/);
    expect(label.length).toBeLessThanOrEqual(70);
  });

  it('no two rules read alike', () => {
    expect(new Set(Object.values(RULE_LABELS)).size).toBe(ids.length);
  });

  it.each([
    ['object-permissions', 'Object permissions (ObjectPermissions, Modify/View All Data)'],
    ['field-level-security', 'Field-level security (FieldPermissions, View All Fields)'],
    ['api-enabled', 'API Enabled (system permission)'],
  ])('%s reads %j', (id, label) => {
    expect(ruleLabel(id)).toBe(label);
  });

  it('gives an id it does not know (a newer core) as it is', () => {
    expect(ruleLabel('some-future-rule')).toBe('some-future-rule');
    expect(ruleLabel('toString')).toBe('toString');
    expect(ruleLabel('')).toBe('');
  });
});

describe("findingCountsLabel: the counts in the badges' words", () => {
  it.each([
    [{ error: 1, warning: 0, info: 0 }, '1 finding blocks the sync, 0 risks, 0 notes'],
    [{ error: 0, warning: 1, info: 1 }, '0 findings block the sync, 1 risk, 1 note'],
    [{ error: 55, warning: 2, info: 3 }, '55 findings block the sync, 2 risks, 3 notes'],
    [{}, '0 findings block the sync, 0 risks, 0 notes'],
  ])('%j reads "%s"', (counts, text) => {
    expect(findingCountsLabel(counts)).toBe(text);
  });

  it('names each severity by its badge', () => {
    expect(SEVERITY_LABELS).toEqual({ error: 'Blocks the sync', warning: 'Risk', info: 'Note' });
  });
});

describe('noProblemsLabel: no finding is no all-clear when checks were skipped', () => {
  it('says "in what Sync Doctor could read" when a check was not made', () => {
    const unchecked = uncheckedOf({
      capturedAt: '',
      user: { Id: '005', Username: 'u', IsActive: true },
    } as Snapshot);
    expect(unchecked.length).toBeGreaterThan(0);
    expect(noProblemsLabel(unchecked)).toBe('No problems found in what Sync Doctor could read.');
    expect(noProblemsLabel(unchecked)).toBe(NO_PROBLEMS_FOUND_PARTLY);
  });

  it('is the plain sentence when every check was made, or nothing says otherwise', () => {
    expect(noProblemsLabel([])).toBe('No problems found.');
    expect(noProblemsLabel(undefined)).toBe(NO_PROBLEMS_FOUND);
    expect(noProblemsLabel(null)).toBe(NO_PROBLEMS_FOUND);
  });
});
