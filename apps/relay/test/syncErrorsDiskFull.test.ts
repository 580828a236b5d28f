import { existsSync, readdirSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type pino from 'pino';
import { buildApp, loggerOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { signPayload } from '../src/crypto/signature.js';
import type { Spool, SpoolFile } from '../src/inputs/spool.js';
import {
  ADMIN_TOKEN,
  admin,
  captureLogs,
  createPortal,
  listen,
  tempDir,
  testConfig,
} from './helpers.js';

// A disk that fills up while a signed sync-errors upload is being spooled. No test can fill a
// disk for real (a small tmpfs needs root), so the spool is given files whose writes behave like
// a full disk's: a short write, then ENOSPC. The route's spool is the one created here.

let bytesBeforeFull: number | null = null;
const opened: string[] = [];
const spools: Spool[] = [];
const spoolOptions: { maxBytes: number }[] = [];

function diskFull(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
  });
}

/** A real spool file whose writes stop, the way a full disk's do, past `bytesBeforeFull`. */
async function fillingFile(path: string, flags: string, mode: number): Promise<SpoolFile> {
  const file = await openFile(path, flags, mode);
  opened.push(path);
  const room = bytesBeforeFull;
  let written = 0;
  const write = async (buffer: Buffer, offset: number, length: number) => {
    if (room !== null) {
      if (written >= room) throw diskFull();
      length = Math.min(length, room - written);
    }
    const result = await file.write(buffer, offset, length);
    written += result.bytesWritten;
    return result;
  };
  return {
    write: write as SpoolFile['write'],
    close: () => file.close(),
    createReadStream: (options) => file.createReadStream(options),
  };
}

jest.mock('../src/inputs/spool.js', () => {
  const actual =
    jest.requireActual<typeof import('../src/inputs/spool.js')>('../src/inputs/spool.js');
  return {
    ...actual,
    createSpool: (options: Parameters<typeof actual.createSpool>[0]) => {
      spoolOptions.push(options);
      const spool = actual.createSpool({ ...options, open: fillingFile });
      spools.push(spool);
      return spool;
    },
  };
});

