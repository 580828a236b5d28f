/**
 * The real components on the demo stack: switching the demo org, keyboard-only use of the main
 * flows, and an axe-core scan of each state.
 */
import type { Page } from 'playwright-core';
import { openApp, screenshot, useAppStack, signedPost } from './support/appStack.js';
import { seriousViolations, wcagViolations } from './support/axe.js';

const app = useAppStack();
let page: Page;

beforeAll(async () => {
  page = await app.browser.newPage();
});

/** The focused element through every shadow root (synthetic or native): its data-id and text. */
async function focused(): Promise<{ id: string | null; text: string; tag: string } | null> {
  return page.evaluate(() => {
    let element: Element | null = document.activeElement;
    while (element && element.shadowRoot && element.shadowRoot.activeElement)
      element = element.shadowRoot.activeElement;
    if (!element || element === document.body) return null;
    return {
      id: element.getAttribute('data-id'),
      text: (element.textContent ?? '').trim().slice(0, 80),
      tag: element.tagName.toLowerCase(),
    };
  });
}

/** Presses Tab until the focused element's text is `text` (fails after `limit` presses). */
async function tabTo(text: string, limit = 80): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press('Tab');
    const now = await focused();
    if (now && now.text === text) return;
  }
  throw new Error(`"${text}" was not reached with ${limit} Tab presses`);
}

async function switchFixture(name: string): Promise<void> {
  // The page reloads once the server swapped the org: wait for that new document, not the old one.
  const reloaded = page.waitForEvent('load', { timeout: 30_000 });
  await page.locator('[data-id="preview-fixture"]').selectOption(name);
  await reloaded;
  await page.waitForFunction(() => document.body.dataset.previewReady === 'true', undefined, {
    timeout: 60_000,
  });
  await page.locator('[data-id="verdict"]').waitFor({ timeout: 30_000 });
}

