import { classifySalesforceError, type ReasonCode } from '@sync-doctor/core';

export interface SalesforceErrorDetails {
  errorCode: string;
  message: string;
  statusCode?: number;
  /** Fields Salesforce named in the error, when it did. */
  fields?: string[];
  /** Which request or sub-request failed: 'GET /limits', 'composite:user'. Never contains a token. */
  request?: string;
}

/**
 * A failure talking to Salesforce, typed with the core's suspension reason so the CLI and the relay
 * can say what it means for the HubSpot connector (`classifySalesforceError` decides, not this file).
 */
export class SalesforceError extends Error {
  readonly reason: ReasonCode;
  readonly errorCode: string;
  readonly statusCode?: number;
  readonly fields?: string[];
  readonly request?: string;

  constructor(details: SalesforceErrorDetails) {
    super(details.message);
    this.name = 'SalesforceError';
    this.errorCode = details.errorCode;
    this.statusCode = details.statusCode;
    this.fields = details.fields;
    this.request = details.request;
    this.reason = classifySalesforceError({
      errorCode: details.errorCode,
      statusCode: details.statusCode,
      message: details.message,
      // Network failures carry their code as `code` in the shape the core reads ('ECONNREFUSED').
      code: details.errorCode,
    });
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      reason: this.reason,
      errorCode: this.errorCode,
      statusCode: this.statusCode,
      message: this.message,
      fields: this.fields,
      request: this.request,
    };
  }
}

export function isSalesforceError(value: unknown): value is SalesforceError {
  return value instanceof SalesforceError;
}

/**
 * ABORTED: `what` ('The request to URL', 'The Salesforce CLI (...)') stopped because the caller's
 * AbortSignal aborted (connect's `signal`). Not a passing failure (transient.ts): the caller chose
 * to stop, and tells its own reasons apart by `signal.reason`, which the message names when it is
 * an Error's message or a string (a deadline, a Ctrl-C).
 */
export function abortedError(signal: AbortSignal, what: string, request?: string): SalesforceError {
  const reason = signal.reason as unknown;
  const why =
    reason instanceof Error && reason.name !== 'AbortError'
      ? `: ${reason.message}`
      : typeof reason === 'string' && reason !== ''
        ? `: ${reason}`
        : '';
  return new SalesforceError({
    errorCode: 'ABORTED',
    message: `${what} was aborted by its caller${why}`,
    request,
  });
}

/** Salesforce's REST error body: `[{ "errorCode", "message", "fields"? }]` (docs: "Status Codes and Error Responses"). */
export function errorFromBody(
  body: unknown,
  statusCode: number | undefined,
  request?: string,
): SalesforceError {
  const first = Array.isArray(body) ? body[0] : body;
  if (first && typeof first === 'object') {
    const record = first as {
      errorCode?: unknown;
      message?: unknown;
      fields?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    const errorCode =
      typeof record.errorCode === 'string'
        ? record.errorCode
        : typeof record.error === 'string'
          ? record.error
          : undefined;
    const message =
      typeof record.message === 'string'
        ? record.message
        : typeof record.error_description === 'string'
          ? record.error_description
          : undefined;
    if (errorCode || message) {
      return new SalesforceError({
        errorCode: errorCode ?? `HTTP_${statusCode ?? 'ERROR'}`,
        message: message ?? errorCode ?? 'Salesforce returned an error',
        statusCode,
        fields: Array.isArray(record.fields)
          ? record.fields.filter((f): f is string => typeof f === 'string')
          : undefined,
        request,
      });
    }
  }
  const text = typeof body === 'string' ? body.slice(0, 300) : '';
  return new SalesforceError({
    errorCode: `HTTP_${statusCode ?? 'ERROR'}`,
    message: text || `Salesforce answered with HTTP ${statusCode ?? '?'}`,
    statusCode,
    request,
  });
}

/**
 * A value the caller gave that cannot be used (a URL that is no https URL, a key file that cannot
 * be read or is empty, a portal id that is no number): the caller's mistake, never Salesforce's
 * answer nor a fault of this package. Every deliberate check of the input throws it, so a caller
 * tells "fix what you gave" from a bug (a plain TypeError). It extends TypeError, which these
 * checks threw before, so `instanceof TypeError` still holds for code written against that. The
 * message never quotes a value that could be a secret (secrets.ts).
 */
export class InputError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export function isInputError(value: unknown): value is InputError {
  return value instanceof InputError;
}
