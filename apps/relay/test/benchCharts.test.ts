// The bench pictures (bench/charts.mjs) draw what the reports say: checked on a made-up report.
// @ts-expect-error: a plain ES module of the bench folder, without types
import { instructionsChart, throughputChart } from '../bench/charts.js';
// @ts-expect-error: a plain ES module of the bench folder, without types
import { judgeFloors } from '../bench/floors.js';

const round = (bare: number, state: number, stateWithFullHistory: number, ingestion: number) => ({
  bare: { requestsPerSecond: bare },
  ratios: { state, stateWithFullHistory, ingestion },
});

/** What every report here shares: the bench's settings and the targets. */
const settings = {
  targets: { state: 0.7, ingestion: 0.3 },
  durationSeconds: 3,
  connections: 50,
  node: 'v24.0.0',
};

/** A one-round report whose proposed floors were judged on `floorRound`, as the bench writes it. */
const judgedReport = (floorRound: object) => ({
  ...settings,
  perRound: [round(45_000, 0.6, 0.5, 0.2)],
  medians: { ratios: { state: 0.6, stateWithFullHistory: 0.5, ingestion: 0.2 } },
  rounds: 1,
  at: '2026-12-04T00:00:00.000Z',
  proposedFloors: judgeFloors([floorRound]),
});

/** Every number in the SVG's text elements. */
const texts = (svg: string): string[] =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

/** How many rows the legend takes: its colour squares at distinct heights. */
const legendRows = (svg: string): number =>
  new Set([...svg.matchAll(/<rect x="\d+(?:\.\d+)?" y="(\d+)" width="10"/g)].map((m) => m[1])).size;

describe('bench charts', () => {
  test('the throughput chart draws each round, the targets and the medians of the report', () => {
    const svg: string = throughputChart({
      ...settings,
      perRound: [round(45_000, 0.6, 0.5, 0.2), round(30_000, 0.75, 0.7, 0.31)],
      medians: { ratios: { state: 0.675, stateWithFullHistory: 0.6, ingestion: 0.255 } },
      rounds: 2,
      at: '2026-11-29T00:00:00.000Z',
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const labels = texts(svg);
    expect(labels).toEqual(
      expect.arrayContaining([
        'target 0.7',
        'target 0.3',
        '45k',
        '30k',
        'GET state: median 0.675',
        'ingestion (durable): median 0.255',
      ]),
    );
    // One line per contender, one point per round on each.
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg.match(/<circle /g)).toHaveLength(6);
  });

  test('a report that measured the bare POST also draws ingestion over it, with its legend on a second row', () => {
    const perRound = [round(45_000, 0.6, 0.5, 0.2), round(30_000, 0.75, 0.7, 0.31)].map((r, i) => ({
      ...r,
      ratios: { ...r.ratios, ingestionOverBarePost: [0.33, 0.41][i] },
    }));
    const svg: string = throughputChart({
      perRound,
      targets: { state: 0.7, ingestion: 0.3 },
      medians: {
        ratios: {
          state: 0.675,
          stateWithFullHistory: 0.6,
          ingestion: 0.255,
          ingestionOverBarePost: 0.37,
        },
      },
      rounds: 2,
      durationSeconds: 3,
      connections: 50,
      node: 'v24.0.0',
      at: '2026-11-29T00:00:00.000Z',
    });
    expect(texts(svg)).toContain('ingestion / bare POST: median 0.37');
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    // Its points sit where its ratios are: y = 48 + 250 - ratio * 250.
    expect(svg).toContain('<circle cx="56" cy="215.5"');
    // Four legend entries do not fit one row of 720 px: the last wraps under the first.
    expect(legendRows(svg)).toBe(2);
    expect(svg).toContain('height="446"');
  });

  test('a report that measured GET state on an idle outbox draws it too, its legend pushing the notes down a row', () => {
    const perRound = [round(45_000, 0.42, 0.45, 0.13), round(30_000, 0.5, 0.38, 0.22)].map(
      (r, i) => ({
        ...r,
        ratios: { ...r.ratios, stateIdle: [0.55, 0.62][i], ingestionOverBarePost: [0.23, 0.44][i] },
      }),
    );
    const svg: string = throughputChart({
      ...settings,
      perRound,
      medians: {
        ratios: {
          state: 0.46,
          stateWithFullHistory: 0.415,
          stateIdle: 0.585,
          ingestion: 0.175,
          ingestionOverBarePost: 0.335,
        },
      },
      rounds: 2,
      at: '2026-12-07T00:00:00.000Z',
    });
    expect(texts(svg)).toContain('GET state (outbox idle): median 0.585');
    expect(svg.match(/<polyline /g)).toHaveLength(5);
    // Its first point: y = 48 + 250 - 0.55 * 250.
    expect(svg).toContain('<circle cx="56" cy="160.5"');
    // Five legend entries take three rows: the notes under them move down 16 px, and so does the
    // picture's bottom edge.
    expect(legendRows(svg)).toBe(3);
    expect(svg).toContain('height="462"');
    expect(svg).toMatch(/<text x="56" y="412"[^>]*>Grey, under each round/);
  });

  test('a report that judged the proposed floors says so under the chart, red when one fails', () => {
    const report = (stateP99Ms: number) =>
      judgedReport({
        state: { p99Ms: stateP99Ms },
        ingestion: { requestsPerSecond: 9000, p99Ms: 12 },
      });
    const passing: string = throughputChart(report(4));
    expect(texts(passing)).toContain(
      'Proposed floors (medians): GET state p99 4 ms &lt; 20 met; ingestion 9000/s &gt;= 2000 met, p99 12 ms &lt; 50 met',
    );
    expect(passing).toContain('fill="#2e844a" font-size="11">Proposed floors');
    // One more line of text: the picture grows by it.
    expect(passing).toContain('height="462"');
    const failing: string = throughputChart(report(25));
    expect(texts(failing)).toContain(
      'Proposed floors (medians): GET state p99 25 ms &lt; 20 NOT met; ingestion 9000/s &gt;= 2000 met, p99 12 ms &lt; 50 met',
    );
    expect(failing).toContain('fill="#ba0517" font-size="11">Proposed floors');
  });

  test("a report whose floors carry the bare hello's p99 draws it on a line of its own", () => {
    const svg: string = throughputChart(
      judgedReport({
        bare: { requestsPerSecond: 20_701, p99Ms: 11 },
        state: { p99Ms: 24 },
        ingestion: { requestsPerSecond: 3465, p99Ms: 43 },
      }),
    );
    expect(texts(svg)).toContain(
      "The same rounds' bare hello p99 11 ms at 20701 req/s (medians): a floor is absolute, the machine is not",
    );
    // Two more lines than a report without floors (446): the picture grows by both.
    expect(svg).toContain('height="478"');
  });

  test('the instructions chart gives each scenario a bar and each target route its budget (bare over target)', () => {
    const svg: string = instructionsChart(
      { bareGet: 80_000, barePost: 120_000, state: 150_000, ingestion: 400_000 },
      { bareGet: 'bare GET', barePost: 'bare POST', state: 'GET state', ingestion: 'ingestion' },
      { state: 0.8, ingestion: 0.4 },
    );
    const labels = texts(svg);
    expect(labels).toEqual(
      expect.arrayContaining([
        'bare GET',
        '80.0k',
        'GET state',
        '150.0k',
        'ingestion',
        '400.0k',
        'budget for 0.8: 100k',
        'budget for 0.4: 200k',
      ]),
    );
    expect(svg.match(/<rect x="230"/g)).toHaveLength(4);
  });
});
