import type { Connection } from 'jsforce';
import {
  InputError,
  TRANSIENT_FAILURE_CODES,
  TRANSIENT_HTTP_STATUSES,
  publishStatus,
} from '@sync-doctor/salesforce';
import type { RelayedStatus } from '@sync-doctor/core';
import { describeFailure, retryDelayMs } from '../src/domain/retry.js';

// A delivery that fails for a reason that passes (the network, DNS, a slow or busy org) is tried
// again with backoff; one Salesforce refuses for good (a bad field, no access) is not.
describe('which delivery failures are retried', () => {
  test("every failure @sync-doctor/salesforce calls transient is retried (the CLI's exit 75 follows the same rule), and the relay's own on top", () => {
    for (const errorCode of TRANSIENT_FAILURE_CODES)
      expect(describeFailure({ errorCode, message: 'x' })).toMatchObject({ retryable: true });
    for (const statusCode of TRANSIENT_HTTP_STATUSES)
      expect(
        describeFailure({ errorCode: `HTTP_${statusCode}`, statusCode, message: 'x' }),
      ).toMatchObject({ retryable: true });
    for (const errorCode of ['LIMIT_EXCEEDED', 'INVALID_SESSION_ID', 'ENOTFOUND'])
      expect(describeFailure({ errorCode, message: 'x' })).toMatchObject({ retryable: true });
  });

  const networkError = (code: string) =>
    Object.assign(new Error(`getaddrinfo ${code} login.salesforce.com`), { code });

  test.each([
    'ENOTFOUND',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    // Network failures the CLI's "retry later" counted and the relay did not, before both took
    // @sync-doctor/salesforce's isTransientSalesforceFailure.
    'ECONNABORTED',
    'ENETDOWN',
  ])(
    'a network failure (%s) is retried: a DNS or routing outage must not fail a delivery on its first attempt',
    (code) => {
      expect(describeFailure(networkError(code))).toMatchObject({ code, retryable: true });
      // undici's fetch wraps it: TypeError('fetch failed') with the cause carrying the code.
      expect(
        describeFailure(
          Object.assign(new TypeError('fetch failed'), { cause: networkError(code) }),
        ),
      ).toMatchObject({ retryable: true });
    },
  );

  test('an https:// egress proxy with an untrusted certificate (PROXY_UNTRUSTED) fails at once: a setting to fix, whatever its message says', () => {
    const untrusted = Object.assign(
      new Error(
        'The proxy https://proxy.corp:3129 presented a certificate that is not trusted: self-signed certificate; socket hang up',
      ),
      { name: 'ProxyError', code: 'PROXY_UNTRUSTED' },
    );
    expect(describeFailure(untrusted)).toMatchObject({ code: 'PROXY_UNTRUSTED', retryable: false });
    // An https:// URL for a plain HTTP proxy: its TLS error arrives as a failed write (EPROTO).
    const notTls = Object.assign(
      new Error(
        'The proxy https://proxy.corp:3128 does not speak TLS: if it is a plain HTTP proxy, write its URL with http:// (http://proxy.corp:3128)',
      ),
      { name: 'ProxyError', code: 'PROXY_MISCONFIGURED' },
    );
    expect(describeFailure(notTls)).toMatchObject({
      code: 'PROXY_MISCONFIGURED',
      retryable: false,
    });
  });

  test("@sync-doctor/salesforce's InputError (a value it refused) fails at once, as the plain TypeError it was did, whatever its message quotes", async () => {
    const status = {
      portalId: 'x'.repeat(40),
      state: 'suspended',
      reason: 'OBJECT_PERMISSIONS_MISSING',
      title: 'suspended',
      since: '2026-11-28T08:00:00.000Z',
      lastSeenAt: '2026-11-28T09:00:00.000Z',
      clearedAt: null,
      source: 'email',
      excerpt: 'suspended',
      history: [],
    } as RelayedStatus;
    // Refused before anything is sent: the connection is never read.
    const refused = await publishStatus({} as Connection, status).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect(describeFailure(refused)).toMatchObject({ code: 'InputError', retryable: false });
    // A refused value quoted in the message that reads like a network failure does not make
    // it one (the plain TypeError's message matched /fetch failed/ and was retried).
    const quoted = await publishStatus({} as Connection, {
      ...status,
      portalId: 'fetch failed',
    }).catch((e: unknown) => e);
    expect((quoted as Error).message).toContain('fetch failed');
    expect(describeFailure(quoted)).toMatchObject({ code: 'InputError', retryable: false });
  });

  test("the data layer's own deadline (REQUEST_TIMEOUT) is retried; a refused redirect is not", () => {
    expect(
      describeFailure(
        Object.assign(new Error('no answer within 15 s'), { errorCode: 'REQUEST_TIMEOUT' }),
      ),
    ).toMatchObject({ retryable: true });
    expect(
      describeFailure(
        Object.assign(new Error('redirected to http://x'), { errorCode: 'REDIRECT_REFUSED' }),
      ),
    ).toMatchObject({ retryable: false });
  });

  test.each([
    ['SERVER_UNAVAILABLE', 503],
    ['UNABLE_TO_LOCK_ROW', 400],
    ['REQUEST_LIMIT_EXCEEDED', 403],
    ['LIMIT_EXCEEDED', 400],
  ])('Salesforce %s is retried', (errorCode, statusCode) => {
    expect(
      describeFailure(Object.assign(new Error(errorCode), { errorCode, statusCode })),
    ).toMatchObject({ code: errorCode, retryable: true });
  });

  test.each([
    ['INVALID_FIELD', 400],
    ['INSUFFICIENT_ACCESS', 403],
    ['NOT_FOUND', 404],
  ])('Salesforce %s is not retried: it fails the same way every time', (errorCode, statusCode) => {
    expect(
      describeFailure(Object.assign(new Error(errorCode), { errorCode, statusCode })),
    ).toMatchObject({ retryable: false });
  });

  test('the token endpoint: a login server down (HTTP_503) or unknown_error is retried; a grant refused is not', () => {
    const login = (errorCode: string, statusCode?: number) =>
      describeFailure(
        Object.assign(new Error(`The JWT bearer token request failed: ${errorCode}`), {
          errorCode,
          statusCode,
        }),
      );
    expect(login('HTTP_503', 503)).toMatchObject({ code: 'HTTP_503', retryable: true });
    expect(login('unknown_error')).toMatchObject({ retryable: true });
    for (const refused of ['invalid_grant', 'invalid_client_id', 'invalid_app_access'])
      expect(login(refused)).toMatchObject({ code: refused, retryable: false });
  });

  test('an org in read-only mode for maintenance (site switch, instance refresh) is retried: it ends by itself', () => {
    // "Updates can't be made during maintenance. Try again when maintenance is complete." The
    // HTTP status is not documented (and a composite sub-request carries its own), so the code decides.
    for (const statusCode of [400, 500, 503])
      expect(
        describeFailure(
          Object.assign(
            new Error(
              "Updates can't be made during maintenance. Try again when maintenance is complete.",
            ),
            { errorCode: 'INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE', statusCode },
          ),
        ),
      ).toMatchObject({ retryable: true });
  });
});

