/**
 * The UI and the CLI agree on every demo org: for each of the simulator's fixtures, what the real
 * components show (verdict, findings by severity and reason, objects with gaps, failing fields)
 * equals the core's diagnosis of the same org, judged the way `sync-doctor check --demo <fixture>
 * --json` judges it (collectSnapshot of the integration user with the default requirements, then
 * evaluateAccess). One browser, one stack, one page: the fixture is switched on the server and the
 * page reloaded.
 */
import { DEFAULT_REQUIREMENTS, evaluateAccess, type Diagnosis } from '@sync-doctor/core';
import { FIXTURE_NAMES, type FixtureName } from '@sync-doctor/org-simulator';
import { collectSnapshot, connect } from '@sync-doctor/salesforce';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from '../src/e2e/chromium.js';
import { startPreviewStack, type PreviewStack } from '../src/demo/previewStack.js';
import { openApp } from './support/appStack.js';
import { appBundle, BUILD_TIMEOUT_MS, requireChromium } from './support/bundles.js';

let launched: LaunchedBrowser;
let stack: PreviewStack;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  requireChromium();
  const publicDir = appBundle();
  launched = await launchChromium();
  stack = await startPreviewStack({ fixture: 'healthy', publicDir, port: 0 });
  page = await launched.browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await launched?.close();
  await stack?.close();
});

/** What the CLI's `check --demo <fixture> --json` prints: the core's diagnosis of the fixture's integration user. */
async function coreDiagnosis(): Promise<Diagnosis> {
  const conn = await connect({ instanceUrl: stack.sim.url, accessToken: stack.sim.accessToken });
  const { snapshot } = await collectSnapshot(conn, {
    user: stack.sim.integrationUser.Id,
    requirements: DEFAULT_REQUIREMENTS,
  });
  return evaluateAccess(snapshot, DEFAULT_REQUIREMENTS);
}

type Summary = {
  verdict: string | null;
  severities: Record<string, number>;
  /** "severity:REASON" -> how many findings. */
  findings: Record<string, number>;
  /** Object name -> how many required rights it lacks (all of them for an object the org lacks). */
  objectGaps: Record<string, number>;
  failingFields: number;
  /** As the CLI's Logins section: the refused statuses, and whether HubSpot is refused now; null when not read. */
  logins: { refused: string[]; refusedNow: boolean } | null;
};

function expected(diagnosis: Diagnosis): Summary {
  const severities: Record<string, number> = { error: 0, warning: 0, info: 0 };
  const findings: Record<string, number> = {};
  for (const finding of diagnosis.findings) {
    severities[finding.severity] = (severities[finding.severity] ?? 0) + 1;
    const key = `${finding.severity}:${finding.reason}`;
    findings[key] = (findings[key] ?? 0) + 1;
  }
  const objectGaps: Record<string, number> = {};
  for (const object of diagnosis.objects) {
    // As the CLI's Objects table reads it: required rights not effective, or no such object.
    const lacking = object.required.filter(
      (right) => !object.effective[right as keyof typeof object.effective],
    ).length;
    if (lacking > 0 || object.exists === false) objectGaps[object.name] = lacking;
  }
  // As the CLI's "Fields that fail (N of M)".
  const failingFields = diagnosis.fields.filter(
    (field) =>
      field.exists === false ||
      (field.missing?.length ?? 0) > 0 ||
      field.required.some((right) => !field.effective[right as 'read' | 'edit']),
  ).length;
  const logins = diagnosis.logins
    ? {
        refused: diagnosis.logins.failures.map((group) => group.status),
        refusedNow: diagnosis.logins.failingSince !== null,
      }
    : null;
  return { verdict: diagnosis.verdict, severities, findings, objectGaps, failingFields, logins };
}

