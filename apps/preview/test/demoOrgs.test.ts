/**
 * The demo org selector without a browser, through the preview's API as the page uses it: a size
 * scales a demo org without changing its health.
 */
import {
  DEFAULT_REQUIREMENTS,
  evaluateAccess,
  mergeRequirements,
  validateSnapshot,
  type Diagnosis,
  type Requirements,
} from '@sync-doctor/core';
import { FIXTURE_NAMES, type FixtureName } from '@sync-doctor/org-simulator';
import { startPreviewStack, type PreviewStack } from '../src/demo/previewStack.js';

let stack: PreviewStack;

beforeAll(async () => {
  stack = await startPreviewStack({ port: 0 });
});

afterAll(async () => {
  await stack?.close();
});

async function apex<T>(method: string, params: unknown = {}): Promise<T> {
  const response = await fetch(`${stack.url}/preview/apex/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const body = (await response.json()) as { result?: string | null; error?: { message: string } };
  if (response.status !== 200) throw new Error(`${method}: ${body.error?.message}`);
  return JSON.parse(body.result ?? 'null') as T;
}

async function useDemoOrg(body: { fixture: FixtureName; size?: string; variants?: string[] }) {
  const response = await fetch(`${stack.url}/preview/fixture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

interface Settings {
  userId: string | null;
  portalId: string | null;
  extraFields: Requirements['fields'];
}

/** The page's diagnosis: the settings, the snapshot the collector reads, the core's verdict on it. */
async function diagnose(): Promise<Diagnosis> {
  const settings = await apex<Settings>('getSettings');
  const snapshot = await apex<unknown>('getSnapshot', { userId: settings.userId });
  const checked = validateSnapshot(snapshot);
  if (!checked.ok) throw new Error(`snapshot: ${checked.path}: ${checked.message}`);
  const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, { fields: settings.extraFields });
  return evaluateAccess(checked.snapshot, requirements);
}

/** What a size may not change: the verdict and the kinds of findings (counts aside). */
const kinds = (diagnosis: Diagnosis) => ({
  verdict: diagnosis.verdict,
  findings: [...new Set(diagnosis.findings.map((f) => `${f.severity} ${f.reason}`))].sort(),
});

describe('a size scales the demo org, not its health', () => {
  afterAll(() => useDemoOrg({ fixture: 'read-only-contacts', size: 'default', variants: [] }));

  test('the large healthy org maps hundreds of fields, all of them in place', async () => {
    await useDemoOrg({ fixture: 'healthy', size: 'large', variants: [] });
    const settings = await apex<Settings>('getSettings');
    expect(settings.extraFields.length).toBeGreaterThanOrEqual(270);
    const diagnosis = await diagnose();
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.verdict).toBe('healthy');
  });

  test.each(FIXTURE_NAMES.map((name) => [name]))(
    '%s: the large size gives the verdict and the kinds of findings of the default size',
    async (fixture) => {
      await useDemoOrg({ fixture, size: 'default', variants: [] });
      const standard = await diagnose();
      await useDemoOrg({ fixture, size: 'large', variants: [] });
      expect((await apex<Settings>('getSettings')).extraFields.length).toBeGreaterThan(0);
      const large = await diagnose();
      expect(kinds(large)).toEqual(kinds(standard));
    },
  );
});