describe('what a refused log-in says to fix', () => {
  const refused = (errorCode: string, description: string) =>
    describeFailure(
      Object.assign(new Error(`The JWT bearer token request failed: ${description}`), {
        errorCode,
      }),
    ).message;

  test.each([
    ['invalid_grant', 'audience is invalid', /loginUrl/],
    ['invalid_grant', 'expired authorization code', /clock/],
    ['invalid_client_id', 'client identifier invalid', /consumer key/],
    ['invalid_grant', 'invalid assertion', /certificate/],
    ['invalid_grant', 'inactive user', /deactivated/],
    ['invalid_app_access', 'user is not admin approved to access this app', /pre-authorize/],
  ])('%s: %s', (errorCode, description, hint) => {
    const message = refused(errorCode, description);
    expect(message).toContain(description);
    expect(message).toMatch(hint);
  });

  test('other failures keep their message as it is', () => {
    expect(refused('SERVER_UNAVAILABLE', 'audience is invalid')).toBe(
      'The JWT bearer token request failed: audience is invalid',
    );
  });
});

describe('retry delays', () => {
  test('double per attempt from the base, never above the cap, with half of each delay random', () => {
    const low = (attempt: number) => retryDelayMs(attempt, 1000, 300_000, () => 0);
    const high = (attempt: number) => retryDelayMs(attempt, 1000, 300_000, () => 0.999999);
    expect([1, 2, 3, 4].map(high)).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map(low)).toEqual([500, 1000, 2000, 4000]);
    // The cap holds for any attempt count (2 ** 2000 is Infinity), jitter included.
    for (const attempt of [10, 12, 50, 2000]) {
      expect(high(attempt)).toBe(300_000);
      expect(low(attempt)).toBe(150_000);
    }
    // A base above the cap is capped too; attempt 0 (a re-queued delivery) waits like attempt 1.
    expect(retryDelayMs(1, 10_000, 1000, () => 0.999999)).toBe(1000);
    expect(retryDelayMs(0, 1000, 300_000, () => 0)).toBe(500);
  });
});
