import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AlertConfigError,
  assertAllowedHost,
  DestinationRefusedError,
  MailboxConfigError,
  sendTest,
  validateAlertTarget,
  validateMailboxOptions,
  type AlertTarget,
  type MailboxOAuth,
} from '@sync-doctor/hubspot-signals';
import { decryptSecret, encryptSecret } from '../../crypto/secrets.js';
import { DetectorHandoffRequester } from '../../detectorHandoff.js';
import { HttpError, badRequest, notFound } from '../../errors.js';
import { ALERT_CURSOR, decryptTarget } from '../../plugins/alerts.js';
import type { MailboxSettings } from '../../signalsConfig.js';
import { maskSummary, maskUrl } from '../../store/alertSummary.js';
import { alertStoreOf, type AlertTargetRecord } from '../../store/alertStore.js';
import { hubspotStoreOf } from '../../store/hubspotStore.js';
import { PortalParams, errorResponses } from './schemas/common.js';
import {
  AlertTargetBody,
  AlertTargetParams,
  AlertTargetView,
  DetectorCheckQueuedView,
  DetectorCheckView,
  HubSpotTokenBody,
  HubSpotTokenView,
  MailboxBody,
  MailboxView,
  TestSendResult,
} from './schemas/adminSignals.js';

export { maskUrl };

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: unknown; message?: unknown };
  return (
    e.code === '23505' ||
    (typeof e.message === 'string' && /UNIQUE constraint failed/.test(e.message))
  );
};

/** What the admin API shows of a target: never its secret, nor its URL's path or query (which are one). */
function summarise(target: AlertTarget): Record<string, unknown> {
  if (target.kind === 'webhook') return { url: maskUrl(target.url) };
  if (target.kind === 'slack') return { webhookUrl: maskUrl(target.webhookUrl) };
  return {
    from: target.from,
    to: target.to,
    smtp: {
      host: target.smtp.host,
      port: target.smtp.port ?? null,
      tls: target.smtp.tls ?? 'starttls',
      user: target.smtp.auth?.user ?? null,
    },
  };
}

// Summaries are masked at rest (at creation; older ones by migration 8); masked on the way out
// too, which changes nothing for a masked one.
const view = (record: AlertTargetRecord) => ({
  id: record.id,
  portalId: record.portalId,
  kind: record.kind,
  ...maskSummary(record.summary),
  createdAt: record.createdAt,
});

/** The OAuth client as the admin API shows it: never its secret, a token URL without its query. */
const oauthView = (oauth: MailboxOAuth) => {
  const bare = (tokenUrl: string) => {
    const url = new URL(tokenUrl);
    return `${url.origin}${url.pathname}`;
  };
  if (oauth.kind === 'google-service-account')
    return {
      kind: oauth.kind,
      clientEmail: oauth.clientEmail,
      ...(oauth.tokenUrl ? { tokenUrl: bare(oauth.tokenUrl) } : {}),
      ...(oauth.scope ? { scope: oauth.scope } : {}),
    };
  if (oauth.kind === 'microsoft365')
    return { kind: oauth.kind, tenantId: oauth.tenantId, clientId: oauth.clientId };
  return {
    kind: oauth.kind,
    tokenUrl: bare(oauth.tokenUrl),
    ...(oauth.scope ? { scope: oauth.scope } : {}),
    clientId: oauth.clientId,
  };
};

/** What the admin API shows of a portal's mailbox: its settings without the password or client secret. */
const mailboxView = (portalId: string, settings: MailboxSettings) => ({
  portalId,
  configured: true,
  host: settings.host,
  port: settings.port,
  tls: settings.tls,
  user: settings.user,
  auth: settings.oauth ? ('oauth' as const) : ('password' as const),
  ...(settings.oauth ? { oauth: oauthView(settings.oauth) } : {}),
  mailbox: settings.mailbox,
  moveTo: settings.moveTo,
});

/**
 * Admin API of the HubSpot-side signals: the portal's HubSpot token (stalled-sync detector), its
 * notification mailbox, and its alert targets with a test-send. Secrets go in sealed and never
 * come back. Registered inside the admin routes, behind the admin token.
 */
const adminSignalsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hubspot = hubspotStoreOf(app.store);
  const alerts = alertStoreOf(app.store);
  const key = app.config.secretKey;
  const policy = { allowPrivateNetworks: app.config.allowPrivateTargets };
  const base = { tags: ['admin'], security: [{ adminToken: [] }] };
  const json = { contentTypes: ['application/json'] };

  // --- HubSpot token ---------------------------------------------------------------------------

  // Several instances on PostgreSQL: one runs the detector (the leader); the others hand this
  // route's check to it, so it works on whichever instance a load balancer picks, and tell it of
  // a token stored or removed through them.
  const handoff = new DetectorHandoffRequester(
    hubspot,
    app.log.child({ component: 'hubspot-detector' }),
  );
  app.addHook('onClose', () => handoff.close());
  const tokenChanged = async (portalId: string): Promise<void> => {
    if (app.hubspotDetector?.running) app.hubspotDetector.forget(portalId);
    else await handoff.tokenChanged(portalId);
  };

  app.put(
    '/portals/:portalId/hubspot',
    {
      config: json,
      schema: {
        ...base,
        summary:
          "Set the portal's HubSpot private-app token or service key (read scopes; kept encrypted, never returned)",
        params: PortalParams,
        body: HubSpotTokenBody,
        response: { 200: HubSpotTokenView, ...errorResponses },
      },
    },
    async (request) => {
      const { portalId } = request.params;
      await app.portals.require(portalId);
      await hubspot.setHubSpotToken(portalId, encryptSecret(key, request.body.token));
      await tokenChanged(portalId);
      const saved = await hubspot.getHubSpotToken(portalId);
      return {
        portalId,
        configured: true,
        updatedAt: saved?.updatedAt ?? null,
        detectorRunning: app.hubspotDetector?.running ?? false,
      };
    },
  );

  app.get(
    '/portals/:portalId/hubspot',
    {
      schema: {
        ...base,
        summary: 'Whether the portal has a HubSpot token (never the token)',
        params: PortalParams,
        response: { 200: HubSpotTokenView, ...errorResponses },
      },
    },
    async (request) => {
      const { portalId } = request.params;
      await app.portals.require(portalId);
      const saved = await hubspot.getHubSpotToken(portalId);
      // Whichever instance ran it (the store's); only when the check is due next is this
      // instance's, and known only where the detector runs.
      const last = saved ? await hubspot.getHubSpotCheck(portalId) : null;
      return {
        portalId,
        configured: saved !== null,
        updatedAt: saved?.updatedAt ?? null,
        detectorRunning: app.hubspotDetector?.running ?? false,
        lastCheck: last
          ? { ...last, nextCheckAt: app.hubspotDetector?.nextCheckAt(portalId) ?? null }
          : null,
      };
    },
  );

  app.delete(
    '/portals/:portalId/hubspot',
    {
      schema: {
        ...base,
        summary: "Remove the portal's HubSpot token (the detector stops checking it)",
        params: PortalParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await app.portals.require(request.params.portalId);
      await hubspot.setHubSpotToken(request.params.portalId, null);
      await tokenChanged(request.params.portalId);
      return reply.status(204).send(null);
    },
  );

  const noDetector = (why: string) =>
    new HttpError(
      409,
      'DETECTOR_OFF',
      `${why}: set RELAY_DETECTOR=on (the instance leading the signals runs the checks; GET /health says whether the detector runs on an instance)`,
    );

  app.post(
    '/portals/:portalId/hubspot/check',
    {
      schema: {
        ...base,
        summary: 'Check the portal with the stalled-sync detector now and apply the outcome',
        description:
          "200: this instance runs the detector; the check's outcome, applied. 202: another instance runs it (several instances on PostgreSQL, one leads): the check was handed to it, which took it and runs it now; read the outcome from GET /v1/portals/{portalId}/state, or lastCheck of GET /v1/admin/portals/{portalId}/hubspot (any instance). A check taken is recorded first: if the lead moves before its outcome is applied, the instance leading next runs it. 409 NO_HUBSPOT_TOKEN: the portal has no HubSpot token; 409 DETECTOR_OFF: no instance runs the detector (RELAY_DETECTOR off, or no instance took the check within 2 s), or it stopped during the check (the lead moved).",
        params: PortalParams,
        response: {
          200: DetectorCheckView,
          202: DetectorCheckQueuedView,
          409: errorResponses[400],
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { portalId } = request.params;
      await app.portals.require(portalId);
      if (!(await hubspot.getHubSpotToken(portalId)))
        throw new HttpError(
          409,
          'NO_HUBSPOT_TOKEN',
          `portal ${portalId} has no HubSpot token: PUT /v1/admin/portals/${portalId}/hubspot first`,
        );
      if (app.hubspotDetector?.running) {
        const observation = await app.hubspotDetector.checkNow(portalId);
        if (!observation)
          throw noDetector(
            'the detector stopped on this instance during the check (it gave up the lead); the instance leading now checks the portal on its timer, or when asked again',
          );
        return reply.status(200).send({
          ...observation,
          status: await app.store.getStatus(portalId),
        });
      }
      // One process owns a SQLite store: no other instance can run the detector.
      if (!handoff.possible) throw noDetector('the detector does not run on this relay');
      const requestId = await handoff.request(portalId);
      if (!requestId)
        throw noDetector(
          `no instance running the detector took the check within ${handoff.acceptMs} ms`,
        );
      return reply.status(202).send({
        portalId,
        queued: true as const,
        requestId,
        message:
          'this instance does not run the stalled-sync detector: the check was handed to the instance that does, which runs it now',
        status: `/v1/portals/${portalId}/state`,
        hubspot: `/v1/admin/portals/${portalId}/hubspot`,
      });
    },
  );

  // --- Notification mailbox --------------------------------------------------------------------

  app.put(
    '/portals/:portalId/mailbox',
    {
      config: json,
      schema: {
        ...base,
        summary:
          "Set the portal's notification mailbox (IMAP, with a password or OAuth 2.0 client credentials such as Microsoft 365's; secrets are kept encrypted, never returned)",
        params: PortalParams,
        body: MailboxBody,
        response: { 200: MailboxView, ...errorResponses },
      },
    },
    async (request) => {
      const { portalId } = request.params;
      await app.portals.require(portalId);
      const body = request.body;
      if ((body.password === undefined) === (body.oauth === undefined))
        throw badRequest(
          'INVALID_MAILBOX',
          body.password === undefined
            ? 'give password, or oauth (client credentials, e.g. { kind: "microsoft365", tenantId, clientId, clientSecret }, or a Google service account, { kind: "google-service-account", clientEmail, privateKey })'
            : 'give either password or oauth, not both',
        );
      const settings: MailboxSettings = {
        host: body.host,
        ...(body.port !== undefined ? { port: body.port } : {}),
        tls: body.tls ?? 'implicit',
        user: body.user,
        ...(body.oauth ? { oauth: body.oauth as MailboxOAuth } : { password: body.password! }),
        mailbox: body.mailbox ?? 'INBOX',
        ...(body.moveTo ? { moveTo: body.moveTo } : {}),
      };
      try {
        validateMailboxOptions({
          host: settings.host,
          ...(settings.port !== undefined ? { port: settings.port } : {}),
          tls: settings.tls,
          allowPlainOnLoopback: app.config.signals.mailbox.allowPlainOnLoopback,
          // The token URL is checked with the outbound rule here; the host just below.
          outbound: policy,
          auth: settings.oauth
            ? { user: settings.user, oauth: settings.oauth }
            : { user: settings.user, pass: settings.password! },
          checkpointStore: { load: async () => null, save: async () => undefined },
          onMessage: async () => undefined,
        });
        assertAllowedHost(settings.host, policy);
      } catch (error) {
        if (error instanceof MailboxConfigError || error instanceof DestinationRefusedError)
          throw badRequest('INVALID_MAILBOX', error.message);
        throw error;
      }
      await hubspot.setMailbox(portalId, encryptSecret(key, JSON.stringify(settings)));
      await app.mailboxes?.reload(portalId);
      return {
        ...mailboxView(portalId, settings),
        reading: app.mailboxes?.keys.includes(portalId) ?? false,
      };
    },
  );

  app.get(
    '/portals/:portalId/mailbox',
    {
      schema: {
        ...base,
        summary:
          "The portal's notification mailbox (never its password or client secret; auth says which it has) and whether the relay reads it and is connected",
        params: PortalParams,
        response: { 200: MailboxView, ...errorResponses },
      },
    },
    async (request) => {
      const { portalId } = request.params;
      await app.portals.require(portalId);
      const row = (await hubspot.listMailboxes()).find((m) => m.portalId === portalId);
      if (!row)
        throw new HttpError(
          404,
          'NO_MAILBOX',
          `portal ${portalId} has no notification mailbox: PUT /v1/admin/portals/${portalId}/mailbox first`,
        );
      const settings = JSON.parse(decryptSecret(key, row.settingsSealed)) as MailboxSettings;
      return {
        ...mailboxView(portalId, settings),
        reading: app.mailboxes?.keys.includes(portalId) ?? false,
        connected: app.mailboxes?.connected(portalId) ?? null,
        lastError: app.mailboxes?.lastError(portalId) ?? null,
      };
    },
  );

  app.delete(
    '/portals/:portalId/mailbox',
    {
      schema: {
        ...base,
        summary: "Remove the portal's notification mailbox",
        params: PortalParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await app.portals.require(request.params.portalId);
      await hubspot.setMailbox(request.params.portalId, null);
      await app.mailboxes?.reload(request.params.portalId);
      return reply.status(204).send(null);
    },
  );

  // --- Alert targets ---------------------------------------------------------------------------

  app.post(
    '/portals/:portalId/alert-targets',
    {
      config: json,
      schema: {
        ...base,
        summary:
          'Add an alert target (signed webhook, Slack incoming webhook, or e-mail over SMTP); secrets kept encrypted',
        params: PortalParams,
        body: AlertTargetBody,
        response: { 201: AlertTargetView, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const { portalId } = request.params;
      await app.portals.require(portalId);
      const target = {
        ...request.body,
        id: request.body.id ?? `at_${randomBytes(8).toString('hex')}`,
      } as AlertTarget;
      try {
        validateAlertTarget(target, policy);
      } catch (error) {
        if (error instanceof AlertConfigError)
          throw badRequest('INVALID_ALERT_TARGET', error.message);
        throw error;
      }
      // The alert sweep starts at the newest change when it first runs: make sure that is before this target.
      await alerts.alertCursor(ALERT_CURSOR);
      try {
        const record = await alerts.createAlertTarget({
          id: target.id,
          portalId,
          kind: target.kind,
          targetSealed: encryptSecret(key, JSON.stringify(target)),
          summary: summarise(target),
        });
        app.alerts?.targetsChanged();
        return reply.status(201).send(view(record));
      } catch (error) {
        if (isUniqueViolation(error))
          throw new HttpError(
            409,
            'ALERT_TARGET_EXISTS',
            `alert target ${target.id} already exists`,
          );
        throw error;
      }
    },
  );

  app.get(
    '/portals/:portalId/alert-targets',
    {
      schema: {
        ...base,
        summary: "The portal's alert targets (no secrets)",
        params: PortalParams,
        response: { 200: Type.Array(AlertTargetView), ...errorResponses },
      },
    },
    async (request) => {
      await app.portals.require(request.params.portalId);
      return (await alerts.listAlertTargets(request.params.portalId)).map(view);
    },
  );

  app.delete(
    '/portals/:portalId/alert-targets/:targetId',
    {
      schema: {
        ...base,
        summary: 'Remove an alert target (its queued alerts are given up)',
        params: AlertTargetParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await alerts.deleteAlertTarget(request.params.portalId, request.params.targetId)))
        throw notFound(
          'UNKNOWN_ALERT_TARGET',
          `portal ${request.params.portalId} has no alert target ${request.params.targetId}`,
        );
      app.alerts?.targetsChanged();
      return reply.status(204).send(null);
    },
  );

  const testSend = async (request: { params: { portalId: string; targetId: string } }) => {
    const { portalId, targetId } = request.params;
    const record = await alerts.getAlertTarget(portalId, targetId);
    if (!record)
      throw notFound('UNKNOWN_ALERT_TARGET', `portal ${portalId} has no alert target ${targetId}`);
    return sendTest(decryptTarget(key, record), {
      portalId,
      appUrl: app.config.signals.alerts.appUrl,
      ...policy,
    });
  };
  const testSchema = {
    ...base,
    summary: "Send a [TEST] alert to one target now; a failure answers the target's own error",
    params: AlertTargetParams,
    response: { 200: TestSendResult, ...errorResponses },
  };
  app.post('/portals/:portalId/alert-targets/:targetId/test', { schema: testSchema }, testSend);
  // The same, under the path the relay's issue names.
  app.post(
    '/portals/:portalId/alerts/:targetId/test',
    { schema: { ...testSchema, hide: true } },
    testSend,
  );
};

export default adminSignalsRoutes;
