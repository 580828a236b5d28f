/**
 * HubSpot's exported sync errors (Sync_Errors__c on the status record), through the CLI against the
 * simulator: the field HubSpot names, mapped only in HubSpot, is checked, and each output says them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  syncErrorKindInfo,
  syncErrorsView,
  type RelayedStatus,
  type RelayedSyncErrors,
} from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { checkArgs, cli } from './cliProcess.js';
import { parseJunit } from './junitXml.js';
import { relayedStatus } from './support.js';
import { flat, relaySyncErrors, requestsOf } from './syncErrorsSupport.js';
import { expectValidCheckJson } from './checkJsonValidator.js';

const suspended: RelayedStatus = relayedStatus({
  reason: 'FIELD_PERMISSIONS_MISSING',
  title: 'Salesforce field permissions missing',
});

/** HubSpot's export: a field mapped only in HubSpot (Contact.Department, in no default) it could not write. */
function syncErrors(field = 'Department'): RelayedSyncErrors {
  return {
    receivedAt: '2026-11-28T09:00:00.000Z',
    rows: 320,
    groups: [
      {
        reason: 'FIELD_PERMISSIONS_MISSING',
        errorType: 'Salesforce field permission',
        object: 'Contact',
        field,
        count: 312,
        example: 'Unable to update field',
      },
      {
        reason: null,
        errorType: 'Picklist value',
        object: 'Lead',
        field: 'Status',
        count: 8,
        example: null,
      },
    ],
    groupsLeftOut: 0,
  };
}

