import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { previewRoot, repoRoot } from '../../previewRoot.cjs';
import { signSuspensionRequest } from '../../src/demo/signedPost.js';
import { startPreviewStack, type PreviewStack } from '../../src/demo/previewStack.js';
import { launchChromium, type LaunchedBrowser } from '../../src/e2e/chromium.js';
import { appBundle, BUILD_TIMEOUT_MS, requireChromium } from './bundles.js';

/** Screenshots go to artifacts/screenshots at the repo root (the README links the first one). */
export const SCREENSHOT_DIR = path.join(repoRoot, 'artifacts', 'screenshots');

export async function screenshot(
  page: Page,
  name: string,
  { fullPage = true } = {},
): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

export interface AppStack {
  launched: LaunchedBrowser;
  browser: BrowserContext;
  stack: PreviewStack;
}

/**
 * Chromium and the demo stack serving the app's bundle (built when stale), for a file's beforeAll;
 * its afterAll closes the browser, then the stack. If the stack does not start, the browser is
 * closed before the error goes on.
 */
export async function startAppStack(): Promise<AppStack> {
  requireChromium();
  const publicDir = appBundle();
  const launched = await launchChromium();
  try {
    const stack = await startPreviewStack({ publicDir, port: 0 });
    return { launched, browser: launched.browser, stack };
  } catch (error) {
    await launched.close();
    throw error;
  }
}

/**
 * A file's app stack: started in its beforeAll (given the bundle's build time), closed in its
 * afterAll (the browser first: its sockets, SSE and keep-alive, go with it, so the stack closes at
 * once). The returned object's parts are there once the file's tests run.
 */
export function useAppStack(): Readonly<AppStack> {
  const app = {} as AppStack;
  beforeAll(async () => {
    Object.assign(app, await startAppStack());
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await app.launched?.close();
    await app.stack?.close();
  });
  return app;
}

/** POSTs a body signed with the demo portal's secret, as HubSpot-side automation does. */
export async function signedPost(
  stack: PreviewStack,
  route: 'suspensions' | 'clear',
  body: unknown,
): Promise<{ status: number; json: unknown }> {
  const request = signSuspensionRequest({
    url: stack.url,
    portalId: stack.portalId,
    secret: stack.signingSecret,
    route,
    body,
  });
  const response = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, json: await response.json() };
}

/** Opens the app and waits for the first diagnosis (or the no-user state). */
export async function openApp(page: Page, stack: PreviewStack): Promise<void> {
  const failures: string[] = [];
  const onResponse = (response: { status(): number; url(): string }) => {
    if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
  };
  page.on('response', onResponse);
  try {
    await page.goto(stack.url + '/');
    // The first load parses a 2.4 MB bundle: generous on a busy machine.
    await page.waitForFunction(() => document.body.dataset.previewReady === 'true', undefined, {
      timeout: 60_000,
    });
  } catch (error) {
    throw new Error(
      `The preview did not start (failed responses: ${failures.join(', ') || 'none'}): ${String(error)}`,
      { cause: error },
    );
  } finally {
    page.off('response', onResponse);
  }
  await page
    .locator('[data-id="verdict"], [data-id="error"], [data-id="no-user"]')
    .first()
    .waitFor({ timeout: 30_000 });
}

/**
 * The suspension panel's "Now:" line of the first sync-error group of `kind`, once shown: its
 * look ('ok' | 'missing' | 'cause'), its words and its icon's title.
 */
export async function syncErrorNowLine(
  page: Page,
  kind: string,
): Promise<{ look: string | null; text: string; icon: string | null }> {
  const now = page
    .locator(`[data-id="sync-errors-line"][data-kind="${kind}"] [data-id="sync-errors-line-now"]`)
    .first();
  await now.waitFor({ timeout: 30_000 });
  return {
    look: await now.getAttribute('data-now'),
    text: await now.locator('[data-id="sync-errors-line-now-text"]').innerText(),
    icon: await now.locator('lightning-icon').getAttribute('title'),
  };
}

const requireFromPreview = createRequire(path.join(previewRoot, 'package.json'));
export const AXE_SOURCE = readFileSync(requireFromPreview.resolve('axe-core/axe.min.js'), 'utf8');