describe('switching the demo org', () => {
  test('healthy and api-disabled orgs change the verdict, the matrix and the findings', async () => {
    await openApp(page, app.stack);
    expect(await page.locator('[data-id="verdict"]').getAttribute('data-verdict')).toBe('blocked');

    await switchFixture('healthy');
    expect(await page.locator('[data-id="verdict"]').getAttribute('data-verdict')).toBe('healthy');
    expect(
      await page
        .locator('[data-id="object-row"][data-object="Contact"]')
        .getAttribute('data-missing'),
    ).toBe('0');
    await page.locator('[data-id="remediation-nothing"]').waitFor();
    await screenshot(page, '06-fixture-healthy');

    await switchFixture('api-disabled');
    expect(await page.locator('[data-id="verdict"]').getAttribute('data-verdict')).toBe('blocked');
    expect((await page.locator('[data-id="finding-list"]').innerText()).toLowerCase()).toContain(
      'api',
    );
    await screenshot(page, '07-fixture-api-disabled');

    await switchFixture('read-only-contacts');
    expect(
      await page
        .locator('[data-id="object-row"][data-object="Contact"]')
        .getAttribute('data-missing'),
    ).toBe('2');
  }, 180_000);

  test("restricted-ip: every right is there, but the login card shows Salesforce refusing HubSpot's logins, and the verdict is blocked", async () => {
    await openApp(page, app.stack);
    await switchFixture('restricted-ip');
    expect(await page.locator('[data-id="verdict"]').getAttribute('data-verdict')).toBe('blocked');
    const card = page.locator('[data-id="login-history-card"]');
    expect(await card.locator('h2').innerText()).toBe("HubSpot's logins (last 7 days)");
    // The card's times in the core's `minute` format (77216af), as the findings, the CLI and the
    // report write them: '2026-11-29 09:31 UTC', not the browser locale's 'Nov 29, 2026, 09:31 AM'.
    const MINUTE = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d UTC`;
    expect(await card.locator('[data-id="logins-refused-since"]').innerText()).toMatch(
      new RegExp(`^Refused since\\s${MINUTE}$`),
    );
    const refused = card.locator('[data-id="login-failure"]');
    expect(await refused.count()).toBe(1);
    expect(await refused.getAttribute('data-status')).toBe('Restricted IP');
    expect(await refused.locator('th[scope="row"]').innerText()).toBe('Restricted IP');
    expect(await card.locator('th[scope="col"]').allInnerTexts()).toEqual([
      'Refused with',
      'Times',
      'Last at',
      'From',
    ]);
    expect(await refused.locator('td').nth(1).innerText()).toMatch(new RegExp(`^${MINUTE}$`));
    // The last success: the time as text, then how long ago (lightning-relative-date-time).
    expect(await card.locator('[data-id="logins-last-success"]').innerText()).toMatch(
      new RegExp(`^Last successful login:\\s${MINUTE} \\(.+ ago\\)`),
    );
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, '10-fixture-restricted-ip-logins', { fullPage: false });

    // At 1024 px the side column is some 350 px wide: the table fits it, the status whole on a
    // line and every address visible (a fixed layout cut 'Restricte|d IP' and the addresses).
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 1024, height: 800 });
    try {
      const fits = await card
        .locator('[role="region"][aria-label="Refused logins"]')
        .evaluate((region) => region.scrollWidth <= region.clientWidth);
      expect(fits).toBe(true);
      const status = await refused.locator('th[scope="row"]').evaluate((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return range.getClientRects().length;
      });
      expect(status).toBe(1);
    } finally {
      if (viewport) await page.setViewportSize(viewport);
    }

    await switchFixture('read-only-contacts');
    expect(await card.locator('[data-id="logins-refused-since"]').count()).toBe(0);
  }, 180_000);

  test("admin-approved-app: every right is there, but HubSpot's connected app admits admin-approved users only and the user is not one: a blocking finding about HubSpot with the approval as its fix", async () => {
    await openApp(page, app.stack);
    await switchFixture('admin-approved-app');
    expect(await page.locator('[data-id="verdict"]').getAttribute('data-verdict')).toBe('blocked');
    expect(
      await page
        .locator('[data-id="object-row"][data-object="Contact"]')
        .getAttribute('data-missing'),
    ).toBe('0');
    const finding = page.locator('[data-id="finding"][data-subject="HubSpot"]');
    expect(await finding.count()).toBe(1);
    expect(await finding.getAttribute('data-severity')).toBe('error');
    expect(await finding.getAttribute('data-reason')).toBe('API_ACCESS_DISABLED');
    const lines = (await finding.locator('p').allInnerTexts()).map((line) => line.trim());
    expect(lines[0]).toBe('HubSpot');
    expect(lines[1]).toMatch(/^The connected app "HubSpot" admits admin-approved users only/);
    expect(lines[1]).toContain('Failed: Not approved for access');
    expect(lines[2]).toMatch(
      /^Fix: In Setup > Connected Apps > Manage Connected Apps, open "HubSpot" and add the profile "[^"]+" \(Manage Profiles\)/,
    );
    // The rule in Setup's words (the core's ruleLabel); its id stays on the line for tools.
    expect(lines[3]).toBe('Rule: Connected app: admin-approved users only (Permitted Users)');
    expect(await finding.locator('[data-id="finding-rule"]').getAttribute('data-rule')).toBe(
      'connected-app-approval',
    );
    // No object or field is called HubSpot: no link to a row.
    expect(await finding.locator('[data-id="finding-row-link"]').count()).toBe(0);
    await finding.scrollIntoViewIfNeeded();
    await screenshot(page, '11-fixture-admin-approved-app', { fullPage: false });

    await switchFixture('read-only-contacts');
    expect(await finding.count()).toBe(0);
  }, 180_000);
  test('a suspension sent for one demo org stays with it: the healthy org shows none, then its own, live', async () => {
    await fetch(`${app.stack.url}/preview/fixture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fixture: 'read-only-contacts', size: 'default', variants: [] }),
    });
    await openApp(page, app.stack);
    const contactsPortal = app.stack.portalId;
    const current = page.locator('[data-id="suspension-current"][data-state="suspended"]');
    // The stream is open once the app subscribed; give the EventSource its first event.
    await page.waitForTimeout(500);
    await signedPost(app.stack, 'suspensions', {
      reason: 'OBJECT_PERMISSIONS_MISSING',
      title: 'Salesforce object permissions missing',
      occurredAt: new Date().toISOString(),
      eventId: `e2e-own-portal-${Date.now()}`,
    });
    await current.waitFor({ timeout: 5000 });

    // The healthy org was never suspended: its panel says so, for its own portal, and no banner.
    await switchFixture('healthy');
    expect(await page.locator('[data-id="verdict"]').getAttribute('data-verdict')).toBe('healthy');
    const none = page.locator('[data-id="suspension-none"]');
    await none.waitFor({ timeout: 10_000 });
    expect(app.stack.portalId).not.toBe(contactsPortal);
    expect(await none.innerText()).toContain(app.stack.portalId);
    expect(await current.count()).toBe(0);
    expect(await page.locator('[data-id="suspension-alert"][data-state="suspended"]').count()).toBe(
      0,
    );

    // The page listens to the healthy org's portal now: a suspension sent for it arrives live.
    await page.waitForTimeout(500);
    await signedPost(app.stack, 'suspensions', {
      reason: 'API_ACCESS_DISABLED',
      title: 'API access disabled',
      occurredAt: new Date().toISOString(),
      eventId: `e2e-own-portal-healthy-${Date.now()}`,
    });
    await current.waitFor({ timeout: 5000 });
    expect(await current.getAttribute('data-reason')).toBe('API_ACCESS_DISABLED');
    await signedPost(app.stack, 'clear', {
      occurredAt: new Date().toISOString(),
      eventId: `e2e-own-portal-healthy-clear-${Date.now()}`,
    });
    await page.locator('[data-id="suspension-cleared"]').waitFor({ timeout: 5000 });

    // Back on read-only-contacts, its own suspension is there again.
    await switchFixture('read-only-contacts');
    await current.waitFor({ timeout: 10_000 });
    expect(await current.getAttribute('data-reason')).toBe('OBJECT_PERMISSIONS_MISSING');
    await signedPost(app.stack, 'clear', {
      occurredAt: new Date().toISOString(),
      eventId: `e2e-own-portal-clear-${Date.now()}`,
    });
    await page.locator('[data-id="suspension-cleared"]').waitFor({ timeout: 5000 });
  }, 180_000);
});

