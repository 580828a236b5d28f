import { generateKeyPairSync, createVerify } from 'node:crypto';
import { PERMISSION_SET_FIELDS, STATUS_FIELD_LIMITS, saveWaves } from '@sync-doctor/core';
import {
  chunkForInList,
  isUserId,
  missingColumnFromMessage,
  queryUrl,
  soqlList,
  soqlString,
} from '../src/soql.js';
import {
  activityPermissionColumns,
  assignmentColumns,
  columnsToDrop,
  userPermissionColumns,
} from '../src/collect/columns.js';
import { packSubRequests, type SubRequest } from '../src/composite.js';
import { jwtAudience, jwtPrivateKeyProblem, signJwtAssertion } from '../src/auth/jwt.js';
import { errorFromBody, SalesforceError } from '../src/errors.js';
import { toSalesforceError, parseLimitInfo } from '../src/transport.js';
import { historyJson, truncate } from '../src/write/truncate.js';
import { savingWaves } from '../src/write/applyRemediation.js';
import * as core from '@sync-doctor/core';
import { fieldFacts, isApiName, splitFieldName } from '../src/collect/describe.js';
import { normalizeOrgUrl } from '../src/connect.js';

describe('SOQL helpers', () => {
  it('escapes quotes and backslashes in literals', () => {
    expect(soqlString("O'Brien\\x")).toBe("'O\\'Brien\\\\x'");
    expect(soqlList(['a', "b'"])).toBe("('a', 'b\\'')");
  });

  it('keeps composite references unencoded and encodes the rest', () => {
    const url = queryUrl(
      "SELECT Id FROM X WHERE AssigneeId = '@{user.records[0].Id}' AND Name = 'a b'",
    );
    expect(url).toContain("AssigneeId%20%3D%20'@{user.records[0].Id}'%20AND");
    expect(url).toContain('Name%20%3D%20');
    expect(url.startsWith('/services/data/v64.0/query?q=SELECT%20Id')).toBe(true);
  });

  it('chunks IN lists by length and count', () => {
    const values = Array.from({ length: 1000 }, (_, i) => `Object${i}__c.Field${i}__c`);
    const chunks = chunkForInList(values, 4000);
    expect(chunks.flat()).toEqual(values);
    for (const chunk of chunks) expect(soqlList(chunk).length).toBeLessThan(4100);
    expect(chunkForInList(['a', 'b', 'c'], 4000, 2)).toEqual([['a', 'b'], ['c']]);
    expect(chunkForInList([])).toEqual([]);
  });

  it('recognises user ids and the missing column of INVALID_FIELD messages', () => {
    expect(isUserId('005000000000001')).toBe(true);
    expect(isUserId('005000000000001AAA')).toBe(true);
    expect(isUserId('001000000000001AAA')).toBe(false);
    expect(isUserId('hubspot@acme.com')).toBe(false);
    expect(
      missingColumnFromMessage(
        "\nSELECT Id\nERROR at Row:1:Column:8\nNo such column 'PermissionsEditTask' on entity 'PermissionSet'. If you are attempting...",
      ),
    ).toBe('PermissionsEditTask');
    expect(
      missingColumnFromMessage(
        "Didn't understand relationship 'PermissionSetGroup' in field path.",
      ),
    ).toBe('PermissionSetGroup');
    expect(missingColumnFromMessage('unexpected token: FROM')).toBeNull();
  });
});

