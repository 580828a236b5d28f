import { classifySalesforceError } from './classifySalesforceError.js';
import { REASON_CODES, type ReasonCode } from './codes.js';

/** jsforce's HttpApiError: name and errorCode carry Salesforce's code, content the raw body. */
class HttpApiError extends Error {
  constructor(
    message: string,
    public errorCode: string,
    public content?: unknown,
  ) {
    super(message);
    this.name = errorCode;
  }
}

describe('classifySalesforceError', () => {
  const byCode: [string, ReasonCode][] = [
    ['REQUEST_LIMIT_EXCEEDED', 'API_LIMIT_EXCEEDED'],
    ['API_DISABLED_FOR_ORG', 'API_ACCESS_DISABLED'],
    ['API_CURRENTLY_DISABLED', 'API_ACCESS_DISABLED'],
    ['INVALID_SESSION_ID', 'API_ACCESS_DISABLED'],
    ['INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', 'OBJECT_PERMISSIONS_MISSING'],
    ['INSUFFICIENT_ACCESS_OR_READONLY', 'OBJECT_PERMISSIONS_MISSING'],
    ['INSUFFICIENT_ACCESS', 'OBJECT_PERMISSIONS_MISSING'],
    ['INVALID_TYPE', 'OBJECT_PERMISSIONS_MISSING'],
    ['INVALID_FIELD_FOR_INSERT_UPDATE', 'FIELD_PERMISSIONS_MISSING'],
    ['INVALID_FIELD', 'FIELD_PERMISSIONS_MISSING'],
    ['UNABLE_TO_LOCK_ROW', 'ORG_LOCKED'],
    ['ORG_LOCKED', 'ORG_LOCKED'],
    ['STORAGE_LIMIT_EXCEEDED', 'STORAGE_LIMIT_EXCEEDED'],
    ['EXCEEDED_QUOTA', 'STORAGE_LIMIT_EXCEEDED'],
    ['SERVER_UNAVAILABLE', 'ORG_UNAVAILABLE'],
    ['UNKNOWN_EXCEPTION', 'SERVER_ERROR'],
    ['INTERNAL_ERROR', 'SERVER_ERROR'],
    ['MALFORMED_QUERY', 'UNKNOWN_ERROR'],
    ['FIELD_CUSTOM_VALIDATION_EXCEPTION', 'UNKNOWN_ERROR'],
  ];

  it.each(byCode)('maps errorCode %s to %s', (errorCode, reason) => {
    expect(classifySalesforceError({ errorCode, message: 'x' })).toBe(reason);
  });

  it.each(byCode)('maps a jsforce HttpApiError named %s to %s', (errorCode, reason) => {
    expect(classifySalesforceError(new HttpApiError(`${errorCode}: something`, errorCode))).toBe(
      reason,
    );
  });

  it('reads the code from a message when no code field is set', () => {
    expect(
      classifySalesforceError({ message: 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.' }),
    ).toBe('API_LIMIT_EXCEEDED');
    expect(
      classifySalesforceError(
        new Error('Error: UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record'),
      ),
    ).toBe('ORG_LOCKED');
    expect(
      classifySalesforceError({ message: 'The REST API is not enabled for this Organization.' }),
    ).toBe('API_ACCESS_DISABLED');
    // INVALID_FIELD's message without its code: a field the user cannot see.
    expect(classifySalesforceError("No such column 'Region__c' on entity 'Lead'")).toBe(
      'FIELD_PERMISSIONS_MISSING',
    );
    expect(
      classifySalesforceError(
        'Unable to create/update fields: Email. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
      ),
    ).toBe('FIELD_PERMISSIONS_MISSING');
  });

  it('reads REST error arrays and raw JSON bodies', () => {
    expect(
      classifySalesforceError([
        {
          errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
          message: 'Unable to create/update fields: Email.',
          fields: ['Email'],
        },
      ]),
    ).toBe('FIELD_PERMISSIONS_MISSING');
    expect(
      classifySalesforceError({
        statusCode: 400,
        content: '[{"errorCode":"STORAGE_LIMIT_EXCEEDED","message":"storage limit exceeded"}]',
      }),
    ).toBe('STORAGE_LIMIT_EXCEEDED');
    expect(
      classifySalesforceError({
        name: 'ERROR_HTTP_403',
        data: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
      }),
    ).toBe('API_LIMIT_EXCEEDED');
  });

  it('maps a 403 that speaks of limits to the org API limit, and a plain 403 to unknown', () => {
    expect(
      classifySalesforceError({ statusCode: 403, message: 'Limit exceeded for this organization' }),
    ).toBe('API_LIMIT_EXCEEDED');
    expect(classifySalesforceError({ statusCode: 403, message: 'Forbidden' })).toBe(
      'UNKNOWN_ERROR',
    );
  });

  it('maps HTTP statuses when there is no code', () => {
    expect(classifySalesforceError({ statusCode: 503 })).toBe('ORG_UNAVAILABLE');
    expect(classifySalesforceError({ statusCode: 502, message: 'Bad Gateway' })).toBe(
      'ORG_UNAVAILABLE',
    );
    expect(classifySalesforceError({ statusCode: 500, message: 'boom' })).toBe('SERVER_ERROR');
    expect(classifySalesforceError({ statusCode: 404, message: 'nope' })).toBe('UNKNOWN_ERROR');
  });

  it('reads the HTTP status from jsforce ERROR_HTTP_nnn names', () => {
    expect(
      classifySalesforceError(
        new HttpApiError('<html>Service Unavailable</html>', 'ERROR_HTTP_503'),
      ),
    ).toBe('ORG_UNAVAILABLE');
    expect(
      classifySalesforceError({ errorCode: 'HTTP_500', message: 'Salesforce returned an error' }),
    ).toBe('SERVER_ERROR');
    expect(classifySalesforceError({ errorCode: 'HTTP_404', message: 'Not Found' })).toBe(
      'UNKNOWN_ERROR',
    );
  });

  it('maps network failures to org unavailable', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    expect(classifySalesforceError(error)).toBe('ORG_UNAVAILABLE');
    expect(classifySalesforceError({ cause: { code: 'ETIMEDOUT' } })).toBe('ORG_UNAVAILABLE');
  });

  it('maps OAuth token errors to API access', () => {
    expect(
      classifySalesforceError({
        error: 'invalid_grant',
        error_description: 'authentication failure',
      }),
    ).toBe('API_ACCESS_DISABLED');
  });

  it('never throws on odd input', () => {
    for (const odd of [
      undefined,
      null,
      42,
      '',
      'text',
      {},
      [],
      { errorCode: 7 },
      { content: '[not json' },
    ]) {
      expect(classifySalesforceError(odd)).toBe('UNKNOWN_ERROR');
    }
  });

  it('covers every reason a Salesforce error can cause', () => {
    const covered = new Set(byCode.map(([, reason]) => reason));
    const fromSalesforce = REASON_CODES.filter(
      (c) => c !== 'HUBSPOT_API_LIMIT_EXCEEDED' && c !== 'FIELD_MAPPINGS_MISSING',
    );
    for (const reason of fromSalesforce) expect(covered).toContain(reason);
  });
});
