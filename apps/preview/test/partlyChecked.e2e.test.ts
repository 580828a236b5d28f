/**
 * The UX review's false all-clear: the restricted-ip org, its integration user frozen and refused
 * by IP ranges, read by an admin without Manage Users, Monitor Login History and Customize
 * Application. Nothing Sync Doctor could read is wrong, but the frozen state, Login History and
 * the connected app, where the cause is, were not read: the page must say "partly checked", never
 * "Access OK" nor "Safe to click "Clear Suspension"". And "Check again" keeps the page, busy,
 * instead of collapsing it to a spinner.
 */
import type { Page } from 'playwright-core';
import { openApp, screenshot, signedPost, useAppStack } from './support/appStack.js';
import { wcagViolations } from './support/axe.js';
import { useDemoOrg } from './support/demoOrg.js';
import { BUILD_TIMEOUT_MS } from './support/bundles.js';

const app = useAppStack();
let page: Page;

/** axe-core's WCAG 2.2 AA violations on the page now (ids only). */
async function wcagViolationIds(target: Page): Promise<string[]> {
  return (await wcagViolations(target)).map((violation) => violation.id);
}

beforeAll(async () => {
  await useDemoOrg(app.stack, {
    fixture: 'restricted-ip',
    size: 'default',
    variants: ['admin-without-user-rights', 'frozen-integration-user'],
  });
  const suspended = await signedPost(app.stack, 'suspensions', {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    title: 'Salesforce object permissions missing',
    occurredAt: new Date().toISOString(),
    eventId: 'e2e-partly-checked-1',
  });
  expect(suspended.status).toBe(202);
  page = await app.browser.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await openApp(page, app.stack);
}, BUILD_TIMEOUT_MS);

describe('restricted-ip, its user frozen, read by an admin without user rights', () => {
  test('says "partly checked", never "Access OK" nor "Safe to click", and names the checks to do by hand', async () => {
    const advice = page.locator('[data-id="suspension-clear-advice"]');
    await advice.waitFor({ timeout: 30_000 });
    const verdict = page.locator('[data-id="verdict"]');
    expect(await verdict.getAttribute('data-partly-checked')).toBe('true');
    expect(await verdict.locator('h2 span').first().innerText()).toBe(
      'Partly checked, sync suspended',
    );
    expect(await verdict.innerText()).toContain(
      "could not check the frozen state, where a frozen user would show; Login History, where logins refused by IP ranges, login hours or a lockout would show; and HubSpot's connected app, where",
    );
    expect(await advice.getAttribute('data-advice')).toBe('check-by-hand');
    const steps = page.locator('[data-id="suspension-by-hand-step"]');
    expect(await steps.count()).toBe(3);
    expect(await steps.first().innerText()).toContain('Unfreeze');
    const text = await page.locator('body').innerText();
    expect(text).not.toContain('Safe to click');
    expect(text).not.toContain('Access OK');
    expect(await wcagViolationIds(page)).toEqual([]);
    await screenshot(page, 'partly-checked-restricted-ip');
  });

  test('"Check again" keeps the results on screen, marked busy, and the scroll where it was', async () => {
    const height = () => page.evaluate(() => document.documentElement.scrollHeight);
    const before = await height();
    await page.evaluate(() => window.scrollTo(0, 1500));
    // Hold the snapshot's answer, to look at the page while it waits for it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/preview/apex/getSnapshot', async (route) => {
      await held;
      await route.continue();
    });
    try {
      // Clicked where it is, as a reader who scrolled back up would; Playwright's click would
      // scroll to it first, which is no test of the page keeping the scroll.
      await page.locator('[data-id="refresh-button"] button').evaluate((button) => {
        (button as HTMLButtonElement).click();
      });
      await page.locator('[data-id="refreshing"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-id="results"]').getAttribute('aria-busy')).toBe('true');
      expect(await page.locator('[data-id="loading"]').count()).toBe(0);
      expect(await height()).toBeGreaterThan(before * 0.9);
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
      const advice = await page.locator('[data-id="suspension-clear-advice"]').innerText();
      expect(advice).not.toContain('could not check the org');
      // Kept in view while scrolled: the admin sees the page is being checked again.
      const box = await page.locator('[data-id="refreshing"]').boundingBox();
      expect(box && box.y >= 0 && box.y < 900).toBe(true);
      expect(await wcagViolationIds(page)).toEqual([]);
      await screenshot(page, 'partly-checked-check-again', { fullPage: false });
    } finally {
      release();
    }
    await page.locator('[data-id="refreshing"]').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await page.locator('[data-id="results"]').getAttribute('aria-busy')).toBe('false');
    expect(await page.locator('[data-id="verdict"]').getAttribute('data-partly-checked')).toBe(
      'true',
    );
    await page.unroute('**/preview/apex/getSnapshot');
  });
});
