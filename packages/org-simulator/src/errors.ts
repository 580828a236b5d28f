/**
 * Salesforce REST error bodies: an array of `{ message, errorCode, fields? }` with the documented
 * HTTP status. https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
interface SalesforceErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** Thrown inside the simulator; the HTTP layer turns it into the documented response. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): SalesforceErrorBody[] {
    const body: SalesforceErrorBody = { message: this.message, errorCode: this.errorCode };
    if (this.fields) body.fields = this.fields;
    return [body];
  }
}

/** A 400 that names the fields of the body it is about (a write Salesforce refused). */
export function fieldError(errorCode: string, message: string, fields: string[]): ApiError {
  return new ApiError(400, errorCode, message, fields);
}

export const notFound = () =>
  new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
export const invalidSession = () =>
  new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
export const requestLimitExceeded = () =>
  new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

/**
 * Salesforce's answer to a body it cannot take as the resource's JSON: text that does not parse, a
 * body that is not an object of field values, a value of the wrong type for its field. 400, or the
 * 4xx a refused body got from the HTTP layer (unsupported media type, too large).
 */
export const jsonParserError = (message: string, statusCode = 400) =>
  new ApiError(statusCode, 'JSON_PARSER_ERROR', message);
/** A record or event body that is not a JSON object of field values (an array, a string, none). */
export const bodyNotAnObject = () =>
  jsonParserError('The request body must be a JSON object of field values.');
