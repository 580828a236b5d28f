import * as csvParse from 'csv-parse';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { signPayload } from '../src/crypto/signature.js';
import { SIGNED_UPLOAD } from '../src/inputs/uploadPace.js';
import { admin, createPortal, listen, tempDir, testConfig, waitFor } from './helpers.js';

// A signed sync-errors upload is written to a spool file while its HMAC is computed, and parsed
// from that file only once the signature matches: a forged upload must not cost a CSV parse.
// csv-parse's `parse` is counted, to show whether the parser ever ran.

jest.mock('csv-parse', () => {
  const actual = jest.requireActual<typeof import('csv-parse')>('csv-parse');
  return { ...actual, parse: jest.fn(actual.parse) };
});
const parse = csvParse.parse as unknown as jest.Mock;

const HEADER = 'Error type,Object,Field,Record ID,Error message\r\n';
function rowsCsv(count: number): Buffer {
  const lines = [HEADER];
  for (let i = 0; i < count; i++)
    lines.push(
      `Salesforce field permission,Contact,Field${i % 7},${100_000 + i},"INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Field${i % 7}, check its security"\r\n`,
    );
  return Buffer.from(lines.join(''));
}
const chunked = (bytes: Buffer, size = 64 * 1024): Buffer[] => {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
};

const CSV_LIMIT = 16 * 1024 * 1024;
const LARGE = rowsCsv(100_000);

