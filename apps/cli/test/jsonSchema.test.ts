/**
 * `check --json` keeps a contract a pipeline can pin: every document (the diagnosis and the error
 * object) carries schemaVersion, and validates against the JSON Schema `check --json-schema`
 * prints, for every demo fixture and for the failures a pipeline meets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FROZEN_READ_CAUSES, SYNC_ERROR_KINDS } from '@sync-doctor/core';
import { FIXTURE_NAMES } from '@sync-doctor/org-simulator';
import { CHECK_JSON_SCHEMA, CHECK_JSON_SCHEMA_VERSION } from '../src/checkJsonSchema.js';
import { main } from '../src/main.js';
import { cli } from './cliProcess.js';
import { memoryIo } from './support.js';
import {
  compileCheckJsonSchema,
  expectValidCheckJson as expectValid,
  validateCheckJson,
} from './checkJsonValidator.js';

async function checkJson(args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  const { io, stdout } = memoryIo();
  const code = await main(['check', ...args, '--json'], io);
  return { code, json: JSON.parse(stdout()) as Record<string, unknown> };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-schema-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('check --json against its JSON Schema', () => {
  it.each(FIXTURE_NAMES.map((name) => [name]))(
    '--demo %s: schemaVersion first, and the document validates',
    async (fixture) => {
      const { code, json } = await checkJson(['--demo', fixture]);
      expect([0, 1]).toContain(code);
      expect(Object.keys(json)[0]).toBe('schemaVersion');
      expect(json.schemaVersion).toBe(CHECK_JSON_SCHEMA_VERSION);
      expectValid(json);
    },
    30_000,
  );

  it('the failures validate too, with schemaVersion beside error', async () => {
    writeFileSync(join(dir, 'broken.json'), '{ "fields": [');
    const failures = [
      { args: ['--demo'], code: 2, errorCode: 'BAD_USAGE' },
      { args: ['--demo', 'nope'], code: 2, errorCode: 'BAD_USAGE' },
      {
        args: ['--demo', 'healthy', '--requirements', join(dir, 'broken.json')],
        code: 2,
        errorCode: 'BAD_INPUT',
      },
      {
        // Nothing listens on port 1: the network, retryable.
        args: ['--instance-url', 'http://127.0.0.1:1', '--access-token', '00D000000000001!x'],
        code: 75,
        errorCode: 'ECONNREFUSED',
      },
    ];
    for (const failure of failures) {
      const { code, json } = await checkJson(failure.args);
      expect(code).toBe(failure.code);
      expect(json).toMatchObject({
        schemaVersion: CHECK_JSON_SCHEMA_VERSION,
        error: { errorCode: failure.errorCode, retryable: failure.code === 75 },
      });
      expectValid(json);
    }
  });

  it('has teeth: a document without schemaVersion, or with a severity it does not know, is refused', async () => {
    const { json } = await checkJson(['--demo', 'read-only-contacts']);
    const unversioned = { ...json };
    delete unversioned.schemaVersion;
    expect(validateCheckJson(unversioned)).toBe(false);
    const findings = json.findings as { severity: string }[];
    expect(validateCheckJson({ ...json, findings: [{ ...findings[0], severity: 'fatal' }] })).toBe(
      false,
    );
    expect(validateCheckJson({ schemaVersion: 1, error: { errorCode: 'X', message: 'm' } })).toBe(
      false,
    );
  });

  it("hubspotReported's syncErrors and unavailable: optional, and checked when present", async () => {
    const { json } = await checkJson(['--demo', 'read-only-contacts']);
    const status = {
      portalId: '4411223',
      state: 'suspended',
      reason: 'FIELD_PERMISSIONS_MISSING',
      since: null,
    };
    const reported = (extra: Record<string, unknown>, statusExtra: Record<string, unknown>) => ({
      ...json,
      hubspotReported: {
        status: { ...status, ...statusExtra },
        updatedAt: null,
        source: 'From HubSpot_Sync_Status__c',
        otherPortals: [],
        check: null,
        ...extra,
      },
    });
    const syncErrors = {
      receivedAt: '2026-11-28T09:00:00.000Z',
      rows: 3,
      groups: [
        {
          reason: 'FIELD_PERMISSIONS_MISSING',
          errorType: 'Salesforce field permission',
          object: 'Contact',
          field: 'Department',
          count: 3,
          example: null,
        },
      ],
      groupsLeftOut: 0,
    };
    expectValid(reported({}, {}));
    expectValid(reported({}, { syncErrors }));
    expectValid(reported({}, { syncErrors: null }));
    expect(validateCheckJson(reported({}, { syncErrors: { ...syncErrors, rows: -1 } }))).toBe(
      false,
    );
    expect(validateCheckJson(reported({}, { syncErrors: '{"rows":3}' }))).toBe(false);
    // Each group's core words, added within schemaVersion 1: valid, and typed when present.
    const words = {
      kind: 'field-permission',
      label: 'Field permission',
      advice: 'Give the integration user read and edit access to Contact.Department.',
      fields: ['Contact.Department', 'Lead.Department'],
      objects: [],
    };
    const withWords = (extra: Record<string, unknown>) => ({
      ...syncErrors,
      groups: [{ ...syncErrors.groups[0], ...words, ...extra }],
    });
    expectValid(reported({}, { syncErrors: withWords({}) }));
    expectValid(reported({}, { syncErrors: withWords({ kind: 'a-kind-added-later' }) }));
    // The kinds the description lists are the core's.
    expect(JSON.stringify(CHECK_JSON_SCHEMA)).toContain(
      `today one of ${SYNC_ERROR_KINDS.join(', ')} (more may be added)`,
    );
    // What the diagnosis finds now: { ok, text } or null, and optional (an older CLI had none).
    expectValid(
      reported(
        {},
        {
          syncErrors: withWords({
            now: {
              ok: false,
              text: 'Now: the integration user still lacks edit on Contact.Department.',
            },
          }),
        },
      ),
    );
    expectValid(reported({}, { syncErrors: withWords({ now: null }) }));
    for (const bad of [
      { kind: 3 },
      { advice: null },
      { fields: 'Contact.Department' },
      { objects: [1] },
      { now: 'Now: fine.' },
      { now: { ok: true } },
      { now: { ok: 'yes', text: 'Now: fine.' } },
      { now: { ok: true, text: null } },
    ])
      expect(validateCheckJson(reported({}, { syncErrors: withWords(bad) }))).toBe(false);
    const unavailable = {
      cause: 'no-access',
      errorCode: 'INVALID_FIELD',
      message: 'No such column',
    };
    expectValid({
      ...reported({ unavailable }, {}),
      hubspotReported: { ...reported({ unavailable }, {}).hubspotReported, status: null },
    });
    expect(
      validateCheckJson(reported({ unavailable: { ...unavailable, cause: 'gone' } }, {})),
    ).toBe(false);
  });

  it('sideGrants: optional, shaped as grants, `absent` only true; checked when present', async () => {
    const { json } = await checkJson(['--demo', 'healthy']);
    // The demo reads "Update Records with Inactive Owners" with the other system permissions.
    expect(json.sideGrants).toEqual([
      {
        kind: 'systemPermission',
        name: 'PermissionsUpdateWithInactiveOwner',
        by: [],
        granted: false,
      },
    ]);
    expectValid(json);
    const side = (grant: Record<string, unknown>) => ({
      ...json,
      sideGrants: [
        { kind: 'systemPermission', name: 'PermissionsUpdateWithInactiveOwner', by: [], ...grant },
      ],
    });
    const unread = { ...json };
    delete unread.sideGrants;
    expectValid(unread);
    expectValid(side({ granted: true, by: ['Permission set: HubSpot Inactive Owners'] }));
    expectValid(side({ absent: true }));
    expectValid(side({}));
    for (const bad of [
      { absent: false },
      { granted: 'yes' },
      { by: 'Permission set: X' },
      { kind: 'profile' },
      { name: null },
    ])
      expect(validateCheckJson(side(bad))).toBe(false);
    expect(validateCheckJson({ ...json, sideGrants: {} })).toBe(false);
    expect(validateCheckJson({ ...json, sideGrants: [{ kind: 'systemPermission', by: [] }] })).toBe(
      false,
    );
  });

  it("frozen's causes are the core's (the Apex reader's too): each validates, another is refused", async () => {
    const { json } = await checkJson(['--demo', 'read-only-contacts']);
    for (const cause of FROZEN_READ_CAUSES)
      expectValid({ ...json, frozen: { read: false, cause, message: 'Not checked' } });
    expect(
      validateCheckJson({
        ...json,
        frozen: { read: false, cause: 'no-row', message: 'Not checked' },
      }),
    ).toBe(false);
  });
});

describe('the schema itself', () => {
  it("compiles under ajv 8's strict mode, which a pipeline pinning it may well use", () => {
    expect(() => compileCheckJsonSchema()).not.toThrow();
  });

  it("a row's rights are each required and boolean", async () => {
    const { json } = await checkJson(['--demo', 'read-only-contacts']);
    const [row, ...rest] = json.objects as { effective: Record<string, unknown> }[];
    if (!row) throw new Error('the demo lists no objects');
    const withRights = (effective: Record<string, unknown>) => ({
      ...json,
      objects: [{ ...row, effective }, ...rest],
    });
    expectValid(withRights(row.effective));
    const withoutRead = { ...row.effective };
    delete withoutRead.read;
    expect(validateCheckJson(withRights(withoutRead))).toBe(false);
    expect(validateCheckJson(withRights({ ...row.effective, edit: 'yes' }))).toBe(false);
  });

  it('the tests compile strictly: a schema requiring a key it never defines is refused', () => {
    const lenient = {
      type: 'object',
      required: ['read'],
      additionalProperties: { type: 'boolean' },
    };
    expect(() => compileCheckJsonSchema(lenient)).toThrow(/strictRequired|required property/);
  });
});

describe('check --json-schema (the built CLI)', () => {
  it('prints the schema and exits 0 without reaching an org; the real output validates against what it printed', async () => {
    const printed = await cli(['check', '--json-schema']);
    expect(printed.code).toBe(0);
    const schema = JSON.parse(printed.stdout) as object;
    expect(schema).toEqual(CHECK_JSON_SCHEMA);
    const check = compileCheckJsonSchema(schema);
    const run = await cli(['check', '--demo', 'sync-stopped', '--json']);
    expect(check(JSON.parse(run.stdout))).toBe(true);
    const usage = await cli(['check', '--demo', '--json']);
    expect(usage.code).toBe(2);
    expect(check(JSON.parse(usage.stdout))).toBe(true);
  });
});
