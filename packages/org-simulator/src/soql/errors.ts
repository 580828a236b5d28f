import { ApiError } from '../errors.js';

/**
 * SOQL errors as Salesforce words them: the query, a caret under the offending token, the
 * position and the reason, e.g. INVALID_FIELD "No such column 'Foo' on entity 'Account'. ...".
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm#exceptioncode_topic
 */
export function soqlError(
  errorCode: string,
  soql: string,
  token: string | null,
  reason: string,
): ApiError {
  let at = token ? findToken(soql, token) : -1;
  if (at < 0) at = 0;
  const before = soql.slice(0, at);
  const row = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  const line = soql.split('\n')[row - 1] ?? soql;
  const caret = `${' '.repeat(column - 1)}^`;
  return new ApiError(
    400,
    errorCode,
    `\n${line}\n${caret}\nERROR at Row:${row}:Column:${column}\n${reason}`,
  );
}

function findToken(soql: string, token: string): number {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(^|[^A-Za-z0-9_.])(${escaped})(?![A-Za-z0-9_])`, 'i').exec(soql);
  return match ? match.index + match[1]!.length : -1;
}

/**
 * `field` is where the caret goes (the path as written); the message names the column alone, on the
 * entity it was looked up on: "No such column 'Phone' on entity 'Account'" for `Account.Phone` from
 * Contact, as Salesforce words it for a parent's field.
 */
export const noSuchColumn = (soql: string, field: string, entity: string) =>
  soqlError(
    'INVALID_FIELD',
    soql,
    field,
    `No such column '${field.slice(field.lastIndexOf('.') + 1)}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const unknownRelationship = (soql: string, path: string, relationship: string) =>
  soqlError(
    'INVALID_FIELD',
    soql,
    path,
    `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const unsupportedType = (soql: string, type: string) =>
  soqlError(
    'INVALID_TYPE',
    soql,
    type,
    `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const malformed = (soql: string, token: string | null, reason: string) =>
  soqlError('MALFORMED_QUERY', soql, token, reason);
