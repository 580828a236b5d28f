import type { FixtureName, OrgSimulator } from '@sync-doctor/org-simulator';
import { demoSuspensionCurl } from './curlLine.js';

/**
 * The `sync-doctor check` line for the running simulated org, so the CLI reads the org the app
 * shows (`--demo` would start an org of its own, which the relay never wrote to): the simulator's
 * URL, its demo session token (a simulator's, never a real org's) and the demo portal's record.
 */
export function demoCheckLine(org: {
  instanceUrl: string;
  accessToken: string;
  integrationUsername: string;
  portalId: string;
}): string {
  return `SYNC_DOCTOR_ACCESS_TOKEN='${org.accessToken}' npx sync-doctor check --instance-url ${org.instanceUrl} --user ${org.integrationUsername} --portal ${org.portalId}`;
}

/**
 * Whether the simulated org refuses new records because its data storage is full (the storage-full
 * demo org), as the simulator decides it: the relay cannot create the status record there, so the
 * CLI finds no relayed status and shows the storage finding instead of the suspension.
 */
export function dataStorageFull(sim: Pick<OrgSimulator, 'org'>): boolean {
  const storage = sim.org.limits.DataStorageMB;
  return !!storage && storage.used > storage.Max;
}

/**
 * What `npm start` prints once the demo runs: where to look, the signed `curl` lines of a demo
 * suspension for the demo org it started on (each demo org has a HubSpot portal of its own, so the
 * lines name that org's portal and secret), the CLI line that checks that same simulated org (with
 * `org`), and how to switch the demo org.
 */
export function startBanner(options: {
  url: string;
  fixture: FixtureName;
  size: string;
  variants: readonly string[];
  portalId: string;
  signingSecret: string;
  /** The running simulator, for the CLI line: its URL, demo token and integration user. */
  org?: {
    instanceUrl: string;
    accessToken: string;
    integrationUsername: string;
    /** Its data storage is full (see dataStorageFull): the relay cannot write the status into it. */
    dataStorageFull?: boolean;
  };
}): string {
  const { url, fixture, size, variants, portalId, org } = options;
  const shows = org?.dataStorageFull
    ? `its data storage is full, so the relay cannot write the status into it: the CLI shows the storage finding (Salesforce org storage limits exceeded) instead of the suspension, and "No suspension has been relayed" under "HubSpot reported"`
    : `it shows the suspension under "HubSpot reported"`;
  const check = org
    ? `\n\nThen check this same simulated org with the CLI; ${shows} (the token is the simulator's demo one):\n\n${demoCheckLine({ ...org, portalId })}`
    : '';
  return `
Sync Doctor is running on the demo org "${fixture}"${size === 'default' ? '' : ` (${size})`}${variants.length ? ` with ${variants.join(', ')}` : ''}: ${url}/

Send a demo suspension from HubSpot's side to the portal of "${fixture}" (${portalId}), signed like a real webhook; it shows up live:

${demoSuspensionCurl(options)}

The page's "Send a demo suspension from HubSpot" button sends the same, then a small Sync Health "Export errors" CSV of this story (signed the same way, to ${url}/v1/portals/${portalId}/sync-errors): the panel lists its groups of sync errors under the suspension.${check}

Each demo org has a HubSpot portal of its own: a suspension stays with the org it was sent for, and another demo org shows its own state. These lines are for "${fixture}" (another org's: npm start -- --fixture NAME).
Switch the demo org with the selector on the page, or: curl -X POST ${url}/preview/fixture -H 'content-type: application/json' -d '{"fixture":"healthy","size":"large","variants":["frozen-integration-user"]}'
Ctrl+C stops everything.`;
}
