/**
 * A custom-code group in HubSpot's exported sync errors (FIELD_CUSTOM_VALIDATION_EXCEPTION), through
 * the CLI against the simulator: Salesforce sends only the rule's message, so the check reads the
 * org's active validation rules (Tooling API, one request, only when such a group is shown) and its
 * "Now:" names the rule that sends the message, or says none does. A reader that may not see the
 * rules gets a line saying why, and the check goes on.
 */
import type { RelayedStatus, RelayedSyncErrors } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { checkArgs, cli } from './cliProcess.js';
import { relayedStatus } from './support.js';
import {
  firstGroupOf,
  flat,
  relaySyncErrors,
  reportedOf,
  requestsOf,
} from './syncErrorsSupport.js';
import { expectValidCheckJson } from './checkJsonValidator.js';
const MESSAGE = 'Phone must have 10 digits';

const status: RelayedStatus = relayedStatus({
  reason: 'UNKNOWN_ERROR',
  title: 'Salesforce unknown error',
});

const customCode = (message: string): RelayedSyncErrors => ({
  receivedAt: '2026-11-28T09:00:00.000Z',
  rows: 3,
  groups: [
    {
      reason: null,
      errorType: 'Custom code',
      object: 'contact',
      field: null,
      count: 3,
      example: `FIELD_CUSTOM_VALIDATION_EXCEPTION: ${message}`,
    },
  ],
  groupsLeftOut: 0,
});

/** An export with no custom-code group: nothing asks for the rules. */
const fieldOnly: RelayedSyncErrors = {
  receivedAt: '2026-11-28T09:00:00.000Z',
  rows: 2,
  groups: [
    {
      reason: 'FIELD_PERMISSIONS_MISSING',
      errorType: 'Salesforce field permission',
      object: 'Contact',
      field: 'Email',
      count: 2,
      example: 'Unable to update field',
    },
  ],
  groupsLeftOut: 0,
};

const relay = (sim: OrgSimulator, errors: RelayedSyncErrors) =>
  relaySyncErrors(sim, status, errors);
const withPortal = (sim: OrgSimulator) => [...checkArgs(sim), '--portal', status.portalId];

describe('check: a custom-code group HubSpot exported sync errors for', () => {
  let sim: OrgSimulator;
  beforeEach(async () => {
    sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
    sim.org.schema.addValidationRule('Contact', {
      name: 'Phone_Has_10_Digits',
      formula: 'ISBLANK(Phone)',
      message: MESSAGE,
      field: 'Phone',
    });
    // Listed by the Tooling API with the same message, never checked: it names nothing.
    sim.org.schema.addValidationRule('Contact', {
      name: 'Old_Phone_Rule',
      formula: 'ISBLANK(Phone)',
      message: MESSAGE,
      active: false,
    });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('names the active rule that sends its message, in text and --json, for one more request', async () => {
    await relay(sim, fieldOnly);
    const without = await cli(withPortal(sim));
    expect(without.stderr).not.toContain("reading the org's validation rules");

    await relay(sim, customCode(MESSAGE));
    const text = await cli(withPortal(sim));
    const reported = reportedOf(text.stdout);
    expect(reported).toContain(`contact ('${MESSAGE}'): Custom code, 3 rows`);
    expect(reported).toContain(
      "Now: the active validation rule Contact's Phone_Has_10_Digits sends this message (Setup > Object Manager > Contact > Validation Rules).",
    );
    expect(reported).not.toContain('Old_Phone_Rule');
    expect(text.stderr).toContain("reading the org's validation rules");
    // The one Tooling API request, only when a custom-code group is shown.
    expect(requestsOf(text.stdout)).toBe(requestsOf(without.stdout) + 1);
    expect(text.code).toBe(without.code);

    const json = await cli([...withPortal(sim), '--json']);
    const document = JSON.parse(json.stdout) as Record<string, unknown>;
    expectValidCheckJson(document);
    expect(firstGroupOf(document)).toMatchObject({
      now: { ok: false, text: expect.stringContaining("Contact's Phone_Has_10_Digits") },
    });
    // Every active rule the org has (the package's own among them); the inactive one is not.
    const rules = document.validationRules as { name: string }[];
    expect(rules).toContainEqual({
      object: 'Contact',
      name: 'Phone_Has_10_Digits',
      message: MESSAGE,
      field: 'Phone',
    });
    expect(rules.map((r) => r.name)).not.toContain('Old_Phone_Rule');
    expect(json.code).toBe(text.code);

    // The ticket's report names it under the group, in the same words.
    const report = await cli([...withPortal(sim), '--report']);
    expect(flat(report.stdout)).toContain(
      "Now: the active validation rule Contact's Phone_Has_10_Digits sends this message",
    );
  }, 90_000);

  it('says no active rule sends a message none has: a flow or Apex does, or the rule changed', async () => {
    await relay(sim, customCode('Phone must be in E.164 format'));
    const text = await cli(withPortal(sim));
    const reported = reportedOf(text.stdout);
    expect(reported).toContain(
      "Now: no active validation rule sends this message, so a flow's Custom Error element or Apex (a trigger's addError) does; or the rule was turned off or reworded since the export",
    );
    expect(reported).not.toContain('Phone_Has_10_Digits');
  }, 90_000);

  it("Salesforce unavailable for the rules' read: a line says why no rule is named, and the check goes on", async () => {
    await relay(sim, customCode(MESSAGE));
    const before = await cli(withPortal(sim));
    sim.injectFault({ path: /\/tooling\/query/, fault: 'SERVER_UNAVAILABLE', times: 3 });
    const text = await cli(withPortal(sim));
    const reported = reportedOf(text.stdout);
    expect(reported).toMatch(
      /Validation rules not read: Server temporarily unavailable\. Please try again later; the custom-code groups do not name their rule\./,
    );
    expect(reported).not.toContain('Phone_Has_10_Digits');
    // Not the check's failure (exit 75 says "could not diagnose"): the diagnosis is the same.
    expect(text.code).toBe(before.code);
    expect(requestsOf(text.stdout)).toBe(requestsOf(before.stdout));

    const json = await cli([...withPortal(sim), '--json']);
    const document = JSON.parse(json.stdout) as {
      validationRules?: unknown;
      hubspotReported: { rulesNotRead?: string[] };
    };
    expectValidCheckJson(document);
    expect(document.validationRules).toBeUndefined();
    expect(document.hubspotReported.rulesNotRead).toEqual([
      expect.stringMatching(/^Validation rules not read: /),
    ]);
    expect(firstGroupOf(document).now).toBeNull();
    expect(json.code).toBe(before.code);

    // The ticket's report says it too, under the sync errors.
    const report = await cli([...withPortal(sim), '--report']);
    expect(flat(report.stdout)).toContain(
      'Validation rules not read: Server temporarily unavailable. Please try again later; the custom-code groups do not name their rule.',
    );
  }, 90_000);
});
