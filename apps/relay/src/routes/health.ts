import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { OPERATIONS_ROUTE } from '../plugins/loadShedding.js';
import { CHECK_TIMEOUT_MS, countPortals, timeout } from '../plugins/salesforceReachability.js';
import { Nullable, StringEnum } from './v1/schemas/common.js';

/** How many portals' Salesforce orgs answer, fail, or are not set up: all an unauthenticated caller sees. */
const PortalCounts = Type.Object({
  ok: Type.Integer(),
  unreachable: Type.Integer(),
  notConfigured: Type.Integer(),
  unknown: Type.Integer(),
});
const HealthBody = Type.Object({
  status: StringEnum(['ok', 'overloaded', 'unavailable']),
  store: Type.String(),
  database: Type.String(),
  pressure: Type.Optional(Type.Object({ type: Type.String(), value: Nullable(Type.Number()) })),
  portals: Nullable(PortalCounts, {
    description: 'Salesforce reachability counted over the portals (null while not ready)',
  }),
  salesforce: Type.Optional(
    Type.Record(Type.String(), Type.String(), {
      description:
        'Per portal id: ok, not configured, unknown, or unreachable with the error. Only with the admin token.',
    }),
  ),
  outbox: Nullable(Type.Object({}, { additionalProperties: Type.Integer() })),
  signals: Type.Optional(
    Type.Object(
      {
        detector: Type.Optional(
          Type.Object(
            { running: Type.Boolean(), failing: Type.Integer() },
            {
              description:
                'running: this instance runs the checks; failing: portals whose last check (stored, whichever instance ran it) could not conclude',
            },
          ),
        ),
        accessWatch: Type.Optional(
          Type.Object(
            {
              running: Type.Boolean(),
              failing: Type.Integer(),
              partial: Type.Integer({
                description:
                  "Portals whose findings on record (their last concluded check) leave sections unread (ACCESS_SECTION_UNREAD warnings): no error there means nothing was checked. Expected with the README's relay user (all three sections unread), so never a reason to be unready",
              }),
              unreadSections: Type.Record(Type.String(), Type.Integer(), {
                description:
                  "Per unread section ('UserLogin.IsFrozen', 'LoginHistory', 'ConnectedApplication'): how many portals' findings leave it unread",
              }),
            },
            {
              description:
                'running: this instance runs the checks; failing: portals whose last check (stored, whichever instance ran it) could not conclude; partial and unreadSections: portals whose checks are partial, and which sections they miss',
            },
          ),
        ),
        mailboxes: Type.Optional(
          Type.Object({ reading: Type.Integer(), disconnected: Type.Integer() }),
        ),
        failing: Type.Optional(
          Type.Record(Type.String(), Type.String(), {
            description:
              'Per portal id (or "shared" mailbox): why its detector check, mailbox or access check (prefixed "access: ") fails. Only with the admin token. Detector and access checks are read from the store: every instance lists the same.',
          }),
        ),
      },
      {
        description:
          "HubSpot-side signals on this instance (they run on the leading instance only): stalled-sync checks that could not conclude (a refused token, HubSpot down), mailboxes without an IMAP session, and access checks of the integration user that could not conclude (the relay's Salesforce user may not read permissions, a tie between candidates) or concluded with sections unread. Reported, never a reason to be unready.",
      },
    ),
  ),
  instance: Type.String(),
});

/**
 * What the HubSpot-side signals are short of; counts for anyone, reasons for the admin. The
 * detector's and the access checks are read from the store (the same on every instance, whichever
 * runs them); a store that does not answer counts none (the database is reported unavailable
 * beside it).
 */
async function signalsHealth(
  app: FastifyInstance,
  admin: boolean,
  ready: boolean,
): Promise<Static<typeof HealthBody>['signals']> {
  const detector = app.hubspotDetector;
  const mailboxes = app.mailboxes;
  const accessWatch = app.accessWatch;
  if (!detector && !mailboxes && !accessWatch) return undefined;
  const [detectorFailing, [accessFailing, accessUnread]] = await Promise.all([
    detector && ready
      ? timeout(detector.failing(), CHECK_TIMEOUT_MS).catch(() => new Map<string, string>())
      : new Map<string, string>(),
    accessWatch && ready
      ? Promise.all([
          timeout(accessWatch.failing(), CHECK_TIMEOUT_MS).catch(() => new Map<string, string>()),
          timeout(accessWatch.unread(), CHECK_TIMEOUT_MS).catch(() => new Map<string, string[]>()),
        ])
      : [new Map<string, string>(), new Map<string, string[]>()],
  ]);
  const failing = new Map(detectorFailing);
  const unreadSections: Record<string, number> = {};
  for (const sections of accessUnread.values())
    for (const section of new Set(sections))
      unreadSections[section] = (unreadSections[section] ?? 0) + 1;
  for (const [portalId, why] of accessFailing)
    failing.set(
      portalId,
      `${failing.has(portalId) ? `${failing.get(portalId)}; ` : ''}access: ${why}`,
    );
  let disconnected = 0;
  for (const key of mailboxes?.keys ?? []) {
    if (mailboxes?.connected(key) === false) {
      disconnected++;
      const why = mailboxes.lastError(key);
      failing.set(
        key,
        `${failing.has(key) ? `${failing.get(key)}; ` : ''}mailbox: no IMAP session${why ? ` (${why})` : ''}`,
      );
    }
  }
  return {
    ...(detector ? { detector: { running: detector.running, failing: detectorFailing.size } } : {}),
    ...(mailboxes ? { mailboxes: { reading: mailboxes.keys.length, disconnected } } : {}),
    ...(accessWatch
      ? {
          accessWatch: {
            running: accessWatch.running,
            failing: accessFailing.size,
            partial: accessUnread.size,
            unreadSections,
          },
        }
      : {}),
    ...(admin ? { failing: Object.fromEntries(failing) } : {}),
  };
}

