import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { assertAllowedHost, DestinationRefusedError } from '@sync-doctor/hubspot-signals';
import { decryptSecret } from '../../crypto/secrets.js';
import { HttpError, badRequest, notFound } from '../../errors.js';
import { RESEND_DELAY_MS } from '../../outbox/worker.js';
import { checkpointKeyOf } from '../../plugins/mailbox.js';
import type { SalesforceConnectionConfig } from '../../publisher/types.js';
import type { MailboxSettings } from '../../signalsConfig.js';
import { hubspotStoreOf } from '../../store/hubspotStore.js';
import { PortalExistsError, type PortalRecord } from '../../store/types.js';
import adminAccessRoutes from './adminAccess.js';
import adminSignalsRoutes from './adminSignals.js';
import { PortalParams, errorResponses } from './schemas/common.js';
import {
  CreatePortalBody,
  CreatedPortal,
  DeletedPortal,
  PortalViewSchema,
  SalesforceConnectionSchema,
  SenderPolicySchema,
  SenderPolicyView,
  type SenderPolicyBody,
} from './schemas/admin.js';

/** A sender policy as stored and compared: lower case, no trailing dot, no repeats. */
const normalisePolicy = (body: SenderPolicyBody): SenderPolicyBody => {
  const clean = (values: string[]) => [
    ...new Set(values.map((v) => v.trim().toLowerCase().replace(/\.$/, ''))),
  ];
  return { authservIds: clean(body.authservIds), domains: clean(body.domains) };
};

