/**
 * The real Sync Doctor components (force-app/main/default/lwc) in Chromium, on the relay with the
 * demo org: what an admin sees and does, end to end. One stack (simulator + relay + preview) per
 * describe block; the screenshots of each state land in artifacts/screenshots.
 */
import { minute } from '@sync-doctor/core';
import type { FixtureName } from '@sync-doctor/org-simulator';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from '../src/e2e/chromium.js';
import { startPreviewStack, type PreviewStack } from '../src/demo/previewStack.js';
import { openApp, screenshot, signedPost } from './support/appStack.js';
import { appBundle, BUILD_TIMEOUT_MS, requireChromium } from './support/bundles.js';

let launched: LaunchedBrowser;
let browser: BrowserContext;
let publicDir: string;

beforeAll(async () => {
  requireChromium();
  publicDir = appBundle();
  launched = await launchChromium();
  browser = launched.browser;
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await launched?.close();
});

async function newStack(fixture: FixtureName = 'read-only-contacts'): Promise<PreviewStack> {
  return startPreviewStack({ fixture, publicDir, port: 0 });
}

function trackErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

const remediationSet = (stack: PreviewStack) =>
  stack.sim.records('PermissionSet').filter((record) => record.Name === 'Sync_Doctor_Remediation');

describe('the demo org (read-only-contacts)', () => {
  let stack: PreviewStack;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    stack = await newStack();
    page = await browser.newPage();
    errors = trackErrors(page);
    await openApp(page, stack);
  });

  afterAll(async () => {
    await page?.close();
    await stack?.close();
  });

  test('shows the verdict, the missing Contact edit, the fields, the limits and the remedy', async () => {
    const verdict = page.locator('[data-id="verdict"]');
    expect(await verdict.getAttribute('data-verdict')).toBe('blocked');

    const contact = page.locator('[data-id="object-row"][data-object="Contact"]');
    // Read only: create and edit are the two missing rights.
    expect(await contact.getAttribute('data-missing')).toBe('2');
    expect(
      await contact
        .locator('[data-id="object-cell"][data-access="edit"]')
        .getAttribute('data-state'),
    ).toBe('missing');
    expect(
      await contact
        .locator('[data-id="object-cell"][data-access="read"]')
        .getAttribute('data-state'),
    ).toBe('granted');
    expect(
      await page.locator('[data-id="object-row"][data-object="Lead"]').getAttribute('data-missing'),
    ).toBe('0');

    expect(await page.locator('[data-id="field-row"]').count()).toBeGreaterThan(10);
    await page.locator('[data-id="field-table"]').getByText('Contact.Email').first().waitFor();

    const bars = page.locator('[data-id="limit-bar"]');
    expect(await bars.count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-id="limits-card"]').innerText()).toMatch(/API requests/);

    expect(await page.locator('[data-id="remediation-summary"]').innerText()).toMatch(
      /Sync_Doctor_Remediation/,
    );
    // Synthetic shadow, as in Lightning Experience: base components take the global SLDS styles.
    const apply = page.locator('[data-id="remediation-apply"]');
    expect(await apply.getAttribute('data-render-mode')).toBeNull();
    expect(
      await apply.locator('button').evaluate((button) => getComputedStyle(button).backgroundColor),
    ).toBe('rgb(1, 118, 211)');
    expect(await page.locator('[data-id="finding"]').first().innerText()).toMatch(/Contact/);
    // The first screen as an admin sees it, then the whole page.
    await screenshot(page, '01-diagnosis-read-only-contacts', { fullPage: false });
    await screenshot(page, '01-diagnosis-read-only-contacts-full');
    expect(errors).toEqual([]);
  });

  test('draws every icon from an SLDS sprite that holds it (none blank)', async () => {
    // Every <use> in every shadow root: lightning-primitive-icon's, for the named icons.
    const hrefs = await page.evaluate(() => {
      const found: string[] = [];
      const walk = (root: Document | ShadowRoot): void => {
        for (const element of Array.from(root.querySelectorAll('*'))) {
          if (element.tagName.toLowerCase() === 'use')
            found.push(element.getAttribute('href') ?? '');
          if (element.shadowRoot) walk(element.shadowRoot);
        }
      };
      walk(document);
      return found;
    });
    expect(hrefs.length).toBeGreaterThanOrEqual(3); // Check again, Copy report, the findings group's chevron
    const sprites = new Map<string, string>();
    for (const href of hrefs) {
      const match = /^(\/assets\/icons\/[a-z]+-sprite\/svg\/symbols\.svg)#([a-z_]+)$/.exec(href);
      expect(match).not.toBeNull();
      const [, sprite, symbol] = match!;
      if (!sprites.has(sprite!)) {
        const response = await fetch(stack.url + sprite!);
        expect(response.status).toBe(200);
        sprites.set(sprite!, await response.text());
      }
      expect(sprites.get(sprite!)).toContain(`id="${symbol!}"`);
    }
  });

  test('a signed suspension shows in the panel within 2 seconds, without a reload', async () => {
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    // The stream is open once the app subscribed (the panel says live).
    await page
      .locator('[data-id="suspension-panel"][data-live-state="live"]')
      .waitFor({ timeout: 10_000 });
    const sentAt = Date.now();
    const occurredAt = new Date().toISOString();
    const response = await signedPost(stack, 'suspensions', {
      reason: 'OBJECT_PERMISSIONS_MISSING',
      title: 'Salesforce object permissions missing',
      occurredAt,
      eventId: 'e2e-suspension-1',
    });
    expect(response.status).toBe(202);
    const current = page.locator('[data-id="suspension-current"][data-state="suspended"]');
    await current.waitFor({ timeout: 2000 });
    expect(Date.now() - sentAt).toBeLessThan(2000);
    expect(await current.getAttribute('data-reason')).toBe('OBJECT_PERMISSIONS_MISSING');
    expect(await page.locator('[data-id="suspension-remedy"] li').count()).toBeGreaterThan(1);
    expect(
      await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
    ).toBe(true);
    // The banner at the top says it first, before the side panel's details.
    const banner = page.locator('[data-id="suspension-alert"][data-state="suspended"]');
    expect(await banner.innerText()).toMatch(/HubSpot suspended the Salesforce sync/);
    // Every time of the page in the core's `minute`, as the findings and the Logins card say
    // theirs: '2026-12-01 13:34 UTC', not the browser locale's 'Dec 1, 2026, 01:34 PM UTC'.
    expect(await banner.locator('[data-id="suspension-alert-since"]').innerText()).toBe(
      `Since ${minute(occurredAt)}.`,
    );
    expect(await page.locator('[data-id="suspension-since"]').innerText()).toBe(minute(occurredAt));
    expect(await page.locator('[data-id="verdict-read-at"]').innerText()).toMatch(
      /^Read from Salesforce \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    // The first screen an admin sees once the suspension arrives (the README shows this one).
    await screenshot(page, '02-suspension-live-first-screen', { fullPage: false });
    await screenshot(page, '02-suspension-live');
  });

  test('Clear records the clearance and the history lists both', async () => {
    const occurredAt = new Date().toISOString();
    const response = await signedPost(stack, 'clear', {
      occurredAt,
      eventId: 'e2e-clear-1',
      note: 'Clicked Clear Suspension',
    });
    expect(response.status).toBe(202);
    await page.locator('[data-id="suspension-cleared"]').waitFor({ timeout: 2000 });
    const rows = page.locator('[data-id="suspension-history-row"]');
    await rows.nth(1).waitFor({ timeout: 2000 });
    expect(await rows.count()).toBe(2);
    const text = (await page.locator('[data-id="suspension-history"]').innerText()).toLowerCase();
    expect(text).toContain('cleared');
    expect(text).toContain('suspended');
    expect(await page.locator('[data-id="suspension-cleared"]').innerText()).toBe(
      `The last suspension was cleared ${minute(occurredAt)}.`,
    );
    expect(await rows.nth(0).locator('[data-id="suspension-history-time"]').innerText()).toBe(
      minute(occurredAt),
    );
    await screenshot(page, '03-suspension-cleared');
  });

  test('cancelling the remediation changes nothing', async () => {
    const before = stack.sim.records('PermissionSetAssignment').length;
    await page.locator('[data-id="remediation-apply"] button').click();
    const dialog = page.locator('[data-id="remediation-dialog"]');
    await dialog.waitFor();
    expect(await page.locator('[data-id="remediation-object-grants"]').innerText()).toMatch(
      /Contact/,
    );
    await screenshot(page, '04-remediation-confirm');
    await page.locator('[data-id="remediation-cancel"]').click();
    await dialog.waitFor({ state: 'detached' });
    expect(remediationSet(stack)).toHaveLength(0);
    expect(stack.sim.records('PermissionSetAssignment')).toHaveLength(before);
    expect(await page.locator('[data-id="verdict"]').getAttribute('data-verdict')).toBe('blocked');
  });

  test('confirming grants exactly the missing rights and the diagnosis turns healthy', async () => {
    await page.locator('[data-id="remediation-apply"] button').click();
    await page.locator('[data-id="remediation-confirm"]').click();
    await page.locator('.slds-notify_toast[data-variant="success"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-id="verdict"][data-verdict="healthy"]').waitFor({ timeout: 15_000 });
    const [permissionSet] = remediationSet(stack);
    expect(permissionSet).toBeDefined();
    const grants = stack.sim
      .records('ObjectPermissions')
      .filter((row) => row.ParentId === permissionSet!.Id);
    // Read on Account first: a real org refuses Contact's rights in a set without it.
    expect(grants.map((row) => row.SobjectType)).toEqual(['Account', 'Contact']);
    expect(grants[0]).toMatchObject({
      PermissionsRead: true,
      PermissionsCreate: false,
      PermissionsEdit: false,
      PermissionsDelete: false,
      PermissionsViewAllRecords: false,
      PermissionsModifyAllRecords: false,
    });
    // Least privilege: what was missing (create, edit) plus the read it implies, nothing more.
    expect(grants[1]).toMatchObject({
      PermissionsRead: true,
      PermissionsCreate: true,
      PermissionsEdit: true,
      PermissionsDelete: false,
      PermissionsViewAllRecords: false,
      PermissionsModifyAllRecords: false,
    });
    expect(
      stack.sim
        .records('PermissionSetAssignment')
        .some(
          (row) =>
            row.PermissionSetId === permissionSet!.Id &&
            row.AssigneeId === stack.sim.integrationUser.Id,
        ),
    ).toBe(true);
    expect(
      await page
        .locator('[data-id="object-row"][data-object="Contact"]')
        .getAttribute('data-missing'),
    ).toBe('0');
    await screenshot(page, '05-remediated-healthy');
    expect(errors).toEqual([]);
  });
});