describe('keyboard only', () => {
  test('open the remediation, Escape cancels, Tab reaches Confirm, Enter applies it', async () => {
    await openApp(page, app.stack);
    await tabTo('Grant the missing rights');
    await page.keyboard.press('Enter');
    await page.locator('[data-id="remediation-dialog"]').waitFor();
    // Focus moved into the dialog.
    expect(['remediation-cancel', 'remediation-confirm', 'remediation-dialog']).toContain(
      (await focused())?.id,
    );
    await page.keyboard.press('Escape');
    await page.locator('[data-id="remediation-dialog"]').waitFor({ state: 'detached' });
    expect(
      app.stack.sim
        .records('PermissionSet')
        .some((record) => record.Name === 'Sync_Doctor_Remediation'),
    ).toBe(false);

    // Focus returns to the page; Tab onwards to the button again and confirm this time.
    await page.locator('[data-id="verdict"]').click({ position: { x: 2, y: 2 } });
    await tabTo('Grant the missing rights');
    await page.keyboard.press('Enter');
    await page.locator('[data-id="remediation-dialog"]').waitFor();
    for (
      let presses = 0;
      presses < 4 && (await focused())?.id !== 'remediation-confirm';
      presses += 1
    )
      await page.keyboard.press('Tab');
    expect((await focused())?.id).toBe('remediation-confirm');
    await page.keyboard.press('Enter');
    await page.locator('[data-id="verdict"][data-verdict="healthy"]').waitFor({ timeout: 15_000 });
    // The button and the dialog went with the old diagnosis: the focus is on the new verdict, not the page.
    await page
      .waitForFunction(
        () => {
          let element: Element | null = document.activeElement;
          while (element && element.shadowRoot && element.shadowRoot.activeElement)
            element = element.shadowRoot.activeElement;
          return element !== null && element !== document.body;
        },
        undefined,
        { timeout: 5000 },
      )
      .catch(() => undefined);
    expect((await focused())?.id).toBe('verdict');
  });

  test('the demo org selector is reachable and usable from the keyboard', async () => {
    await openApp(page, app.stack);
    await page.keyboard.press('Tab');
    expect((await focused())?.id).toBe('preview-fixture');
  });
});