/** Portals and their secrets. Secrets are returned once, when created or rotated, and never again. */
const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preValidation', app.requireAdmin);
  const base = { tags: ['admin'], security: [{ adminToken: [] }] };
  const json = { contentTypes: ['application/json'] };

  /**
   * The relay sends a Salesforce session or a signed JWT to these URLs: https to a public host
   * only, unless RELAY_ALLOW_PRIVATE_TARGETS (tests, the org simulator, on-premises proxies).
   */
  const assertSalesforceUrl = (salesforce: SalesforceConnectionConfig | null | undefined): void => {
    if (!salesforce) return;
    const field = salesforce.kind === 'jwt' ? 'loginUrl' : 'instanceUrl';
    // The schema's pattern lets through what WHATWG URL refuses (a port over 65535, "[1.2.3.4]",
    // "%00" in a host, a zone id): refused here, with or without private targets, before anything
    // is stored, and never a 500.
    let url: URL;
    try {
      url = new URL(salesforce.kind === 'jwt' ? salesforce.loginUrl : salesforce.instanceUrl);
    } catch {
      throw badRequest(
        'INVALID_SALESFORCE_URL',
        `${field} is not a valid URL (expected https://host[:port], port 1-65535)`,
      );
    }
    if (app.config.allowPrivateTargets) return;
    if (url.protocol !== 'https:')
      throw badRequest('INVALID_SALESFORCE_URL', `${field} must use https`);
    try {
      assertAllowedHost(url.hostname);
    } catch (error) {
      if (error instanceof DestinationRefusedError)
        throw badRequest('INVALID_SALESFORCE_URL', `${field}: ${error.message}`);
      throw error;
    }
  };

  const freshPortal = async (portalId: string): Promise<PortalRecord> => {
    const portal = await app.store.getPortal(portalId);
    if (!portal)
      throw notFound('UNKNOWN_PORTAL', `portal ${portalId} is not configured on this relay`);
    return portal;
  };

  app.post(
    '/portals',
    {
      config: json,
      schema: {
        ...base,
        summary: 'Create a portal; answers its signing secret and inbound token once',
        body: CreatePortalBody,
        response: { 201: CreatedPortal, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      assertSalesforceUrl(request.body.salesforce);
      try {
        const created = await app.portals.create({
          id: request.body.id,
          name: request.body.name ?? null,
          salesforce: request.body.salesforce ?? null,
        });
        return reply.status(201).send(created);
      } catch (error) {
        if (error instanceof PortalExistsError)
          throw new HttpError(409, 'PORTAL_EXISTS', error.message);
        throw error;
      }
    },
  );

  app.get(
    '/portals',
    {
      schema: {
        ...base,
        summary: 'List portals (no secrets)',
        response: { 200: Type.Array(PortalViewSchema), ...errorResponses },
      },
    },
    async () => (await app.store.listPortals()).map(app.portals.view),
  );

  app.get(
    '/portals/:portalId',
    {
      schema: {
        ...base,
        summary: 'One portal (no secrets)',
        params: PortalParams,
        response: { 200: PortalViewSchema, ...errorResponses },
      },
    },
    // From the store, not the portals' 2 s cache: a policy just set shows at once.
    async (request) => app.portals.view(await freshPortal(request.params.portalId)),
  );

  app.delete(
    '/portals/:portalId',
    {
      schema: {
        ...base,
        summary: 'Delete a portal and everything the relay keeps for it',
        description:
          'One transaction on SQLite and PostgreSQL. Every cache forgets the portal (other instances too, through LISTEN/NOTIFY), so its next signed request is answered 404 UNKNOWN_PORTAL; its open streams end. A second DELETE (a retry) is a 404 and changes nothing.',
        params: PortalParams,
        response: { 204: DeletedPortal, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { portalId } = request.params;
      // Its mailbox's checkpoint is keyed by the mailbox, not the portal: read which before the
      // settings go with the portal.
      const mailboxes = hubspotStoreOf(app.store);
      const mailboxKeys = async (which: (id: string) => boolean) =>
        (await mailboxes.listMailboxes())
          .filter((row) => which(row.portalId))
          .map((row) =>
            checkpointKeyOf(
              JSON.parse(
                decryptSecret(app.config.secretKey, row.settingsSealed),
              ) as MailboxSettings,
            ),
          );
      const itsMailbox = await mailboxKeys((id) => id === portalId);
      if (!(await app.portals.delete(portalId)))
        throw notFound('UNKNOWN_PORTAL', `portal ${portalId} is not configured on this relay`);
      request.log.info({ portalId }, 'portal deleted');
      if (itsMailbox.length > 0) {
        // Its reader stops first (here, when this instance reads mailboxes), so no pass saves the checkpoint again.
        await app.mailboxes?.reload(portalId);
        const shared = app.config.signals.mailbox.shared;
        const inUse = new Set([
          ...(await mailboxKeys((id) => id !== portalId)),
          ...(shared ? [checkpointKeyOf(shared)] : []),
        ]);
        for (const key of itsMailbox)
          if (!inUse.has(key)) await mailboxes.deleteMailboxCheckpoint(key);
      }
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/portals/:portalId/salesforce',
    {
      config: json,
      schema: {
        ...base,
        summary:
          "Set the portal's Salesforce connection (JWT bearer in production); re-queues failed deliveries and those waiting for a connection, and sends the portal's current status again (to the org this connection leads to)",
        params: PortalParams,
        body: SalesforceConnectionSchema,
        response: { 200: PortalViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      assertSalesforceUrl(request.body);
      const view = await app.portals.setSalesforce(request.params.portalId, request.body);
      await app.store.resumeWaitingDeliveries(request.params.portalId);
      await app.store.retryFailedDeliveries(request.params.portalId);
      // The connection may lead to another org now, which has none of the portal's statuses: the
      // newest (when it was delivered) goes again, to this connection.
      await app.store.resendLatest(request.params.portalId, {
        at: new Date(Date.now() + RESEND_DELAY_MS),
      });
      app.outbox.wake();
      return view;
    },
  );

  app.get(
    '/portals/:portalId/sender-policy',
    {
      schema: {
        ...base,
        summary:
          "The portal's sender policy for notification e-mails (null: none, every message is read)",
        params: PortalParams,
        response: { 200: SenderPolicyView, ...errorResponses },
      },
    },
    async (request) => ({
      senderPolicy: (await freshPortal(request.params.portalId)).senderPolicy ?? null,
    }),
  );

  app.put(
    '/portals/:portalId/sender-policy',
    {
      config: json,
      schema: {
        ...base,
        summary:
          "Accept the portal's notification e-mails only from these sender domains, as its own inbound mail service authenticated them",
        description:
          "Every e-mail path (POST /v1/inbound/email in each form, the portal's mailbox and the shared one) then reads a message only when its receiving service vouches for it: as message/rfc822 or from a mailbox, the topmost Authentication-Results header written under one of `authservIds` says dkim=pass for a header.d (else header.i's domain) in `domains`, or dmarc=pass for a header.from in `domains` (subdomains included); from SendGrid Inbound Parse, its `dkim` form field says pass for such a domain; from Mailgun or Postmark, which post no such verdict, never (UNCHECKABLE). Others are answered 403 SENDER_NOT_AUTHENTICATED (406 on /mime, which Mailgun does not retry; Postmark does not retry a 403), or marked rejected in a mailbox; nothing is stored. The relay looks nothing up in DNS. DELETE turns it off.",
        params: PortalParams,
        body: SenderPolicySchema,
        response: { 200: SenderPolicyView, ...errorResponses },
      },
    },
    async (request) => {
      const senderPolicy = normalisePolicy(request.body);
      const updated = await app.store.updatePortal(request.params.portalId, { senderPolicy });
      if (!updated)
        throw notFound(
          'UNKNOWN_PORTAL',
          `portal ${request.params.portalId} is not configured on this relay`,
        );
      request.log.info(
        {
          portalId: updated.id,
          authservIds: senderPolicy.authservIds,
          domains: senderPolicy.domains,
        },
        'sender policy set',
      );
      return { senderPolicy: updated.senderPolicy };
    },
  );

  app.delete(
    '/portals/:portalId/sender-policy',
    {
      schema: {
        ...base,
        summary:
          "Remove the portal's sender policy: every message the inbound token or mailbox brings is read again",
        params: PortalParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const updated = await app.store.updatePortal(request.params.portalId, { senderPolicy: null });
      if (!updated)
        throw notFound(
          'UNKNOWN_PORTAL',
          `portal ${request.params.portalId} is not configured on this relay`,
        );
      request.log.info({ portalId: updated.id }, 'sender policy removed');
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/portals/:portalId/signing-secret/rotate',
    {
      schema: {
        ...base,
        summary: 'Replace the signing secret (the old one stops working at once)',
        params: PortalParams,
        response: { 200: Type.Object({ signingSecret: Type.String() }), ...errorResponses },
      },
    },
    async (request) => ({
      signingSecret: await app.portals.rotateSigningSecret(request.params.portalId),
    }),
  );

  app.post(
    '/portals/:portalId/inbound-token/rotate',
    {
      schema: {
        ...base,
        summary: 'Replace the inbound e-mail token',
        params: PortalParams,
        response: { 200: Type.Object({ inboundToken: Type.String() }), ...errorResponses },
      },
    },
    async (request) => ({
      inboundToken: await app.portals.rotateInboundToken(request.params.portalId),
    }),
  );

  app.post(
    '/portals/:portalId/deliveries/retry',
    {
      schema: {
        ...base,
        summary: 'Re-queue failed deliveries',
        description:
          'Re-queues, in order, the failed deliveries newer than every other change of the portal. One with a later change delivered or queued is not sent again (it would put an older status over the newer one): it is recorded as delivered with result.supersededBy naming that change.',
        params: PortalParams,
        response: { 200: Type.Object({ requeued: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      await app.portals.require(request.params.portalId);
      const requeued = await app.store.retryFailedDeliveries(request.params.portalId);
      app.outbox.wake();
      return { requeued };
    },
  );

  // HubSpot token, notification mailbox and alert targets (behind the same admin token hook).
  await app.register(adminSignalsRoutes);
  // The access watch's requirements per portal.
  await app.register(adminAccessRoutes);
};

export default adminRoutes;
