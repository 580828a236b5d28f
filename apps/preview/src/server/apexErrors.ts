/**
 * What a controller method answers when it cannot: the message the component shows (as
 * AuraHandledException's message would be) and the HTTP status the preview endpoint returns.
 * 400 for bad arguments, 404 for an unknown method, 502 when the org itself failed.
 */
export class ApexCallError extends Error {
  constructor(
    message: string,
    readonly statusCode: 400 | 403 | 404 | 409 | 502 | 503,
    readonly exceptionType = 'AuraHandledException',
  ) {
    super(message);
    this.name = 'ApexCallError';
  }
}

/** One controller: method name -> implementation taking the named Apex arguments. */
export interface ApexController {
  readonly methods: readonly string[];
  /** Returns the method's String result (JSON text) or null, as the Apex does. */
  call(method: string, params: Record<string, unknown>): Promise<string | null>;
}
