/**
 * The writes' input checks throw InputError (so the CLI says BAD_INPUT and the relay records it as
 * the caller's mistake), and a refused value is described, not echoed: a session id or a HubSpot
 * token pasted where a User Id or portal id belongs must not reach a log, a terminal or the
 * relay's delivery record. No request is sent: the connection given is empty.
 */
import type { RelayedStatus } from '@sync-doctor/core';
import type { Connection } from 'jsforce';
import { InputError } from '../src/errors.js';
import { applyRemediation } from '../src/write/applyRemediation.js';
import { publishStatus, publishStatuses } from '../src/write/publishStatus.js';
import { accountReadRow as row, emptyPlan as empty } from './plans.js';

const SESSION = '00D5g000004FakEAAI!AQ0AQNotARealSessionIdButShapedLikeOneXj8k2LmQp7RsT9vWx3yZ';
// A HubSpot private app token's shape (not a real one): no '!', but a long random run.
const HUBSPOT_TOKEN = 'pat-na1-6f1c2a3b-4d5e-6f70-8192-a3b4c5d6e7f8';
const SECRETS = [SESSION, HUBSPOT_TOKEN];

// Nothing may be sent before the checks: any use of the connection fails the test loudly.
const conn = new Proxy({} as Connection, {
  get: (_target, key) => {
    throw new Error(`the connection was used (${String(key)}) before the input was checked`);
  },
});

const USER = '005000000000001AAA';
const status: RelayedStatus = {
  portalId: '4411223',
  state: 'suspended',
  reason: 'OBJECT_PERMISSIONS_MISSING',
  title: 'Salesforce object permissions missing',
  since: '2026-11-28T08:00:00.000Z',
  lastSeenAt: '2026-11-28T09:00:00.000Z',
  clearedAt: null,
  source: 'email',
  excerpt: 'suspended',
  history: [],
};

async function refused(run: () => Promise<unknown>): Promise<InputError> {
  const error = await run().then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  // Still a TypeError for callers written against the plain TypeError these checks threw.
  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).name).toBe('InputError');
  for (const secret of SECRETS) expect((error as Error).message).not.toContain(secret);
  expect((error as Error).message).not.toContain('AQ0AQNotARealSession');
  return error as InputError;
}

const remediate = (userId: unknown, plan: unknown) => () =>
  applyRemediation(conn, { userId, plan } as never);

describe('applyRemediation: a refused input is an InputError that quotes no secret', () => {
  it('a session id given as the User Id is described by its length', async () => {
    const error = await refused(remediate(SESSION, empty));
    expect(error.message).toBe(
      `Not a User id: the value given (${SESSION.length} characters, not shown: it may be a secret)`,
    );
  });

  it('a harmless mistake is still quoted, so the admin sees what was wrong', async () => {
    expect((await refused(remediate('not-an-id', empty))).message).toBe(
      "Not a User id: 'not-an-id'",
    );
    expect((await refused(remediate(undefined, empty))).message).toBe('Not a User id: no value');
  });

  it('every check of the plan', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /^Not a remediation plan$/],
      [
        { ...empty, assignPermissionSets: [HUBSPOT_TOKEN, 7] },
        /assignPermissionSets must be a list/,
      ],
      [
        { ...empty, objectPermissions: [{ ...row, sobjectType: SESSION }] },
        /^Not an object API name: the value given/,
      ],
      [{ ...empty, objectPermissions: [null] }, /^Not an object API name: no value$/],
      [
        { ...empty, objectPermissions: [{ ...row, saveWave: HUBSPOT_TOKEN }] },
        /^The saving wave of Account .* not the value given/,
      ],
      [{ ...empty, objectPermissions: [{ ...row, saveWave: -1 }] }, /not -1$/],
      [
        {
          ...empty,
          fieldPermissions: [{ field: SESSION, sobjectType: 'Account', read: true, edit: false }],
        },
        /^Not a field of Account: the value given/,
      ],
      [
        {
          ...empty,
          fieldPermissions: [
            { field: 'Account.Name', sobjectType: HUBSPOT_TOKEN, read: true, edit: false },
          ],
        },
        /^Not an object API name \(of a field permission\): the value given/,
      ],
      [
        {
          ...empty,
          fieldPermissions: [
            { field: 'Account.Name', sobjectType: 'Contact', read: true, edit: false },
          ],
        },
        /^Not a field of Contact: 'Account.Name'$/,
      ],
      [
        { ...empty, systemPermissions: [SESSION] },
        /^Not a system permission column: the value given/,
      ],
      [
        { ...empty, objectPermissions: [{ ...row, viewAll: true }] },
        /never grants View All on Account/,
      ],
      [{ ...empty, connectedApps: 'HubSpot' }, /connectedApps must be a list/],
      [
        { ...empty, connectedApps: [{ id: SESSION, name: 'HubSpot' }] },
        /^Not a connected app Id .*: the value given/,
      ],
      [{ ...empty, connectedApps: [{ id: '0H4000000000001', name: ' ' }] }, /has no name/],
    ];
    for (const [plan, message] of cases)
      expect((await refused(remediate(USER, plan))).message).toMatch(message);
  });
});

describe('publishStatus and publishStatuses: a refused input is an InputError that quotes no secret', () => {
  it('a token given as the portal id is described by its length', async () => {
    const error = await refused(() => publishStatus(conn, { ...status, portalId: HUBSPOT_TOKEN }));
    expect(error.message).toBe(
      `Not a HubSpot portal id: the value given (${HUBSPOT_TOKEN.length} characters, not shown: it may be a secret)`,
    );
    await refused(() => publishStatus(conn, { ...status, portalId: SESSION }));
  });

  it('a portal id of the wrong type is refused as input, not by a crash', async () => {
    const error = await refused(() =>
      publishStatus(conn, { ...status, portalId: 4411223 as unknown as string }),
    );
    expect(error.message).toBe('Not a HubSpot portal id: 4411223');
    expect((await refused(() => publishStatus(conn, undefined as never))).message).toBe(
      'Not a HubSpot portal id: no value',
    );
  });

  it('a harmless mistake is still quoted', async () => {
    const error = await refused(() =>
      publishStatus(conn, { ...status, portalId: '../Account/001' }),
    );
    expect(error.message).toBe("Not a HubSpot portal id: '../Account/001'");
  });

  it('publishStatuses: no changes, changes of two portals, a refused portal id', async () => {
    expect((await refused(() => publishStatuses(conn, []))).message).toMatch(/at least one status/);
    expect((await refused(() => publishStatuses(conn, undefined as never))).message).toMatch(
      /at least one status/,
    );
    expect(
      (await refused(() => publishStatuses(conn, [status, { ...status, portalId: '999' }])))
        .message,
    ).toBe('publishStatuses carries the changes of one portal');
    await refused(() => publishStatuses(conn, [status, { ...status, portalId: HUBSPOT_TOKEN }]));
  });
});
