/**
 * BAD_INPUT says "what you gave cannot be used": only for @sync-doctor/salesforce's InputError (and
 * a --requirements file). A plain TypeError is a bug in Sync Doctor, and the admin must not be told
 * it was their mistake: it takes the unexpected-failure path, which says to report it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main.js';
import { memoryIo } from './support.js';

// What the next collectSnapshot / normalizeOrgUrl call throws instead of running (unset: the real one).
const mockThrow: { collectSnapshot?: () => Error; normalizeOrgUrl?: () => Error } = {};

jest.mock('@sync-doctor/salesforce', () => {
  const actual = jest.requireActual('@sync-doctor/salesforce');
  return {
    ...actual,
    collectSnapshot: (...args: unknown[]) => {
      if (mockThrow.collectSnapshot) return Promise.reject(mockThrow.collectSnapshot());
      return actual.collectSnapshot(...args);
    },
    normalizeOrgUrl: (...args: unknown[]) => {
      if (mockThrow.normalizeOrgUrl) throw mockThrow.normalizeOrgUrl();
      return actual.normalizeOrgUrl(...args);
    },
  };
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-bad-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete mockThrow.collectSnapshot;
  delete mockThrow.normalizeOrgUrl;
});

async function check(argv: string[]) {
  const { io, stdout, stderr } = memoryIo();
  const code = await main(['check', ...argv, '--json'], io);
  return { code, stderr: stderr(), error: JSON.parse(stdout()).error };
}

describe('BAD_INPUT is the input error of @sync-doctor/salesforce, not any TypeError', () => {
  it('a genuine TypeError while collecting is an unexpected failure, not the admin’s mistake', async () => {
    mockThrow.collectSnapshot = () =>
      new TypeError("Cannot read properties of undefined (reading 'Id')");
    const { code, stderr, error } = await check(['--demo', 'healthy']);
    expect(code).toBe(2);
    expect(error).toEqual({
      errorCode: 'UNEXPECTED_FAILURE',
      message: "Cannot read properties of undefined (reading 'Id')",
      retryable: false,
    });
    expect(stderr).toContain('unexpected failure');
    expect(stderr).toContain('Sync Doctor did not foresee this (likely a fault of its own)');
  });

  it("the package's InputError while collecting is BAD_INPUT", async () => {
    const { InputError } = jest.requireActual('@sync-doctor/salesforce');
    mockThrow.collectSnapshot = () => new InputError('Not a HubSpot portal id: the value given');
    const { code, stderr, error } = await check(['--demo', 'healthy']);
    expect(code).toBe(2);
    expect(error).toEqual({
      errorCode: 'BAD_INPUT',
      message: 'Not a HubSpot portal id: the value given',
      retryable: false,
    });
    expect(stderr).not.toContain('unexpected failure');
  });

  it('a genuine TypeError while checking --instance-url is not a usage error either', async () => {
    mockThrow.normalizeOrgUrl = () => new TypeError('url.hostname is not a function');
    const { code, error } = await check([
      '--instance-url',
      'https://acme.my.salesforce.com',
      '--access-token',
      '00D5g0000000001!AQtoken',
      '--user',
      'hub@acme.example',
    ]);
    expect(code).toBe(2);
    expect(error.errorCode).toBe('UNEXPECTED_FAILURE');
  });

  it('an empty --key-file is BAD_INPUT saying the file is empty', async () => {
    const key = join(dir, 'server.key');
    writeFileSync(key, '');
    const { code, stderr, error } = await check([
      '--jwt',
      '--client-id',
      '3MVG9test',
      '--key-file',
      key,
      '--username',
      'admin@acme.example',
      '--user',
      'hub@acme.example',
    ]);
    expect(code).toBe(2);
    expect(error.errorCode).toBe('BAD_INPUT');
    expect(error.message).toBe(
      `The private key file '${key}' is empty: it should hold the PEM text of the connected app's RSA private key`,
    );
    expect(stderr).toContain('is empty');
  });
});
