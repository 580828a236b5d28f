// SVG pictures of the relay benches, written beside their JSON in artifacts/bench/: the ratios are
// easier to judge, and the noise between rounds easier to see, drawn than listed. Plain SVG, no
// dependencies; every number drawn comes from the report passed in. A .js module (ESM, as the
// package says) rather than .mjs so that the relay's jest can load it for test/benchCharts.test.ts.

import { describeMachine, floorMark } from './floors.js';

const COLORS = {
  state: '#0176d3',
  stateWithFullHistory: '#7fb8e8',
  stateIdle: '#032d60',
  ingestion: '#dd7a01',
  ingestionOverBarePost: '#f4bc25',
  bare: '#706e6b',
};
const escape = (text) =>
  String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x, y, content, attrs = '') =>
  `<text x="${x}" y="${y}" ${attrs}>${escape(content)}</text>`;

function frame(width, height, title, body) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(16, 24, title, 'font-size="15" font-weight="bold" fill="#181818"'),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/**
 * Throughput bench (relay.bench.mjs): each round's ratio to that round's bare hello route, one line
 * per contender, the targets dashed, and the bare route's own req/s under each round (its swings
 * are the machine's noise).
 */
export function throughputChart(report) {
  const rounds = report.perRound;
  const width = 720;
  const height = 446;
  const left = 56;
  const right = 90;
  const top = 48;
  const plotHeight = 250;
  const plotWidth = width - left - right;
  const x = (i) =>
    left + (rounds.length === 1 ? plotWidth / 2 : (i * plotWidth) / (rounds.length - 1));
  const y = (ratio) => top + plotHeight - Math.min(1, Math.max(0, ratio)) * plotHeight;
  const body = [];
  for (let tick = 0; tick <= 10; tick += 2) {
    const value = tick / 10;
    body.push(
      `<line x1="${left}" x2="${left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e5e5"/>`,
    );
    body.push(text(left - 8, y(value) + 4, value.toFixed(1), 'text-anchor="end" fill="#444"'));
  }
  body.push(
    text(
      14,
      top + plotHeight / 2,
      'share of bare req/s',
      `transform="rotate(-90 14 ${top + plotHeight / 2})" text-anchor="middle" fill="#444"`,
    ),
  );
  const series = [
    ['state', 'GET state', report.targets.state],
    ['stateWithFullHistory', 'GET state (50-entry history)', null],
    // Reports before 7 Dec 2026 have no GET state on an idle outbox: drawn only when measured.
    ...(report.medians.ratios.stateIdle === undefined
      ? []
      : [['stateIdle', 'GET state (outbox idle)', null]]),
    ['ingestion', 'ingestion (durable)', report.targets.ingestion],
    // Reports before 29 Nov 2026 have no bare POST: drawn only when measured.
    ...(report.medians.ratios.ingestionOverBarePost === undefined
      ? []
      : [['ingestionOverBarePost', 'ingestion / bare POST', null]]),
  ];
  // The legend: rows under the plot, with each line's median.
  let legendX = left;
  let legendY = top + plotHeight + 56;
  for (const [key, label, target] of series) {
    const color = COLORS[key];
    if (target !== null) {
      body.push(
        `<line x1="${left}" x2="${left + plotWidth}" y1="${y(target)}" y2="${y(target)}" stroke="${color}" stroke-dasharray="6 4"/>`,
      );
      body.push(text(left + plotWidth + 6, y(target) + 4, `target ${target}`, `fill="${color}"`));
    }
    const points = rounds.map((round, i) => [x(i), y(round.ratios[key])]);
    body.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map((p) => p.join(',')).join(' ')}"/>`,
    );
    for (const [px, py] of points)
      body.push(`<circle cx="${px}" cy="${py}" r="3.5" fill="${color}"/>`);
    const entry = `${label}: median ${report.medians.ratios[key]}`;
    const entryWidth = 14 + entry.length * 5.6 + 22;
    if (legendX > left && legendX + entryWidth > width - 16) {
      legendX = left;
      legendY += 16;
    }
    body.push(`<rect x="${legendX}" y="${legendY - 9}" width="10" height="10" fill="${color}"/>`);
    body.push(text(legendX + 14, legendY, entry, 'fill="#181818" font-size="11"'));
    legendX += entryWidth;
  }
  // Two legend rows fit above the notes; each further row pushes the notes (and the picture) down.
  const extraLegend = Math.max(0, legendY - (top + plotHeight + 72));
  const notes = top + plotHeight + extraLegend;
  rounds.forEach((round, i) => {
    body.push(
      text(x(i), top + plotHeight + 18, `round ${i + 1}`, 'text-anchor="middle" fill="#444"'),
    );
    body.push(
      text(
        x(i),
        top + plotHeight + 34,
        `${Math.round(round.bare.requestsPerSecond / 100) / 10}k`,
        `text-anchor="middle" fill="${COLORS.bare}"`,
      ),
    );
  });
  body.push(
    text(
      left,
      notes + 98,
      "Grey, under each round: the bare hello route's own req/s in that round (its swings are the machine's noise).",
      `fill="${COLORS.bare}" font-size="11"`,
    ),
  );
  body.push(
    text(
      left,
      notes + 114,
      `${report.rounds} rounds x ${report.durationSeconds} s, ${report.connections} connections, autocannon on loopback; Node ${report.node}; ${report.at.slice(0, 10)}`,
      `fill="${COLORS.bare}" font-size="11"`,
    ),
  );
  // Reports before 4 Dec 2026 do not judge the proposed floors: drawn only when judged.
  const floors = report.proposedFloors;
  if (floors) {
    body.push(
      text(
        left,
        notes + 130,
        `Proposed floors (medians): GET state p99 ${floors.stateP99Ms.value} ms < ${floors.stateP99Ms.limit} ${floorMark(floors.stateP99Ms)}; ingestion ${floors.ingestionPerSecond.value}/s >= ${floors.ingestionPerSecond.limit} ${floorMark(floors.ingestionPerSecond)}, p99 ${floors.ingestionP99Ms.value} ms < ${floors.ingestionP99Ms.limit} ${floorMark(floors.ingestionP99Ms)}`,
        `fill="${floors.met ? '#2e844a' : '#ba0517'}" font-size="11"`,
      ),
    );
  }
  // Reports before the floors carried the machine's bare hello (4 Dec 2026) have no second line.
  const machine = floors?.machine;
  if (machine) {
    body.push(
      text(
        left,
        notes + 146,
        `The same rounds' ${describeMachine(machine)} (medians): a floor is absolute, the machine is not`,
        `fill="${COLORS.bare}" font-size="11"`,
      ),
    );
  }
  return frame(
    width,
    height + extraLegend + (floors ? 16 : 0) + (machine ? 16 : 0),
    'Relay throughput as a share of a bare Fastify hello route, per round',
    body,
  );
}