describe('sync-errors: a signed upload is verified before it is parsed', () => {
  const dir = tempDir();
  const spoolDir = join(dir.path, 'spool');
  const portalId = '8800123';
  const url = `/v1/portals/${portalId}/sync-errors`;
  let app: FastifyInstance;
  let secret: string;

  const signedHeaders = (body: Buffer, key = secret) => {
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      'content-type': 'text/csv',
      'x-sync-doctor-timestamp': String(timestamp),
      'x-sync-doctor-signature': signPayload(key, timestamp, body),
    };
  };
  const spoolFiles = () => (existsSync(spoolDir) ? readdirSync(spoolDir) : []);

  beforeAll(async () => {
    // A file a relay killed mid-upload left behind: swept when the relay starts.
    mkdirSync(spoolDir, { recursive: true });
    writeFileSync(join(spoolDir, 'upload-leftover.csv'), 'Error type\r\nx\r\n');
    const { limits } = testConfig(dir.path);
    app = await buildApp(testConfig(dir.path, { limits: { ...limits, csvBodyBytes: CSV_LIMIT } }));
    await app.ready();
    ({ signingSecret: secret } = await createPortal(app, portalId));
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });
  beforeEach(() => parse.mockClear());

  test('the spool directory is the data directory’s, swept of leftovers on start', async () => {
    await waitFor(() => existsSync(spoolDir) && spoolFiles().length === 0, 5000, 'sweep');
    expect(statSync(spoolDir).mode & 0o077).toBe(0);
  });

  test('a forged signature on 100,000 rows is a 401 and the parser never runs', async () => {
    const forged = signedHeaders(LARGE, 'not-the-portal-secret');
    const response = await app.inject({ method: 'POST', url, headers: forged, payload: LARGE });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('SIGNATURE_MISMATCH');
    expect(parse).not.toHaveBeenCalled();
    expect(spoolFiles()).toEqual([]);
    const latest = await app.inject({ method: 'GET', url: `${url}/latest`, headers: admin });
    expect(latest.statusCode).toBe(404);
  });

  test('a forged signature on a body that is not CSV at all is a 401, not a 422', async () => {
    const junk = Buffer.from('"unclosed quote, \u0000\u0001 binary\r\n'.repeat(1000));
    const forged = signedHeaders(junk, 'not-the-portal-secret');
    const response = await app.inject({ method: 'POST', url, headers: forged, payload: junk });
    expect(response.statusCode).toBe(401);
    expect(parse).not.toHaveBeenCalled();
    expect(spoolFiles()).toEqual([]);
  });

  test('a valid signature stores the same report as the admin token, streamed in chunks', async () => {
    const byAdmin = await app.inject({
      method: 'POST',
      url,
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: LARGE,
    });
    expect(byAdmin.statusCode).toBe(201);
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockClear();

    const response = await app.inject({
      method: 'POST',
      url,
      headers: signedHeaders(LARGE),
      payload: Readable.from(chunked(LARGE, 16 * 1024)),
    });
    expect(response.statusCode).toBe(201);
    expect(parse).toHaveBeenCalledTimes(1);
    const { report } = response.json();
    expect(report.rows).toBe(100_000);
    expect(report.byErrorType).toEqual({ 'Salesforce field permission': 100_000 });
    expect(report).toEqual(byAdmin.json().report);
    const latest = await app.inject({ method: 'GET', url: `${url}/latest`, headers: admin });
    // The upload's answer says besides how its summary reaches Salesforce.
    const { salesforce, ...saved } = response.json();
    expect(salesforce).toBe('waits-for-first-status');
    expect(latest.json()).toEqual(saved);
    expect(spoolFiles()).toEqual([]);
  });

  test('a signed upload that is not CSV is still a 422 once its signature matches', async () => {
    const body = Buffer.from('"never closed\r\n');
    const response = await app.inject({
      method: 'POST',
      url,
      headers: signedHeaders(body),
      payload: body,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('CSV_MALFORMED');
    expect(spoolFiles()).toEqual([]);
  });

  test('a body over the limit is a 413, its spool file removed, never parsed', async () => {
    const tooLarge = Buffer.concat([LARGE, LARGE, LARGE, LARGE]);
    expect(tooLarge.length).toBeGreaterThan(CSV_LIMIT);
    const response = await app.inject({
      method: 'POST',
      url,
      headers: signedHeaders(tooLarge),
      payload: tooLarge,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('BODY_TOO_LARGE');
    expect(parse).not.toHaveBeenCalled();
    expect(spoolFiles()).toEqual([]);
  });

  test('concurrent uploads get a file each and their own report', async () => {
    const bodies = [10, 200, 3000, 40_000].map(rowsCsv);
    const responses = await Promise.all(
      bodies.map((body) =>
        app.inject({
          method: 'POST',
          url,
          headers: signedHeaders(body),
          payload: Readable.from(chunked(body, 4096)),
        }),
      ),
    );
    expect(responses.map((r) => [r.statusCode, r.json().report.rows])).toEqual([
      [201, 10],
      [201, 200],
      [201, 3000],
      [201, 40_000],
    ]);
    expect(spoolFiles()).toEqual([]);
  });

  test('a client that aborts mid-upload leaves no spool file; the file was private meanwhile', async () => {
    const base = await listen(app);
    const headers = signedHeaders(LARGE);
    const request = httpRequest(`${base}${url}`, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(LARGE.length) },
    });
    request.on('error', () => undefined);
    request.write(LARGE.subarray(0, 1024 * 1024));
    const [name] = await waitFor(() => {
      const files = spoolFiles();
      return files.length > 0 && files;
    });
    expect(name).toMatch(/^upload-[0-9a-f]{32}\.csv$/);
    expect(statSync(join(spoolDir, name!)).mode & 0o777).toBe(0o600);
    request.destroy();
    await waitFor(() => spoolFiles().length === 0, 10_000, 'spool file removed after abort');
    expect(parse).not.toHaveBeenCalled();
    // The relay still answers.
    const after = await app.inject({ method: 'GET', url: '/health/live' });
    expect(after.statusCode).toBeLessThan(500);
  });

  test('a spool the relay cannot write to is a clear 503; the admin token still works', async () => {
    rmSync(spoolDir, { recursive: true, force: true });
    writeFileSync(spoolDir, 'not a directory');
    try {
      const body = rowsCsv(10);
      const response = await app.inject({
        method: 'POST',
        url,
        headers: signedHeaders(body),
        payload: body,
      });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        code: 'SPOOL_UNAVAILABLE',
        error: expect.stringContaining('cannot hold the upload'),
      });
      expect(response.headers['retry-after']).toBe('60');
      expect(parse).not.toHaveBeenCalled();
      const byAdmin = await app.inject({
        method: 'POST',
        url,
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: body,
      });
      expect(byAdmin.statusCode).toBe(201);
    } finally {
      rmSync(spoolDir, { force: true });
      mkdirSync(spoolDir, { mode: 0o700 });
    }
  });
});