describe('accessibility (axe-core)', () => {
  test('no serious or critical violation in the diagnosis, with a suspension, and in the dialog', async () => {
    await page.goto(app.stack.url + '/');
    await switchFixture('read-only-contacts');
    await signedPost(app.stack, 'suspensions', {
      reason: 'FIELD_PERMISSIONS_MISSING',
      occurredAt: new Date().toISOString(),
      eventId: 'axe-1',
    });
    await page.locator('[data-id="suspension-current"]').waitFor({ timeout: 5000 });
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('[data-id="remediation-apply"] button').click();
    await page.locator('[data-id="remediation-dialog"]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
  });
});

describe('WCAG 2.2 AA (axe-core) in every state an admin meets, wide and narrow', () => {
  const states: [string, (target: Page) => Promise<void>][] = [
    [
      'healthy',
      async (target) => {
        await fetch(`${app.stack.url}/preview/fixture`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ fixture: 'healthy' }),
        });
        await openApp(target, app.stack);
      },
    ],
    [
      'blocked and suspended, with the fix available',
      async (target) => {
        await fetch(`${app.stack.url}/preview/fixture`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ fixture: 'read-only-contacts' }),
        });
        await signedPost(app.stack, 'suspensions', {
          reason: 'FIELD_PERMISSIONS_MISSING',
          occurredAt: new Date().toISOString(),
          eventId: `wcag-${Date.now()}`,
        });
        await openApp(target, app.stack);
        await target.locator('[data-id="suspension-current"]').waitFor({ timeout: 5000 });
      },
    ],
    [
      'the org cannot be read, nor the suspension status',
      async (target) => {
        const refuse = (message: string) => ({
          status: 502,
          contentType: 'application/json',
          body: JSON.stringify({ error: { message } }),
        });
        await target.route('**/preview/apex/getSnapshot', (route) =>
          route.fulfill(refuse('Salesforce refused the query: INSUFFICIENT_ACCESS.')),
        );
        await target.route('**/preview/apex/getSuspensionStatus', (route) =>
          route.fulfill(refuse('Read timed out')),
        );
        await openApp(target, app.stack);
        await target.locator('[data-id="suspension-error"]').waitFor({ timeout: 5000 });
      },
    ],
    [
      'still checking',
      async (target) => {
        // A snapshot that never comes: the loading state stays.
        await target.route('**/preview/apex/getSnapshot', () => undefined);
        await target.goto(app.stack.url + '/');
        await target.locator('[data-id="loading"]').waitFor({ timeout: 60_000 });
      },
    ],
  ];

  test.each(
    states.flatMap(([name, open]) => [1440, 480].map((width) => [name, width, open] as const)),
  )('%s at %d px', async (_name, width, open) => {
    const target = await app.browser.newPage();
    try {
      await target.setViewportSize({ width, height: 900 });
      await open(target);
      expect(await wcagViolations(target)).toEqual([]);
    } finally {
      await target.close();
    }
  });
});

describe('a narrow screen (utility bar, Salesforce mobile)', () => {
  test('the object matrix shows Read, Create and Edit without scrolling sideways at 400 px', async () => {
    const narrow = await app.browser.newPage();
    try {
      await narrow.setViewportSize({ width: 400, height: 900 });
      const response = await fetch(`${app.stack.url}/preview/fixture`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fixture: 'read-only-contacts' }),
      });
      expect(response.ok).toBe(true);
      await openApp(narrow, app.stack);
      // SLDS tables do not wrap: the messages under "Contact" made the Object column wider than the
      // screen, so no right was in view, and "Granted by" went a word per line.
      const contact = narrow.locator('[data-id="object-row"][data-object="Contact"]');
      const layout = await contact.evaluate((row) => {
        const region = row.closest('.slds-scrollable_x')!.getBoundingClientRect();
        const edit = row.querySelector('[data-access="edit"]')!.getBoundingClientRect();
        return {
          regionRight: region.right,
          editRight: edit.right,
          rowHeight: row.getBoundingClientRect().height,
          grantedByHeight: row.querySelector('.sd-granted-by')!.getBoundingClientRect().height,
        };
      });
      expect(layout.editRight).toBeLessThanOrEqual(layout.regionRight);
      // Stacked below 48em (a line per right): under half of the 900 px screen, and "Granted by"
      // in two or three lines, not a word a line.
      expect(layout.rowHeight).toBeLessThan(450);
      expect(layout.grantedByHeight).toBeLessThan(70);
      expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        400,
      );
      await screenshot(narrow, '06-narrow-400');
    } finally {
      await narrow.close();
    }
  });
});

