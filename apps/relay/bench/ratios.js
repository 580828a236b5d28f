// The throughput bench's ratios, from its measurements: one place that knows which contender is
// judged against which, so a new relay contender gets its ratios and medians without another list
// to keep in step. A .js module (ESM) so that the relay's jest can load it, as floors.js.
import { median } from './floors.js';

export const round3 = (x) => Math.round(x * 1000) / 1000;

/**
 * One round's ratios. `results` maps each contender's key to its measurement
 * (`{ requestsPerSecond, serverCpuMicrosPerRequest }`); `relayKeys` names the relay's contenders.
 * - `ratios`: each relay contender's throughput over the bare hello's (issue 5's targets), and
 *   ingestion's over the bare POST with the same bodies (not a target: ingestion read against a
 *   POST, not only a GET);
 * - `serverCpuRatios`: the bare hello's server CPU per request over each relay contender's: the
 *   throughput ratio a run would approach with the load generator on another machine. On one
 *   machine the load generator's CPU per request, the same for every contender, pulls the
 *   measured ratios towards 1, so these read lower.
 */
export function roundRatios(results, relayKeys) {
  const over = (key, base) =>
    round3(results[key].requestsPerSecond / results[base].requestsPerSecond);
  const cpuOver = (key) =>
    round3(results.bare.serverCpuMicrosPerRequest / results[key].serverCpuMicrosPerRequest);
  return {
    ratios: {
      ...Object.fromEntries(relayKeys.map((key) => [key, over(key, 'bare')])),
      ...(results.ingestion && results.barePost
        ? { ingestionOverBarePost: over('ingestion', 'barePost') }
        : {}),
    },
    serverCpuRatios: Object.fromEntries(relayKeys.map((key) => [key, cpuOver(key)])),
  };
}

/**
 * The medians over the rounds the run is judged by: of every ratio the rounds carry, and of each
 * contender's throughput and p99, and of the load average the rounds started with.
 */
export function medianRatios(rounds, contenderKeys) {
  if (rounds.length === 0) throw new Error('medianRatios: no rounds');
  const medianOf = (pick) => round3(median(rounds.map(pick)));
  const perKey = (keys, pick) =>
    Object.fromEntries(keys.map((key) => [key, medianOf((r) => pick(r, key))]));
  return {
    ratios: perKey(Object.keys(rounds[0].ratios), (r, key) => r.ratios[key]),
    serverCpuRatios: perKey(
      Object.keys(rounds[0].serverCpuRatios),
      (r, key) => r.serverCpuRatios[key],
    ),
    requestsPerSecond: perKey(contenderKeys, (r, key) => r[key].requestsPerSecond),
    p99Ms: perKey(contenderKeys, (r, key) => r[key].p99Ms),
    loadAverage: medianOf((r) => r.loadAverage),
  };
}

/**
 * One line for the console from a round's ratios or the medians: every ratio the run carries,
 * named by `names` (a ratio key to its words; a key without a name is printed as itself), with
 * its target beside it where `targets` has one. Built from the keys, as the ratios are, so the
 * console never leaves out a contender the report holds.
 */
export function describeRatios({ ratios, serverCpuRatios }, names, targets = {}) {
  const describe = (values, withTargets) =>
    Object.entries(values)
      .map(([key, value]) => {
        const target = withTargets && key in targets ? ` (target >= ${targets[key]})` : '';
        return `${names[key] ?? key} ${value}${target}`;
      })
      .join(', ');
  return `${describe(ratios, true)}; by server CPU per request: ${describe(serverCpuRatios, false)}`;
}