describe('optional columns', () => {
  const { columns, optional } = assignmentColumns([
    'PermissionsApiEnabled',
    'PermissionsCustomThing',
  ]);

  it('drops the named column only when it is optional', () => {
    expect(columnsToDrop(columns, new Set(optional), 'PermissionsEditTask')).toEqual([
      'PermissionSet.PermissionsEditTask',
    ]);
    expect(columnsToDrop(columns, new Set(optional), 'permissionscustomthing')).toEqual([
      'PermissionSet.PermissionsCustomThing',
    ]);
    expect(columnsToDrop(columns, new Set(optional), 'Name')).toEqual([]);
    expect(columnsToDrop(columns, new Set(optional), 'PermissionSet.PermissionsEditTask')).toEqual([
      'PermissionSet.PermissionsEditTask',
    ]);
    expect(columnsToDrop(columns, new Set(optional), 'PermissionSet.Name')).toEqual([]);
  });

  it('drops every column under a relationship the org lacks', () => {
    expect(columnsToDrop(columns, new Set(optional), 'PermissionSetGroup').sort()).toEqual(
      [
        'PermissionSetGroup.DeveloperName',
        'PermissionSetGroup.HasActivationRequired',
        'PermissionSetGroup.Id',
        'PermissionSetGroup.MasterLabel',
        'PermissionSetGroup.Status',
      ].sort(),
    );
  });

  it("selects every system permission the core's rules read (PERMISSION_SET_FIELDS), each optional; Edit Events and Manage Users only when judged", () => {
    const always = assignmentColumns([]);
    const onDemand = [
      ...activityPermissionColumns(['Event']),
      ...userPermissionColumns([{ name: 'User', access: ['edit'] }]),
    ];
    expect(onDemand).toEqual(['PermissionsEditEvent', 'PermissionsManageUsers']);
    const coreColumns = PERMISSION_SET_FIELDS.filter((f) => f.startsWith('Permissions'));
    // "Update Records with Inactive Owners" among them: read to answer an inactive-owner sync error.
    expect(coreColumns).toContain('PermissionsUpdateWithInactiveOwner');
    for (const permission of coreColumns) {
      const column = `PermissionSet.${permission}`;
      if (onDemand.includes(permission)) expect(always.columns).not.toContain(column);
      else expect(always.columns).toContain(column);
      expect(assignmentColumns(onDemand).columns).toContain(column);
      expect(assignmentColumns(onDemand).optional).toContain(column);
    }
  });

  it('reads each system permission once', () => {
    expect(columns.filter((c) => c === 'PermissionSet.PermissionsApiEnabled')).toHaveLength(1);
  });
});

describe('packSubRequests', () => {
  const query = (i: number): SubRequest => ({
    referenceId: `q${i}`,
    method: 'GET',
    url: `/services/data/v64.0/query?q=SELECT+Id+FROM+X${i}`,
  });
  const describe = (i: number): SubRequest => ({
    referenceId: `d${i}`,
    method: 'GET',
    url: `/services/data/v64.0/sobjects/X${i}/describe`,
  });

  it('puts at most 5 queries and 25 sub-requests in a composite, in order', () => {
    const subs = [
      ...Array.from({ length: 12 }, (_, i) => query(i)),
      ...Array.from({ length: 30 }, (_, i) => describe(i)),
    ];
    const packs = packSubRequests(subs);
    expect(packs.flat()).toEqual(subs);
    for (const pack of packs) {
      expect(pack.length).toBeLessThanOrEqual(25);
      expect(pack.filter((s) => s.url.includes('/query')).length).toBeLessThanOrEqual(5);
    }
    expect(packs.length).toBe(4);
  });

  it('counts query-more pages as queries', () => {
    const pages = Array.from({ length: 6 }, (_, i): SubRequest => ({
      referenceId: `p${i}`,
      method: 'GET',
      url: `/services/data/v64.0/query/01gxx-${(i + 1) * 2000}`,
    }));
    expect(packSubRequests(pages).map((p) => p.length)).toEqual([5, 1]);
  });
});

describe('jwtPrivateKeyProblem', () => {
  it('accepts an RSA private key and says why anything else cannot sign RS256, without quoting it', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    expect(jwtPrivateKeyProblem(rsa)).toBeNull();
    const garbage = `-----BEGIN PRIVATE KEY-----\n${'Q'.repeat(80)}\n-----END PRIVATE KEY-----`;
    expect(jwtPrivateKeyProblem(garbage)).toMatch(/cannot be read.*PEM text of an RSA private key/);
    expect(jwtPrivateKeyProblem(garbage)).not.toContain('Q'.repeat(80));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(jwtPrivateKeyProblem(ec)).toMatch(/ec key.*RS256.*RSA/);
  });
});