/** Each finding the page shows: its severity, subject and rule (the id its 'Rule: …' line carries). */
async function shownFindings(
  page: Page,
): Promise<{ severity: string | null; subject: string | null; rule: string }[]> {
  return page.locator('[data-id="finding"]').evaluateAll((items) =>
    items.map((item) => ({
      severity: item.getAttribute('data-severity'),
      subject: item.getAttribute('data-subject'),
      rule: item.querySelector('[data-id="finding-rule"]')?.getAttribute('data-rule') ?? '',
    })),
  );
}

describe("the demo org (admin-approved-app): approving HubSpot's connected app", () => {
  let stack: PreviewStack;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    stack = await newStack('admin-approved-app');
    page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    errors = trackErrors(page);
    await openApp(page, stack);
  });

  afterAll(async () => {
    await page?.close();
    await stack?.close();
  });

  test('the dialog lists the approval, Confirm approves Sync_Doctor_Remediation for HubSpot, and the finding is gone once the org is read again', async () => {
    const approval = page.locator('[data-id="finding"][data-subject="HubSpot"]', {
      has: page.locator('[data-id="finding-rule"][data-rule="connected-app-approval"]'),
    });
    expect(await approval.count()).toBe(1);
    expect(await approval.getAttribute('data-severity')).toBe('error');
    expect(await page.locator('[data-id="verdict"]').getAttribute('data-verdict')).toBe('blocked');
    // What the fixture's other findings make the verdict once the approval is fixed.
    const others = (await shownFindings(page)).filter(
      (finding) => finding.rule !== 'connected-app-approval',
    );
    const expectedVerdict = others.some((finding) => finding.severity === 'error')
      ? 'blocked'
      : others.some((finding) => finding.severity === 'warning')
        ? 'at-risk'
        : 'healthy';

    const apply = page.locator('[data-id="remediation-apply"] button');
    expect(await apply.innerText()).toBe('Grant the missing rights');
    await apply.click();
    const dialog = page.locator('[data-id="remediation-dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('h2').innerText()).toBe('Grant the missing rights?');
    expect(await dialog.locator('[data-id="remediation-app-grants"] li').allInnerTexts()).toEqual([
      'Approve for the connected app "HubSpot"',
    ]);
    // Every right is there: the approval is the whole plan.
    for (const list of ['object-grants', 'field-grants', 'system-grants', 'set-assignments'])
      expect(await dialog.locator(`[data-id="remediation-${list}"]`).count()).toBe(0);
    await screenshot(page, '12-remediation-approve-app', { fullPage: false });

    await page.locator('[data-id="remediation-confirm"]').click();
    const toast = page.locator('.slds-notify_toast[data-variant="success"]');
    await toast.waitFor({ timeout: 15_000 });
    expect(await toast.locator('h2').innerText()).toBe('Missing rights granted');
    expect(await toast.locator('p').innerText()).toBe(
      'Sync_Doctor_Remediation now approves the integration user for the connected app "HubSpot".',
    );

    // The app reads the org again: the new verdict comes with the new findings.
    await page
      .locator(`[data-id="verdict"][data-verdict="${expectedVerdict}"]`)
      .waitFor({ timeout: 15_000 });
    expect(await approval.count()).toBe(0);
    expect(await shownFindings(page)).toEqual(others);

    // In the org: one SetupEntityAccess row approves the remediation set for HubSpot's app.
    const [app] = stack.sim
      .records('ConnectedApplication')
      .filter((record) => record.Name === 'HubSpot');
    const [permissionSet] = remediationSet(stack);
    expect(app).toBeDefined();
    expect(permissionSet).toBeDefined();
    expect(
      stack.sim
        .records('SetupEntityAccess')
        .filter((row) => row.ParentId === permissionSet!.Id && row.SetupEntityId === app!.Id),
    ).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});

describe('the live stream when the relay goes away and comes back', () => {
  let stack: PreviewStack;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    stack = await newStack();
    page = await browser.newPage();
    errors = trackErrors(page);
    await openApp(page, stack);
  });

  afterAll(async () => {
    await page?.close();
    await stack?.close();
  });

  const panel = () => page.locator('[data-id="suspension-panel"]');

  test('says "reconnecting" (not "reload") while the relay is down, and is live again, without a reload, once it is back', async () => {
    await page
      .locator('[data-id="suspension-panel"][data-live-state="live"]')
      .waitFor({ timeout: 10_000 });
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    const port = Number(new URL(stack.url).port);
    await stack.close();
    await page
      .locator('[data-id="suspension-panel"][data-live-state="reconnecting"]')
      .waitFor({ timeout: 10_000 });
    const text = await page.locator('[data-id="suspension-live-error"]').innerText();
    expect(text).toMatch(/reconnecting…$/);
    expect(text).not.toMatch(/Reload/);

    // The relay is back on the same address (an empty store: a fresh stack).
    stack = await startPreviewStack({ fixture: 'read-only-contacts', publicDir, port });
    await page
      .locator('[data-id="suspension-panel"][data-live-state="live"]')
      .waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-id="suspension-live-error"]').count()).toBe(0);
    expect(await page.locator('[data-id="suspension-live"]').innerText()).toBe(
      'Live updates resumed.',
    );

    // The new subscription delivers: a suspension shows without a reload.
    const response = await signedPost(stack, 'suspensions', {
      reason: 'API_LIMIT_EXCEEDED',
      title: 'Salesforce org API limit exceeded',
      occurredAt: new Date().toISOString(),
      eventId: 'e2e-after-reconnect',
    });
    expect(response.status).toBe(202);
    await page
      .locator('[data-id="suspension-current"][data-reason="API_LIMIT_EXCEEDED"]')
      .waitFor({ timeout: 5000 });
    expect(
      await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
    ).toBe(true);
    expect(await panel().getAttribute('data-live-state')).toBe('live');
    expect(errors).toEqual([]);
  });
});

