// The throughput bench judges each run by the absolute floors proposed for issue 5 as well as by
// its ratios: checked here on made-up rounds, since the bench itself only runs under npm run bench.
// @ts-expect-error: a plain ES module of the bench folder, without types
import { PROPOSED_FLOORS, describeFloors, floorsVerdict, judgeFloors } from '../bench/floors.js';

const round = (stateP99Ms: number, ingestionPerSecond: number, ingestionP99Ms: number) => ({
  state: { p99Ms: stateP99Ms },
  ingestion: { requestsPerSecond: ingestionPerSecond, p99Ms: ingestionP99Ms },
});

describe('the proposed absolute floors', () => {
  test('are the ones the relay README and docs/relay-performance.md propose', () => {
    expect(PROPOSED_FLOORS).toEqual({
      stateP99Ms: 20,
      ingestionPerSecond: 2000,
      ingestionP99Ms: 50,
    });
  });

  test('judge the median of the rounds and name the worst round', () => {
    const judged = judgeFloors([round(4, 9000, 12), round(23, 1800, 60), round(5, 8000, 14)]);
    expect(judged.stateP99Ms).toEqual({
      value: 5,
      worst: 23,
      limit: 20,
      met: true,
      metInEveryRound: false,
    });
    expect(judged.ingestionPerSecond).toMatchObject({ value: 8000, worst: 1800, met: true });
    expect(judged.ingestionP99Ms).toMatchObject({ value: 14, worst: 60, met: true });
    expect(judged.met).toBe(true);
    expect(describeFloors(judged)).toBe(
      'GET state p99 5 ms (worst round 23; floor < 20: met), ' +
        'ingestion 8000 signals/s (worst round 1800; floor >= 2000: met), ' +
        'ingestion p99 14 ms (worst round 60; floor < 50: met)',
    );
  });

  test('a p99 of exactly the floor fails it ("under 20 ms"); a rate of exactly the floor meets it', () => {
    const judged = judgeFloors([round(20, 2000, 49), round(20, 2000, 49)]);
    expect(judged.stateP99Ms.met).toBe(false);
    expect(judged.ingestionPerSecond.met).toBe(true);
    expect(judged.ingestionP99Ms.met).toBe(true);
    expect(judged.met).toBe(false);
    expect(describeFloors(judged)).toContain('floor < 20: NOT met');
  });

  test('an even number of rounds takes the mean of the middle two, as the ratios do', () => {
    const judged = judgeFloors([round(10, 3000, 30), round(30, 1000, 70)]);
    expect(judged.stateP99Ms.value).toBe(20);
    expect(judged.ingestionPerSecond.value).toBe(2000);
    expect(judged.ingestionP99Ms.value).toBe(50);
    expect(judged.ingestionP99Ms.met).toBe(false);
  });

  test("set the bare hello's p99 and rate beside the verdicts, so a miss can be read against the machine", () => {
    const withBare = (bareP99Ms: number, barePerSecond: number, stateP99Ms: number) => ({
      ...round(stateP99Ms, 3000, 40),
      bare: { requestsPerSecond: barePerSecond, p99Ms: bareP99Ms },
    });
    // 4 Dec 2026's slow rounds: the relay missed the GET state floor while bare hello ran at 11 ms.
    const judged = judgeFloors([
      withBare(7, 23_496, 20),
      withBare(11, 20_637, 25),
      withBare(14, 20_701, 26),
    ]);
    expect(judged.machine).toEqual({ bareP99Ms: 11, barePerSecond: 20_701 });
    expect(judged.stateP99Ms.met).toBe(false);
    expect(judged.met).toBe(false);
    expect(describeFloors(judged)).toBe(
      'GET state p99 25 ms (worst round 26; floor < 20: NOT met), ' +
        'ingestion 3000 signals/s (worst round 3000; floor >= 2000: met), ' +
        "ingestion p99 40 ms (worst round 40; floor < 50: met); the same rounds' " +
        'bare hello p99 11 ms at 20701 req/s',
    );
    // Context only: a round without the bare route leaves it out rather than guessing.
    const partly = judgeFloors([withBare(3, 45_000, 6), round(6, 3000, 40)]);
    expect(partly).not.toHaveProperty('machine');
    expect(partly.met).toBe(true);
  });

  test('a run that misses a floor asks for a second run before the miss is read as the relay', () => {
    // 7 Dec 2026: GET state's p99 over the floor in the median round with bare hello at 4 ms.
    const missed = judgeFloors([round(21, 4469, 42), round(29, 3380, 48), round(15, 5526, 30)]);
    expect(missed.met).toBe(false);
    expect(floorsVerdict(missed)).toMatch(/^NOT all met; run the bench again/);
    // The runs after it: every floor met, and the verdict says only that.
    expect(floorsVerdict(judgeFloors([round(8, 5153, 37), round(10, 3514, 49)]))).toBe('all met');
  });

  test('refuses to judge no rounds rather than calling nothing a pass', () => {
    expect(() => judgeFloors([])).toThrow('no rounds to judge');
  });
});