describe('signJwtAssertion', () => {
  it('signs RS256 claims that verify with the public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwt = signJwtAssertion({
      clientId: '3MVG9abc',
      username: 'hubspot@acme.com',
      audience: 'https://login.salesforce.com/',
      privateKey: pem,
      issuedAt: 1_700_000_000,
    });
    const [header, claims, signature] = jwt.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'JWT',
    });
    expect(JSON.parse(Buffer.from(claims!, 'base64url').toString())).toEqual({
      iss: '3MVG9abc',
      sub: 'hubspot@acme.com',
      aud: 'https://login.salesforce.com',
      exp: 1_700_000_180,
      iat: 1_700_000_000,
    });
    const verifier = createVerify('RSA-SHA256').update(`${header}.${claims}`);
    expect(verifier.verify(publicKey, Buffer.from(signature!, 'base64url'))).toBe(true);
  });
});

describe('jwtAudience', () => {
  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com/', 'https://test.salesforce.com'],
    // A My Domain is no audience Salesforce accepts: its authorization server is.
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme--uat.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme--uat.cs42.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://cs42.salesforce.com', 'https://test.salesforce.com'],
    ['https://na139.salesforce.com', 'https://login.salesforce.com'],
    // An Experience Cloud site or a test server is its own audience.
    ['https://acme.my.site.com/customers', 'https://acme.my.site.com/customers'],
    ['http://127.0.0.1:4444', 'http://127.0.0.1:4444'],
  ])('%s signs for %s', (loginUrl, audience) => {
    expect(jwtAudience(loginUrl)).toBe(audience);
  });
});

describe('errors', () => {
  it('types a REST error body with the core reason', () => {
    const error = errorFromBody(
      [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
      403,
      'GET /limits',
    );
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({
      reason: 'API_LIMIT_EXCEEDED',
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      statusCode: 403,
      request: 'GET /limits',
    });
  });

  it('types a body that is not JSON by its status', () => {
    expect(errorFromBody('<html>down</html>', 503)).toMatchObject({
      errorCode: 'HTTP_503',
      reason: 'ORG_UNAVAILABLE',
    });
  });

  it('types jsforce and network errors', () => {
    const jsforceError = Object.assign(new Error('Session expired or invalid'), {
      name: 'INVALID_SESSION_ID',
      errorCode: 'INVALID_SESSION_ID',
    });
    expect(toSalesforceError(jsforceError, 401)).toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
      statusCode: 401,
      reason: 'API_ACCESS_DISABLED',
    });
    const network = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      name: 'FetchError',
      code: 'ECONNREFUSED',
    });
    expect(toSalesforceError(network, undefined)).toMatchObject({
      errorCode: 'ECONNREFUSED',
      reason: 'ORG_UNAVAILABLE',
    });
    const html = Object.assign(new Error('x'), { errorCode: 'ERROR_HTTP_500' });
    expect(toSalesforceError(html, 500)).toMatchObject({
      errorCode: 'HTTP_500',
      reason: 'SERVER_ERROR',
    });
  });

  it('says what an answer without a message was, a proxy asking for credentials included', () => {
    // What jsforce throws when the proxy of HTTPS_PROXY answers CONNECT with 407: no message at all.
    const proxy = Object.assign(new Error(''), {
      name: 'ERROR_HTTP_407',
      errorCode: 'ERROR_HTTP_407',
      data: { errorCode: 'ERROR_HTTP_407', message: '' },
    });
    const refused = toSalesforceError(proxy, 407, 'GET /limits');
    expect(refused).toMatchObject({ errorCode: 'HTTP_407', statusCode: 407 });
    expect(refused.message).toMatch(/proxy/i);
    expect(refused.message).toContain('407');
    const blank = Object.assign(new Error(''), { errorCode: 'ERROR_HTTP_502' });
    expect(toSalesforceError(blank, 502).message).toContain('HTTP 502');
  });

  it('serialises without a stack', () => {
    const json = JSON.parse(
      JSON.stringify(
        new SalesforceError({
          errorCode: 'UNABLE_TO_LOCK_ROW',
          message: 'locked',
          statusCode: 400,
        }),
      ),
    );
    expect(json).toEqual({
      name: 'SalesforceError',
      reason: 'ORG_LOCKED',
      errorCode: 'UNABLE_TO_LOCK_ROW',
      statusCode: 400,
      message: 'locked',
    });
  });

  it('parses Sforce-Limit-Info', () => {
    expect(parseLimitInfo('api-usage=25/15000')).toEqual({ used: 25, max: 15000 });
    expect(parseLimitInfo('per-app-api-usage=1/2(appName=x), api-usage=7/100')).toEqual({
      used: 7,
      max: 100,
    });
    expect(parseLimitInfo(undefined)).toBeNull();
  });
});

