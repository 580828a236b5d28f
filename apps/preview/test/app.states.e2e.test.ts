/**
 * States of a real org no fixture holds, laid over the demo org (its size and variants): the admin
 * without the rights to read the frozen state, the logins and the connected app; a frozen
 * integration user; a large org with hundreds of mapped fields. And both tables at 480 px.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openApp, screenshot, useAppStack, SCREENSHOT_DIR } from './support/appStack.js';
import { seriousViolations, wcagViolations } from './support/axe.js';

const app = useAppStack();

async function useDemoOrg(body: {
  fixture: string;
  size?: string;
  variants?: string[];
}): Promise<Record<string, unknown>> {
  const response = await fetch(`${app.stack.url}/preview/fixture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  expect({ status: response.status, json }).toMatchObject({ status: 200 });
  return json;
}

async function withPage<T>(width: number, run: (page: Page) => Promise<T>): Promise<T> {
  const page = await app.browser.newPage();
  try {
    await page.setViewportSize({ width, height: 900 });
    return await run(page);
  } finally {
    await page.close();
  }
}

describe('the admin (the running user) without Manage Users, Monitor Login History and Customize Application', () => {
  afterAll(() => useDemoOrg({ fixture: 'read-only-contacts', size: 'default', variants: [] }));

  test('the page says what it could not read: the frozen state, the logins, the connected app', async () => {
    const state = await useDemoOrg({
      fixture: 'healthy',
      size: 'default',
      variants: ['admin-without-user-rights'],
    });
    expect(state).toMatchObject({ fixture: 'healthy', size: 'default' });
    expect(state.variants).toContainEqual(
      expect.objectContaining({ name: 'admin-without-user-rights', active: true }),
    );
    await withPage(1440, async (page) => {
      await openApp(page, app.stack);
      const frozen = page.locator('[data-id="frozen-not-read"]');
      await frozen.waitFor({ timeout: 30_000 });
      expect(await frozen.getAttribute('data-cause')).toBe('needs-manage-users');
      expect(await frozen.innerText()).toContain(
        'reading UserLogin needs the "Manage Users" permission. You do not have it.',
      );
      expect(await page.locator('[data-id="logins-not-read"]').innerText()).toContain(
        'Monitor Login History',
      );
      expect(await page.locator('[data-id="connected-apps-not-read"]').innerText()).toContain(
        'Customize Application',
      );
      await screenshot(page, '20-admin-without-user-rights');
    });
  });

  test('the header checkbox lays the variant over the demo org and the page reloads to show it', async () => {
    await useDemoOrg({ fixture: 'healthy', size: 'default', variants: [] });
    await withPage(1440, async (page) => {
      await openApp(page, app.stack);
      expect(await page.locator('[data-id="frozen-not-read"]').count()).toBe(0);
      const box = page.locator('#preview-variant-admin-without-user-rights');
      expect(await box.isChecked()).toBe(false);
      // An SLDS checkbox (slds-checkbox): the input visually hidden, its faux box drawn in its label.
      expect(
        await box.evaluate((input) => {
          const style = getComputedStyle(input);
          const faux = input.parentElement!.querySelector(
            '.slds-checkbox__label .slds-checkbox_faux',
          );
          const fauxStyle = faux ? getComputedStyle(faux) : null;
          return {
            wrapper: input.parentElement!.className,
            input: [style.width, style.height, style.clip, style.position],
            faux: fauxStyle && [fauxStyle.width, fauxStyle.height, fauxStyle.display],
          };
        }),
      ).toEqual({
        wrapper: 'slds-checkbox',
        input: ['1px', '1px', 'rect(0px, 0px, 0px, 0px)', 'absolute'],
        faux: ['16px', '16px', 'inline-block'],
      });
      const reloaded = page.waitForEvent('load', { timeout: 30_000 });
      // The SLDS checkbox hides the input behind its faux box: click the label, as a user does.
      await page.locator('label[for="preview-variant-admin-without-user-rights"]').click();
      await reloaded;
      await page.waitForFunction(() => document.body.dataset.previewReady === 'true');
      await page.locator('[data-id="frozen-not-read"]').waitFor({ timeout: 30_000 });
      expect(await page.locator('#preview-variant-admin-without-user-rights').isChecked()).toBe(
        true,
      );
      expect(await page.locator('[data-id="preview-fixture"]').inputValue()).toBe('healthy');
    });
  });

  test('by keyboard: the checkbox is named by its label, Tab reaches it, Space ticks it and SLDS draws the focus', async () => {
    await useDemoOrg({ fixture: 'healthy', size: 'default', variants: [] });
    await withPage(1440, async (page) => {
      await openApp(page, app.stack);
      const box = page.getByRole('checkbox', { name: 'Integration user frozen' });
      expect(await box.count()).toBe(1);
      // Tab from the box before it, as a keyboard user moves through the header.
      await page.getByRole('checkbox', { name: /^Admin without Manage Users/ }).focus();
      await page.keyboard.press('Tab');
      expect(await box.evaluate((input) => input === document.activeElement)).toBe(true);
      // The input is hidden: the focus ring is SLDS's, on the faux box.
      expect(
        await page
          .locator('label[for="preview-variant-frozen-integration-user"] .slds-checkbox_faux')
          .evaluate((faux) => getComputedStyle(faux).boxShadow),
      ).not.toBe('none');
      const reloaded = page.waitForEvent('load', { timeout: 30_000 });
      await page.keyboard.press('Space');
      await reloaded;
      await page.waitForFunction(() => document.body.dataset.previewReady === 'true');
      await page.locator('[data-id="verdict"]').waitFor({ timeout: 30_000 });
      expect(
        await page.getByRole('checkbox', { name: 'Integration user frozen' }).isChecked(),
      ).toBe(true);
      expect(await page.locator('[data-id="verdict"]').innerText()).toContain(
        'Integration user frozen',
      );
    });
  });
});

describe('a frozen integration user', () => {
  afterAll(() => useDemoOrg({ fixture: 'read-only-contacts', size: 'default', variants: [] }));

  test('blocks the sync, and the finding says the user is frozen', async () => {
    await useDemoOrg({
      fixture: 'healthy',
      size: 'default',
      variants: ['frozen-integration-user'],
    });
    await withPage(1440, async (page) => {
      await openApp(page, app.stack);
      expect(await page.locator('[data-id="verdict"]').getAttribute('data-verdict')).toBe(
        'blocked',
      );
      // Named by its own cause, not only by HubSpot's reason ("org API access disabled").
      expect(await page.locator('[data-id="verdict"]').innerText()).toContain(
        'HubSpot cannot sync: Integration user frozen',
      );
      const findings = await page.locator('[data-id="finding-list"]').innerText();
      expect(findings).toContain('is frozen: it stays active but cannot log in');
      expect(findings).toContain('Blocks the sync');
      expect(await page.locator('[data-id="frozen-not-read"]').count()).toBe(0);
      await screenshot(page, '21-frozen-integration-user');
    });
  });
});

describe('a viewer (Sync_Doctor_Viewer without Sync_Doctor_Manage_Settings)', () => {
  afterAll(() => useDemoOrg({ fixture: 'read-only-contacts', size: 'default', variants: [] }));

  test('the viewer variant shows the settings read only (the note, no Change, no Save) and the fixes disabled with the rights to ask for, and axe finds nothing', async () => {
    const state = await useDemoOrg({
      fixture: 'read-only-contacts',
      size: 'default',
      variants: ['viewer'],
    });
    expect(state.variants).toContainEqual(
      expect.objectContaining({ name: 'viewer', active: true }),
    );
    await withPage(1440, async (page) => {
      await openApp(page, app.stack);
      const picker = page.locator('[data-id="user-picker"]');
      const note = picker.locator('[data-id="user-picker-viewer"]');
      await note.waitFor({ timeout: 30_000 });
      expect(await note.innerText()).toMatch(
        /^You can use Sync Doctor but not change its settings.*Sync_Doctor_Admin/,
      );
      // Read only: who is checked, by name, and nothing to change it with.
      expect(await picker.locator('[data-id="user-picker-current"]').innerText()).toMatch(
        /^Checking \S/,
      );
      expect(await picker.locator('[data-id="user-picker-edit"]').count()).toBe(0);
      expect(await picker.locator('[data-id="user-picker-save"]').count()).toBe(0);
      expect(await picker.getByRole('button').count()).toBe(0);
      // No admin either: Grant is disabled before the click, with the rights to ask for, and the
      // steps by hand stay.
      const rightsNote = page.locator('[data-id="remediation-rights-note"]');
      await rightsNote.waitFor({ timeout: 30_000 });
      expect(await rightsNote.innerText()).toMatch(
        /^To apply fixes you need "Assign Permission Sets" and "Manage Profiles and Permission Sets": ask a Salesforce admin/,
      );
      expect(await page.locator('[data-id="remediation-apply"] button').isDisabled()).toBe(true);
      expect(await page.locator('#preview-variant-viewer').isChecked()).toBe(true);
      await screenshot(page, '22-viewer');
      expect(await seriousViolations(page)).toEqual([]);
      expect(await wcagViolations(page)).toEqual([]);

      // Taken off with its header checkbox, the admin's Change is back.
      const reloaded = page.waitForEvent('load', { timeout: 30_000 });
      await page.locator('label[for="preview-variant-viewer"]').click();
      await reloaded;
      await page.waitForFunction(() => document.body.dataset.previewReady === 'true');
      await picker.locator('[data-id="user-picker-edit"]').waitFor({ timeout: 30_000 });
      expect(await picker.locator('[data-id="user-picker-viewer"]').count()).toBe(0);
      expect(await page.locator('[data-id="remediation-apply"] button').isDisabled()).toBe(false);
      expect(await page.locator('[data-id="remediation-rights-note"]').count()).toBe(0);
    });
  });
});

describe('a large org: hundreds of mapped fields', () => {
  afterAll(() => useDemoOrg({ fixture: 'read-only-contacts', size: 'default', variants: [] }));

  test('the field table counts them, pages them, failing first, then by object and field', async () => {
    await useDemoOrg({ fixture: 'read-only-contacts', size: 'large', variants: [] });
    await withPage(1440, async (page) => {
      await openApp(page, app.stack);
      const count = page.locator('[data-id="field-count"]');
      await count.waitFor({ timeout: 60_000 });
      const text = await count.innerText();
      const [, shown, mapped, failing] =
        /Showing (\d+) of \d+ matching fields \((\d+) mapped, (\d+) failing/.exec(text) ?? [];
      expect(Number(mapped)).toBeGreaterThanOrEqual(300);
      expect(Number(shown)).toBe(50);
      expect(Number(failing)).toBeGreaterThan(0);
      const rows = await page
        .locator('[data-id="field-row"]')
        .evaluateAll((elements) =>
          elements.map((row) => [
            (row as HTMLElement).dataset.field!,
            (row as HTMLElement).dataset.failing === 'true',
          ]),
        );
      expect(rows).toHaveLength(50);
      const firstPassing = rows.findIndex(([, isFailing]) => !isFailing);
      // Failing first: no failing row after the first passing one.
      if (firstPassing >= 0) expect(rows.slice(firstPassing).every(([, f]) => !f)).toBe(true);
      const order = (names: string[]) =>
        [...names].sort((a, b) => {
          const [ao, af] = a.split('.') as [string, string];
          const [bo, bf] = b.split('.') as [string, string];
          const c = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
          return c.compare(ao, bo) || c.compare(af, bf);
        });
      const failingNames = rows.filter(([, f]) => f).map(([name]) => name as string);
      expect(failingNames).toEqual(order(failingNames));
      expect(await page.locator('[data-id="field-show-more"]').count()).toBe(1);
      // The object matrix holds the mapped objects of the large org too.
      expect(
        await page.locator('[data-id="object-row"][data-object^="Custom_Object_"]').count(),
      ).toBeGreaterThanOrEqual(30);
      await screenshot(page, '22-large-org', { fullPage: false });
    });
  }, 120_000);
});

/** Where the stacked tables' cells are, against `right` (the window, or the column the app is in). */
async function tableLayout(page: Page) {
  // Playwright's locators pierce the components' (synthetic) shadow, document.querySelector not.
  const cells = (selector: string) =>
    page.locator(selector).evaluateAll((elements) =>
      elements.map((cell) => {
        const box = cell.getBoundingClientRect();
        return {
          left: box.left,
          right: box.right,
          label: getComputedStyle(cell, '::before').content,
        };
      }),
    );
  return {
    pageOverflow: await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    ),
    regions: await page
      .locator('[aria-label="Mapped fields table"], [aria-label="Object permissions table"]')
      .evaluateAll((regions) => regions.map((region) => region.scrollWidth - region.clientWidth)),
    rowDisplays: await page
      .locator('[data-id="field-row"], [data-id="object-row"]')
      .evaluateAll((rows) => [...new Set(rows.map((row) => getComputedStyle(row).display))]),
    edit: await cells('[data-id="field-edit"]'),
    read: await cells('[data-id="field-read"]'),
    grantedBy: await cells('[data-id="field-granted-by"]'),
    objectEdit: await cells('[data-id="object-cell"][data-access="edit"]'),
    objectGrantedBy: await cells('[data-id="object-granted-by"]'),
  };
}

