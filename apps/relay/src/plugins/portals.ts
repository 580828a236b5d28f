import type { FastifyRequest, preHandlerAsyncHookHandler, preValidationHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../crypto/signature.js';
import {
  constantTimeEqual,
  decryptSecret,
  encryptSecret,
  generateSecret,
  hashToken,
} from '../crypto/secrets.js';
import { HttpError, badRequest, notFound, unauthorized } from '../errors.js';
import { connectionProblem } from '../publisher/salesforce.js';
import type { DeliveryTarget, SalesforceConnectionConfig } from '../publisher/types.js';
import type { PortalRecord } from '../store/types.js';
import { PORTAL_ID_PATTERN } from '../routes/v1/schemas/common.js';
import type { SenderPolicy } from '../inputs/senderPolicy.js';

/** What the admin API shows of a portal: never a secret. */
export interface PortalView {
  id: string;
  name: string | null;
  salesforce: {
    configured: boolean;
    kind?: string;
    username?: string;
    loginUrl?: string;
    instanceUrl?: string;
    clientId?: string;
    /** The integration user the access watch checks, when set. */
    integrationUser?: string;
  };
  createdAt: string;
  updatedAt: string;
  /** Who may send the portal's notification e-mails (inputs/senderPolicy.ts); null: anyone. */
  senderPolicy: SenderPolicy | null;
}

/** A portal something holds on to: its id, and its createdAt when known (which portal of that id). */
export interface HeldPortal {
  id: string;
  createdAt: string | null;
}

export interface PortalsService {
  create(input: {
    id: string;
    name?: string | null;
    salesforce?: SalesforceConnectionConfig | null;
  }): Promise<{ portal: PortalView; signingSecret: string; inboundToken: string }>;
  /** The portal or a 404 with a clear message. */
  require(id: string): Promise<PortalRecord>;
  /** The portal or null; like require, cached for a moment (a change on another instance shows within 2 s). */
  find(id: string): Promise<PortalRecord | null>;
  view(portal: PortalRecord): PortalView;
  signingSecret(portal: PortalRecord): string;
  deliveryTarget(portal: PortalRecord): DeliveryTarget | null;
  setSalesforce(id: string, config: SalesforceConnectionConfig | null): Promise<PortalView>;
  rotateSigningSecret(id: string): Promise<string>;
  rotateInboundToken(id: string): Promise<string>;
  byInboundToken(token: string): Promise<PortalRecord | null>;
  /**
   * Deletes the portal and everything kept for it (RelayStore.deletePortal), then forgets it in
   * every cache of this instance and tells the onDeleted listeners. False for an unknown portal.
   */
  delete(id: string): Promise<boolean>;
  /** Forgets a portal another instance deleted (its caches here, then the onDeleted listeners). */
  forgetDeleted(id: string): void;
  /**
   * After a gap in hearing other instances (LISTEN lost, then back): forgets, as forgetDeleted
   * does, each portal among `held` (what the caller holds) and this plugin's cache that the store
   * no longer has, or has created at another time (deleted and created again under the same id),
   * since its deletion's notification was never heard.
   */
  forgetVanished(held: Iterable<HeldPortal>): Promise<void>;
  /** Called with the portal id after a portal was deleted here or on another instance. */
  onDeleted(listener: (portalId: string) => void): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    portals: PortalsService;
    requireAdmin: preHandlerAsyncHookHandler;
    /** Admin token (unless public reads are on), and a valid, configured `:portalId` if the route has one. */
    requireReader: preValidationHookHandler;
    /** The portal's signature over the raw body. */
    requireSignature: preValidationHookHandler;
    requireAdminOrSignature: preValidationHookHandler;
    /** Whether the request carries the admin token (never throws: for answers that only add detail for admins). */
    isAdmin: (request: FastifyRequest) => boolean;
  }
  interface FastifyRequest {
    portal?: PortalRecord;
  }
}

const SIGNING_PREFIX = 'sdwh';
const PORTAL_ID = new RegExp(PORTAL_ID_PATTERN);
const PORTAL_CACHE_MS = 2000;
const INBOUND_PREFIX = 'sdin';

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
}