describe('status field limits', () => {
  it('truncates with an ellipsis inside the limit', () => {
    const title = truncate('x'.repeat(300), STATUS_FIELD_LIMITS.title)!;
    expect(title).toHaveLength(STATUS_FIELD_LIMITS.title);
    expect(title.endsWith('…')).toBe(true);
    expect(truncate('short', 255)).toBe('short');
    expect(truncate(null, 255)).toBeNull();
  });

  it('keeps the newest 50 history entries and fits the long text area', () => {
    const history = Array.from({ length: 80 }, (_, i) => ({
      at: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
      state: 'suspended' as const,
      reason: null,
      source: 'email' as const,
      title: `t${i}`,
    }));
    expect(JSON.parse(historyJson(history))).toHaveLength(50);
    expect(JSON.parse(historyJson(history))[0].title).toBe('t0');
    const huge = history.map((h) => ({ ...h, title: 'y'.repeat(5000) }));
    const text = historyJson(huge);
    expect(text.length).toBeLessThanOrEqual(STATUS_FIELD_LIMITS.history);
    expect(JSON.parse(text).length).toBeGreaterThan(0);
  });
});

describe('savingWaves', () => {
  const names = (waves: { sobjectType: string }[][]) =>
    waves.map((wave) => wave.map((row) => row.sobjectType));
  const rowsOf = (plan: { sobjectType: string }[]) =>
    plan.map((p, index) => ({ index, sobjectType: p.sobjectType }));

  it("groups the rows by the plan's saveWave, waves in increasing order, the plan's order within one", () => {
    // The core decides the waves (saveWaves, at planning); the applier follows them, even waves
    // its requiredBy would not give (here Account after Contact), and skips a wave with no row.
    const plan = [
      { sobjectType: 'Account', requiredBy: ['Contact'], saveWave: 3 },
      { sobjectType: 'Contact', saveWave: 0 },
      { sobjectType: 'Lead', saveWave: 3 },
      { sobjectType: 'Opportunity', saveWave: 1 },
    ];
    expect(names(savingWaves(plan, rowsOf(plan)))).toEqual([
      ['Contact'],
      ['Opportunity'],
      ['Account', 'Lead'],
    ]);
    // Only the rows to write: an unchanged row leaves its wave out.
    expect(names(savingWaves(plan, rowsOf(plan).slice(0, 3)))).toEqual([
      ['Contact'],
      ['Account', 'Lead'],
    ]);
    expect(savingWaves([], [])).toEqual([]);
  });

  it("computes the waves with the core's saveWaves when a grant has none (a hand-made plan)", () => {
    const plan = [
      { sobjectType: 'Invoice_Line__c' },
      { sobjectType: 'Invoice__c', requiredBy: ['Invoice_Line__c'], saveWave: 0 },
      { sobjectType: 'Contact', requiredBy: ['Account'] },
      { sobjectType: 'Account', requiredBy: ['Contact', 'Invoice__c'] },
      { sobjectType: 'Lead' },
    ];
    expect(names(savingWaves(plan, rowsOf(plan)))).toEqual([
      ['Contact', 'Account', 'Lead'],
      ['Invoice__c'],
      ['Invoice_Line__c'],
    ]);
    expect(savingWaves(plan, rowsOf(plan)).flat()).toEqual(
      [2, 3, 4, 1, 0].map((index) => rowsOf(plan)[index]),
    );
    expect(saveWaves(plan)).toEqual([2, 1, 0, 0, 0]);
  });
});