describe('sync-errors: the spool holds at most four full-size uploads of a proven sender at once', () => {
  const dir = tempDir();
  const portalIds = ['8800124', '8800125', '8800126', '8800127', '8800128'];
  const limit = 64 * 1024;
  let app: FastifyInstance;
  const secrets = new Map<string, string>();
  const shipped = { ...SIGNED_UPLOAD };
  let base: string;

  beforeAll(async () => {
    const { limits } = testConfig(dir.path);
    app = await buildApp(testConfig(dir.path, { limits: { ...limits, csvBodyBytes: limit } }));
    await app.ready();
    for (const id of portalIds) secrets.set(id, (await createPortal(app, id)).signingSecret);
    base = await listen(app);
    // One verified upload proves this client's address: a sender not yet proven holds at most
    // half the spool, one upload at a time (syncErrorsSpoolShares.test.ts).
    const proving = await open(portalIds[0]!);
    proving.request.end(proving.rest);
    expect((await proving.answer).status).toBe(201);
  });
  afterEach(() => Object.assign(SIGNED_UPLOAD, shipped));
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  const body = Buffer.concat([Buffer.from(HEADER), Buffer.alloc(limit - 1000, 'x')]);
  const spoolDir = join(dir.path, 'spool');
  /** A signed upload for `portalId` holding all but its last kilobyte (spooled, held open). */
  const open = async (portalId: string, bytes = body) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const request = httpRequest(`${base}/v1/portals/${portalId}/sync-errors`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        'content-length': String(bytes.length),
        'x-sync-doctor-timestamp': String(timestamp),
        'x-sync-doctor-signature': signPayload(secrets.get(portalId)!, timestamp, bytes),
      },
    });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += String(chunk)));
        response.on('end', () => resolve({ status: response.statusCode!, text }));
      });
      request.on('error', reject);
    });
    request.write(bytes.subarray(0, bytes.length - 1024));
    return { request, answer, rest: bytes.subarray(bytes.length - 1024) };
  };

  test('a fifth slow upload is a 503 SPOOL_BUSY; the others are not disturbed', async () => {
    const held = await Promise.all(portalIds.slice(0, 4).map((id) => open(id)));
    await waitFor(() => readdirSync(spoolDir).length === 4, 10_000, 'four uploads spooled');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fifth = await open(portalIds[4]!);
    const refused = await fifth.answer;
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.text)).toMatchObject({
      code: 'SPOOL_BUSY',
      error: expect.stringMatching(/too many uploads/),
    });
    fifth.request.destroy();
    for (const { request, rest } of held) request.end(rest);
    const answers = await Promise.all(held.map(({ answer }) => answer));
    expect(answers.map(({ status }) => status)).toEqual([201, 201, 201, 201]);
    await waitFor(() => readdirSync(spoolDir).length === 0, 10_000, 'spool emptied');
  });

  // Anyone who knows a portal id can start a signed upload (its signature is checked at its end):
  // one portal's uploads hold at most a quarter of the spool, so they cannot starve the others.
  test("one portal's uploads hold at most its share: its second is a 503, another portal's goes through", async () => {
    const first = await open(portalIds[0]!);
    await waitFor(() => readdirSync(spoolDir).length === 1, 10_000, 'the first spooled');
    const second = await open(portalIds[0]!);
    const refused = await second.answer;
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.text)).toMatchObject({
      code: 'SPOOL_BUSY',
      error: expect.stringMatching(/this portal's other uploads already hold its share/),
    });
    second.request.destroy();
    const other = await open(portalIds[1]!);
    other.request.end(other.rest);
    expect((await other.answer).status).toBe(201);
    first.request.end(first.rest);
    expect((await first.answer).status).toBe(201);
    await waitFor(() => readdirSync(spoolDir).length === 0, 10_000, 'spool emptied');
  });

  // The pace alone let a signed upload that arrived fast and then trickled a byte every 25 s hold
  // its spool file for hours (60 s + 100 MB / 8 KB/s): its whole body now has a deadline.
  test('a signed upload that keeps the pace but is not whole by the deadline is a 408, its file removed', async () => {
    SIGNED_UPLOAD.deadlineMs = 1500;
    const started = Date.now();
    const upload = await open(portalIds[2]!);
    const trickle = setInterval(
      () => upload.request.writable && upload.request.write(upload.rest.subarray(0, 1)),
      100,
    );
    try {
      const answer = await upload.answer;
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.text)).toMatchObject({
        code: 'REQUEST_TIMEOUT',
        error: expect.stringMatching(/must arrive whole within 2 s/),
      });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      clearInterval(trickle);
      upload.request.destroy();
    }
    await waitFor(() => readdirSync(spoolDir).length === 0, 10_000, 'the spool file removed');
    // Its share freed: the same portal uploads again.
    SIGNED_UPLOAD.deadlineMs = shipped.deadlineMs;
    const again = await open(portalIds[2]!);
    again.request.end(again.rest);
    expect((await again.answer).status).toBe(201);
  });
});
