import type { FixtureName } from '@sync-doctor/org-simulator';
import { demoSuspensionCurl } from './curlLine.js';

/**
 * What `npm start` prints once the demo runs: where to look, the signed `curl` lines of a demo
 * suspension for the demo org it started on (each demo org has a HubSpot portal of its own, so the
 * lines name that org's portal and secret), and how to switch the demo org.
 */
export function startBanner(options: {
  url: string;
  fixture: FixtureName;
  size: string;
  variants: readonly string[];
  portalId: string;
  signingSecret: string;
}): string {
  const { url, fixture, size, variants, portalId } = options;
  return `
Sync Doctor is running on the demo org "${fixture}"${size === 'default' ? '' : ` (${size})`}${variants.length ? ` with ${variants.join(', ')}` : ''}: ${url}/

Send a demo suspension from HubSpot's side to the portal of "${fixture}" (${portalId}), signed like a real webhook; it shows up live:

${demoSuspensionCurl(options)}

Each demo org has a HubSpot portal of its own: a suspension stays with the org it was sent for, and another demo org shows its own state. These lines are for "${fixture}" (another org's: npm start -- --fixture NAME).
Switch the demo org with the selector on the page, or: curl -X POST ${url}/preview/fixture -H 'content-type: application/json' -d '{"fixture":"healthy","size":"large","variants":["frozen-integration-user"]}'
Ctrl+C stops everything.`;
}
