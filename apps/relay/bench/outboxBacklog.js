// How many changes the relay's outbox still has to deliver, read from its own /metrics
// (relay_outbox_deliveries{state="pending"}). The throughput bench reads it around each relay
// measurement: GET state is measured right after ingestion has queued thousands of changes, and
// the outbox delivers them on the same event loop, so a slow or long-tailed GET state round can
// be told from one that ran against an idle outbox; and before the idle GET state measurement it
// waits for the backlog to drain. A .js module (ESM) so the relay's jest can load it, as
// floors.js.

const PENDING_LINE = /^relay_outbox_deliveries\{(?:[^}]*,)?state="pending"(?:,[^}]*)?\}\s+(\S+)/m;

/**
 * The pending deliveries in a Prometheus text exposition, or null when the family is missing (the
 * database did not answer the scrape). With the outbox off the gauge is still there; it only grows.
 */
export function pendingDeliveries(metricsText) {
  const match = PENDING_LINE.exec(metricsText);
  if (!match) return null;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : null;
}

/** Reads the pending count from a relay at `url`; null when /metrics does not answer 200. */
export async function readPendingDeliveries(url) {
  const response = await fetch(`${url}/metrics`);
  if (!response.ok) return null;
  return pendingDeliveries(await response.text());
}

/**
 * Polls the relay at `url` until its outbox has nothing pending, so the next measurement runs on
 * an event loop without delivery work. Gives up after `timeoutMs` (a publisher that stopped
 * answering must not hang the bench): `pending` then says what was left, and the report shows it.
 */
export async function waitForIdleOutbox(url, { timeoutMs = 30_000, intervalMs = 50 } = {}) {
  const started = performance.now();
  for (;;) {
    const pending = await readPendingDeliveries(url);
    const waitedMs = Math.round(performance.now() - started);
    if (pending === 0 || waitedMs >= timeoutMs) return { pending, waitedMs };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
