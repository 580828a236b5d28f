/**
 * The object matrix's details in a browser: stacked (a narrow column), a row's rights on one line
 * with the ones nobody requires or grants hidden from the eye only; required rights drawn unlike
 * the others (not by colour alone); "via lookup" only for objects reached only by lookups; a large
 * org's many lookups folded to three. And the integration user picker's keyboard focus.
 */
import type { Page } from 'playwright-core';
import { openApp, useAppStack } from './support/appStack.js';
import { useDemoOrg } from './support/demoOrg.js';

const app = useAppStack();

async function withPage<T>(width: number, run: (page: Page) => Promise<T>): Promise<T> {
  const page = await app.browser.newPage();
  try {
    await page.setViewportSize({ width, height: 900 });
    await openApp(page, app.stack);
    await page.locator('[data-id="object-row"]').first().waitFor({ timeout: 60_000 });
    return await run(page);
  } finally {
    await page.close();
  }
}

const row = (page: Page, name: string) =>
  page.locator(`[data-id="object-row"][data-object="${name}"]`);

/** Each right's cell of a row: where it is drawn, and what a screen reader hears of it. */
function rightCells(page: Page, name: string) {
  return row(page, name)
    .locator('[data-id="object-cell"]')
    .evaluateAll((cells) =>
      cells.map((cell) => {
        const box = cell.getBoundingClientRect();
        const style = getComputedStyle(cell);
        return {
          access: (cell as HTMLElement).dataset.access!,
          top: Math.round(box.top),
          width: box.width,
          height: box.height,
          // Hidden from a screen reader too if display: none or visibility: hidden.
          inAccessibilityTree: style.display !== 'none' && style.visibility !== 'hidden',
          text: cell.querySelector('.slds-assistive-text')?.textContent ?? '',
        };
      }),
    );
}

describe('the object matrix stacked (480 px)', () => {
  beforeAll(() =>
    useDemoOrg(app.stack, { fixture: 'read-only-contacts', size: 'default', variants: [] }),
  );

  test("a row's required rights on one line, the rights nobody requires or grants hidden from the eye only", async () => {
    await withPage(480, async (page) => {
      const cells = await rightCells(page, 'Contact');
      const byAccess = Object.fromEntries(cells.map((cell) => [cell.access, cell]));
      // Read (granted), Create and Edit (missing): side by side, not a line each.
      expect(byAccess.read!.top).toBe(byAccess.create!.top);
      expect(byAccess.create!.top).toBe(byAccess.edit!.top);
      expect(byAccess.read!.width).toBeGreaterThan(20);
      // Delete, View All, Modify All: neither required nor granted, hidden from the eye...
      for (const access of ['delete', 'viewAll', 'modifyAll']) {
        expect({
          access,
          small: byAccess[access]!.width <= 1 && byAccess[access]!.height <= 1,
        }).toEqual({
          access,
          small: true,
        });
      }
      // ...yet each of the six is still heard, with its state.
      expect(cells.every((cell) => cell.inAccessibilityTree)).toBe(true);
      expect(cells.map((cell) => cell.text)).toEqual([
        'Granted (required)',
        'Missing (required)',
        'Missing (required)',
        'Not granted',
        'Not granted',
        'Not granted',
      ]);
      // A field's Read and Edit too, beside its Required ('Read, Edit').
      const fieldTops = await page
        .locator('[data-id="field-row"]')
        .first()
        .locator('[data-id="field-required"], [data-id="field-read"], [data-id="field-edit"]')
        .evaluateAll((cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().top)));
      expect(fieldTops).toHaveLength(3);
      expect(new Set(fieldTops).size).toBe(1);
      // The status, whose words vary ('Blocked by object'), on a line of its own above them: on
      // the rights' line it pushed Read and Edit to the next one whenever it was long.
      const statusBox = await page
        .locator('[data-id="field-row"]')
        .first()
        .locator('[data-id="field-status"]')
        .boundingBox();
      expect(statusBox!.y + statusBox!.height).toBeLessThanOrEqual(fieldTops[0]! + 1);
      // The seven objects' matrix was 2,276 px tall at 480 px with a line per right.
      const height = (await page.locator('[data-id="object-matrix"]').boundingBox())!.height;
      expect(height).toBeLessThan(1600);
    });
  });

  test('wide (1280 px) the matrix keeps a column per right', async () => {
    await withPage(1280, async (page) => {
      const cells = await rightCells(page, 'Contact');
      expect(new Set(cells.map((cell) => cell.top)).size).toBe(1);
      expect(cells.every((cell) => cell.width > 20)).toBe(true);
    });
  });

  test('a required granted right is drawn unlike one nobody requires, not by colour alone', async () => {
    await withPage(1280, async (page) => {
      // Task: Read required and granted, Delete granted though nobody requires it.
      const look = (access: string) =>
        row(page, 'Task')
          .locator(`[data-access="${access}"] [aria-hidden="true"]`)
          .evaluate((mark) => {
            const style = getComputedStyle(mark);
            return {
              symbol: mark.textContent,
              bold: Number(style.fontWeight) >= 700,
              boxed: style.borderTopStyle !== 'none' && style.borderTopColor !== 'rgba(0, 0, 0, 0)',
            };
          });
      expect(await look('read')).toEqual({ symbol: '✓', bold: true, boxed: true });
      expect(await look('delete')).toEqual({ symbol: '✓', bold: false, boxed: false });
    });
  });
});

