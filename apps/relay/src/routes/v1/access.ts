import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
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
          "The integration user's access as the access watch last checked it: verdict, error and warning findings, or why the check could not conclude",
        response: { 200: AccessResponse, ...errorResponses },
      },
    },
    async (request): Promise<AccessResponse> => {
      const { portalId } = request.params;
      const configured = request.portal?.salesforceSealed != null;
      const watch = app.accessWatch;
      const last = watch?.running ? watch.lastCheck(portalId) : null;
      const watching = watch?.running === true;
      return {
        portalId,
        watching,
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
      };
    },
  );
};

export default accessRoutes;
