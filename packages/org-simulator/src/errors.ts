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

export const notFound = () =>
  new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
export const invalidSession = () =>
  new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
export const requestLimitExceeded = () =>
  new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
