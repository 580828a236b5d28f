import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { REASON_CODES, SIGNAL_SOURCES, SUSPENSION_STATES } from '@sync-doctor/core';
import { DELIVERY_STATES } from '../src/store/types.js';
import { admin, createPortal, signed, startTestRelay, type TestRelay } from './helpers.js';

// The route schemas are TypeBox's; what a client sees of them is /docs/json and the 400s. A fixed
// list of strings is a string enum there (client generators type an enum without `type` as any),
// and a query built from two objects is one flat list of parameters.
describe('the route schemas as clients see them', () => {
  let relay: TestRelay;
  let spec: {
    paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: Body }>>;
  };
  type Parameter = { in: string; name: string; schema: Record<string, unknown> };
  type Body = { content: Record<string, { schema: { properties: Record<string, unknown> } }> };

  beforeAll(async () => {
    relay = await startTestRelay();
    spec = (await relay.app.inject({ method: 'GET', url: '/docs/json' })).json();
  });
  afterAll(() => relay.close());

  test('/docs/json is a valid OpenAPI 3.0 document, checked against the official schema', () => {
    expect(spec).toMatchObject({ openapi: expect.stringMatching(/^3\.0\./) });
    expect(openApiCheck(spec)).toEqual({ version: '3.0', valid: true, errors: [] });
  });

  test('that check has teeth: a 3.1-style nullable type, which 3.0 clients reject, is refused', () => {
    const path = '/v1/portals/{portalId}/state';
    const broken = structuredClone(spec) as unknown as OpenApiDocument;
    const schema = broken.paths[path]!.get!.responses['200']!.content['application/json']!.schema;
    schema.properties.clearedAt = { type: ['string', 'null'] };
    const check = openApiCheck(broken);
    expect(check.valid).toBe(false);
    expect(JSON.stringify(check.errors)).toContain('clearedAt');
  });

  const queryOf = (path: string) =>
    Object.fromEntries(
      (spec.paths[path]!.get!.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => [parameter.name, parameter.schema]),
    );

  test("a suspension's reason is a string enum of the core's eleven reasons", () => {
    const body = spec.paths['/v1/portals/{portalId}/suspensions']!.post!.requestBody!;
    expect(body.content['application/json']!.schema.properties.reason).toEqual({
      type: 'string',
      enum: [...REASON_CODES],
      description: expect.stringContaining('eleven suspension reasons'),
    });
  });

  test("the state answer's state and source are string enums of the core's lists", () => {
    type Answer = { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
    const route = spec.paths['/v1/portals/{portalId}/state']!.get as unknown as {
      responses: Record<string, Answer>;
    };
    const properties = route.responses['200']!.content['application/json']!.schema.properties;
    expect(properties.state).toMatchObject({ type: 'string', enum: [...SUSPENSION_STATES] });
    // Nullable: no signal yet has no source.
    expect(JSON.stringify(properties.source)).toContain(JSON.stringify([...SIGNAL_SOURCES]));
  });

  test("the deliveries' query is the page's cursor and limit and a state, in one list", () => {
    expect(queryOf('/v1/portals/{portalId}/deliveries')).toEqual({
      cursor: expect.objectContaining({ type: 'string' }),
      limit: expect.objectContaining({ type: 'integer', maximum: 200 }),
      state: expect.objectContaining({ type: 'string', enum: [...DELIVERY_STATES] }),
    });
  });

  test("the alerts' query is the page's cursor and limit and a status, in one list", () => {
    expect(queryOf('/v1/portals/{portalId}/alerts')).toEqual({
      cursor: expect.objectContaining({ type: 'string' }),
      limit: expect.objectContaining({ type: 'integer' }),
      status: { type: 'string', enum: ['pending', 'sent', 'failed'] },
    });
  });

  test('a query value outside its list is a 400 whose message lists the values allowed', async () => {
    const portalId = '5550043';
    await createPortal(relay.app, portalId);
    const asked = await relay.app.inject({
      method: 'GET',
      url: `/v1/portals/${portalId}/alerts?status=lost`,
      headers: admin,
    });
    expect(asked.statusCode).toBe(400);
    expect(asked.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      error:
        'invalid querystring: querystring/status must be equal to one of the allowed values (pending, sent, failed)',
    });
  });

  test('an unknown reason is a 400 whose message lists the reasons allowed, and nothing is stored', async () => {
    const portalId = '5550042';
    const { signingSecret } = await createPortal(relay.app, portalId);
    const sent = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(signingSecret, {
        reason: 'BANANAS',
        occurredAt: new Date().toISOString(),
        eventId: 'evt-bananas',
      }),
    });
    expect(sent.statusCode).toBe(400);
    const answer = sent.json();
    expect(answer.code).toBe('VALIDATION_FAILED');
    expect(answer.error).toBe(
      `invalid body: body/reason must be equal to one of the allowed values (${REASON_CODES.join(', ')})`,
    );
    expect(answer.details).toEqual([
      expect.objectContaining({ params: { allowedValues: [...REASON_CODES] } }),
    ]);
    const history = await relay.app.inject({
      method: 'GET',
      url: `/v1/portals/${portalId}/history`,
      headers: admin,
    });
    expect(history.json().items).toEqual([]);
  });
});

type OpenApiDocument = {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<
          string,
          { content: Record<string, { schema: { properties: Record<string, unknown> } }> }
        >;
      }
    >
  >;
};

/**
 * The document checked by @seriousme/openapi-schema-validator (the OpenAPI Initiative's JSON
 * Schemas) in a child process: the validator is ESM-only and finds its schemas through
 * import.meta, which jest's CommonJS runtime cannot run.
 */
function openApiCheck(document: unknown): { version: string; valid: boolean; errors: unknown[] } {
  const script = [
    "import { Validator } from '@seriousme/openapi-schema-validator';",
    "let input = '';",
    'for await (const chunk of process.stdin) input += chunk;',
    'const validator = new Validator();',
    'const { valid, errors } = await validator.validate(JSON.parse(input));',
    'const answer = { version: validator.version, valid, errors: errors ?? [] };',
    'process.stdout.write(JSON.stringify(answer));',
  ].join('\n');
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: resolve(__dirname, '..'),
    input: JSON.stringify(document),
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`the OpenAPI validator failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { version: string; valid: boolean; errors: unknown[] };
}