/** Whether the request tries the signature scheme (either of its headers). */
const hasSignatureHeaders = (request: FastifyRequest): boolean =>
  request.headers[SIGNATURE_HEADER] !== undefined ||
  request.headers[TIMESTAMP_HEADER] !== undefined;

/**
 * On a route taking the admin token or a signature, once the token did not match: a caller who
 * sent an Authorization header and no signature meant the admin token, so say that it is wrong,
 * not that a signature is missing.
 */
export function rejectWrongAdminToken(request: FastifyRequest): void {
  if (request.headers.authorization !== undefined && !hasSignatureHeaders(request)) {
    throw unauthorized(
      'ADMIN_TOKEN_INVALID',
      'the Authorization header is not the admin token; send "Authorization: Bearer <admin token>" or sign the request',
    );
  }
}

/** Portals, their secrets (sealed at rest), and the checks that guard every route. */
export default fp(
  async (app) => {
    const { store, config } = app;
    const key = config.secretKey;

    const view = (portal: PortalRecord): PortalView => {
      const salesforce: PortalView['salesforce'] = { configured: portal.salesforceSealed !== null };
      if (portal.salesforceSealed) {
        const sf = JSON.parse(
          decryptSecret(key, portal.salesforceSealed),
        ) as SalesforceConnectionConfig;
        salesforce.kind = sf.kind;
        if (sf.kind === 'jwt')
          Object.assign(salesforce, {
            username: sf.username,
            loginUrl: sf.loginUrl,
            clientId: sf.clientId,
          });
        else salesforce.instanceUrl = sf.instanceUrl;
        if (sf.integrationUser) salesforce.integrationUser = sf.integrationUser;
      }
      return {
        id: portal.id,
        name: portal.name,
        salesforce,
        createdAt: portal.createdAt,
        updatedAt: portal.updatedAt,
        senderPolicy: portal.senderPolicy ?? null,
      };
    };

    // Signature checks read the portal on every request: keep portals for a moment and decrypted
    // secrets for as long as their sealed form is unchanged. A change made on this instance is
    // seen at once; one made on another instance within PORTAL_CACHE_MS.
    const portalCache = new Map<string, { at: number; portal: PortalRecord }>();
    const secretCache = new Map<string, string>();
    /** The portal when this process read it less than PORTAL_CACHE_MS ago, else undefined. */
    const cachedPortalNow = (id: string): PortalRecord | undefined => {
      const hit = portalCache.get(id);
      return hit && Date.now() - hit.at < PORTAL_CACHE_MS ? hit.portal : undefined;
    };
    /**
     * Portals forgotten so far (changed or deleted here, or deleted elsewhere). A read that was
     * under way when one was forgotten may hold the row as it was before the change (a rotated
     * secret, a deleted portal): it answers its own request, but is not cached, or the old secret
     * would keep working here for PORTAL_CACHE_MS after the rotation answered.
     */
    let forgotten = 0;
    const cachedPortal = async (id: string): Promise<PortalRecord | null> => {
      const cached = cachedPortalNow(id);
      if (cached) return cached;
      const forgottenBefore = forgotten;
      const portal = await store.getPortal(id);
      if (portal && forgotten === forgottenBefore) portalCache.set(id, { at: Date.now(), portal });
      if (portalCache.size > 10_000) portalCache.clear();
      return portal;
    };
    const unseal = (sealed: string): string => {
      let plain = secretCache.get(sealed);
      if (plain === undefined) {
        plain = decryptSecret(key, sealed);
        if (secretCache.size > 10_000) secretCache.clear();
        secretCache.set(sealed, plain);
      }
      return plain;
    };
    const forget = (id: string) => {
      forgotten++;
      portalCache.delete(id);
    };
    const update = async (id: string, patch: Parameters<typeof store.updatePortal>[1]) => {
      const updated = await store.updatePortal(id, patch);
      forget(id);
      return updated;
    };

    const deletedListeners: ((portalId: string) => void)[] = [];
    /** The portal's entries in this plugin's caches, then every other cache (the listeners). */
    const forgetDeleted = (id: string, portal: PortalRecord | null): void => {
      const cached = portalCache.get(id)?.portal;
      for (const record of [portal, cached])
        if (record) secretCache.delete(record.signingSecretSealed);
      forget(id);
      for (const listener of deletedListeners) {
        try {
          listener(id);
        } catch (error) {
          app.log.error({ err: error, portalId: id }, 'a cache could not forget a deleted portal');
        }
      }
    };

    /** A connection that cannot work is a 400 now, not a failed delivery later. */
    const assertUsable = async (
      salesforce: SalesforceConnectionConfig | null | undefined,
    ): Promise<void> => {
      const problem = salesforce ? await connectionProblem(salesforce) : null;
      if (problem) throw badRequest('INVALID_PRIVATE_KEY', problem);
    };

    const service: PortalsService = {
      async create(input) {
        await assertUsable(input.salesforce);
        const signingSecret = generateSecret(SIGNING_PREFIX);
        const inboundToken = generateSecret(INBOUND_PREFIX);
        const portal = await store.createPortal({
          id: input.id,
          name: input.name ?? null,
          signingSecretSealed: encryptSecret(key, signingSecret),
          inboundTokenHash: hashToken(inboundToken),
          salesforceSealed: input.salesforce
            ? encryptSecret(key, JSON.stringify(input.salesforce))
            : null,
        });
        return { portal: view(portal), signingSecret, inboundToken };
      },
      async require(id) {
        const portal = await cachedPortal(id);
        if (!portal)
          throw notFound('UNKNOWN_PORTAL', `portal ${id} is not configured on this relay`);
        return portal;
      },
      find: cachedPortal,
      view,
      signingSecret: (portal) => unseal(portal.signingSecretSealed),
      deliveryTarget(portal) {
        if (!portal.salesforceSealed) return null;
        return {
          portalId: portal.id,
          configVersion: portal.salesforceVersion,
          portalCreatedAt: portal.createdAt,
          salesforce: JSON.parse(decryptSecret(key, portal.salesforceSealed)),
        };
      },
      async setSalesforce(id, salesforce) {
        await assertUsable(salesforce);
        const updated = await update(id, {
          salesforceSealed: salesforce ? encryptSecret(key, JSON.stringify(salesforce)) : null,
        });
        if (!updated)
          throw notFound('UNKNOWN_PORTAL', `portal ${id} is not configured on this relay`);
        return view(updated);
      },
      async rotateSigningSecret(id) {
        const secret = generateSecret(SIGNING_PREFIX);
        if (!(await update(id, { signingSecretSealed: encryptSecret(key, secret) })))
          throw notFound('UNKNOWN_PORTAL', `portal ${id} is not configured on this relay`);
        return secret;
      },
      async rotateInboundToken(id) {
        const token = generateSecret(INBOUND_PREFIX);
        if (!(await update(id, { inboundTokenHash: hashToken(token) })))
          throw notFound('UNKNOWN_PORTAL', `portal ${id} is not configured on this relay`);
        return token;
      },
      byInboundToken: (token) => store.findPortalByInboundTokenHash(hashToken(token)),
      async delete(id) {
        const known = await store.getPortal(id);
        const deleted = await store.deletePortal(id);
        // Also when it was not there: another instance may have deleted it a moment ago.
        forgetDeleted(id, known);
        return deleted;
      },
      forgetDeleted: (id) => forgetDeleted(id, portalCache.get(id)?.portal ?? null),
      async forgetVanished(held) {
        // Each id with the portals held of it (when they were created; this cache's too).
        const createdAts = new Map<string, Set<string | null>>();
        const hold = (id: string, createdAt: string | null) =>
          createdAts.set(id, (createdAts.get(id) ?? new Set()).add(createdAt));
        for (const portal of held) hold(portal.id, portal.createdAt);
        for (const [id, { portal }] of portalCache) hold(id, portal.createdAt);
        const ids = [...createdAts.keys()];
        const found = await Promise.all(ids.map((id) => store.getPortal(id)));
        // After every check: a failed read forgets nothing (the caller hears of it).
        ids.forEach((id, i) => {
          const now = found[i];
          // Created again meanwhile: what is held (a cached portal and its secrets, streams of
          // its history, a mailbox reader, an org session) belongs to the deleted one.
          const recreated = [...createdAts.get(id)!].some(
            (createdAt) => createdAt !== null && createdAt !== now?.createdAt,
          );
          if (!now || recreated) service.forgetDeleted(id);
        });
      },
      onDeleted(listener) {
        deletedListeners.push(listener);
      },
    };
    app.decorate('portals', service);

    const isAdmin = (request: FastifyRequest): boolean => {
      const token = bearer(request);
      return (
        config.adminToken !== null && token !== null && constantTimeEqual(token, config.adminToken)
      );
    };

    const assertAdmin = (request: FastifyRequest): void => {
      if (config.adminToken === null)
        throw new HttpError(
          503,
          'ADMIN_DISABLED',
          'the admin API is disabled: set RELAY_ADMIN_TOKEN',
        );
      if (!isAdmin(request))
        throw unauthorized(
          'ADMIN_TOKEN_INVALID',
          'send the admin token as "Authorization: Bearer <token>"',
        );
    };

    const assertSignature = (request: FastifyRequest, portal: PortalRecord): void => {
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value.join(',') : value;
      };
      const check = verifySignature({
        secret: service.signingSecret(portal),
        timestamp: header(TIMESTAMP_HEADER),
        signature: header(SIGNATURE_HEADER),
        rawBody: request.rawBody ?? Buffer.alloc(0),
        toleranceSeconds: config.signatureToleranceSeconds,
      });
      if (!check.ok) throw unauthorized(check.code, check.message);
    };

    /**
     * The guards of the busiest routes are callback hooks that finish synchronously when the
     * portal is cached: an async hook costs every request a promise and a trip through the
     * microtask queue (callgrind: GET state went from 143k to 139k instructions per request). `before`
     * runs first (the admin check, so an unknown portal is not told from a forbidden one);
     * `withPortal` gets the route's portal. Either may throw; a throw or a store failure goes to
     * `done` and becomes the error handler's answer.
     */
    const guard =
      (checks: {
        before?: (request: FastifyRequest) => void;
        withPortal?: (request: FastifyRequest, portal: PortalRecord) => void;
      }): preValidationHookHandler =>
      (request, _reply, done) => {
        const accept = (portal: PortalRecord) => {
          checks.withPortal?.(request, portal);
          request.portal = portal;
        };
        try {
          checks.before?.(request);
          const { portalId } = request.params as { portalId?: string };
          if (portalId !== undefined) {
            if (!PORTAL_ID.test(portalId))
              throw badRequest(
                'INVALID_PORTAL_ID',
                'a portal id is 1 to 32 letters, digits, "-" or "_"',
              );
            const cached = cachedPortalNow(portalId);
            if (!cached) {
              service.require(portalId).then(
                (portal) => {
                  try {
                    accept(portal);
                  } catch (error) {
                    return done(error as Error);
                  }
                  done();
                },
                (error: Error) => done(error),
              );
              return;
            }
            accept(cached);
          }
        } catch (error) {
          return done(error as Error);
        }
        // Outside the try: whatever runs next must not be answered a second time from here.
        done();
      };

    app.decorate('requireAdmin', async (request: FastifyRequest) => assertAdmin(request));
    app.decorate('isAdmin', isAdmin);
    app.decorate('requireSignature', guard({ withPortal: assertSignature }));
    app.decorate(
      'requireAdminOrSignature',
      guard({
        withPortal: (request, portal) => {
          if (isAdmin(request)) return;
          rejectWrongAdminToken(request);
          assertSignature(request, portal);
        },
      }),
    );
    app.decorate(
      'requireReader',
      guard({ before: (request) => (config.publicReads ? undefined : assertAdmin(request)) }),
    );
  },
  { name: 'relay-portals', dependencies: ['relay-store'] },
);
