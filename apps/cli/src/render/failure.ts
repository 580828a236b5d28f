import { SUSPENSION_REASONS, isReasonCode, type ReasonCode } from '@sync-doctor/core';
import { isTransientSalesforceFailure } from '@sync-doctor/salesforce/transient';
import type { SfCommand } from '../sfCommand.js';
import { printable } from './printable.js';
import { visibleLength, type Style } from './style.js';
import { wrapText } from './table.js';

/** The parts of a SalesforceError the CLI shows (duck-typed: the class lives in another package). */
interface FailureLike {
  message: string;
  reason?: string;
  errorCode?: string;
  statusCode?: number;
  /** Which request failed: 'POST /composite (snapshot)', or 'composite:REF' for a sub-request. */
  request?: string;
}

/**
 * 404 to a request of Sync Doctor's own, not to a sub-request inside a composite (those are
 * Salesforce's answers about an object or a record): the address does not serve the REST API.
 */
function notTheRestApi(failure: FailureLike): boolean {
  return (
    failure.statusCode === 404 &&
    failure.request !== undefined &&
    !failure.request.startsWith('composite:')
  );
}

const NOT_THE_REST_API_HINT = [
  "The address answered 404 to Salesforce's REST API: it is not the org's API. Use the org's My Domain URL (https://NAME.my.salesforce.com, Setup > My Domain), not a Lightning, Experience Cloud or login page address.",
];

/** Sync Doctor's own code for a refused login: not one of HubSpot's suspension reasons. */
const LOGIN_FAILED = 'SYNC_DOCTOR_LOGIN_FAILED';

/**
 * Answers that refuse the session or credentials Sync Doctor itself signs in with (Salesforce's
 * REST codes, and the OAuth token endpoint's, upper-cased). Every request carries the admin's
 * session, never HubSpot's, so these say nothing about the integration user: the core would call
 * them API_ACCESS_DISABLED, which a pipeline would read as HubSpot's API access being off.
 */
const LOGIN_ERROR_CODES = new Set([
  'INVALID_SESSION_ID',
  'INVALID_AUTH_HEADER',
  'INVALID_LOGIN',
  'INVALID_GRANT',
  'INVALID_CLIENT_ID',
  'INVALID_CLIENT',
]);

/** Sync Doctor's own code for rights its own user lacks: not one of HubSpot's suspension reasons. */
const ACCESS_DENIED = 'SYNC_DOCTOR_ACCESS_DENIED';

/**
 * Answers that deny the user Sync Doctor signs in as (an admin, not HubSpot's integration user) a
 * read it needs. The core would call them OBJECT_PERMISSIONS_MISSING or API_ACCESS_DISABLED, which
 * a pipeline would read as the integration user lacking rights.
 */
const ACCESS_DENIED_CODES = new Set([
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_PRIVILEGES',
  'API_CURRENTLY_DISABLED',
]);

/**
 * Node's codes for a TLS handshake it refused: a certificate it does not trust (a proxy that
 * inspects TLS signs with its own CA), one for another host, an expired one, or no TLS at all.
 */
const TLS_CODES = [
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
];

/**
 * Failures of Sync Doctor's own connection or command line that HubSpot's connector would not
 * meet: no reason is given for them (the core's UNKNOWN_ERROR would advise "Clear Suspension").
 */
const OWN_CONNECTION_CODES = new Set([
  'REDIRECT_REFUSED',
  'REQUEST_TIMEOUT',
  'USER_NOT_FOUND',
  'UNEXPECTED_RESPONSE',
  'TOO_MANY_ROUNDS',
  'SF_CLI_NOT_FOUND',
  'SF_CLI_ORG_NOT_AUTHORIZED',
  'SF_CLI_TIMEOUT',
  'HTTP_407',
  // The proxy of HTTPS_PROXY / HTTP_PROXY (@sync-doctor/salesforce's tunnel): not the org's doing.
  'PROXY_UNREACHABLE',
  'PROXY_REFUSED',
  'PROXY_UNTRUSTED',
  'PROXY_MISCONFIGURED',
  'PROXY_SOCKS_ERROR',
  ...TLS_CODES,
]);

const TLS_HINT = [
  'Node.js refused the TLS connection to the org, so nothing was sent. Check the URL (https, the My Domain host name).',
  "Behind a proxy that inspects TLS, give Node your company's root certificate: NODE_EXTRA_CA_CERTS=/path/to/ca.pem (or node --use-system-ca). Never turn certificate checks off.",
];