describe('480 px wide (utility bar, Salesforce mobile): nothing the admin needs is cut off', () => {
  async function narrowPage(): Promise<Page> {
    const narrow = await app.browser.newPage();
    await narrow.setViewportSize({ width: 480, height: 900 });
    return narrow;
  }

  test("the page header's subtitle wraps instead of ending in an ellipsis", async () => {
    const narrow = await narrowPage();
    try {
      await openApp(narrow, app.stack);
      const subtitle = narrow.locator('.slds-page-header__name-meta');
      expect(await subtitle.innerText()).toBe(
        'Why HubSpot suspends its Salesforce sync, and how to fix it',
      );
      // SLDS's nowrap + ellipsis cut it to "Why HubSpot suspends its Salesforce ..." at this width.
      const cut = await subtitle.evaluate((element) => element.scrollWidth > element.clientWidth);
      expect(cut).toBe(false);
    } finally {
      await narrow.close();
    }
  });

  test('"Try again" stays on one line beside a long error', async () => {
    const narrow = await narrowPage();
    try {
      await narrow.route('**/preview/apex/getSnapshot', (route) =>
        route.fulfill({
          status: 502,
          contentType: 'application/json',
          body: JSON.stringify({
            error: {
              message:
                'Salesforce refused the query: INSUFFICIENT_ACCESS (the running user lacks View Setup and Configuration).',
            },
          }),
        }),
      );
      await openApp(narrow, app.stack);
      const button = narrow.locator('[data-id="retry-button"] button');
      await button.waitFor();
      // The alert is a flex row: the button shrank to "Try / again", one word a line.
      const lines = await button.evaluate((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        return tops.size;
      });
      expect(lines).toBe(1);
      await screenshot(narrow, '12-narrow-480-error', { fullPage: false });
    } finally {
      await narrow.close();
    }
  });

  test("each candidate user's wrapped text stays beside its radio circle, not under it", async () => {
    const narrow = await narrowPage();
    try {
      await openApp(narrow, app.stack);
      await narrow.locator('[data-id="user-picker-edit"] button').click();
      const options = narrow.locator('[data-id="user-option"]');
      await options.first().waitFor();
      expect(await options.count()).toBeGreaterThan(1);
      const overlaps = await options.evaluateAll((items) =>
        items.map((item) => {
          const circle = item.querySelector('.slds-radio_faux')!.getBoundingClientRect();
          const rects: DOMRect[] = [];
          const walker = document.createTreeWalker(
            item.querySelector('label')!,
            NodeFilter.SHOW_TEXT,
          );
          for (let text = walker.nextNode(); text; text = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(text);
            rects.push(...[...range.getClientRects()].filter((rect) => rect.width > 0));
          }
          // The leftmost text of any line, against the circle's right edge.
          return Math.round(Math.min(...rects.map((rect) => rect.left)) - circle.right);
        }),
      );
      // Inline, a second line ("HubSpot permission set, Saved choice") ran on under the circle.
      for (const gap of overlaps) expect(gap).toBeGreaterThanOrEqual(0);
    } finally {
      await narrow.close();
    }
  });

  test("a failing field's status is in view without scrolling the field table sideways", async () => {
    const narrow = await narrowPage();
    try {
      const response = await fetch(`${app.stack.url}/preview/fixture`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fixture: 'read-only-contacts' }),
      });
      expect(response.ok).toBe(true);
      await openApp(narrow, app.stack);
      const row = narrow.locator('[data-id="field-row"][data-failing="true"]').first();
      await row.waitFor();
      const layout = await row.evaluate((element) => {
        const region = element.closest('.slds-scrollable_x')!.getBoundingClientRect();
        const status = element.querySelector('.slds-badge')!;
        return { regionRight: region.right, statusRight: status.getBoundingClientRect().right };
      });
      // Last of six columns, the status (the verdict on the field) was off to the right at 480 px.
      expect(layout.statusRight).toBeLessThanOrEqual(layout.regionRight);
    } finally {
      await narrow.close();
    }
  });
});

