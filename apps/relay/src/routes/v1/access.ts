import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { accessStoreOf } from '../../store/accessStore.js';
import { PortalParams, errorResponses } from './schemas/common.js';
import { AccessResponse } from './schemas/access.js';

/** The access watch's last check of a portal's integration user (plugins/accessWatch.ts). */
const accessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/portals/:portalId/access',
    {
      preValidation: app.requireReader,
      schema: {
        tags: ['outputs'],
        security: [{ adminToken: [] }],
        params: PortalParams,
        summary:
          "The integration user's access as the access watch last checked it: verdict, error and warning findings, or why the check could not conclude. The same answer from every instance (read from the store)",
        response: { 200: AccessResponse, ...errorResponses },
      },
    },
    async (request): Promise<AccessResponse> => {
      const { portalId } = request.params;
      const configured = request.portal?.salesforceSealed != null;
      const watch = app.accessWatch;
      // Registered where RELAY_ACCESS_WATCH is on; the checks run on one instance, stored for all.
      const watching = watch !== undefined;
      const last = configured ? await accessStoreOf(app.store).getAccessCheck(portalId) : null;
      return {
        portalId,
        watching,
        running: watch?.running === true,
        configured,
        // A portal without a connection is not watched: nothing is pending for it.
        status:
          !watching || !configured
            ? 'off'
            : !last
              ? 'pending'
              : last.error
                ? 'failing'
                : (last.verdict ?? 'pending'),
        verdict: last?.verdict ?? null,
        integrationUser: last?.integrationUser ?? null,
        findings: last?.findings ?? [],
        checkedAt: last?.checkedAt ?? null,
        concludedAt: last?.concludedAt ?? null,
        error: last?.error ?? null,
        failingSince: last?.failingSince ?? null,
        nextCheckAt: last?.nextCheckAt ?? null,
        requests: last?.requests ?? null,
        checkedBy: last?.checkedBy ?? null,
        requirements: last?.requirements ?? null,
      };
    },
  );
};

export default accessRoutes;