/**
 * What to do when the CLI itself could not read the org. The reason's catalog remedy is written for
 * HubSpot's session, not ours; for errors about Sync Doctor's own access, say what fixes that.
 * `sf`: how the commands it suggests spell the Salesforce CLI ('npx sf' where it is the repository's).
 */
const ownAccessHints = (sf: SfCommand): Record<string, string[]> => ({
  INVALID_SESSION_ID: [
    `The session Sync Doctor used is expired or invalid. With --target-org, the Salesforce CLI could not renew it: log in again (${sf} org login web --alias ALIAS). With --instance-url, get a fresh session id (${sf} org auth show-access-token --target-org ALIAS), or use --target-org / --jwt, which renew it themselves.`,
  ],
  USER_NOT_FOUND: [
    "Check --user: give the HubSpot integration user's username or User id (Setup > Users).",
  ],
  SF_CLI_NOT_FOUND: [
    'Install the Salesforce CLI (npm install --global @salesforce/cli), or pass --instance-url and --access-token.',
  ],
  SF_CLI_ORG_NOT_AUTHORIZED: [
    `Authorise the org with the Salesforce CLI (${sf} org login web --alias ALIAS), then pass --target-org ALIAS.`,
  ],
  SF_CLI_TIMEOUT: [
    `The Salesforce CLI did not hand over the session within --timeout. Run the command named above yourself; if it waits for a login, log in again (${sf} org login web --alias ALIAS).`,
  ],
  INVALID_GRANT: [
    'The JWT was refused: check that the connected app has the certificate of --key-file, that the user is pre-authorised for the app, and that --login-url matches the org (test.salesforce.com for sandboxes).',
  ],
  INVALID_CLIENT_ID: [
    "The connected app's consumer key (--client-id) is not known to this login URL.",
  ],
  REQUEST_TIMEOUT: [
    'Salesforce did not answer within --timeout (60 seconds unless given). Check the URL and https://status.salesforce.com for the instance, then try again, or allow longer with --timeout SECONDS.',
  ],
  REDIRECT_REFUSED: [
    'The org answered with a redirect to the address named above. Sync Doctor follows no redirect, so the token was not sent there.',
    `If you trust that address (a My Domain change is the usual reason), run again with it: --instance-url for a session id, a fresh ${sf} org login web for --target-org, --login-url for --jwt.`,
  ],
  ECONNREFUSED: [
    'Nothing answered at the instance URL. Check --instance-url (or the org alias) and the network, and the proxy HTTPS_PROXY names when it is set: it may be the one that refused.',
  ],
  HTTP_407: [
    "The proxy named by HTTPS_PROXY (or HTTP_PROXY) wants credentials: put them in its URL (http://USER:PASSWORD@PROXY:PORT), or ask for the org's host to be let through.",
  ],
  PROXY_UNREACHABLE: [
    'The proxy named by HTTPS_PROXY (or HTTP_PROXY) did not answer or dropped the connection. Check that it runs at that address; if the org should be reached directly, name its host in NO_PROXY.',
  ],
  PROXY_REFUSED: [
    "The proxy named by HTTPS_PROXY (or HTTP_PROXY) refused the tunnel to the org, with the status named above: 407 wants credentials in its URL (http://USER:PASSWORD@PROXY:PORT), 403 means the org's host is not let through, 502-504 that it could not reach Salesforce just then.",
  ],
  PROXY_UNTRUSTED: [
    "The https:// proxy named by HTTPS_PROXY presented a certificate Node.js does not trust: give Node your company's root certificate (NODE_EXTRA_CA_CERTS=/path/to/ca.pem). Never turn certificate checks off.",
  ],
  PROXY_MISCONFIGURED: [
    'HTTPS_PROXY (or HTTP_PROXY) names a proxy that does not speak what its URL says: an https:// proxy that speaks plain HTTP (write http://), or a socks5:// URL for a server that is no SOCKS5 proxy (SOCKS4 is not supported).',
  ],
  PROXY_SOCKS_ERROR: [
    "The SOCKS5 proxy named by HTTPS_PROXY (or HTTP_PROXY) could not reach the org's host (its reply is named above): try again shortly; if it persists, ask for the org's host to be let through, or name it in NO_PROXY to go direct.",
  ],
  ENOTFOUND: [
    "The instance URL's host name does not resolve. Check --instance-url (or the org alias).",
  ],
  INSUFFICIENT_ACCESS: [
    'The user Sync Doctor connects as needs "View Setup and Configuration" to read permission sets: connect as an administrator.',
  ],
  INSUFFICIENT_ACCESS_OR_READONLY: [
    'The user Sync Doctor connects as needs "View Setup and Configuration" to read permission sets: connect as an administrator.',
  ],
  INSUFFICIENT_PRIVILEGES: [
    'The user Sync Doctor connects as needs "View Setup and Configuration" to read permission sets: connect as an administrator.',
  ],
  API_CURRENTLY_DISABLED: [
    'The user Sync Doctor connects as lacks "API Enabled": connect as an administrator whose profile or a permission set grants it.',
  ],
  UNEXPECTED_RESPONSE: [
    "The address answered, but not as Salesforce's REST API does. Check that --instance-url is the org's My Domain URL (https://NAME.my.salesforce.com), and that no proxy or login page answers in its place.",
  ],
  TOO_MANY_ROUNDS: [
    'The org needed more round trips than Sync Doctor allows for one check. Run again with fewer extra requirements (--requirements), and report it with the number of required fields and objects.',
  ],
  ...Object.fromEntries(TLS_CODES.map((code) => [code, TLS_HINT])),
});