/** Both tables stacked: no sideways scrolling, every cell between 0 and `right`, named by its heading. */
function expectStacked(layout: Awaited<ReturnType<typeof tableLayout>>, right: number): void {
  expect(layout.regions).toEqual([0, 0]);
  expect(layout.pageOverflow).toBeLessThanOrEqual(0);
  expect(layout.rowDisplays).toEqual(['block']);
  for (const [name, list] of Object.entries({
    edit: layout.edit,
    read: layout.read,
    grantedBy: layout.grantedBy,
    objectEdit: layout.objectEdit,
    objectGrantedBy: layout.objectGrantedBy,
  })) {
    expect({ name, count: list.length }).toEqual({ name, count: expect.any(Number) });
    expect(list.length).toBeGreaterThan(0);
    for (const cell of list) {
      expect({ name, left: cell.left >= 0, right: cell.right <= right }).toEqual({
        name,
        left: true,
        right: true,
      });
    }
  }
  // Each stacked cell names its column, as the hidden header row no longer shows it.
  expect(layout.edit[0]!.label).toBe('"Edit"');
  expect(layout.read[0]!.label).toBe('"Read"');
  expect(layout.grantedBy[0]!.label).toBe('"Granted by"');
  expect(layout.objectEdit[0]!.label).toBe('"Edit"');
}

