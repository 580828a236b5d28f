/**
 * A status record the CLI's user may not read is a check not made (exit 3), not "nothing relayed":
 * HubSpot may have suspended the sync unseen. Against the org simulator, as a gate runs it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATUS_OBJECT } from '@sync-doctor/core';
import {
  startOrgSimulator,
  type FixtureChange,
  type OrgSimulator,
} from '@sync-doctor/org-simulator';
import { checkArgs, cli } from './cliProcess.js';
import { expectValidCheckJson } from './checkJsonValidator.js';

/**
 * The checking admin may not read the status record's State__c (field-level security binds Modify
 * All Data too): its profile and Sync Doctor's permission set both leave it out.
 */
const STATE_HIDDEN: FixtureChange[] = [
  { profile: 'System Administrator' },
  { permissionSet: 'Sync_Doctor_User' },
].map((holder) => ({
  op: 'setFieldAccess',
  ...holder,
  field: `${STATUS_OBJECT.name}.${STATUS_OBJECT.fields.state}`,
  access: 'none',
}));

let sim: OrgSimulator | undefined;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-status-unread-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function gate(changes: FixtureChange[], extra: string[] = []) {
  sim = await startOrgSimulator({ fixture: 'healthy', port: 0, changes });
  const junit = join(dir, 'report.xml');
  const run = await cli([...checkArgs(sim), '--json', '--junit', junit, ...extra]);
  const json = JSON.parse(run.stdout);
  expectValidCheckJson(json);
  return { ...run, json, xml: readFileSync(junit, 'utf8') };
}

describe('check: the status record could not be read', () => {
  it('exits 3, says why on stderr and in --json, and skips the suspension testcase', async () => {
    const run = await gate(STATE_HIDDEN);
    expect(run.json.verdict).toBe('healthy');
    expect(run.json.hubspotReported).toMatchObject({
      status: null,
      unavailable: { cause: 'no-access', errorCode: 'INVALID_FIELD' },
    });
    expect(run.json.exit).toMatchObject({ code: 3, reason: 'unchecked' });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      "sync-doctor: exit 3: Nothing fails in what was read, but not everything could be checked (HubSpot's relayed suspension status)",
    );
    expect(run.stderr).toContain(
      `${STATUS_OBJECT.name} could not be read [INVALID_FIELD]: HubSpot's Salesforce integration settings show whether the sync is suspended.`,
    );
    expect(run.xml).toMatch(
      /<testcase classname="HubSpot reported" name="sync not suspended" time="0">\s*<skipped message="No relayed status: /,
    );
    expect(run.xml).toMatch(/<testsuites [^>]*failures="0"[^>]*skipped="1"/);
    await sim!.close();
    // The object readable, with no record: still nothing relayed, exit 0.
    const readable = await gate([]);
    expect(readable.json.exit).toMatchObject({ code: 0, reason: 'healthy' });
    expect(readable.json.hubspotReported.unavailable).toBeUndefined();
    expect(readable.xml).not.toContain('<skipped');
  });

  it('the tables say it under the verdict', async () => {
    sim = await startOrgSimulator({ fixture: 'healthy', port: 0, changes: STATE_HIDDEN });
    const run = await cli(checkArgs(sim));
    expect(run.code).toBe(3);
    const head = run.stdout.slice(0, run.stdout.indexOf('HubSpot reported'));
    expect(head.replace(/\s+/g, ' ')).toContain(
      `Whether HubSpot suspended the sync was not checked: ${STATUS_OBJECT.name} could not be read`,
    );
  });

  it('--allow-unchecked accepts it: exit 0, said so', async () => {
    const run = await gate(STATE_HIDDEN, ['--allow-unchecked']);
    expect(run.code).toBe(0);
    expect(run.json.exit).toMatchObject({ code: 0, reason: 'unchecked-allowed' });
    expect(run.json.exit.message).toContain("HubSpot's relayed suspension status");
  });
});
