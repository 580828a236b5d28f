import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  DEFAULT_REQUIREMENTS,
  RequirementsDocumentError,
  requirementsFromDocument,
} from '@sync-doctor/core';
import { badRequest } from '../../errors.js';
import { accessStoreOf, type AccessRequirementsRecord } from '../../store/accessStore.js';
import { PortalParams, errorResponses } from './schemas/common.js';
import { AccessRequirementsBody, AccessRequirementsView } from './schemas/access.js';

/** A requirements document is a few objects and fields: far below the relay's general JSON limit. */
export const REQUIREMENTS_BODY_BYTES = 64 * 1024;

/** Null only when a stored document fails a core stricter than the one that accepted it. */
function effectiveOf(document: Record<string, unknown>) {
  try {
    return requirementsFromDocument(document);
  } catch {
    return null;
  }
}

/**
 * A portal's access requirements: the access watch judges its integration user with these (its own
 * mapped custom fields, say) instead of HubSpot's defaults alone. The document is the CLI's
 * --requirements JSON, checked by the core's rules (requirementsFromDocument), never by rules of
 * the relay's own. Behind the admin token hook of admin.ts.
 */
const adminAccessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const store = accessStoreOf(app.store);
  const base = { tags: ['admin'], security: [{ adminToken: [] }] };
  const json = { contentTypes: ['application/json'] };

  const view = (
    portalId: string,
    saved: AccessRequirementsRecord | null,
  ): AccessRequirementsView => ({
    portalId,
    configured: saved !== null,
    document: saved?.document ?? null,
    updatedAt: saved?.updatedAt ?? null,
    effective: saved ? effectiveOf(saved.document) : DEFAULT_REQUIREMENTS,
  });

  app.put(
    '/portals/:portalId/access-requirements',
    {
      config: json,
      bodyLimit: REQUIREMENTS_BODY_BYTES,
      schema: {
        ...base,
        summary:
          "Set (replace) the portal's access requirements, the CLI's --requirements JSON; the access watch judges with them from its next check, which comes soon",
        params: PortalParams,
        body: AccessRequirementsBody,
        response: { 200: AccessRequirementsView, ...errorResponses },
      },
    },
    async (request) => {
      const { portalId } = request.params;
      await app.portals.require(portalId);
      try {
        requirementsFromDocument(request.body);
      } catch (error) {
        if (error instanceof RequirementsDocumentError)
          throw badRequest('INVALID_REQUIREMENTS', `requirements: ${error.message}`, {
            path: error.path,
            problem: error.problem,
          });
        throw error;
      }
      const saved = await store.setAccessRequirements(
        portalId,
        request.body as Record<string, unknown>,
      );
      app.accessWatch?.recheckSoon(portalId);
      return view(portalId, saved);
    },
  );

  app.get(
    '/portals/:portalId/access-requirements',
    {
      schema: {
        ...base,
        summary:
          "The portal's access requirements: the document set, or none (HubSpot's defaults), and the requirements the access watch judges with",
        params: PortalParams,
        response: { 200: AccessRequirementsView, ...errorResponses },
      },
    },
    async (request) => {
      const { portalId } = request.params;
      await app.portals.require(portalId);
      return view(portalId, await store.getAccessRequirements(portalId));
    },
  );

  app.delete(
    '/portals/:portalId/access-requirements',
    {
      schema: {
        ...base,
        summary:
          "Remove the portal's access requirements: the access watch judges with HubSpot's defaults again",
        params: PortalParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { portalId } = request.params;
      await app.portals.require(portalId);
      await store.setAccessRequirements(portalId, null);
      app.accessWatch?.recheckSoon(portalId);
      return reply.status(204).send(null);
    },
  );
};

export default adminAccessRoutes;
