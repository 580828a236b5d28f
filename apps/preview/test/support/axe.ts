import type { Page } from 'playwright-core';
import { AXE_SOURCE } from './appStack.js';

/** What the tests keep of an axe-core violation: enough to say what and where (three nodes). */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's violations on the page now, with `options` (axe.run's second argument). */
async function axeViolations(page: Page, options: object): Promise<AxeViolation[]> {
  // Evaluated rather than added as a <script>: the relay's Content-Security-Policy forbids inline scripts.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (runOptions) => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, runOptions);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })),
    }));
  }, options);
}

/** axe-core's serious and critical violations on the page now (its default rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const violations = await axeViolations(page, { resultTypes: ['violations'] });
  return violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
}

/** Every WCAG 2.0-2.2 A and AA violation axe-core finds on the page now, whatever its impact. */
export function wcagViolations(page: Page): Promise<AxeViolation[]> {
  return axeViolations(page, {
    runOnly: {
      type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'],
    },
    resultTypes: ['violations'],
  });
}
