/**
 * Every way `check` can fail, as a pipeline tells them apart: exit 2 and `retryable: false` for
 * what someone must fix (the command, a file, credentials, rights), exit 75 and `retryable: true`
 * for what passes by itself (the network, a timeout, Salesforce down or out of API requests).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRANSIENT_FAILURE_CODES, TRANSIENT_HTTP_STATUSES } from '@sync-doctor/salesforce';
import { EXIT } from '../src/io.js';
import { main } from '../src/main.js';
import { renderFailure, summarizeFailure } from '../src/render/failure.js';
import { createStyle } from '../src/render/style.js';
import { memoryIo } from './support.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-classes-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('retryable: what passes by itself', () => {
  it.each([
    // Salesforce: maintenance or overload, the API allocation spent, a query or lock that timed out.
    ['SERVER_UNAVAILABLE', 503],
    ['REQUEST_LIMIT_EXCEEDED', 403],
    ['QUERY_TIMEOUT', 400],
    ['UNABLE_TO_LOCK_ROW', 400],
    // The token endpoint's passing failure ("retry your request"), and its HTML maintenance page.
    ['unknown_error', 500],
    ['HTTP_503', 503],
    ['HTTP_502', 502],
    ['HTTP_504', 504],
    ['HTTP_429', 429],
    // Sync Doctor's deadline, and a hung Salesforce CLI.
    ['REQUEST_TIMEOUT', undefined],
    ['SF_CLI_TIMEOUT', undefined],
    // The network.
    ['ECONNREFUSED', undefined],
    ['ECONNRESET', undefined],
    ['ETIMEDOUT', undefined],
    ['EAI_AGAIN', undefined],
    ['ENETUNREACH', undefined],
    ['EHOSTUNREACH', undefined],
    ['UND_ERR_SOCKET', undefined],
    // The egress proxy did not answer.
    ['PROXY_UNREACHABLE', undefined],
  ])('%s (HTTP %s) is retryable', (errorCode, statusCode) => {
    expect(summarizeFailure({ message: 'x', errorCode, statusCode }).retryable).toBe(true);
  });

  it.each([
    // Credentials and Sync Doctor's own rights: someone must act.
    ['INVALID_SESSION_ID', 401],
    ['invalid_grant', 400],
    ['INVALID_CLIENT_ID', 400],
    ['INSUFFICIENT_ACCESS', 403],
    ['API_CURRENTLY_DISABLED', 403],
    ['SF_CLI_ORG_NOT_AUTHORIZED', undefined],
    ['SF_CLI_NOT_FOUND', undefined],
    // Settings and addresses: a typo in the URL, a proxy wanting credentials, a certificate, a redirect.
    ['ENOTFOUND', undefined],
    ['HTTP_407', 407],
    ['HTTP_404', 404],
    ['CERT_HAS_EXPIRED', undefined],
    ['REDIRECT_REFUSED', 301],
    ['UNEXPECTED_RESPONSE', 200],
    ['USER_NOT_FOUND', undefined],
    ['TOO_MANY_ROUNDS', undefined],
    // Salesforce's own fault in answering a read: the same read fails the same way.
    ['UNKNOWN_EXCEPTION', 500],
  ])('%s (HTTP %s) is not retryable', (errorCode, statusCode) => {
    expect(summarizeFailure({ message: 'x', errorCode, statusCode }).retryable).toBe(false);
  });

  it("every failure @sync-doctor/salesforce calls transient (the relay's outbox retries by the same rule) is retryable", () => {
    for (const errorCode of TRANSIENT_FAILURE_CODES)
      expect(summarizeFailure({ message: 'x', errorCode }).retryable).toBe(true);
    for (const statusCode of TRANSIENT_HTTP_STATUSES)
      expect(
        summarizeFailure({ message: 'x', errorCode: `HTTP_${statusCode}`, statusCode }).retryable,
      ).toBe(true);
  });

  it("a login or access refusal is never retryable, whatever Salesforce's status", () => {
    expect(
      summarizeFailure({ message: 'x', errorCode: 'INVALID_SESSION_ID', statusCode: 503 }),
    ).toMatchObject({ errorCode: 'SYNC_DOCTOR_LOGIN_FAILED', retryable: false });
    expect(
      summarizeFailure({ message: 'x', errorCode: 'INSUFFICIENT_ACCESS', statusCode: 503 }),
    ).toMatchObject({ errorCode: 'SYNC_DOCTOR_ACCESS_DENIED', retryable: false });
  });

  it('stderr says a retryable failure may pass, within the width', () => {
    const text = renderFailure(
      {
        message: 'Server temporarily unavailable.',
        errorCode: 'SERVER_UNAVAILABLE',
        statusCode: 503,
        reason: 'ORG_UNAVAILABLE',
      },
      createStyle(false),
      60,
    );
    expect(text.replace(/\s+/g, ' ')).toContain(
      'the same command may succeed if run again later (exit 75, "retry later")',
    );
    expect(text.replace(/\s+/g, ' ')).toContain(
      'If HubSpot\'s connector meets the same error, it suspends with "Salesforce org unavailable".',
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(
      renderFailure({ message: 'x', errorCode: 'INVALID_SESSION_ID' }, createStyle(false), 60),
    ).not.toContain('run again later');
  });

  it('75 is its own exit code, apart from findings (1), fix-it failures (2) and partly checked (3)', () => {
    expect(EXIT.retryLater).toBe(75);
    expect(EXIT.unchecked).toBe(3);
    expect(new Set(Object.values(EXIT)).size).toBe(5);
  });
});

describe('--json error object on every failure', () => {
  it('--junit in a directory that does not exist: BAD_INPUT, retryable false, exit 2', async () => {
    const { io, stdout } = memoryIo();
    const code = await main(
      ['check', '--demo', 'healthy', '--json', '--junit', join(dir, 'missing', 'r.xml')],
      io,
    );
    expect(code).toBe(2);
    expect(JSON.parse(stdout())).toEqual({
      schemaVersion: 1,
      error: {
        errorCode: 'BAD_INPUT',
        message: expect.stringContaining('does not exist (create it first)'),
        retryable: false,
      },
    });
  });

  it('--junit that cannot be written once the check ran: exit 2 and, with --json, the error object instead of the diagnosis', async () => {
    const reports = mkdtempSync(join(dir, 'reports-'));
    const file = join(reports, 'sync-doctor.xml');
    // The directory goes away while the org is read (a workspace cleaned by another job).
    const { io, stdout, stderr } = memoryIo();
    const write = io.stderr.write;
    io.stderr.write = (chunk: string) => {
      rmSync(reports, { recursive: true, force: true });
      return write(chunk);
    };
    const code = await main(['check', '--demo', 'healthy', '--json', '--junit', file], io);
    expect(code).toBe(2);
    expect(JSON.parse(stdout())).toEqual({
      schemaVersion: 1,
      error: {
        errorCode: 'JUNIT_NOT_WRITTEN',
        message: expect.stringContaining(`Cannot write the JUnit report to ${file}`),
        retryable: false,
      },
    });
    expect(stderr()).toContain(`sync-doctor: Cannot write the JUnit report to ${file}: ENOENT`);
  });

  it('--junit that cannot be written, without --json: the tables are still shown, exit 2', async () => {
    const reports = mkdtempSync(join(dir, 'reports-'));
    const file = join(reports, 'sync-doctor.xml');
    const { io, stdout, stderr } = memoryIo();
    const write = io.stderr.write;
    io.stderr.write = (chunk: string) => {
      rmSync(reports, { recursive: true, force: true });
      return write(chunk);
    };
    const code = await main(['check', '--demo', 'healthy', '--junit', file], io);
    expect(code).toBe(2);
    expect(stdout()).toContain('Verdict: HEALTHY');
    expect(stderr()).toContain('Cannot write the JUnit report');
  });
});
