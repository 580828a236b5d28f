/**
 * An admin without Manage Users, Monitor Login History and Customize Application cannot read the
 * integration user's frozen state, its Login History nor HubSpot's connected app: no finding about
 * them is then no all-clear. The verdict stays "healthy" (a pipeline keys on it, and the exit code
 * stays 0), but the human output says "partly checked" and what, and --json lists `unchecked`.
 */
import {
  startOrgSimulator,
  type FixtureChange,
  type OrgSimulator,
} from '@sync-doctor/org-simulator';
import Ajv from 'ajv';
import { CHECK_JSON_SCHEMA } from '../src/checkJsonSchema.js';
import { checkArgs, cli, NO_MANAGE_USERS } from './cliProcess.js';

const validate = new Ajv().compile(CHECK_JSON_SCHEMA);

const NO_CUSTOMIZE_APPLICATION: FixtureChange = {
  op: 'setSystemPermission',
  profile: 'System Administrator',
  permission: 'PermissionsCustomizeApplication',
  value: false,
};

let sim: OrgSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('check, when the reader could not make every check', () => {
  it('says HEALTHY only as "partly checked", naming what was not read and who can read it', async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      port: 0,
      changes: [NO_MANAGE_USERS, NO_CUSTOMIZE_APPLICATION],
    });
    const run = await cli(checkArgs(sim));
    // 80 columns when piped: the lines wrap, the words stay.
    const words = run.stdout.replace(/\s+/g, ' ');
    expect(words).toContain(
      "Verdict: HEALTHY (partly checked: frozen state, Login History and HubSpot's connected app not read)",
    );
    expect(words).toContain(
      'Not checked: frozen state, Login History and HubSpot\'s connected app. Check them by hand, or ask an admin who has these to check again: frozen state: "Manage Users"',
    );
    // The exit code follows the findings, as documented: none here.
    expect(run.code).toBe(0);

    const json = JSON.parse((await cli([...checkArgs(sim), '--json'])).stdout);
    expect(validate(json)).toBe(true);
    expect(json.verdict).toBe('healthy');
    expect(json.unchecked.map((u: { check: string }) => u.check)).toEqual([
      'frozen',
      'loginHistory',
      'connectedApps',
    ]);
  });

  it('says a plain HEALTHY, without `unchecked`, when every part was read', async () => {
    sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
    const run = await cli(checkArgs(sim));
    expect(run.stdout).toMatch(/^Verdict: HEALTHY {2}/m);
    expect(run.stdout).not.toContain('partly checked');
    const json = JSON.parse((await cli([...checkArgs(sim), '--json'])).stdout);
    expect(json.unchecked).toBeUndefined();
  });

  it('the schema refuses a check it does not list', () => {
    const bad = {
      schemaVersion: 1,
      verdict: 'healthy',
      findings: [],
      objects: [],
      fields: [],
      limits: [],
      hubspotReported: null,
      frozen: null,
      loginHistory: null,
      connectedApps: null,
      unchecked: [{ check: 'sharing', label: 'x', line: 'x', byHand: 'x', needs: 'x' }],
    };
    expect(validate(bad)).toBe(false);
  });
});