/**
 * Instructions bench (instructions.bench.mjs): each scenario's instructions per request, with the
 * budget the relay's routes would have to fit to reach their throughput targets if time followed
 * instructions (bare GET's cost divided by the target).
 */
export function instructionsChart(perRequest, labels, targets) {
  const rows = Object.keys(labels).filter((key) => perRequest[key] !== undefined);
  const width = 720;
  const left = 230;
  const right = 70;
  const top = 48;
  const rowHeight = 46;
  const height = top + rows.length * rowHeight + 60;
  const max = Math.max(
    ...rows.map((key) => perRequest[key]),
    ...Object.values(targets).map((t) => perRequest.bareGet / t),
  );
  const scale = (width - left - right) / max;
  const body = [];
  rows.forEach((key, i) => {
    const barY = top + i * rowHeight;
    const color = COLORS[key] ?? COLORS.bare;
    body.push(text(left - 8, barY + 17, labels[key], 'text-anchor="end" fill="#181818"'));
    body.push(
      `<rect x="${left}" y="${barY + 4}" width="${perRequest[key] * scale}" height="18" fill="${color}"/>`,
    );
    body.push(
      text(
        left + perRequest[key] * scale + 6,
        barY + 17,
        `${(perRequest[key] / 1000).toFixed(1)}k`,
        'fill="#181818"',
      ),
    );
    const target = targets[key];
    if (target) {
      const budget = perRequest.bareGet / target;
      body.push(
        `<line x1="${left + budget * scale}" x2="${left + budget * scale}" y1="${barY}" y2="${barY + 26}" stroke="#181818" stroke-width="2" stroke-dasharray="4 3"/>`,
      );
      body.push(
        text(
          left + budget * scale,
          barY + 36,
          `budget for ${target}: ${(budget / 1000).toFixed(0)}k`,
          'text-anchor="middle" fill="#181818" font-size="10"',
        ),
      );
    }
  });
  body.push(
    text(
      16,
      height - 18,
      "Dashed: bare GET hello divided by the route's throughput target, the cost it would have to fit if time followed instructions.",
      'fill="#444" font-size="11"',
    ),
  );
  return frame(
    width,
    height,
    'Instructions per request (callgrind, user space), relay and bare Fastify',
    body,
  );
}
