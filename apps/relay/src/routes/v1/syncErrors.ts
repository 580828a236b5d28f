import { createHmac } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signatureMatches,
  signatureWellFormed,
  verifySignature,
} from '../../crypto/signature.js';
import { HttpError, unauthorized } from '../../errors.js';
import {
  createSpool,
  SpoolUnavailableError,
  type SpoolShare,
  type SpooledBody,
} from '../../inputs/spool.js';
import { CsvInputError, readSyncErrors } from '../../inputs/syncErrors.js';
import { SIGNED_UPLOAD } from '../../inputs/uploadPace.js';
import { clientAddressKey } from '../../plugins/clientAddress.js';
import { rejectWrongAdminToken } from '../../plugins/portals.js';
import { PortalParams, errorResponses } from './schemas/common.js';
import { ReportSchema, UploadSchema } from './schemas/syncErrors.js';

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];

/** No bytes: what a request that sent no body (no Content-Type, no length) uploads. */
async function* noBody(): AsyncIterable<Buffer> {}

/**
 * The upload's bytes. A request without a body runs no content-type parser, so Fastify leaves
 * `request.body` undefined: read as an empty upload (400 EMPTY_BODY), not as a stream to iterate
 * (a TypeError, answered 500).
 */
const uploaded = (request: FastifyRequest): AsyncIterable<Buffer> =>
  (request.body as AsyncIterable<Buffer> | undefined) ?? noBody();

/**
 * Sync Health's "Export errors" CSV. Streamed: a 100,000-row export is never held in memory.
 * Authenticated by the admin token (then the body streams straight into the parser), or signed
 * like the webhook: then the body is spooled to a temporary file while its HMAC is computed, and
 * only parsed, from that file, once the signature matches, so a forged upload costs a hash and a
 * disk write, never a parse. The file is removed when the request ends, whatever its outcome.
 */
const syncErrorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { limits, signatureToleranceSeconds, dataDir, databaseUrl } = app.config;
  // Hand the request stream to the route untouched; the route enforces the size limit itself.
  for (const type of CSV_TYPES)
    app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));

  // The SQLite relay's data directory is its own (locked); a PostgreSQL relay may have none it
  // can write to, so its spool is a private directory under os.tmpdir(). At most spoolBytes (four
  // full-size uploads unless set) are spooled at once, so concurrent uploads cannot fill the disk
  // the store needs.
  // One portal's uploads hold at most a quarter of it (one full-size upload by default), and each
  // must arrive whole within SIGNED_UPLOAD.deadlineMs: unverified, anyone who knows a portal id can
  // send one, and a few trickled for hours held the whole spool (503 SPOOL_BUSY for every portal).
  const maxBytes = limits.spoolBytes ?? 4 * limits.csvBodyBytes;
  const spool = createSpool({ dataDir: databaseUrl ? null : dataDir, maxBytes, log: app.log });
  // Portal ids are not secret (they are in HubSpot's URLs), so a share per portal alone let anyone
  // who knew four of them keep the spool full with unsigned junk, re-sent every 10 minutes. The
  // HMAC covers the whole body, so nothing can be verified before its end; what is known before is
  // who sends it. A client address from which a signed upload verified (provenAddresses) is a
  // proven sender; uploads from any other address hold at most half the spool together, and each
  // such address at most a quarter, so a proven sender always finds the other half free however
  // many addresses and portal ids a forger uses, and a forger needs two addresses just to fill
  // the unproven half. A proven sender keeps only the portal share.
  const quarter = Math.max(limits.csvBodyBytes, Math.floor(maxBytes / 4));
  const unprovenBytes = Math.max(limits.csvBodyBytes, Math.floor(maxBytes / 2));
  const shares = (portalId: string, address: string, proven: boolean): SpoolShare[] => [
    {
      key: `portal ${portalId}`,
      bytes: quarter,
      busy: "this portal's other uploads already hold its share of the spool while their signatures are checked; try again in a minute",
    },
    ...(proven
      ? []
      : [
          {
            key: 'unproven',
            bytes: unprovenBytes,
            busy: 'uploads from senders whose signature has not verified here yet already hold their part of the spool; try again in a minute, or send the admin token',
          },
          {
            key: `address ${address}`,
            bytes: quarter,
            busy: "this address's other uploads already hold its share of the spool while their signatures are checked; try again in a minute",
          },
        ]),
  ];
  const provenAddresses = new ProvenAddresses();
  app.addHook('onClose', () => spool.close());
  // Made (and swept of a killed relay's leftovers) now; a failure is retried on the first upload.
  spool
    .dir()
    .catch((error: unknown) =>
      app.log.warn({ err: error }, 'the sync-errors spool directory is not usable yet'),
    );

  /**
   * The admin token, checked at once; or the signature: its headers and time window now, the
   * body's HMAC as it streams through `feed`, the match in `verify` once the body has been read.
   */
  function authenticate(
    request: FastifyRequest,
    secret: string,
  ): { admin: boolean; feed: (chunk: Buffer) => void; verify: () => void } {
    if (app.isAdmin(request))
      return { admin: true, feed: () => undefined, verify: () => undefined };
    const timestamp = request.headers[TIMESTAMP_HEADER] as string | undefined;
    const signature = request.headers[SIGNATURE_HEADER] as string | undefined;
    rejectWrongAdminToken(request);
    const precheck = verifySignature({
      secret: '',
      timestamp,
      signature,
      rawBody: Buffer.alloc(0),
      toleranceSeconds: signatureToleranceSeconds,
    });
    if (!precheck.ok && precheck.code !== 'SIGNATURE_MISMATCH')
      throw unauthorized(precheck.code, `${precheck.message} (or send the admin token)`);
    // A value that can never match is refused before a byte is spooled.
    if (!signatureWellFormed(signature!))
      throw unauthorized(
        'SIGNATURE_MISMATCH',
        `${SIGNATURE_HEADER} carries no v1=<64 hex digits> value (or send the admin token)`,
      );
    const hmac = createHmac('sha256', secret).update(`${timestamp}.`);
    return {
      admin: false,
      feed: (chunk) => void hmac.update(chunk),
      verify: () => {
        if (!signatureMatches(signature!, hmac.digest()))
          throw unauthorized(
            'SIGNATURE_MISMATCH',
            'signature does not match the body and the portal secret',
          );
      },
    };
  }

  /** The body of a signed upload, on disk and verified; the caller removes it. */
  async function spoolVerified(
    request: FastifyRequest,
    reply: FastifyReply,
    portalId: string,
    onBytes: (chunk: Buffer) => void,
    verify: () => void,
  ): Promise<SpooledBody> {
    const address = clientAddressKey(request.ip);
    let body: SpooledBody;
    try {
      // The body keeps a pace (plugins/bodyPace.ts): a slow-loris is a 408; and arrives whole
      // within SIGNED_UPLOAD.deadlineMs, however it keeps the pace.
      body = await spool.write(uploaded(request), onBytes, {
        shares: shares(portalId, address, provenAddresses.has(address)),
        deadlineMs: SIGNED_UPLOAD.deadlineMs,
      });
    } catch (error) {
      if (error instanceof HttpError) throw error;
      if (error instanceof SpoolUnavailableError) {
        // The server's fault, not the sender's: logged, answered 503 in words, never a stack.
        // No fallback to parsing unverified: that is the cost the spool exists to avoid.
        if (error.code === 'SPOOL_UNAVAILABLE')
          request.log.error({ err: error.cause }, 'sync-errors spool failed');
        reply.header('retry-after', 60);
        throw new HttpError(503, error.code, error.message);
      }
      // The client went away mid-upload: nobody to answer, and not the relay's failure.
      if (request.raw.aborted || request.raw.destroyed)
        throw new HttpError(400, 'UPLOAD_ABORTED', 'the upload ended before its body was complete');
      throw error;
    }
    try {
      verify();
    } catch (error) {
      provenAddresses.forget(address);
      await body.remove();
      throw error;
    }
    provenAddresses.add(address);
    return body;
  }

  app.post(
    '/portals/:portalId/sync-errors',
    {
      config: { contentTypes: CSV_TYPES },
      // Refused part-way through its body (413, a full disk, a busy spool, a bad CSV), the rest of
      // the body is still on the connection: the answer closes it after a bounded drain
      // (plugins/lingeringClose.ts), so a client still sending reads the answer.
      schema: {
        summary: 'Upload the Sync Health "Export errors" CSV; answers counts and findings',
        tags: ['inputs'],
        security: [{ adminToken: [] }, { signature: [] }],
        params: PortalParams,
        response: { 201: UploadSchema, 422: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const portal = await app.portals.require(request.params.portalId);
      const auth = authenticate(request, app.portals.signingSecret(portal));
      // Only authenticated uploads count against the portal's limit: an admin's before the body
      // streams, a signed one once its HMAC has been verified.
      if (auth.admin) await app.portalRateLimit(request, reply);
      let received = 0;
      const onBytes = (chunk: Buffer) => {
        received += chunk.length;
        if (received > limits.csvBodyBytes)
          throw new HttpError(
            413,
            'BODY_TOO_LARGE',
            `the CSV is larger than ${limits.csvBodyBytes} bytes`,
          );
        auth.feed(chunk);
      };
      // A signed upload is spooled and verified before the parser sees a byte of it: a forged
      // one is a 401 whatever it contains, and nothing of it is parsed or stored. An admin's
      // streams straight into the parser (it was authenticated up front).
      const spooled = auth.admin
        ? null
        : await spoolVerified(request, reply, portal.id, onBytes, auth.verify);
      try {
        if (spooled) await app.portalRateLimit(request, reply);
        const outcome = await readSyncErrors(
          // Read at the sender's pace only while it keeps one (plugins/bodyPace.ts: a 408).
          spooled ? spooled.read() : uploaded(request),
          spooled ? undefined : onBytes,
        ).then(
          (report) => ({ report }),
          (error: unknown) => {
            if (error instanceof CsvInputError) return { csvError: error };
            throw error;
          },
        );
        await spooled?.remove();
        if ('csvError' in outcome)
          throw new HttpError(
            outcome.csvError.code === 'EMPTY_BODY' ? 400 : 422,
            outcome.csvError.code,
            outcome.csvError.message,
          );
        const saved = await app.store.saveSyncErrorReport(
          portal.id,
          outcome.report as unknown as Record<string, unknown>,
        );
        // Every delivery carries the portal's newest summary (outbox/syncErrors.ts); so that this
        // one reaches Salesforce now, not with the next suspension, the newest status goes again.
        const salesforce = await app.store.carrySyncErrors(portal.id).then(
          (carriage) => carriage ?? 'waits-for-next-delivery',
          (error: unknown) => {
            // Saved: the upload succeeded (sent again it would be saved twice).
            request.log.warn(
              { err: error, portalId: portal.id },
              'could not queue the sync errors for Salesforce; the next delivery carries them',
            );
            return 'waits-for-next-delivery' as const;
          },
        );
        return reply.status(201).send({ ...saved, report: outcome.report, salesforce });
      } finally {
        await spooled?.remove();
      }
    },
  );

  app.get(
    '/portals/:portalId/sync-errors/latest',
    {
      preValidation: app.requireReader,
      schema: {
        summary: 'The latest sync-errors report of a portal',
        tags: ['outputs'],
        security: [{ adminToken: [] }],
        params: PortalParams,
        response: { 200: ReportSchema, ...errorResponses },
      },
    },
    async (request) => {
      const report = await app.store.latestSyncErrorReport(request.params.portalId);
      if (!report)
        throw new HttpError(
          404,
          'NO_REPORT',
          'no sync-errors export was uploaded for this portal yet',
        );
      return report;
    },
  );
};

/**
 * Client addresses (clientAddressKey) from which a signed upload verified within the last 30 days,
 * the most recent 10,000: in memory, so one instance's and lost on restart (a sender is proven
 * again by its next upload that finds room). A failed signature forgets the address.
 */
class ProvenAddresses {
  static readonly MAX = 10_000;
  static readonly KEEP_MS = 30 * 24 * 3600_000;
  private readonly since = new Map<string, number>();
  has(address: string): boolean {
    const at = this.since.get(address);
    if (at === undefined) return false;
    if (Date.now() - at <= ProvenAddresses.KEEP_MS) return true;
    this.since.delete(address);
    return false;
  }
  add(address: string): void {
    // Re-inserted, so the Map's order is oldest first.
    this.since.delete(address);
    this.since.set(address, Date.now());
    if (this.since.size > ProvenAddresses.MAX) this.since.delete(this.since.keys().next().value!);
  }
  forget(address: string): void {
    this.since.delete(address);
  }
}

export default syncErrorRoutes;