/** The app in a column `width` px wide of a wider page (a sidebar, an App Builder layout's narrow side). */
async function placeInColumn(page: Page, width: number): Promise<number> {
  await page.addStyleTag({ content: `#app { max-width: ${width}px; }` });
  return page.locator('#app').evaluate((app) => app.getBoundingClientRect().right);
}

describe('480 px wide: the object and field tables stack instead of scrolling sideways', () => {
  test("every field's Read, Edit and Granted by, and every object's rights, are in view", async () => {
    await useDemoOrg({ fixture: 'read-only-contacts', size: 'default', variants: [] });
    await withPage(480, async (page) => {
      await openApp(page, app.stack);
      await page.locator('[data-id="field-row"]').first().waitFor();
      const width = await page.evaluate(() => document.documentElement.clientWidth);
      expectStacked(await tableLayout(page), width);
      await screenshot(page, '23-narrow-480-tables');
      // The stacked rows themselves, for the eye: the first rows of the object matrix.
      await page.locator('[data-id="object-row"][data-object="Contact"]').screenshot({
        path: path.join(SCREENSHOT_DIR, '24-narrow-480-object-row.png'),
      });
    });
  });

  test('at 1440 px the tables keep their columns (no stacking)', async () => {
    await withPage(1440, async (page) => {
      await openApp(page, app.stack);
      const row = page.locator('[data-id="field-row"]').first();
      await row.waitFor();
      const [name, edit] = await row.evaluate((element) => [
        element.querySelector('th')!.getBoundingClientRect().top,
        element.querySelector('[data-id="field-edit"]')!.getBoundingClientRect().top,
      ]);
      expect(edit).toBe(name);
    });
  });
});

describe("a narrow column of a wide page: the tables stack by their own width, not the window's", () => {
  test('at 1280 px, the app in a 420 px column stacks both tables, every cell in the column', async () => {
    await useDemoOrg({ fixture: 'read-only-contacts', size: 'default', variants: [] });
    await withPage(1280, async (page) => {
      await openApp(page, app.stack);
      await page.locator('[data-id="field-row"]').first().waitFor();
      const columnRight = await placeInColumn(page, 420);
      expect(columnRight).toBeLessThan(480);
      expectStacked(await tableLayout(page), columnRight);
      await page.locator('[data-id="object-matrix"]').scrollIntoViewIfNeeded();
      await screenshot(page, '25-narrow-column-1280-tables', { fullPage: false });
    });
  });

  test('at 1280 px, the app in a 1000 px column keeps the columns', async () => {
    await withPage(1280, async (page) => {
      await openApp(page, app.stack);
      await page.locator('[data-id="field-row"]').first().waitFor();
      await placeInColumn(page, 1000);
      const layout = await tableLayout(page);
      expect(layout.rowDisplays).toEqual(['table-row']);
      expect(layout.regions).toEqual([0, 0]);
      expect(layout.edit[0]!.label).toBe('none');
    });
  });
});