describe('objects reached by lookups (a large org)', () => {
  beforeAll(() =>
    useDemoOrg(app.stack, { fixture: 'read-only-contacts', size: 'large', variants: [] }),
  );
  afterAll(() =>
    useDemoOrg(app.stack, { fixture: 'read-only-contacts', size: 'default', variants: [] }),
  );

  test('thirty lookups to Contact: three named and "and 27 more", all thirty on demand, never twice', async () => {
    await withPage(1280, async (page) => {
      const contact = row(page, 'Contact');
      const mentions = async () =>
        ((await contact.innerText()).match(/Custom_Object_\d+__c\.Contact__c/g) ?? []).length;
      const reached = contact.locator('[data-id="object-reached-by"]');
      expect(await reached.innerText()).toContain('Custom_Object_003__c.Contact__c and 27 more');
      // The row's line, and the finding under it: three in all (the core's finding names thirty).
      expect(await mentions()).toBe(3);
      const toggle = contact.locator('[data-id="object-reached-by-toggle"]');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      expect(await mentions()).toBe(30);
      await toggle.click();
      expect(await mentions()).toBe(3);
    });
  });

  test('Account, synced itself, is not badged "via lookup": lookups also reach it', async () => {
    await withPage(1280, async (page) => {
      const account = row(page, 'Account');
      expect(await account.locator('[data-id="object-via-lookup"]').count()).toBe(0);
      expect(await account.locator('[data-id="object-reached-by"]').innerText()).toMatch(
        /^Also reached by lookups from Contact\.AccountId, Opportunity\.AccountId, /,
      );
    });
  });
});

describe('the integration user picker and the keyboard', () => {
  /** Whether the focus is in the element (synthetic shadow: the real DOM, where :focus-within sees it). */
  const focusedIn = (page: Page, selector: string) =>
    page.locator(selector).evaluate((element) => element.matches(':focus-within'));

  test('Change focuses the chosen user; Cancel, then Save, give the focus back to Change', async () => {
    await useDemoOrg(app.stack, { fixture: 'read-only-contacts', size: 'default', variants: [] });
    await withPage(1280, async (page) => {
      const change = page.locator('[data-id="user-picker-edit"] button');
      await change.focus();
      await page.keyboard.press('Enter');
      const chosen = page.locator('[data-id="user-option"] input:checked');
      await chosen.waitFor();
      expect(await chosen.evaluate((input) => input.matches(':focus'))).toBe(true);

      await page.locator('[data-id="user-picker-cancel"] button').focus();
      await page.keyboard.press('Enter');
      await change.waitFor();
      expect(await focusedIn(page, '[data-id="user-picker-edit"]')).toBe(true);

      await page.keyboard.press('Enter');
      await chosen.waitFor();
      await page.locator('[data-id="user-picker-save"] button').focus();
      await page.keyboard.press('Enter');
      await change.waitFor({ timeout: 30_000 });
      // Saving reloads the diagnosis; the focus stays on Change through it.
      await page.locator('[data-id="verdict"]').waitFor({ timeout: 60_000 });
      expect(await focusedIn(page, '[data-id="user-picker-edit"]')).toBe(true);
    });
  }, 120_000);
});
