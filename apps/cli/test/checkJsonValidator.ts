/**
 * The schema `check --json-schema` prints, compiled as the strictest pipeline would compile it:
 * ajv 8, the validator most JavaScript pipelines use, with every strict check on (unknown keywords,
 * a `required` key the schema never defines, types left implicit). A schema only a lenient
 * validator accepts would fail the user who pins it, not us.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { CHECK_JSON_SCHEMA } from '../src/checkJsonSchema.js';

export function compileCheckJsonSchema(schema: object = CHECK_JSON_SCHEMA): ValidateFunction {
  return new Ajv({ strict: true, allErrors: true }).compile(schema);
}

export const validateCheckJson = compileCheckJsonSchema();

/** Asserts the document validates, failing with ajv's errors (not a bare `false`) when not. */
export function expectValidCheckJson(document: unknown): void {
  const valid = validateCheckJson(document);
  expect(validateCheckJson.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}
