import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { signPayload } from '../src/crypto/signature.js';
import { createPortal, listen, tempDir, testConfig, waitFor } from './helpers.js';

// Portal ids are not secret (they are in HubSpot's URLs), and a signed upload is spooled before
// its signature can be checked (the HMAC covers the whole body). With a share per portal alone,
// anyone who knew four portal ids could hold the whole spool with junk and keep every genuine
// upload at 503 SPOOL_BUSY. Here the spool holds four uploads of 64 KB; each client is a loopback
// address of its own (Linux answers all of 127.0.0.0/8), as a forger's machines or a genuine
// sender's would be.

const HEADER = 'Error type,Object,Field,Record ID,Error message\r\n';
const LIMIT = 64 * 1024;
const BODY = Buffer.concat([Buffer.from(HEADER), Buffer.alloc(LIMIT - 1000, 'x')]);
const GENUINE = '127.0.0.2';
const FORGERS = ['127.0.0.11', '127.0.0.12', '127.0.0.13', '127.0.0.14'];

describe('sync-errors: forged uploads under known portal ids cannot starve a proven sender', () => {
  const dir = tempDir();
  const portalIds = ['8800131', '8800132', '8800133', '8800134', '8800135'];
  const spoolDir = join(dir.path, 'spool');
  const secrets = new Map<string, string>();
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    const { limits } = testConfig(dir.path);
    app = await buildApp(testConfig(dir.path, { limits: { ...limits, csvBodyBytes: LIMIT } }));
    await app.ready();
    for (const id of portalIds) secrets.set(id, (await createPortal(app, id)).signingSecret);
    base = await listen(app);
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  /**
   * An upload from `from` for `portalId`, all but its last kilobyte sent (spooled, held open);
   * signed with the portal's secret, or with `forged: true` a well-formed signature that is not.
   */
  const open = (portalId: string, from: string, { forged = false, signature = '' } = {}) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const secret = forged ? 'not-the-portal-secret' : secrets.get(portalId)!;
    const request = httpRequest(`${base}/v1/portals/${portalId}/sync-errors`, {
      method: 'POST',
      localAddress: from,
      headers: {
        'content-type': 'text/csv',
        'content-length': String(BODY.length),
        'x-sync-doctor-timestamp': String(timestamp),
        'x-sync-doctor-signature': signature || signPayload(secret, timestamp, BODY),
      },
    });
    const answer = new Promise<{ status: number; body: { code?: string; error?: string } }>(
      (resolve, reject) => {
        request.on('response', (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += String(chunk)));
          response.on('end', () =>
            resolve({ status: response.statusCode!, body: text ? JSON.parse(text) : {} }),
          );
        });
        request.on('error', reject);
      },
    );
    request.write(BODY.subarray(0, BODY.length - 1024));
    return { request, answer, finish: () => request.end(BODY.subarray(BODY.length - 1024)) };
  };
  const spooled = () => readdirSync(spoolDir).length;

  test('a sender proven by one verified upload finds room while forgers hold all they may', async () => {
    // The genuine sender's earlier upload verified: its address is proven.
    const earlier = open(portalIds[4]!, GENUINE);
    earlier.finish();
    expect((await earlier.answer).status).toBe(201);

    // Forgers from two addresses, two known portal ids each: the unproven half of the spool is
    // full after one upload per address (its quarter), and a third address finds no room.
    const held = [open(portalIds[0]!, FORGERS[0]!, { forged: true })];
    await waitFor(() => spooled() === 1, 10_000, 'the first forged upload spooled');
    const sameAddress = open(portalIds[1]!, FORGERS[0]!, { forged: true });
    expect(await sameAddress.answer).toMatchObject({
      status: 503,
      body: { code: 'SPOOL_BUSY', error: expect.stringMatching(/this address's other uploads/) },
    });
    sameAddress.request.destroy();
    held.push(open(portalIds[1]!, FORGERS[1]!, { forged: true }));
    await waitFor(() => spooled() === 2, 10_000, 'the second forged upload spooled');
    for (const [i, from] of [FORGERS[2]!, FORGERS[3]!].entries()) {
      const refused = open(portalIds[2 + i]!, from, { forged: true });
      expect(await refused.answer).toMatchObject({
        status: 503,
        body: {
          code: 'SPOOL_BUSY',
          error: expect.stringMatching(/senders whose signature has not verified here yet/),
        },
      });
      refused.request.destroy();
    }
    expect(spooled()).toBe(2);

    // The proven sender's uploads for two other portals still go through meanwhile.
    const genuine = [open(portalIds[2]!, GENUINE), open(portalIds[3]!, GENUINE)];
    await waitFor(() => spooled() === 4, 10_000, 'the genuine uploads spooled');
    for (const upload of genuine) upload.finish();
    expect(
      (await Promise.all(genuine.map((upload) => upload.answer))).map((a) => a.status),
    ).toEqual([201, 201]);

    // The forgeries fail at their end, as before, and leave nothing behind.
    for (const upload of held) upload.finish();
    expect(
      (await Promise.all(held.map((upload) => upload.answer))).map((a) => a.body.code),
    ).toEqual(['SIGNATURE_MISMATCH', 'SIGNATURE_MISMATCH']);
    await waitFor(() => spooled() === 0, 10_000, 'the spool emptied');
  });

  test('a failed signature forgets the address: its next unverified upload counts as unproven', async () => {
    const address = '127.0.0.3';
    const proving = open(portalIds[0]!, address);
    proving.finish();
    expect((await proving.answer).status).toBe(201);
    const failing = open(portalIds[0]!, address, { forged: true });
    failing.finish();
    expect((await failing.answer).body.code).toBe('SIGNATURE_MISMATCH');
    // Unproven again: one upload at a time from it.
    const first = open(portalIds[1]!, address);
    await waitFor(() => spooled() === 1, 10_000, 'the first spooled');
    const second = open(portalIds[2]!, address);
    expect(await second.answer).toMatchObject({ status: 503, body: { code: 'SPOOL_BUSY' } });
    second.request.destroy();
    first.finish();
    expect((await first.answer).status).toBe(201);
    await waitFor(() => spooled() === 0, 10_000, 'the spool emptied');
  });

  test('a signature header that can never match is a 401 before a byte is spooled', async () => {
    for (const signature of ['junk', 'v1=abc', `v0=${'0'.repeat(64)}`]) {
      const upload = open(portalIds[0]!, FORGERS[0]!, { signature });
      expect(await upload.answer).toMatchObject({
        status: 401,
        body: { code: 'SIGNATURE_MISMATCH', error: expect.stringMatching(/no v1=<64 hex digits>/) },
      });
      expect(spooled()).toBe(0);
      upload.request.destroy();
    }
  });
});