const HEADER = 'Error type,Object,Field,Record ID,Error message\r\n';
// Stands for what an export holds (record ids, field names): never to be logged.
const MARKER = 'CONFIDENTIAL-ROW-7f3a';
function rowsCsv(count: number): Buffer {
  const lines = [HEADER];
  for (let i = 0; i < count; i++)
    lines.push(
      `Salesforce field permission,Contact,Industry,${MARKER}-${i},"INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry"\r\n`,
    );
  return Buffer.from(lines.join(''));
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A signed upload over a real connection, the whole body sent as a client would send it. */
function upload(base: string, url: string, secret: string, body: Buffer): Promise<Answer> {
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${url}`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        'content-length': String(body.length),
        'x-sync-doctor-timestamp': String(timestamp),
        'x-sync-doctor-signature': signPayload(secret, timestamp, body),
      },
    });
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += String(chunk)));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, body: text }),
      );
    });
    // The relay answers before it has read the whole body: the rest may meet a closed socket.
    request.on('error', reject);
    request.end(body);
  });
}

describe('sync-errors: the disk fills up while a signed upload is spooled', () => {
  const dir = tempDir();
  const spoolDir = join(dir.path, 'spool');
  const portalId = '8800311';
  const url = `/v1/portals/${portalId}/sync-errors`;
  const config = testConfig(dir.path, { logEnabled: true, logLevel: 'info' });
  const logs = captureLogs(loggerOptions(config) as pino.LoggerOptions);
  let app: FastifyInstance;
  let base: string;
  let secret: string;

  beforeAll(async () => {
    app = await buildApp(config, { loggerInstance: logs.logger });
    await app.ready();
    base = await listen(app);
    ({ signingSecret: secret } = await createPortal(app, portalId));
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });
  afterEach(() => {
    bytesBeforeFull = null;
  });

  test('a clear 503 with Retry-After; nothing stored, the file removed, the budget freed', async () => {
    const body = rowsCsv(20_000);
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const [spool] = spools;
    expect(spools).toHaveLength(1);
    bytesBeforeFull = 256 * 1024 + 100;
    opened.length = 0;

    const answer = await upload(base, url, secret, body);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('60');
    // The rest of the body is still on the connection: the client must not send its next upload
    // behind it (it would wait for ever).
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({
      code: 'SPOOL_UNAVAILABLE',
      error: expect.stringContaining('its disk is full'),
    });

    // The partly written file is gone, and its bytes no longer count against the spool.
    expect(opened).toHaveLength(1);
    expect(existsSync(opened[0]!)).toBe(false);
    expect(readdirSync(spoolDir)).toEqual([]);
    expect(spool!.spooledBytes()).toBe(0);
    const latest = await app.inject({ method: 'GET', url: `${url}/latest`, headers: admin });
    expect([latest.statusCode, latest.json().code]).toEqual([404, 'NO_REPORT']);

    // Logged once, as an error an SRE can act on, without the secret, signature or any row.
    const failures = logs.entries().filter((entry) => entry.msg.includes('spool'));
    expect(failures).toEqual([
      expect.objectContaining({
        level: 50,
        err: expect.objectContaining({ code: 'ENOSPC' }),
      }),
    ]);
    const text = logs.text();
    for (const secretText of [secret, ADMIN_TOKEN, MARKER]) expect(text).not.toContain(secretText);
    expect(text).not.toMatch(/x-sync-doctor-signature|sha256=/i);

    // The relay is alive, and once the disk has room the same upload goes through.
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    bytesBeforeFull = null;
    const again = await upload(base, url, secret, body);
    expect(again.status).toBe(201);
    expect(JSON.parse(again.body).report.rows).toBe(20_000);
    expect(readdirSync(spoolDir)).toEqual([]);
    expect(spool!.spooledBytes()).toBe(0);
  });

  test('a disk already full at the first byte is the same 503, and nothing is left behind', async () => {
    const body = rowsCsv(10);
    bytesBeforeFull = 0;
    opened.length = 0;
    const answer = await upload(base, url, secret, body);
    expect([answer.status, JSON.parse(answer.body).code]).toEqual([503, 'SPOOL_UNAVAILABLE']);
    expect(answer.headers['retry-after']).toBe('60');
    expect(opened.map((path) => existsSync(path))).toEqual([false]);
    expect(spools[0]!.spooledBytes()).toBe(0);
  });

  test('several uploads failing at once free all of their budget', async () => {
    const body = rowsCsv(5_000);
    bytesBeforeFull = 64 * 1024;
    opened.length = 0;
    const answers = await Promise.all([1, 2, 3, 4].map(() => upload(base, url, secret, body)));
    expect(answers.map(({ status }) => status)).toEqual([503, 503, 503, 503]);
    expect(opened.filter((path) => existsSync(path))).toEqual([]);
    expect(spools[0]!.spooledBytes()).toBe(0);
  });
});

describe('sync-errors: the spool’s budget', () => {
  const build = async (env: NodeJS.ProcessEnv) => {
    const dir = tempDir();
    const { limits } = loadConfig({ RELAY_SECRET_KEY: 'a'.repeat(64), ...env });
    const app = await buildApp(testConfig(dir.path, { limits }));
    await app.ready();
    await app.close();
    dir.remove();
    return spoolOptions.at(-1)!.maxBytes;
  };

  test('is four full-size uploads by default, RELAY_SPOOL_LIMIT_MB when set', async () => {
    expect(await build({ RELAY_CSV_LIMIT: String(1024 * 1024) })).toBe(4 * 1024 * 1024);
    expect(await build({})).toBe(400 * 1024 * 1024);
    expect(await build({ RELAY_CSV_LIMIT: String(1024 * 1024), RELAY_SPOOL_LIMIT_MB: '1' })).toBe(
      1024 * 1024,
    );
    expect(await build({ RELAY_SPOOL_LIMIT_MB: '2048' })).toBe(2048 * 1024 * 1024);
  });
});
