/**
 * A duplicate group in HubSpot's exported sync errors that a duplicate rule refused
 * (DUPLICATES_DETECTED), through the CLI against the simulator: Salesforce names no rule, so the
 * check reads the duplicate rules of the group's objects (User Interface API, one request per
 * object, only when such a group is shown) and its "Now:" names those that refuse HubSpot's
 * writes (a rule that only alerts does too), or says a resync is all.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RelayedStatus, RelayedSyncErrors } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { checkArgs, cli } from './cliProcess.js';
import { parseJunit } from './junitXml.js';
import { relayedStatus } from './support.js';
import {
  firstGroupOf,
  flat,
  relaySyncErrors,
  reportedOf,
  requestsOf,
} from './syncErrorsSupport.js';
import { expectValidCheckJson } from './checkJsonValidator.js';

const status: RelayedStatus = relayedStatus({
  reason: 'UNKNOWN_ERROR',
  title: 'Salesforce unknown error',
});

const duplicates = (example: string): RelayedSyncErrors => ({
  receivedAt: '2026-11-28T09:00:00.000Z',
  rows: 18,
  groups: [
    { reason: null, errorType: 'Duplicates', object: 'contact', field: null, count: 18, example },
  ],
  groupsLeftOut: 0,
});
const REFUSED = duplicates('DUPLICATES_DETECTED: Use one of these records?');

const withPortal = (sim: OrgSimulator) => [...checkArgs(sim), '--portal', status.portalId];

describe('check: a duplicate group HubSpot exported sync errors for', () => {
  let sim: OrgSimulator;
  beforeEach(async () => {
    sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
  });
  afterEach(async () => {
    await sim.close();
  });

  it("names the rules on the contact's Contact and Lead that refuse HubSpot's writes, in text, --json and --report, for a request per object", async () => {
    // A unique field's refusal asks for no rules.
    await relaySyncErrors(
      sim,
      status,
      duplicates('DUPLICATE_VALUE: duplicate value found: Email__c'),
    );
    const unique = await cli(withPortal(sim));
    expect(unique.stderr).not.toContain("reading the org's duplicate rules");

    sim.org.schema.addDuplicateRule('Contact', {
      name: 'Standard Contact Duplicate Rule',
      actionOnInsert: 'Allow',
      actionOnUpdate: 'Allow',
      operationsOnInsert: ['Alert', 'Report'],
      operationsOnUpdate: ['Alert', 'Report'],
    });
    sim.org.schema.addDuplicateRule('Lead', {
      name: 'Lead Reports Only',
      actionOnInsert: 'Allow',
      actionOnUpdate: 'Allow',
      operationsOnInsert: ['Report'],
    });
    await relaySyncErrors(sim, status, REFUSED);
    const text = await cli(withPortal(sim));
    expect(text.stderr).toContain("reading the org's duplicate rules");
    const said =
      "Now: the active duplicate rule Contact's Standard Contact Duplicate Rule (alerts on create and edit) refuses a duplicate HubSpot writes: a rule that alerts refuses an API write as a block does, unless the write asks to save anyway (Setup > Duplicate Management > Duplicate Rules).";
    expect(reportedOf(text.stdout)).toContain(said);
    // Contact's and Lead's configurations: one request each.
    expect(requestsOf(text.stdout)).toBe(requestsOf(unique.stdout) + 2);
    expect(text.code).toBe(unique.code);

    const json = await cli([...withPortal(sim), '--json']);
    const document = JSON.parse(json.stdout) as Record<string, unknown>;
    expectValidCheckJson(document);
    expect(firstGroupOf(document).now).toEqual({ ok: false, text: said });
    expect(document.duplicateRules).toEqual([
      {
        object: 'Contact',
        rules: [{ name: 'Standard Contact Duplicate Rule', onCreate: 'alert', onEdit: 'alert' }],
      },
      { object: 'Lead', rules: [{ name: 'Lead Reports Only', onCreate: null, onEdit: null }] },
    ]);

    const report = await cli([...withPortal(sim), '--report']);
    expect(flat(report.stdout)).toContain(said);
  }, 90_000);

  it('says a resync is all once no active rule blocks or alerts', async () => {
    await relaySyncErrors(sim, status, REFUSED);
    const text = await cli(withPortal(sim));
    expect(reportedOf(text.stdout)).toContain(
      'Now: no active duplicate rule on Contact or Lead blocks or alerts; resync these records.',
    );
  }, 90_000);

  it('says a rule under conditions may already let HubSpot through, as the advice asks, and --json marks it', async () => {
    // The admin followed the advice: a condition leaving out the integration user.
    sim.org.schema.addDuplicateRule('Contact', {
      name: 'Standard Contact Duplicate Rule',
      actionOnInsert: 'Block',
      actionOnUpdate: 'Block',
      conditions: [`Current User: Username not equal to ${sim.integrationUser.Username}`],
    });
    await relaySyncErrors(sim, status, REFUSED);
    const text = await cli(withPortal(sim));
    expect(reportedOf(text.stdout)).toContain(
      "Now: the active duplicate rule Contact's Standard Contact Duplicate Rule (blocks on create and edit, under conditions) refuses a duplicate HubSpot writes (Setup > Duplicate Management > Duplicate Rules). Its conditions may already leave out the integration user (Current User: Username not equal to it): if they do, it refuses none of HubSpot's writes.",
    );
    const json = await cli([...withPortal(sim), '--json']);
    const document = JSON.parse(json.stdout) as Record<string, unknown>;
    expectValidCheckJson(document);
    expect(document.duplicateRules).toEqual([
      {
        object: 'Contact',
        rules: [
          {
            name: 'Standard Contact Duplicate Rule',
            onCreate: 'block',
            onEdit: 'block',
            conditions: true,
          },
        ],
      },
      { object: 'Lead', rules: [] },
    ]);
  }, 90_000);

  it('Salesforce unavailable for the read: a line says why no rule is named, and the check goes on', async () => {
    await relaySyncErrors(sim, status, REFUSED);
    const before = await cli(withPortal(sim));
    sim.injectFault({ path: /\/ui-api\/duplicates/, fault: 'SERVER_UNAVAILABLE', times: 6 });
    const text = await cli(withPortal(sim));
    expect(reportedOf(text.stdout)).toContain(
      'Duplicate rules not read: Server temporarily unavailable. Please try again later; the duplicate groups do not say which rule refuses them.',
    );
    expect(reportedOf(text.stdout)).not.toContain('duplicate rule on Contact');
    expect(text.code).toBe(before.code);

    const json = await cli([...withPortal(sim), '--json']);
    const document = JSON.parse(json.stdout) as {
      duplicateRules?: unknown;
      hubspotReported: { rulesNotRead?: string[] };
    };
    expectValidCheckJson(document);
    expect(document.duplicateRules).toBeUndefined();
    expect(document.hubspotReported.rulesNotRead).toEqual([
      expect.stringMatching(/^Duplicate rules not read: /),
    ]);
    expect(firstGroupOf(document).now).toBeNull();

    // --junit says it in the suspension's testcase, as the text and --report do.
    const dir = mkdtempSync(join(tmpdir(), 'sync-doctor-junit-'));
    try {
      const file = join(dir, 'report.xml');
      await cli([...withPortal(sim), '--junit', file]);
      const cases = parseJunit(readFileSync(file, 'utf8')).suites.flatMap((s) => s.cases);
      expect(cases.find((c) => c.classname === 'HubSpot reported')?.failure?.body).toContain(
        'Duplicate rules not read: Server temporarily unavailable. Please try again later; the duplicate groups do not say which rule refuses them.',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
