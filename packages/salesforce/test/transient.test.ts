import { SalesforceError } from '../src/errors.js';
import { TRANSIENT_FAILURE_CODES, isTransientSalesforceFailure } from '../src/transient.js';

/** One rule for "passes by itself": the CLI's exit 75 and the relay's outbox retries. */
describe('isTransientSalesforceFailure', () => {
  it.each([
    ['SERVER_UNAVAILABLE', 503],
    ['REQUEST_LIMIT_EXCEEDED', 403],
    ['UNABLE_TO_LOCK_ROW', 400],
    ['INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE', 400],
    ['unknown_error', 500],
    ['REQUEST_TIMEOUT', undefined],
    ['ECONNRESET', undefined],
    ['PROXY_UNREACHABLE', undefined],
    ['HTTP_502', 502],
    ['HTTP_503', 503],
    ['HTTP_504', 504],
  ])('%s (HTTP %s) passes by itself', (errorCode, statusCode) => {
    expect(
      isTransientSalesforceFailure(new SalesforceError({ errorCode, statusCode, message: 'x' })),
    ).toBe(true);
    expect(isTransientSalesforceFailure({ errorCode, statusCode })).toBe(true);
  });

  it.each([
    ['INVALID_SESSION_ID', 401],
    ['INSUFFICIENT_ACCESS', 403],
    ['invalid_grant', 400],
    ['ENOTFOUND', undefined],
    ['HTTP_429', 429],
    ['HTTP_500', 500],
    ['REDIRECT_REFUSED', 301],
    ['PROXY_REFUSED', 407],
    ['QUERY_TIMEOUT', 400],
  ])('%s (HTTP %s) does not', (errorCode, statusCode) => {
    expect(isTransientSalesforceFailure({ errorCode, statusCode })).toBe(false);
  });

  it("reads Node's and undici's errors: `code`, the `cause`'s code, `status`", () => {
    expect(
      isTransientSalesforceFailure(
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      ),
    ).toBe(true);
    expect(
      isTransientSalesforceFailure(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }),
        }),
      ),
    ).toBe(true);
    expect(isTransientSalesforceFailure({ status: 503 })).toBe(true);
    expect(isTransientSalesforceFailure(new Error('boom'))).toBe(false);
    expect(isTransientSalesforceFailure(undefined)).toBe(false);
  });

  it("a code of Salesforce's own goes before a network code underneath it", () => {
    expect(isTransientSalesforceFailure({ errorCode: 'INVALID_FIELD', code: 'ECONNRESET' })).toBe(
      false,
    );
  });

  it('the network codes the CLI and the relay both count as passing are all there', () => {
    for (const code of [
      'ECONNREFUSED',
      'ETIMEDOUT',
      'EPIPE',
      'EAI_AGAIN',
      'ENETUNREACH',
      'EHOSTUNREACH',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_HEADERS_TIMEOUT',
      'UND_ERR_BODY_TIMEOUT',
    ])
      expect(TRANSIENT_FAILURE_CODES.has(code)).toBe(true);
  });
});