const countsText = (severities: Record<string, number>) => {
  // The words of the findings' badges: "Blocks the sync", "Risk", "Note".
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const errors = severities.error ?? 0;
  const blocking = `${plural(errors, 'finding')} ${errors === 1 ? 'blocks' : 'block'} the sync`;
  return `${blocking}, ${plural(severities.warning ?? 0, 'risk')}, ${plural(severities.info ?? 0, 'note')}`;
};

async function shown(): Promise<Summary> {
  const verdict = await page.locator('[data-id="verdict"]').getAttribute('data-verdict');
  // The findings card groups them by severity and reason, each with its count.
  const groups = await page
    .locator('[data-id="finding-group"]')
    .evaluateAll((elements) =>
      elements.map(
        (element) =>
          [
            `${(element as HTMLElement).dataset.severity}:${(element as HTMLElement).dataset.reason}`,
            Number((element as HTMLElement).dataset.count),
          ] as const,
      ),
    );
  const severities: Record<string, number> = { error: 0, warning: 0, info: 0 };
  const findings: Record<string, number> = {};
  for (const [key, count] of groups) {
    const severity = key.split(':')[0]!;
    severities[severity] = (severities[severity] ?? 0) + count;
    findings[key] = (findings[key] ?? 0) + count;
  }
  // The counts the card's header and the verdict say are the groups' sums.
  const text = countsText(severities);
  expect((await page.locator('[data-id="verdict-counts"]').innerText()).trim()).toBe(text);
  if (groups.length > 0)
    expect((await page.locator('[data-id="finding-counts"]').innerText()).trim()).toBe(text);
  const objectGaps = Object.fromEntries(
    await page.locator('[data-id="object-row"]').evaluateAll((rows) =>
      rows
        .map((row) => {
          const states = [...row.querySelectorAll('[data-id="object-cell"]')].map(
            (cell) => (cell as HTMLElement).dataset.state,
          );
          const gaps = states.filter(
            (state) => state === 'missing' || state === 'absent' || state === 'unknown',
          ).length;
          return [(row as HTMLElement).dataset.object!, gaps, states.includes('absent')] as const;
        })
        .filter(([, gaps, absent]) => gaps > 0 || absent)
        .map(([name, gaps]) => [name, gaps]),
    ),
  ) as Record<string, number>;
  const countText = await page.locator('[data-id="field-count"]').innerText();
  const failing = /(\d+) failing/.exec(countText);
  if (!failing)
    throw new Error(`The field table's count does not say how many fields fail: "${countText}"`);
  const card = page.locator('[data-id="login-history-card"]');
  const logins =
    (await card.locator('[data-id="logins-not-read"]').count()) > 0
      ? null
      : {
          refused: await card
            .locator('[data-id="login-failure"]')
            .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.status!)),
          refusedNow: (await card.locator('[data-id="logins-refused-since"]').count()) > 0,
        };
  return { verdict, severities, findings, objectGaps, failingFields: Number(failing[1]), logins };
}

async function showFixture(fixture: FixtureName): Promise<void> {
  const response = await fetch(`${stack.url}/preview/fixture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fixture }),
  });
  expect(response.status).toBe(200);
  await openApp(page, stack);
  await page.locator('[data-id="verdict"]').waitFor({ timeout: 30_000 });
}

test('every demo fixture is among the thirteen the CLI knows', () => {
  expect([...FIXTURE_NAMES].sort()).toEqual([
    'admin-approved-app',
    'api-disabled',
    'api-limit-near',
    'expired-assignment',
    'healthy',
    'hidden-mapped-field',
    'inactive-user',
    'missing-permission-set',
    'muted-group',
    'read-only-contacts',
    'restricted-ip',
    'storage-full',
    'sync-stopped',
  ]);
});

test.each([...FIXTURE_NAMES])('%s: the UI shows what the CLI reports', async (fixture) => {
  await showFixture(fixture);
  const core = expected(await coreDiagnosis());
  const ui = await shown();
  expect(ui).toEqual(core);
  expect(pageErrors).toEqual([]);
});
