// `npm run bench -w apps/preview`: how long from a signed suspension POST to the relay until the
// suspension panel in the browser shows it (relay write, SSE, empApi stand-in, Apex re-read,
// render), over the real components on the demo stack. Writes artifacts/bench/preview.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../previewRoot.cjs';
import { ensurePreviewBundle } from '../client/build.js';
import { signSuspensionRequest } from '../demo/signedPost.js';
import { startPreviewStack } from '../demo/previewStack.js';
import { launchChromium } from '../e2e/chromium.js';

const SAMPLES = Number(process.env.PREVIEW_BENCH_SAMPLES ?? 30);
const REASONS = [
  'OBJECT_PERMISSIONS_MISSING',
  'FIELD_PERMISSIONS_MISSING',
  'API_LIMIT_EXCEEDED',
] as const;
const TARGET_P95_MS = 2000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

await ensurePreviewBundle();
const stack = await startPreviewStack({ port: 0 });
const launched = await launchChromium();
try {
  const page = await launched.browser.newPage();
  await page.goto(stack.url + '/');
  await page.locator('[data-id="verdict"]').waitFor({ timeout: 60_000 });
  await page.locator('[data-id="suspension-panel"]').waitFor();
  await page.waitForTimeout(500); // the empApi stand-in's stream is open

  const samples: number[] = [];
  for (let index = 0; index < SAMPLES + 1; index += 1) {
    const reason = REASONS[index % REASONS.length]!;
    const request = signSuspensionRequest({
      url: stack.url,
      portalId: stack.portalId,
      secret: stack.signingSecret,
      route: 'suspensions',
      body: { reason, occurredAt: new Date().toISOString(), eventId: `bench-${index}` },
    });
    const started = performance.now();
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    if (response.status !== 202)
      throw new Error(`relay answered ${response.status}: ${await response.text()}`);
    await page
      .locator(`[data-id="suspension-current"][data-reason="${reason}"]`)
      .waitFor({ timeout: 10_000 });
    // The first one warms the stream and the Apex path: not counted.
    if (index > 0) samples.push(performance.now() - started);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const result = {
    metrics: [
      {
        metric: 'suspension POST to panel update p50',
        value: round(percentile(sorted, 50)),
        unit: 'ms',
      },
      {
        metric: 'suspension POST to panel update p95',
        value: round(percentile(sorted, 95)),
        unit: 'ms',
        target: TARGET_P95_MS,
      },
      {
        metric: 'suspension POST to panel update max',
        value: round(sorted[sorted.length - 1]!),
        unit: 'ms',
      },
      { metric: 'samples', value: samples.length, unit: '' },
    ],
  };
  const file = path.join(repoRoot, 'artifacts', 'bench', 'preview.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...result, at: new Date().toISOString() }, null, 2));
  for (const m of result.metrics)
    console.log(`${m.metric}: ${m.value}${m.unit ? ' ' + m.unit : ''}`);
  console.log(`written: ${path.relative(repoRoot, file)}`);
} finally {
  await launched.close();
  await stack.close();
}