describe('1024 px wide (a laptop): the side column', () => {
  test('shows every column of the suspension history, "Reported by" included, without scrolling sideways', async () => {
    const laptop = await app.browser.newPage();
    try {
      await laptop.setViewportSize({ width: 1024, height: 900 });
      await signedPost(app.stack, 'suspensions', {
        reason: 'FIELD_PERMISSIONS_MISSING',
        occurredAt: new Date().toISOString(),
        eventId: `history-1024-${Date.now()}`,
      });
      await openApp(laptop, app.stack);
      const region = laptop.locator('[role="region"][aria-label="Suspension history"]');
      await region.waitFor({ timeout: 5000 });
      // The headings did not wrap and the first and last cells had 1.5 rem of padding: the table
      // ran past the ~355 px column, and "Reported by" was cut.
      const overflow = await region.evaluate(
        (element) => element.scrollWidth - element.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await laptop.close();
    }
  });
});

describe("from a suspension step's finding to the Findings card", () => {
  test("the link opens the finding's group, scrolls to it and moves the focus there", async () => {
    await page.goto(app.stack.url + '/');
    await switchFixture('read-only-contacts');
    await signedPost(app.stack, 'suspensions', {
      reason: 'OBJECT_PERMISSIONS_MISSING',
      occurredAt: new Date().toISOString(),
      eventId: 'finding-link-1',
    });
    const link = page
      .locator('[data-id="suspension-step-findings"] [data-id="suspension-finding-link"]')
      .first();
    await link.waitFor({ timeout: 5000 });
    const reason = await link.getAttribute('data-reason');
    const subject = await link.getAttribute('data-subject');
    expect(reason).toBe('OBJECT_PERMISSIONS_MISSING');

    // The admin closed the group first: the link opens it again.
    const toggle = page.locator(
      `[data-id="finding-group"][data-reason="${reason}"] [data-id="finding-group-toggle"]`,
    );
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');

    await link.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const target = page
      .locator(`[data-id="finding"][data-reason="${reason}"][data-subject="${subject}"]`)
      .first();
    // The focus moves once the opened group is drawn: wait for it rather than for a fixed time.
    await page
      .waitForFunction(
        () => {
          let element: Element | null = document.activeElement;
          while (element && element.shadowRoot && element.shadowRoot.activeElement)
            element = element.shadowRoot.activeElement;
          return element?.getAttribute('data-id') === 'finding';
        },
        undefined,
        { timeout: 5000 },
      )
      .catch(() => undefined);
    const now = await focused();
    expect(now?.id).toBe('finding');
    expect(now?.text).toBe((await target.textContent())?.trim().slice(0, 80));
    const inView = await target.evaluate((item) => {
      const box = item.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    });
    expect(inView).toBe(true);
    await screenshot(page, '08-finding-from-step');
  });
});

describe('from a finding to the row that proves it', () => {
  test("an object finding's link scrolls the object matrix to its row and focuses it", async () => {
    await page.goto(app.stack.url + '/');
    await switchFixture('read-only-contacts');
    const link = page.locator('[data-id="finding-row-link"][data-kind="object"]').first();
    await link.waitFor({ timeout: 5000 });
    const subject = await link.getAttribute('data-subject');
    expect(subject).toBeTruthy();
    const row = page.locator(`[data-id="object-row"][data-object="${subject}"]`);
    const rowInView = (): Promise<boolean> =>
      row.evaluate((item) => {
        const box = item.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      });
    // The matrix sits below the findings: out of view until the link brings it.
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await rowInView()).toBe(false);

    await link.click();
    await page
      .waitForFunction(
        () => {
          let element: Element | null = document.activeElement;
          while (element && element.shadowRoot && element.shadowRoot.activeElement)
            element = element.shadowRoot.activeElement;
          return element?.getAttribute('data-id') === 'object-row';
        },
        undefined,
        { timeout: 5000 },
      )
      .catch(() => undefined);
    const now = await focused();
    expect(now?.id).toBe('object-row');
    expect(now?.tag).toBe('tr');
    expect(await row.getAttribute('class')).toContain('sd-row_revealed');
    expect(await rowInView()).toBe(true);
    // The view the admin gets (not the whole page): the row in the middle, outlined.
    await screenshot(page, '09-row-from-finding', { fullPage: false });
  });
});
