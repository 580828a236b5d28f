/**
 * What a first-time admin found on the demo orgs, where one card's words disagreed with another's
 * or pointed at nothing: the grant dialog that says to assign first and now holds that Assign, the
 * Findings card's hidden live text after a fix, and the logins card beside a stopped sync.
 */
import type { Page } from 'playwright-core';
import type { FixtureName } from '@sync-doctor/org-simulator';
import { openApp, signedPost, useAppStack } from './support/appStack.js';
import { seriousViolations } from './support/axe.js';

const app = useAppStack();
let page: Page;

beforeEach(async () => {
  page = await app.browser.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
});

afterEach(async () => {
  await page?.close();
});

async function openOn(fixture: FixtureName): Promise<void> {
  const response = await fetch(`${app.stack.url}/preview/fixture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fixture }),
  });
  expect(response.ok).toBe(true);
  await openApp(page, app.stack);
}

/** The focused element's data-id, through every shadow root; null for the page itself. */
async function focusedId(): Promise<string | null> {
  return page.evaluate(() => {
    let element: Element | null = document.activeElement;
    while (element && element.shadowRoot && element.shadowRoot.activeElement)
      element = element.shadowRoot.activeElement;
    return !element || element === document.body ? null : element.getAttribute('data-id');
  });
}

test('missing-permission-set: the grant dialog that says to assign first holds that Assign, and it assigns', async () => {
  await openOn('missing-permission-set');
  await page.locator('[data-id="remediation-apply"] button').click();
  const dialog = page.locator('[data-id="remediation-dialog"]');
  await dialog.waitFor();
  const assign = page.locator('[data-id="remediation-dialog-assign"]');
  const label = (await assign.innerText()).trim();
  expect(label).toBe('Assign HubSpot Integration Permissions');
  // The sentence names the button it points to, and that button is in the dialog.
  expect(
    (await page.locator('[data-id="remediation-assign-first"]').innerText()).replace(/\s+/g, ' '),
  ).toContain(`"${label}" below does that`);
  expect(await seriousViolations(page)).toEqual([]);
  // The keyboard reaches it inside the dialog, just before the grant (which stays last).
  await page.locator('[data-id="remediation-confirm"]').focus();
  await page.keyboard.press('Shift+Tab');
  expect(await focusedId()).toBe('remediation-dialog-assign');

  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached', timeout: 15_000 });
  await page.locator('.slds-notify_toast[data-variant="success"]').waitFor({ timeout: 15_000 });
  const assigned = app.stack.sim.records('PermissionSetAssignment').filter((row) => {
    const set = app.stack.sim
      .records('PermissionSet')
      .find((candidate) => candidate.Id === row.PermissionSetId);
    return set?.Label === 'HubSpot Integration Permissions';
  });
  expect(assigned).toHaveLength(1);
  // Nothing but the assignment: the grant was not applied.
  expect(
    app.stack.sim.records('PermissionSet').some((set) => set.Name === 'Sync_Doctor_Remediation'),
  ).toBe(false);
  await page.locator('[data-id="verdict"][data-verdict="healthy"]').waitFor({ timeout: 15_000 });
});

test('read-only-contacts: after "show this finding" and the grant, the Findings card says nothing more about Contact', async () => {
  await openOn('read-only-contacts');
  await page.waitForTimeout(500);
  const response = await signedPost(app.stack, 'suspensions', {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    title: 'Salesforce object permissions missing',
    occurredAt: new Date().toISOString(),
    eventId: 'e2e-cross-card-show-finding',
  });
  expect(response.status).toBe(202);
  const link = page.locator('[data-id="suspension-finding-link"]').first();
  await link.waitFor({ timeout: 5000 });
  // Every link inside a sentence has the one rule of c/findingLinkStyles: a word of its line, not
  // SLDS's inline-flex button on a line of its own height.
  for (const inSentence of [link, page.locator('[data-id="object-finding-link"]').first()])
    expect(await inSentence.evaluate((node) => getComputedStyle(node).display)).toBe('inline');
  await link.click();
  const live = page.locator('[data-id="finding-live"]');
  await page.waitForFunction(
    () => {
      const find = (root: Document | ShadowRoot): Element | null => {
        const hit = root.querySelector('[data-id="finding-live"]');
        if (hit) return hit;
        for (const host of root.querySelectorAll('*'))
          if (host.shadowRoot) {
            const inner = find(host.shadowRoot);
            if (inner) return inner;
          }
        return null;
      };
      return /^Contact: /.test(find(document)?.textContent ?? '');
    },
    undefined,
    { timeout: 5000 },
  );
  await page.locator('[data-id="remediation-apply"] button').click();
  await page.locator('[data-id="remediation-confirm"]').click();
  await page.locator('[data-id="verdict"][data-verdict="healthy"]').waitFor({ timeout: 15_000 });
  expect(await page.locator('[data-id="finding-none"]').innerText()).toBe('No problems found.');
  expect(await live.textContent()).toBe('');
});

test('sync-stopped: the logins card says how long ago HubSpot last logged in, as the finding does', async () => {
  await openOn('sync-stopped');
  const finding = await page
    .locator('[data-id="finding"][data-subject="hubspot.integration@acme.example"]')
    .innerText();
  const stopped = /has not logged in as .* for (\d+) hours/.exec(finding);
  expect(stopped).not.toBeNull();
  const lastSuccess = page.locator('[data-id="logins-last-success"]');
  const ago = /\((\d+) hours ago\)/.exec(await lastSuccess.innerText());
  expect(ago).not.toBeNull();
  // The card counts from now, the finding from the check a moment ago: the same hours, give or take one.
  expect(Math.abs(Number(ago![1]) - Number(stopped![1]))).toBeLessThanOrEqual(1);
});
