// The throughput bench's ratios and medians, checked on made-up rounds, since the bench itself
// only runs under npm run bench.
// @ts-expect-error: a plain ES module of the bench folder, without types
import { describeRatios, medianRatios, roundRatios } from '../bench/ratios.js';

const measured = (requestsPerSecond: number, serverCpuMicrosPerRequest: number, p99Ms = 5) => ({
  requestsPerSecond,
  serverCpuMicrosPerRequest,
  p99Ms,
});

const round = (state: number, ingestion: number, loadAverage = 1) => {
  const results = {
    loadAverage,
    bare: measured(40000, 20, 3),
    barePost: measured(20000, 40, 6),
    state: measured(state, 50, 8),
    ingestion: measured(ingestion, 160, 30),
  };
  return { ...results, ...roundRatios(results, ['state', 'ingestion']) };
};

describe('one round of the throughput bench', () => {
  test('judges every relay contender over the bare hello, and ingestion over the bare POST', () => {
    const { ratios, serverCpuRatios } = round(17000, 6000);
    expect(ratios).toEqual({ state: 0.425, ingestion: 0.15, ingestionOverBarePost: 0.3 });
    expect(serverCpuRatios).toEqual({ state: 0.4, ingestion: 0.125 });
  });

  test('gives a new relay contender its ratios without another list', () => {
    const results = {
      bare: measured(40000, 20),
      stateIdle: measured(21000, 40),
    };
    expect(roundRatios(results, ['stateIdle'])).toEqual({
      ratios: { stateIdle: 0.525 },
      serverCpuRatios: { stateIdle: 0.5 },
    });
  });
});

describe('the medians a run is judged by', () => {
  test('take the middle round of every ratio, throughput, p99 and the load average', () => {
    const rounds = [round(17000, 6000, 0.5), round(28000, 2000, 2), round(20000, 5000, 1)];
    const medians = medianRatios(rounds, ['bare', 'state', 'ingestion']);
    expect(medians.ratios).toEqual({ state: 0.5, ingestion: 0.125, ingestionOverBarePost: 0.25 });
    expect(medians.serverCpuRatios).toEqual({ state: 0.4, ingestion: 0.125 });
    expect(medians.requestsPerSecond).toEqual({ bare: 40000, state: 20000, ingestion: 5000 });
    expect(medians.p99Ms).toEqual({ bare: 3, state: 8, ingestion: 30 });
    expect(medians.loadAverage).toBe(1);
  });

  test('of an even number of rounds are the mean of the middle two, rounded to 3 places', () => {
    const medians = medianRatios([round(17000, 6000), round(20001, 5000)], ['state']);
    expect(medians.ratios.state).toBe(0.463);
    expect(medians.requestsPerSecond).toEqual({ state: 18500.5 });
  });

  test('refuse a run without rounds rather than report nothing as met', () => {
    expect(() => medianRatios([], ['state'])).toThrow('medianRatios: no rounds');
  });
});

describe('the console line of a round or of the medians', () => {
  const names = { state: 'GET state', ingestionOverBarePost: 'ingestion over the bare POST' };

  test('names every ratio, with its target beside the throughput ratio only', () => {
    const line = describeRatios(round(17000, 6000), names, { state: 0.7, ingestion: 0.3 });
    expect(line).toBe(
      'GET state 0.425 (target >= 0.7), ingestion 0.15 (target >= 0.3), ' +
        'ingestion over the bare POST 0.3; by server CPU per request: GET state 0.4, ingestion 0.125',
    );
  });

  test('leaves out no ratio the report holds, even one nobody named', () => {
    const results = { bare: measured(40000, 20), stateIdle: measured(21000, 40) };
    expect(describeRatios(roundRatios(results, ['stateIdle']), {})).toBe(
      'stateIdle 0.525; by server CPU per request: stateIdle 0.5',
    );
  });
});