let sim: OrgSimulator;
let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-sync-errors-'));
  // The integration user reads Contact.Department but may not edit it: HubSpot's write fails.
  sim = await startOrgSimulator({
    fixture: 'healthy',
    port: 0,
    changes: [
      {
        op: 'setFieldAccess',
        permissionSet: 'HubSpot_Integration_Permissions',
        field: 'Contact.Department',
        access: 'read',
      },
    ],
  });
});
afterEach(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The status as the relay publishes it, with `errors` in Sync_Errors__c (null: the field as it is). */
const relay = (errors: RelayedSyncErrors | null) =>
  relaySyncErrors(sim, suspended, errors ?? undefined);

const NOW_LACKS_EDIT = 'Now: the integration user still lacks edit on Contact.Department.';

describe('check: the fields HubSpot exported sync errors for', () => {
  it('checks a field mapped only in HubSpot, so the suspension is confirmed, and says why', async () => {
    await relay(syncErrors());
    const run = await cli(checkArgs(sim));
    expect(run.code).toBe(1);
    const out = flat(run.stdout);
    // The field is judged: its row fails, and the finding names it.
    expect(out).toMatch(/Contact\.Department read, edit ✓ ✗/);
    expect(out).toContain('cannot edit Contact.Department');
    // HubSpot's reason is confirmed by the step that names the field, not left to HubSpot.
    expect(out).toContain('[to do] In Salesforce, give the integration user read and edit');
    expect(out).toContain('1 mapped field still lacks access: Contact.Department');
    // Under "HubSpot reported", the core's view of the export, each of its lines.
    const view = syncErrorsView({ ...suspended, syncErrors: syncErrors() })!;
    expect(view.checks).toContain('Contact.Department');
    const reported = flat(run.stdout.slice(run.stdout.indexOf('HubSpot reported')));
    for (const text of [view.heading, ...view.lines.map((l) => l.text), view.checks!])
      expect(reported).toContain(flat(text));
    expect(reported).toContain('Contact.Department: Salesforce field permission, 312 rows');
    expect(reported).toContain('Lead.Status: Picklist value, 8 rows');
    // Each group's kind and what to do, then how HubSpot syncs the fixed records again.
    for (const line of view.lines)
      if (line.advice) expect(reported).toContain(flat(`${line.label}: ${line.advice}`));
    expect(reported).toContain('Picklist value: HubSpot sent a value the Salesforce picklist');
    expect(reported).toContain(flat(view.resync!));
  });

  it('reads the snapshot again only when the export names a field not already checked', async () => {
    await relay(null);
    const none = await cli(checkArgs(sim));
    await relay(syncErrors('Email'));
    const known = await cli(checkArgs(sim));
    await relay(syncErrors());
    const named = await cli(checkArgs(sim));
    expect(requestsOf(none.stdout)).toBeGreaterThan(0);
    // Contact.Email is a default mapping: no read more.
    expect(requestsOf(known.stdout)).toBe(requestsOf(none.stdout));
    expect(known.stdout).not.toContain('Contact.Department');
    expect(requestsOf(named.stdout)).toBeGreaterThan(requestsOf(none.stdout));
    expect(named.stderr).toContain('reading what HubSpot failed to write');
  });

  it('edit asked of a field the first read already read: judged for edit, with no second read', async () => {
    // Contact.Department required for read only: the first read reads it, with all its rights. (A
    // HubSpot contact is a Contact or a Lead in Salesforce: the export's field names both, and
    // Lead.Department, absent from this org, fails both runs alike.)
    const file = join(dir, 'requirements.json');
    const readOnly = ['Contact.Department', 'Lead.Department'].map((name) => ({
      name,
      access: ['read'],
    }));
    writeFileSync(file, JSON.stringify({ fields: readOnly }));
    await relay(null);
    const none = await cli([...checkArgs(sim), '--requirements', file]);
    await relay(syncErrors());
    const asked = await cli([...checkArgs(sim), '--requirements', file]);
    expect(requestsOf(none.stdout)).toBeGreaterThan(0);
    expect(requestsOf(asked.stdout)).toBe(requestsOf(none.stdout));
    expect(asked.stderr).not.toContain('reading what HubSpot failed to write');
    // Read only, it passes (not listed among the fields that fail); asked for edit, it fails on edit.
    expect(flat(none.stdout)).not.toContain('Contact.Department read');
    expect(flat(asked.stdout)).toMatch(/Contact\.Department read, edit ✓ ✗/);
    expect(flat(asked.stdout)).toContain('cannot edit Contact.Department');
  });

  it('a field the first read did not read: exactly one more read, of the merged requirements', async () => {
    await relay(null);
    const none = await cli(checkArgs(sim));
    // One read of the defaults with the field HubSpot names, as the second read is.
    const file = join(dir, 'requirements.json');
    writeFileSync(
      file,
      JSON.stringify({ fields: [{ name: 'Contact.Department', access: ['read', 'edit'] }] }),
    );
    const merged = await cli([...checkArgs(sim), '--requirements', file]);
    await relay(syncErrors());
    const named = await cli(checkArgs(sim));
    expect(requestsOf(none.stdout)).toBeGreaterThan(0);
    expect(requestsOf(named.stdout)).toBe(requestsOf(none.stdout) + requestsOf(merged.stdout));
    expect(named.stderr).toContain('reading what HubSpot failed to write');
    expect(flat(named.stdout)).toMatch(/Contact\.Department read, edit ✓ ✗/);
  });

  it('--requirements with replaceDefaults still checks the fields the export names', async () => {
    await relay(syncErrors());
    const file = join(dir, 'requirements.json');
    writeFileSync(
      file,
      JSON.stringify({
        replaceDefaults: true,
        objects: [{ name: 'Lead', access: ['read'] }],
        fields: [{ name: 'Lead.Email', access: ['read'] }],
      }),
    );
    const run = await cli([...checkArgs(sim), '--requirements', file, '--json']);
    const json = JSON.parse(run.stdout);
    const names = json.fields.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['Lead.Email', 'Contact.Department']));
    expect(names).not.toContain('Contact.Email');
    expect(
      json.fields.find((f: { name: string }) => f.name === 'Contact.Department'),
    ).toMatchObject({ required: ['read', 'edit'], missing: ['edit'] });
  });

  it('--json carries the sync errors as the parsed object, valid against the schema', async () => {
    await relay(syncErrors());
    const run = await cli([...checkArgs(sim), '--json']);
    const json = JSON.parse(run.stdout);
    expectValidCheckJson(json);
    expect(json.schemaVersion).toBe(1);
    // The relay's keys as they were, and beside each group the core's words for it.
    const [field, picklist] = syncErrors().groups;
    expect(json.hubspotReported.status.syncErrors).toEqual({
      ...syncErrors(),
      groups: [
        {
          ...field,
          ...syncErrorKindInfo(field!),
          fields: ['Contact.Department', 'Lead.Department'],
          objects: [],
          // The simulator's Contact.Department is read only; Lead.Department is not in the org.
          now: {
            ok: false,
            text: 'Now: the integration user still lacks edit on Contact.Department.',
          },
        },
        {
          ...picklist,
          ...syncErrorKindInfo(picklist!),
          fields: ['Lead.Status'],
          objects: [],
          // Its values are read with its describe: the simulator's Lead.Status is not restricted.
          now: {
            ok: true,
            text: expect.stringContaining(
              'Now: Lead.Status is not a restricted picklist, so Salesforce takes any value HubSpot sends.',
            ),
          },
        },
      ],
      fieldGroupsLeftOut: 0,
    });
    expect(json.hubspotReported.status.syncErrors.groups[0]).toMatchObject({
      kind: 'field-permission',
      label: 'Field permission',
    });
    // The core's advice begins with the rights and both candidates (it may say more after).
    expect(json.hubspotReported.status.syncErrors.groups[0].advice).toContain(
      'Give the integration user read and edit access to Contact.Department or Lead.Department (field-level security).',
    );
    expect(json.hubspotReported.status.syncErrors.groups[1].kind).toBe('picklist');
    // Existing keys first, in their order: an additive change.
    expect(Object.keys(json.hubspotReported.status.syncErrors.groups[1])).toEqual([
      ...Object.keys(picklist!),
      'kind',
      'label',
      'advice',
      'fields',
      'objects',
      'now',
    ]);
    // The field they name is judged, and so HubSpot's reason is confirmed, not left to HubSpot.
    expect(
      json.fields.find((f: { name: string }) => f.name === 'Contact.Department'),
    ).toMatchObject({ missing: ['edit'] });
    expect(json.hubspotReported.check.agreement).toBe('confirmed');
  });

  it('--report has a part on the sync errors, after the relayed status', async () => {
    await relay(syncErrors());
    const run = await cli([...checkArgs(sim), '--report']);
    const out = run.stdout;
    const part = out.indexOf("\nHubSpot's sync errors\n---------------------\n");
    expect(part).toBeGreaterThan(out.indexOf('HubSpot suspension status (relayed)'));
    expect(part).toBeLessThan(out.indexOf('\nFindings'));
    expect(out.slice(part)).toContain(
      '  Contact.Department: Salesforce field permission, 312 rows (Salesforce field permissions missing)',
    );
  });

  it('--junit: the field fails its own testcase, and the suspension case lists the sync errors', async () => {
    await relay(syncErrors());
    const file = join(dir, 'report.xml');
    await cli([...checkArgs(sim), '--junit', file]);
    const report = parseJunit(readFileSync(file, 'utf8'));
    const cases = report.suites.flatMap((s) => s.cases);
    expect(cases.find((c) => c.name === 'Contact.Department: read, edit')?.failure?.type).toBe(
      'FIELD_PERMISSIONS_MISSING',
    );
    const suspension = cases.find((c) => c.classname === 'HubSpot reported');
    const view = syncErrorsView({ ...suspended, syncErrors: syncErrors() })!;
    expect(suspension?.failure?.body).toContain(view.heading);
    expect(suspension?.failure?.body).toContain(view.checks);
    expect(suspension?.failure?.body).toContain(
      `    ${view.lines[0]!.label}: ${view.lines[0]!.advice}`,
    );
    expect(suspension?.failure?.body).toContain(view.resync);
    // Under the advice, what this check finds now of the field: still no edit.
    expect(suspension?.failure?.body).toContain(
      `    ${view.lines[0]!.label}: ${view.lines[0]!.advice}\n    ${NOW_LACKS_EDIT}\n`,
    );
    // The field fails once, in its own testcase: the Now line is said, not counted.
    expect(cases.filter((c) => c.name.startsWith('Contact.Department')).length).toBe(1);
  });

  it('says under the group what this check finds now: the field still lacks edit, then fixed', async () => {
    await relay(syncErrors());
    const run = await cli(checkArgs(sim));
    const reported = run.stdout.slice(run.stdout.indexOf('HubSpot reported'));
    const view = syncErrorsView({ ...suspended, syncErrors: syncErrors() })!;
    // Right under the advice, six spaces in, and only under the field's group.
    expect(flat(reported)).toContain(
      flat(`${view.lines[0]!.label}: ${view.lines[0]!.advice} ${NOW_LACKS_EDIT}`),
    );
    expect(reported).toContain(`      ${NOW_LACKS_EDIT}`);
    // The field's group says it once; the picklist's group says its own (its values, read now).
    expect(reported.split(NOW_LACKS_EDIT).length).toBe(2);
    expect(reported.split('Now:').length).toBe(3);
    expect(flat(reported)).toMatch(
      /Lead\.Status: Picklist value, 8 rows.* Now: Lead\.Status is no/,
    );
    // --report says it too, four spaces in.
    const report = await cli([...checkArgs(sim), '--report']);
    expect(report.stdout).toContain(`\n    ${NOW_LACKS_EDIT}\n`);
    // Once edit is given, the same export's group says a resync is what is left.
    await sim.close();
    sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
    await relay(syncErrors());
    const fixed = await cli(checkArgs(sim));
    expect(flat(fixed.stdout)).toContain(
      'Now: the integration user can read and edit Contact.Department; resync these records.',
    );
    expect(fixed.stdout).not.toContain('still lacks');
  });
});