describe("a suspension the diagnosis reads against HubSpot's reason (the UI review's cases)", () => {
  let stack: PreviewStack;
  let page: Page;

  afterEach(async () => {
    await page?.close();
    await stack?.close();
  });

  async function suspendedAs(fixture: FixtureName, reason: string, title: string): Promise<void> {
    stack = await newStack(fixture);
    page = await browser.newPage();
    await openApp(page, stack);
    const response = await signedPost(stack, 'suspensions', {
      reason,
      title,
      occurredAt: new Date().toISOString(),
      eventId: `e2e-review-${fixture}-${reason}`,
    });
    expect(response.status).toBe(202);
    await page
      .locator('[data-id="suspension-current"][data-state="suspended"]')
      .waitFor({ timeout: 10_000 });
  }

  const steps = () =>
    page.locator('[data-id="suspension-step"]').evaluateAll((items) =>
      items.map((item) => ({
        badge: item.querySelector('[data-id="suspension-step-status"]')?.textContent ?? '',
        evidence: item.querySelector('[data-id="suspension-step-evidence"]')?.textContent ?? '',
      })),
    );

  test('field permissions on read-only-contacts: no field step is "Done" while Contact blocks 17 fields', async () => {
    await suspendedAs(
      'read-only-contacts',
      'FIELD_PERMISSIONS_MISSING',
      'Salesforce field permissions missing',
    );
    const marked = await steps();
    expect(marked.map((step) => step.badge)).toEqual(['Done', 'To do', 'To do', 'Not checked']);
    expect(marked[1]!.evidence).toContain(
      'but 17 of them cannot be synced: Contact lacks Create and Edit (see Object permissions)',
    );
    expect(await page.locator('[data-id="suspension-panel"]').innerText()).not.toContain(
      'Every mapped field passes',
    );
  });

  test('org locked on a healthy org: the verdict says access OK, sync suspended, never a green "Healthy"', async () => {
    await suspendedAs('healthy', 'ORG_LOCKED', 'Salesforce org locked');
    const verdict = page.locator('[data-id="verdict"]');
    await verdict.getByText('Access OK, sync suspended').waitFor({ timeout: 10_000 });
    expect(await verdict.innerText()).toContain('outside what Sync Doctor checks');
    expect(await verdict.locator('.slds-theme_success').count()).toBe(0);
  });
});
