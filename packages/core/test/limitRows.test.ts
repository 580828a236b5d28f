/**
 * limitRows: the limits card's and the CLI's rows. A connected app whose Max is the org's maximum
 * has no quota of its own: its row is its share of the org's calls used, as the finding says it.
 */
import { evaluateAccess, limitRows } from '../src/index.js';
import { fixture } from './support.js';

describe('limitRows', () => {
  it("shows a connected app without a quota of its own as its share of the org's calls used", () => {
    const rows = limitRows([
      { name: 'DailyApiRequests', used: 96_507, max: 100_000, ratio: 0.96507 },
      { name: 'DailyApiRequests.HubSpot', used: 88_400, max: 100_000, ratio: 0.884 },
      { name: 'DataStorageMB', used: 3_120, max: 10_740, ratio: 3_120 / 10_740 },
    ]);
    expect(rows.map((r) => [r.label, r.amount, r.share, r.basis])).toEqual([
      ['API requests, last 24 hours (whole org)', '96,507 of 100,000', '96.5%', 'max'],
      [
        'API requests of the connected app HubSpot',
        "88,400 of the org's 96,507 used",
        '91.6%',
        'org-used',
      ],
      ['Data storage', '3,120 MB of 10,740 MB', '29.1%', 'max'],
    ]);
    expect(rows[1]!.of).toBe("of the org's 96,507 used");
  });

  it('keeps "of Max" for a real per-app quota', () => {
    const [, app] = limitRows([
      { name: 'DailyApiRequests', used: 50_000, max: 100_000, ratio: 0.5 },
      { name: 'DailyApiRequests.HubSpot', used: 9_000, max: 10_000, ratio: 0.9 },
    ]);
    expect([app!.amount, app!.share, app!.basis]).toEqual(['9,000 of 10,000', '90%', 'max']);
  });

  it("agrees with the finding's share of the org's calls", () => {
    const s = fixture('healthy');
    s.limits!.DailyApiRequests = {
      Max: 100_000,
      Remaining: 3_493,
      HubSpot: { Max: 100_000, Remaining: 11_600 },
    } as never;
    const d = evaluateAccess(s);
    const app = limitRows(d.limits).find((r) => r.name === 'DailyApiRequests.HubSpot')!;
    const finding = d.findings.find((f) => f.subject === 'DailyApiRequests')!;
    expect(app.share).toBe('91.6%');
    expect(finding.message).toContain(`made 88,400 of them (${app.share})`);
  });
});