const ACCESS_DENIED_HINT = [
  "Salesforce denied a read to the user Sync Doctor signed in as: your own user, not the HubSpot integration user. It says nothing about HubSpot's rights.",
];

const LOGIN_FAILED_HINT = [
  "Salesforce refused the session or credentials Sync Doctor signed in with: your own login, not the HubSpot integration user's. It says nothing about HubSpot's API access.",
];
const loginFailedDefaultHint = (sf: SfCommand) => [
  `Log in again (${sf} org login web), check the access token, or check the connected app.`,
];

/**
 * Trouble that passes: the same command, run again later, may well succeed (a pipeline retries it;
 * exit 75, `retryable: true`). The rule is @sync-doctor/salesforce's `isTransientSalesforceFailure`
 * (the relay's outbox retries by it too: Salesforce down or overloaded, out of API requests, a
 * locked row, maintenance, the network, a timeout, HTTP 502-504); on top of it, what passes for a
 * command line: a query the database gave up on (QUERY_TIMEOUT), a Salesforce CLI that did not
 * hand over the session in time (SF_CLI_TIMEOUT), and HTTP 429 (too many requests).
 */
const CLI_RETRY_LATER_CODES = new Set(['QUERY_TIMEOUT', 'SF_CLI_TIMEOUT']);
const CLI_RETRY_LATER_STATUS = 429;

/**
 * Whether running the same command again later may succeed. Sync Doctor's own login and rights
 * (SYNC_DOCTOR_LOGIN_FAILED, SYNC_DOCTOR_ACCESS_DENIED) never pass by themselves: someone must act.
 */
function retryLater(errorCode: string, statusCode: number | undefined): boolean {
  if (errorCode === LOGIN_FAILED || errorCode === ACCESS_DENIED) return false;
  return (
    isTransientSalesforceFailure({ errorCode, statusCode }) ||
    CLI_RETRY_LATER_CODES.has(errorCode) ||
    statusCode === CLI_RETRY_LATER_STATUS
  );
}

/** A failure as the CLI reports it, on stderr and as the `error` of --json. */
interface FailureSummary {
  /** SYNC_DOCTOR_LOGIN_FAILED / SYNC_DOCTOR_ACCESS_DENIED for Sync Doctor's own login or rights; else Salesforce's or the network's code. */
  errorCode: string;
  /** The HubSpot suspension reason the same error would mean for the connector; absent for Sync Doctor's own access. */
  reason?: ReasonCode;
  /** Salesforce's code, when errorCode is Sync Doctor's own. */
  salesforceErrorCode?: string;
  statusCode?: number;
  message: string;
  /** True when the same command may succeed if run again later (exit 75); false: someone must act first (exit 2). */
  retryable: boolean;
}

