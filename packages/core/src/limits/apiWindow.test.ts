import { apiWindow, type ApiUsageSample } from './apiWindow.js';

const T0 = Date.parse('2026-11-28T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A sample every 10 minutes for `count` samples, the count growing by `perHour`. */
function steady(start: number, perHour: number, count: number, fromMinute = 0): ApiUsageSample[] {
  return Array.from({ length: count }, (_, i) => ({
    at: at(fromMinute + i * 10),
    used: start + (perHour * i) / 6,
  }));
}

describe('apiWindow', () => {
  it('computes calls left and when the org limit and allocation run out at a steady rate', () => {
    // 1,000 calls an hour, 10,000 used at 11:00 of a 15,000 org with 12,000 allocated to HubSpot.
    const result = apiWindow(steady(9_000, 1_000, 7), {
      orgMax: 15_000,
      hubspotAllocation: 12_000,
    });
    expect(result.ratePerHour).toBeCloseTo(1_000, 6);
    expect(result.orgCallsLeft).toBe(5_000);
    expect(result.callsLeft).toBe(2_000);
    expect(result.allocationExhaustedAt).toBe(at(60 + 120)); // 2,000 calls at 1,000/h after 11:00
    expect(result.orgLimitExhaustedAt).toBe(at(60 + 300));
  });

  it('without an allocation HubSpot may use all the org has', () => {
    const result = apiWindow(steady(9_000, 1_000, 7), { orgMax: 15_000 });
    expect(result.callsLeft).toBe(result.orgCallsLeft);
    expect(result.allocationExhaustedAt).toBe(result.orgLimitExhaustedAt);
  });

  it('says never when the rolling count is flat or falling', () => {
    const flat = apiWindow(steady(5_000, 0, 6), { orgMax: 15_000, hubspotAllocation: 8_000 });
    expect(flat.ratePerHour).toBe(0);
    expect(flat.allocationExhaustedAt).toBeNull();
    expect(flat.orgLimitExhaustedAt).toBeNull();
    const falling = apiWindow(steady(5_000, -300, 6), { orgMax: 15_000 });
    expect(falling.ratePerHour).toBeLessThan(0);
    expect(falling.orgLimitExhaustedAt).toBeNull();
    expect(falling.orgCallsLeft).toBe(15_000 - (5_000 - 250));
  });

  it('accepts samples out of order', () => {
    const ordered = steady(9_000, 1_000, 7);
    const shuffled = [
      ordered[3]!,
      ordered[6]!,
      ordered[0]!,
      ordered[5]!,
      ordered[1]!,
      ordered[4]!,
      ordered[2]!,
    ];
    expect(apiWindow(shuffled, { orgMax: 15_000, hubspotAllocation: 12_000 })).toEqual(
      apiWindow(ordered, { orgMax: 15_000, hubspotAllocation: 12_000 }),
    );
  });

  it('fits the slope on the last hour only, so an earlier burst does not distort it', () => {
    // A burst of 6,000/h two hours ago, then 600/h for the last hour.
    const samples = [...steady(0, 6_000, 7, 0), ...steady(6_100, 600, 7, 120)];
    const result = apiWindow(samples, { orgMax: 15_000 });
    expect(result.ratePerHour).toBeCloseTo(600, 6);
  });

  it('starts afresh after a reset (a large drop of the count)', () => {
    const samples = [...steady(12_000, 2_000, 4, 0), ...steady(1_000, 500, 4, 40)];
    const result = apiWindow(samples, { orgMax: 15_000 });
    expect(result.ratePerHour).toBeCloseTo(500, 6);
    expect(result.orgCallsLeft).toBe(15_000 - 1_250);
  });

  it('reports an already exhausted limit at the first sample that reached it', () => {
    const samples = [
      { at: at(0), used: 14_000 },
      { at: at(10), used: 15_000 },
      { at: at(20), used: 15_000 },
    ];
    const result = apiWindow(samples, { orgMax: 15_000, hubspotAllocation: 10_000 });
    expect(result.orgCallsLeft).toBe(0);
    expect(result.callsLeft).toBe(0);
    expect(result.orgLimitExhaustedAt).toBe(at(10));
    expect(result.allocationExhaustedAt).toBe(at(0));
  });

  it("uses HubSpot's own count for the allocation when known", () => {
    const samples = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
      at: at(i * 10),
      used: 10_000 + i * 500,
      hubspotUsed: 2_000 + i * 50,
    }));
    const result = apiWindow(samples, { orgMax: 20_000, hubspotAllocation: 3_000 });
    // Org grows 3,000/h (500 per 10 min); HubSpot 300/h and has 3,000 - 2,300 = 700 left.
    expect(result.ratePerHour).toBeCloseTo(3_000, 6);
    expect(result.callsLeft).toBe(700);
    expect(Date.parse(result.allocationExhaustedAt!)).toBeCloseTo(
      Date.parse(at(60)) + (700 / 300) * 3_600_000,
      -3,
    );
    // The org is capped sooner: 7,000 left at 3,000/h.
    expect(Date.parse(result.orgLimitExhaustedAt!)).toBeCloseTo(
      Date.parse(at(60)) + (7_000 / 3_000) * 3_600_000,
      -3,
    );
  });

  it('caps calls left by the org limit even when the allocation is larger', () => {
    const result = apiWindow([{ at: at(0), used: 14_500 }], {
      orgMax: 15_000,
      hubspotAllocation: 50_000,
    });
    expect(result.callsLeft).toBe(500);
    expect(result.ratePerHour).toBe(0);
    expect(result.orgLimitExhaustedAt).toBeNull();
  });

  it('skips bad samples and rejects bad input clearly', () => {
    const result = apiWindow(
      [
        { at: 'yesterday', used: 5 },
        { at: at(0), used: Number.NaN },
        { at: at(0), used: 100 },
        { at: at(60), used: 200 },
      ] as ApiUsageSample[],
      { orgMax: 1_000 },
    );
    expect(result.ratePerHour).toBeCloseTo(100, 6);
    expect(() => apiWindow([], { orgMax: 1_000 })).toThrow(/no valid sample/);
    expect(() => apiWindow([{ at: at(0), used: 1 }], { orgMax: 0 })).toThrow(/orgMax/);
    expect(() =>
      apiWindow([{ at: at(0), used: 1 }], { orgMax: 10, hubspotAllocation: -1 }),
    ).toThrow(/hubspotAllocation/);
    expect(() => apiWindow(null as unknown as ApiUsageSample[], { orgMax: 10 })).toThrow(/array/);
  });
});
