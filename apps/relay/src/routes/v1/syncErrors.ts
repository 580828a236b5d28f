import { createHmac } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signatureMatches,
  verifySignature,
} from '../../crypto/signature.js';
import { HttpError, unauthorized } from '../../errors.js';
import { CsvInputError, readSyncErrors } from '../../inputs/syncErrors.js';
import { rejectWrongAdminToken } from '../../plugins/portals.js';
import { PortalParams, errorResponses } from './schemas/common.js';

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];

const ReportSchema = Type.Object({
  id: Type.Integer(),
  portalId: Type.String(),
  receivedAt: Type.String(),
  report: Type.Object({}, { additionalProperties: true }),
});

/**
 * Sync Health's "Export errors" CSV. Streamed: a 100,000-row export is never held in memory.
 * Authenticated by the admin token, or signed like the webhook (the HMAC is computed while
 * streaming and checked before anything is stored).
 */
const syncErrorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { limits, signatureToleranceSeconds } = app.config;
  // Hand the request stream to the route untouched; the route enforces the size limit itself.
  for (const type of CSV_TYPES)
    app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));

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

  app.post(
    '/portals/:portalId/sync-errors',
    {
      config: { contentTypes: CSV_TYPES },
      schema: {
        summary: 'Upload the Sync Health "Export errors" CSV; answers counts and findings',
        tags: ['inputs'],
        security: [{ adminToken: [] }, { signature: [] }],
        params: PortalParams,
        response: { 201: ReportSchema, 422: errorResponses[400], ...errorResponses },
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
      // The signature is checked once the body has been read: before its groups are classified
      // (readSyncErrors calls verify then) and, for a CSV that cannot be read, before that is
      // answered (readSyncErrors reads the whole body either way): a forged upload is a 401
      // whatever it contains, and nothing of it is stored.
      let verified = false;
      const verify = () => {
        if (verified) return;
        auth.verify();
        verified = true;
      };
      const outcome = await readSyncErrors(
        request.body as AsyncIterable<Buffer>,
        onBytes,
        verify,
      ).then(
        (report) => ({ report }),
        (error: unknown) => {
          if (error instanceof CsvInputError) return { csvError: error };
          throw error;
        },
      );
      verify();
      if (!auth.admin) await app.portalRateLimit(request, reply);
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
      return reply.status(201).send(saved);
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

export default syncErrorRoutes;
