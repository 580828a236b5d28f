import { jsonParserError } from '../src/errors.js';
import { API, startTestOrg, type TestOrg } from './helpers.js';

/**
 * JSON_PARSER_ERROR, Salesforce's answer to a body it cannot take, is the same shape on every route
 * that gives it: the body parser, the HTTP layer's own refusals, record writes (create, upsert,
 * composite subrequest), a value of the wrong type, a platform event publish.
 */
type Answer = { status: number; body: unknown };

let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
});
afterEach(() => org.sim.close());

const NOT_AN_OBJECT = 'The request body must be a JSON object of field values.';
const STATUS = `${API}/sobjects/HubSpot_Sync_Status__c`;

async function answer(res: Response): Promise<Answer> {
  return { status: res.status, body: await res.json() };
}

/** What the helper gives, and the literal shape a client sees (status, errorCode, message). */
function expectParserError(actual: Answer, message: string, status = 400) {
  expect(actual).toEqual({ status, body: [{ message, errorCode: 'JSON_PARSER_ERROR' }] });
  const helper = jsonParserError(message, status);
  expect(actual).toEqual({ status: helper.statusCode, body: helper.toBody() });
}

function raw(method: string, path: string, body: string, contentType = 'application/json') {
  return fetch(`${org.sim.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${org.sim.accessToken}`, 'Content-Type': contentType },
    body,
  });
}

describe('JSON_PARSER_ERROR on every route kind', () => {
  test('text that does not parse as JSON: the parser says why', async () => {
    const text = '{"Name": ';
    let detail = '';
    try {
      JSON.parse(text);
    } catch (error) {
      detail = (error as Error).message;
    }
    expectParserError(await answer(await raw('POST', `${API}/sobjects/Account`, text)), detail);
  });

  test("a body the HTTP layer refuses keeps the HTTP layer's 4xx", async () => {
    const res = await raw('POST', `${API}/sobjects/Account`, '<Name>x</Name>', 'application/xml');
    expectParserError(await answer(res), 'Unsupported Media Type', 415);
  });

  test('a record create or update whose body is not an object', async () => {
    expectParserError(
      await answer(await org.send('POST', `${API}/sobjects/Account`, [])),
      NOT_AN_OBJECT,
    );
    const created = await org.send('POST', STATUS, { Portal_Id__c: '77', State__c: 'suspended' });
    const { id } = (await created.json()) as { id: string };
    expectParserError(
      await answer(await org.send('PATCH', `${STATUS}/${id}`, 'suspended')),
      NOT_AN_OBJECT,
    );
  });

  test('an upsert whose body is not an object creates nothing', async () => {
    // Spread into a record, a string's characters and an array's items read as fields '0', '1'...,
    // and null as no fields at all: a record with only its external id.
    for (const body of ['suspended', ['suspended'], null]) {
      expectParserError(
        await answer(await org.send('PATCH', `${STATUS}/Portal_Id__c/78`, body)),
        NOT_AN_OBJECT,
      );
    }
    expect(org.sim.records('HubSpot_Sync_Status__c')).toEqual([]);
  });

  test('a composite subrequest whose body is not an object', async () => {
    const res = await org.send('POST', `${API}/composite`, {
      compositeRequest: [
        { method: 'POST', url: `${API}/sobjects/Account`, referenceId: 'bad', body: [] },
      ],
    });
    expect(res.status).toBe(200);
    const { compositeResponse } = (await res.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; body: unknown }>;
    };
    expectParserError(
      { status: compositeResponse[0]!.httpStatusCode, body: compositeResponse[0]!.body },
      NOT_AN_OBJECT,
    );
  });

  test('a value of the wrong type for its field', async () => {
    expectParserError(
      await answer(
        await org.send('POST', STATUS, {
          Portal_Id__c: '5',
          State__c: 'suspended',
          Since__c: 'Nov 28 2026',
        }),
      ),
      'Cannot deserialize instance of datetime from string value "Nov 28 2026" or request may be missing a required field',
    );
  });

  test('a platform event whose body is not an object', async () => {
    expectParserError(
      await answer(await org.send('POST', `${API}/sobjects/Sync_Doctor_Event__e`, ['x'])),
      NOT_AN_OBJECT,
    );
  });
});