export function summarizeFailure(failure: FailureLike): FailureSummary {
  const code = failure.errorCode ?? 'UNKNOWN_ERROR';
  const { statusCode, message } = failure;
  if (LOGIN_ERROR_CODES.has(code.toUpperCase()))
    return {
      errorCode: LOGIN_FAILED,
      salesforceErrorCode: code,
      statusCode,
      message,
      retryable: false,
    };
  if (ACCESS_DENIED_CODES.has(code.toUpperCase()))
    return {
      errorCode: ACCESS_DENIED,
      salesforceErrorCode: code,
      statusCode,
      message,
      retryable: false,
    };
  const reason =
    failure.reason &&
    isReasonCode(failure.reason) &&
    !OWN_CONNECTION_CODES.has(code) &&
    !notTheRestApi(failure)
      ? failure.reason
      : undefined;
  return { errorCode: code, reason, statusCode, message, retryable: retryLater(code, statusCode) };
}

/**
 * No `sf` on PATH, but the repository has one (its README installs it with `npm ci`): it is
 * reached through npx, which is also how `npx sync-doctor` puts it on PATH for this CLI.
 */
const SF_IN_REPOSITORY_HINT = [
  "The Salesforce CLI is installed in this repository (npx sf --version) but is not on PATH: run Sync Doctor as 'npx sync-doctor check …' from the repository, which puts it there, or pass --instance-url and --access-token.",
];

function adviceFor(summary: FailureSummary, sf: SfCommand): string[] | undefined {
  const salesforceCode = (summary.salesforceErrorCode ?? summary.errorCode).toUpperCase();
  const hint =
    salesforceCode === 'SF_CLI_NOT_FOUND' && sf === 'npx sf'
      ? SF_IN_REPOSITORY_HINT
      : ownAccessHints(sf)[salesforceCode];
  if (summary.errorCode === LOGIN_FAILED)
    return [...LOGIN_FAILED_HINT, ...(hint ?? loginFailedDefaultHint(sf))];
  if (summary.errorCode === ACCESS_DENIED) return [...ACCESS_DENIED_HINT, ...(hint ?? [])];
  return hint;
}

/**
 * What stderr says when the check could not run. `sf` is how the commands it suggests spell the
 * Salesforce CLI: 'npx sf' where it is the repository's (sfCommand.ts).
 */
export function renderFailure(
  failure: FailureLike,
  style: Style,
  width: number,
  sf: SfCommand = 'sf',
): string {
  const summary = summarizeFailure(failure);
  const { reason } = summary;
  const lines: string[] = [];
  const details = [
    reason ? summary.errorCode : summary.salesforceErrorCode,
    summary.statusCode ? `HTTP ${summary.statusCode}` : undefined,
  ];
  const code = details.filter(Boolean).join(', ');
  const headline = `${style.bold(style.red('Could not diagnose'))}: ${style.bold(reason ?? summary.errorCode)}`;
  // Narrow: the codes go to a line of their own rather than past the edge.
  if (!code || visibleLength(headline) + code.length + 3 <= width)
    lines.push(`${headline}${code ? style.dim(` (${code})`) : ''}`);
  else lines.push(headline, `  ${style.dim(`(${code})`)}`);
  // The Salesforce CLI's own failures quote the command to run, spelled already as `sf` says
  // (connect's sfCommand): 'npx sf org login web --alias prod'.
  for (const line of wrapText(printable(summary.message), width - 2)) lines.push(`  ${line}`);
  const ownHint = notTheRestApi(failure) ? NOT_THE_REST_API_HINT : adviceFor(summary, sf);
  const steps: string[] = ownHint ?? (reason ? SUSPENSION_REASONS[reason].remedy : []);
  if (steps.length > 0) {
    lines.push('');
    lines.push(style.bold('What to do'));
    steps.forEach((step, i) =>
      wrapText(step, width - 6).forEach((line, j) =>
        lines.push(`${j === 0 ? `  ${i + 1}. ` : '     '}${line}`),
      ),
    );
  }
  if (summary.retryable) {
    lines.push('');
    for (const line of wrapText(
      'This usually passes: the same command may succeed if run again later (exit 75, "retry later").',
      width,
    ))
      lines.push(style.dim(line));
  }
  if (reason && !ownHint) {
    lines.push('');
    for (const line of wrapText(
      `If HubSpot's connector meets the same error, it suspends with "${SUSPENSION_REASONS[reason].titles.en}".`,
      width,
    ))
      lines.push(style.dim(line));
  }
  return `${lines.join('\n')}\n`;
}
