import { limitLabel, shareLabel, subjectLabel } from './labels.js';

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