/**
 * `/health/live`: the process answers (even under load). `/health`: readiness, i.e. the database
 * answers and the relay is not shedding load (503 if not), plus Salesforce reachability (cached
 * 30 s per portal and connection; an unreachable org is reported but does not make the relay unready: the outbox keeps its
 * changes until it is back). Unauthenticated, as load balancers call it: counts only. Portal ids
 * and Salesforce's error text per portal only with the admin token.
 */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The last database failure logged, so a balancer polling every few seconds logs it once a minute.
  let lastDatabaseError: string | null = null;
  let lastDatabaseErrorAt = 0;
  app.get(
    '/health/live',
    {
      config: OPERATIONS_ROUTE,
      schema: {
        tags: ['operations'],
        summary: 'Liveness',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health',
    {
      config: OPERATIONS_ROUTE,
      schema: {
        tags: ['operations'],
        summary: 'Readiness: database, load, Salesforce reachability, outbox',
        description:
          'Unauthenticated: status, store, database (`ok` or `unavailable`), pressure, outbox counts, instance, how many portals reach Salesforce, and (where HubSpot-side signals run) how many stalled-sync checks fail, mailboxes are disconnected, access checks fail or leave sections unread. With the admin token (Authorization: Bearer) also `salesforce`, each portal id with its reachability, `signals.failing`, each portal with why its check or mailbox fails, and the database error after `unavailable: `.',
        security: [{}, { adminToken: [] }],
        response: { 200: HealthBody, 503: HealthBody },
      },
    },
    async (request, reply) => {
      const admin = app.isAdmin(request);
      let database = 'ok';
      // The driver's message can name internal hosts, ports and database users: it goes to the
      // log and to the admin, an unauthenticated caller reads only `unavailable`.
      const databaseFailed = (error: unknown): void => {
        const detail = String((error as Error)?.message ?? error).slice(0, 300);
        if (detail !== lastDatabaseError || Date.now() - lastDatabaseErrorAt > 60_000) {
          lastDatabaseError = detail;
          lastDatabaseErrorAt = Date.now();
          request.log.error({ err: { message: detail } }, 'health: the database does not answer');
        }
        database = admin ? `unavailable: ${detail}` : 'unavailable';
      };
      try {
        await timeout(app.store.ping(), CHECK_TIMEOUT_MS);
      } catch (error) {
        databaseFailed(error);
      }
      // Overloaded (load shedding, loadShedding.ts): not ready, so the load balancer sends
      // traffic elsewhere until the instance recovers; alive all the same (/health/live).
      const pressure = request.pressure ?? null;
      let ready = database === 'ok' && pressure === null;
      // Skipped when not ready: an overloaded instance answers its balancer at once. The database
      // can fail between the ping and these reads (a PostgreSQL backend terminated, a failover):
      // that is `unavailable` in this route's own shape. Thrown on, the error handler's 503 body
      // does not fit HealthBody, so the serializer failed and the balancer read a 500.
      let reachability: Record<string, string> | null = null;
      let outbox: Static<typeof HealthBody>['outbox'] = null;
      if (ready) {
        try {
          [reachability, outbox] = await Promise.all([
            app.salesforceReachability(),
            app.store.countDeliveries(),
          ]);
        } catch (error) {
          databaseFailed(error);
          ready = false;
          reachability = null;
          outbox = null;
        }
      }
      const signals = await signalsHealth(app, admin, ready);
      const body: Static<typeof HealthBody> = {
        status: ready ? 'ok' : pressure ? 'overloaded' : 'unavailable',
        store: app.store.kind,
        database,
        ...(pressure ? { pressure } : {}),
        portals: reachability ? countPortals(reachability) : null,
        ...(admin ? { salesforce: reachability ?? {} } : {}),
        outbox,
        ...(signals ? { signals } : {}),
        instance: app.config.instanceId,
      };
      return reply.status(ready ? 200 : 503).send(body);
    },
  );
};

export default healthRoutes;
