import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../../crypto/secrets.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../crypto/signature.js';
import { HttpError, unauthorized } from '../../errors.js';
import { CsvInputError, readSyncErrors } from '../../inputs/syncErrors.js';
import { PortalParams, errorResponses } from './schemas/common.js';

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];

const ReportSchema = Type.Object({ id: Type.Integer(), portalId: Type.String(), receivedAt: Type.String(), report: Type.Object({}, { additionalProperties: true }) });

/**
 * Sync Health's "Export errors" CSV. Streamed: a 100,000-row export is never held in memory.
 * Authenticated by the admin token, or signed like the webhook (the HMAC is computed while
 * streaming and checked before anything is stored).
 */
const syncErrorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { limits, signatureToleranceSeconds } = app.config;
  // Hand the request stream to the route untouched; the route enforces the size limit itself.
  for (const type of CSV_TYPES) app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));

  function authenticate(request: FastifyRequest, secret: string): ((chunk: Buffer) => void) & { verify?: () => void } {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (token && app.config.adminToken && constantTimeEqual(token, app.config.adminToken)) return () => undefined;
    const timestamp = request.headers[TIMESTAMP_HEADER] as string | undefined;
    const signature = request.headers[SIGNATURE_HEADER] as string | undefined;
    // Check the headers and the time window now; the body's HMAC once it has streamed through.
    const precheck = verifySignature({ secret: '', timestamp, signature, rawBody: Buffer.alloc(0), toleranceSeconds: signatureToleranceSeconds });
    if (!precheck.ok && precheck.code !== 'SIGNATURE_MISMATCH') throw unauthorized(precheck.code, `${precheck.message} (or send the admin token)`);
    const hmac = createHmac('sha256', secret).update(`${timestamp}.`);
    const update = ((chunk: Buffer) => void hmac.update(chunk)) as ((chunk: Buffer) => void) & { verify?: () => void };
    update.verify = () => {
      const expected = Buffer.from(`v1=${hmac.digest('hex')}`);
      const ok = signature!.split(',').some((part) => {
        const candidate = Buffer.from(part.trim());
        return candidate.length === expected.length && timingSafeEqual(candidate, expected);
      });
      if (!ok) throw unauthorized('SIGNATURE_MISMATCH', 'signature does not match the body and the portal secret');
    };
    return update;
  }

  app.post(
    '/portals/:portalId/sync-errors',
    {
      onRequest: app.portalRateLimit,
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
      const sign = authenticate(request, app.portals.signingSecret(portal));
      let received = 0;
      const onBytes = (chunk: Buffer) => {
        received += chunk.length;
        if (received > limits.csvBodyBytes) throw new HttpError(413, 'BODY_TOO_LARGE', `the CSV is larger than ${limits.csvBodyBytes} bytes`);
        sign(chunk);
      };
      const body = request.body as AsyncIterable<Buffer>;
      let report;
      try {
        report = await readSyncErrors(body, onBytes);
      } catch (error) {
        if (error instanceof CsvInputError) {
          throw new HttpError(error.code === 'EMPTY_BODY' ? 400 : 422, error.code, error.message);
        }
        throw error;
      }
      sign.verify?.();
      const saved = await app.store.saveSyncErrorReport(portal.id, report as unknown as Record<string, unknown>);
      return reply.status(201).send(saved);
    },
  );

  app.get(
    '/portals/:portalId/sync-errors/latest',
    {
      preValidation: app.requireReader,
      schema: { summary: 'The latest sync-errors report of a portal', tags: ['outputs'], security: [{ adminToken: [] }], params: PortalParams, response: { 200: ReportSchema, ...errorResponses } },
    },
    async (request) => {
      const report = await app.store.latestSyncErrorReport(request.params.portalId);
      if (!report) throw new HttpError(404, 'NO_REPORT', 'no sync-errors export was uploaded for this portal yet');
      return report;
    },
  );
};

export default syncErrorRoutes;