describe('describe facts', () => {
  const describe = {
    name: 'Contact',
    fields: [
      {
        name: 'Email',
        type: 'email',
        calculated: false,
        permissionable: true,
        nillable: true,
        referenceTo: [],
      },
      {
        name: 'AccountId',
        type: 'reference',
        calculated: false,
        permissionable: true,
        nillable: true,
        referenceTo: ['Account'],
      },
      {
        name: 'Name',
        type: 'string',
        calculated: false,
        permissionable: false,
        nillable: false,
        referenceTo: [],
      },
    ],
  };

  it('reads the facts of a field case-insensitively', () => {
    expect(fieldFacts(describe, 'email')).toEqual({
      exists: true,
      permissionable: true,
      calculated: false,
      nillable: true,
      type: 'email',
    });
    expect(fieldFacts(describe, 'AccountId').referenceTo).toEqual(['Account']);
    expect(fieldFacts(describe, 'Name').permissionable).toBe(false);
  });

  it("carries describe's autoNumber, so the core never plans Edit on a field Salesforce numbers", () => {
    const withNumber = {
      name: 'Case',
      fields: [{ name: 'CaseNumber', autoNumber: true, permissionable: true, calculated: false }],
    };
    expect(fieldFacts(withNumber, 'CaseNumber')).toMatchObject({
      autoNumber: true,
      calculated: false,
    });
    expect(fieldFacts(describe, 'email')).not.toHaveProperty('autoNumber');
  });

  it("carries a picklist's active values and whether it is restricted, so a refused value is checked against the picklist as it is now", () => {
    const entry = (value: string, active: boolean) => ({ value, label: `${value} label`, active });
    const withPicklists = {
      name: 'Lead',
      fields: [
        {
          name: 'LeadSource',
          type: 'picklist',
          restrictedPicklist: true,
          picklistValues: [entry('Web', true), entry('Webinar', false), entry('Other', true)],
        },
        {
          name: 'Interests__c',
          type: 'multipicklist',
          picklistValues: [entry('Golf', true), entry('Chess', true)],
        },
        { name: 'Rating', type: 'picklist', restrictedPicklist: false, picklistValues: [] },
        {
          name: 'Email',
          type: 'email',
          picklistValues: [entry('x', true)],
          restrictedPicklist: true,
        },
      ],
    };
    // Inactive values are left out (Salesforce refuses them on a restricted picklist), by API value.
    expect(fieldFacts(withPicklists, 'leadsource')).toMatchObject({
      type: 'picklist',
      picklistValues: ['Web', 'Other'],
      restrictedPicklist: true,
    });
    expect(fieldFacts(withPicklists, 'Interests__c')).toMatchObject({
      picklistValues: ['Golf', 'Chess'],
      restrictedPicklist: false,
    });
    expect(fieldFacts(withPicklists, 'Rating')).toMatchObject({
      picklistValues: [],
      restrictedPicklist: false,
    });
    // Other types say nothing of values, whatever their describe carries.
    expect(fieldFacts(withPicklists, 'Email')).not.toHaveProperty('picklistValues');
    expect(fieldFacts(withPicklists, 'Email')).not.toHaveProperty('restrictedPicklist');
    expect(fieldFacts(describe, 'email')).not.toHaveProperty('picklistValues');
  });

  it('marks missing fields and missing objects as absent', () => {
    expect(fieldFacts(describe, 'Gone__c')).toEqual({
      exists: false,
      permissionable: false,
      calculated: false,
    });
    expect(fieldFacts(null, 'Email').exists).toBe(false);
  });

  it('splits only Object.Field names', () => {
    // The core's rule, not a copy of it: requirements documents and the scope check names with it.
    expect(splitFieldName).toBe(core.splitFieldName);
    expect(isApiName).toBe(core.isApiName);
    expect(splitFieldName('Contact.Email')).toEqual({ object: 'Contact', field: 'Email' });
    expect(splitFieldName('Contact')).toBeNull();
    expect(splitFieldName("Contact.Email' OR Id != null")).toBeNull();
  });
});

describe('normalizeOrgUrl', () => {
  it('accepts https and loopback http, refuses clear text elsewhere', () => {
    expect(normalizeOrgUrl('https://acme.my.salesforce.com/', 'x')).toBe(
      'https://acme.my.salesforce.com',
    );
    expect(normalizeOrgUrl('http://127.0.0.1:4321/path', 'x')).toBe('http://127.0.0.1:4321');
    expect(() => normalizeOrgUrl('http://acme.my.salesforce.com', 'instanceUrl')).toThrow(/https/);
    expect(() => normalizeOrgUrl('not a url', 'instanceUrl')).toThrow(/not a URL/);
  });
});
