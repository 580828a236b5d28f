import type { FixtureName } from '@sync-doctor/org-simulator';
import type { PreviewStack } from '../../src/demo/previewStack.js';

/** Switches the stack's demo org (fixture, size, variants) as the page's selector does; 200 expected. */
export async function useDemoOrg(
  stack: PreviewStack,
  body: { fixture: FixtureName; size?: string; variants?: string[] },
): Promise<void> {
  const response = await fetch(`${stack.url}/preview/fixture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}
