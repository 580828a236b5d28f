/**
 * The fix on the demo org missing-permission-set, where HubSpot's own permission set is not
 * assigned: Assign is the primary button (the grants are recomputed after it), and the grant
 * dialog's long list scrolls in a region the keyboard reaches, with no serious axe violation
 * (scrollable-region-focusable), wide and narrow.
 */
import type { Page } from 'playwright-core';
import { openApp, screenshot, useAppStack } from './support/appStack.js';
import { seriousViolations } from './support/axe.js';

const app = useAppStack();

beforeAll(async () => {
  const response = await fetch(`${app.stack.url}/preview/fixture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fixture: 'missing-permission-set' }),
  });
  expect(response.ok).toBe(true);
});

/** The data-id of the focused element, through every shadow root. */
async function focusedId(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let element: Element | null = document.activeElement;
    while (element && element.shadowRoot && element.shadowRoot.activeElement)
      element = element.shadowRoot.activeElement;
    return element ? element.getAttribute('data-id') : null;
  });
}

describe('the fix on an org without HubSpot Integration Permissions assigned', () => {
  test('offers Assign as the primary button, and says the grants are recomputed after it', async () => {
    const page = await app.browser.newPage();
    try {
      await page.setViewportSize({ width: 1280, height: 900 });
      await openApp(page, app.stack);
      const assign = page.locator('[data-id="remediation-assign"] button');
      const apply = page.locator('[data-id="remediation-apply"] button');
      await assign.waitFor();
      expect(await assign.getAttribute('class')).toContain('slds-button_brand');
      expect(await apply.getAttribute('class')).toContain('slds-button_neutral');
      expect(await page.locator('[data-id="remediation-summary"]').innerText()).toMatch(
        /^Assign 'HubSpot Integration Permissions' first, then check again/,
      );
    } finally {
      await page.close();
    }
  });

  test.each([1280, 480])(
    'the grant dialog at %d px: its long list scrolls in a focusable, named region, fields sorted, no serious axe violation',
    async (width) => {
      const page = await app.browser.newPage();
      try {
        await page.setViewportSize({ width, height: 900 });
        await openApp(page, app.stack);
        await page.locator('[data-id="remediation-apply"] button').click();
        const region = page.locator('[data-id="remediation-dialog"] .slds-modal__content');
        await region.waitFor();
        // The list is long enough to scroll here: the case axe flagged.
        expect(await region.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
        expect(await seriousViolations(page)).toEqual([]);
        expect(await region.getAttribute('tabindex')).toBe('0');
        expect(await region.getAttribute('role')).toBe('region');
        expect(await region.getAttribute('aria-label')).toBeTruthy();
        await screenshot(page, `remediation-long-dialog-${width}`, { fullPage: false });

        const fields = (
          await page.locator('[data-id="remediation-field-grants"] li').allInnerTexts()
        ).map((text) => text.split(':')[0]!);
        expect(fields.length).toBeGreaterThan(10);
        const sorted = [...fields].sort((a, b) => {
          const [objectA, objectB] = [a.split('.')[0]!, b.split('.')[0]!];
          return objectA.localeCompare(objectB) || a.localeCompare(b);
        });
        expect(fields).toEqual(sorted);

        // The keyboard reaches the region (Tab from Confirm wraps to it) and scrolls it.
        await page.locator('[data-id="remediation-confirm"]').focus();
        await page.keyboard.press('Tab');
        expect(await focusedId(page)).toBe('remediation-dialog-content');
        await page.keyboard.press('End');
        await page.waitForFunction(
          () => {
            const find = (root: Document | ShadowRoot): Element | null => {
              const hit = root.querySelector('[data-id="remediation-dialog-content"]');
              if (hit) return hit;
              for (const element of Array.from(root.querySelectorAll('*')))
                if (element.shadowRoot) {
                  const inner = find(element.shadowRoot);
                  if (inner) return inner;
                }
              return null;
            };
            const el = find(document);
            return Boolean(el && el.scrollTop > 0);
          },
          undefined,
          { timeout: 5000 },
        );
        await page.keyboard.press('Escape');
      } finally {
        await page.close();
      }
    },
  );
});
