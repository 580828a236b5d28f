import {
  STATUS_OBJECT,
  parseSyncErrors,
  syncErrorsJson,
  type RelayedStatus,
  type StatusChange,
} from '@sync-doctor/core';
import {
  assertAllowedHost,
  guardedLookup,
  type OutboundPolicy,
} from '@sync-doctor/hubspot-signals';
import type {
  DeliveryTarget,
  Published,
  PublishedBatch,
  SalesforceConnectionConfig,
  StatusPublisher,
} from './types.js';

import type * as Salesforce from '@sync-doctor/salesforce';

type SalesforceModule = typeof Salesforce;
type Connection = Salesforce.Connection;

// Loaded on first delivery: a relay that never delivers (bench, a read-only replica, the
// preview's demo without an org) does not load jsforce at all.
const SALESFORCE_MODULE = '@sync-doctor/salesforce';
let loaded: Promise<SalesforceModule> | null = null;
function salesforceModule(): Promise<SalesforceModule> {
  loaded ??= import(SALESFORCE_MODULE) as Promise<SalesforceModule>;
  return loaded;
}

/**
 * Why a connection cannot work, found without calling Salesforce (a JWT private key that cannot
 * sign), or null. The admin API refuses such a connection at once instead of storing it and
 * failing every delivery later.
 */
export async function connectionProblem(
  config: SalesforceConnectionConfig,
): Promise<string | null> {
  if (config.kind !== 'jwt') return null;
  return (await salesforceModule()).jwtPrivateKeyProblem(config.privateKey);
}

/**
 * The relay's rule for outbound targets (RELAY_ALLOW_PRIVATE_TARGETS), applied to the instance URL
 * a Salesforce token endpoint answers, before the session goes there: https, and no address
 * literal or name (localhost, *.internal) that can only be local. The login and instance URLs an
 * admin sets are checked when saved (routes/v1/admin.ts). Names are not resolved here: every
 * socket to Salesforce resolves through the rule (`salesforceLookup`), which sees the address it
 * really connects to, at log-in, renewal and every retry.
 */
export function instanceUrlCheck(
  policy: OutboundPolicy,
): NonNullable<Salesforce.ConnectOptions['checkUrl']> {
  return async (url, what) => {
    if (what !== 'instance_url' || policy.allowPrivateNetworks) return;
    if (url.protocol !== 'https:')
      throw new Error(
        'it must use https (RELAY_ALLOW_PRIVATE_TARGETS=true allows plain http to loopback)',
      );
    assertAllowedHost(url.hostname, policy);
  };
}

/**
 * The `lookup` every socket to Salesforce resolves with (JWT token requests to the login URL, REST
 * and composite calls to the instance, jsforce's query and limits, renewals, retries): the
 * alerts' rule from destination.ts, so a name that resolves to a loopback, private or link-local
 * address (169.254.169.254) is refused before anything is sent, however it resolved when saved or
 * checked. With RELAY_ALLOW_PRIVATE_TARGETS=true it resolves as usual.
 */
function salesforceLookup(
  policy: OutboundPolicy,
): NonNullable<Salesforce.ConnectOptions['lookup']> {
  return guardedLookup(policy);
}

function connectOptions(
  config: SalesforceConnectionConfig,
  timeoutMs: number,
  guard: Pick<Salesforce.ConnectOptions, 'checkUrl' | 'lookup'>,
): Salesforce.ConnectOptions {
  return config.kind === 'jwt'
    ? {
        kind: 'jwt',
        clientId: config.clientId,
        username: config.username,
        loginUrl: config.loginUrl,
        privateKey: config.privateKey,
        timeoutMs,
        ...guard,
      }
    : {
        kind: 'token',
        instanceUrl: config.instanceUrl,
        accessToken: config.accessToken,
        timeoutMs,
        ...guard,
      };
}

/**
 * Failures after which a portal's session is not used again: expired or revoked (after the one
 * renewal packages/salesforce makes), or the org's API no longer at the instance URL the log-in
 * answered (a redirect: a My Domain change; a host name that no longer resolves).
 */
const STALE_SESSION = new Set(['INVALID_SESSION_ID', 'REDIRECT_REFUSED', 'ENOTFOUND']);

/** What Status_Never_Goes_Back's message starts with, and the code of the failure the relay records. */
const STALE_STATUS = 'SYNC_DOCTOR_STALE_STATUS';

/** How long a portal whose org lacks Relay_Sequence__c gets sends without it before it is tried again. */
const SEQUENCE_FIELD_RETRY_MS = 3_600_000;

/**
 * Whether Salesforce refused a request for one of the status record's fields itself (an older
 * package or permission set): @sync-doctor/salesforce's refusedStatusField, the one rule its
 * collector reads by too. Asked only after a request through that module failed, so it is loaded.
 */
async function lacksField(error: unknown, field: string): Promise<boolean> {
  return (await salesforceModule()).refusedStatusField(error, field);
}

const lacksSequenceField = (error: unknown) =>
  lacksField(error, STATUS_OBJECT.fields.relaySequence);
const lacksSyncErrorsField = (error: unknown) => lacksField(error, STATUS_OBJECT.fields.syncErrors);

/** How long a portal whose org lacks Sync_Errors__c gets sends without it before it is tried again. */
const SYNC_ERRORS_FIELD_RETRY_MS = 3_600_000;

/** What a delivery sent without its sync errors says (its result, and the relay's log once). */
export const SYNC_ERRORS_LEFT_OUT =
  `${STATUS_OBJECT.name}.${STATUS_OBJECT.fields.syncErrors} is not in this org, or the relay's user may not edit it ` +
  "(the org's Sync Doctor package is older than the relay): the status was delivered without HubSpot's sync errors. " +
  'Upgrade the package (its Sync_Doctor_Relay permission set grants the field) to carry them; the relay tries the field again every hour.';

/** A status that says nothing of sync errors: written, it leaves Sync_Errors__c out. */
function withoutSyncErrors(status: RelayedStatus): RelayedStatus {
  const copy = { ...status };
  delete copy.syncErrors;
  return copy;
}

/**
 * Whether the record's Sync_Errors__c (as SOQL answers it) holds the status's sync errors as the
 * status would write them; true when the status says nothing of them. Compared parsed, so the
 * text's spacing or key order does not count.
 */
function holdsSyncErrors(held: unknown, status: RelayedStatus): boolean {
  if (status.syncErrors === undefined) return true;
  const sent = parseSyncErrors(syncErrorsJson(parseSyncErrors(status.syncErrors)));
  return JSON.stringify(parseSyncErrors(held)) === JSON.stringify(sent);
}

/** Delivers with `publishStatus`, keeping one authenticated connection per portal. */
export class SalesforcePublisher implements StatusPublisher {
  private readonly connections = new Map<
    string,
    { version: number; portalCreatedAt: string; conn: Promise<Connection> }
  >();

  private readonly guard: Pick<Salesforce.ConnectOptions, 'checkUrl' | 'lookup'>;

  /**
   * @param timeoutMs abort a Salesforce request after this long (below the outbox lease).
   * @param policy the relay's outbound rule (RELAY_ALLOW_PRIVATE_TARGETS), applied to answered
   *   instance URLs and to the address of every socket.
   */
  constructor(
    private readonly timeoutMs = 15_000,
    policy: OutboundPolicy = {},
  ) {
    // One lookup for the publisher: connect's transport keeps one pool of keep-alive sockets per lookup.
    this.guard = { checkUrl: instanceUrlCheck(policy), lookup: salesforceLookup(policy) };
  }

  private connection(target: DeliveryTarget): Promise<Connection> {
    const cached = this.connections.get(target.portalId);
    // Which portal too: one deleted and created again under the same id starts its version over,
    // and must never be given the deleted portal's session (another org, another user).
    if (
      cached &&
      cached.version === target.configVersion &&
      cached.portalCreatedAt === target.portalCreatedAt
    )
      return cached.conn;
    const conn = salesforceModule().then((sf) =>
      sf.connect(connectOptions(target.salesforce, this.timeoutMs, this.guard)),
    );
    // A failed log-in must not be cached: the next attempt logs in again.
    conn.catch(() => this.connections.delete(target.portalId));
    this.connections.set(target.portalId, {
      version: target.configVersion,
      portalCreatedAt: target.portalCreatedAt,
      conn,
    });
    return conn;
  }

  async publish(target: DeliveryTarget, status: RelayedStatus): Promise<Published> {
    const sf = await salesforceModule();
    return this.stamped(target, (sequence) =>
      this.carrying(target, [status], ([carried]) =>
        this.withSession(target, (conn) => sf.publishStatus(conn, carried!, { sequence })),
      ),
    );
  }

  /** Portals whose org refused Sync_Errors__c (an older package), until when it is not sent. */
  private readonly lacksSyncErrors = new Map<string, number>();

  private sendsSyncErrors(portalId: string): boolean {
    return (this.lacksSyncErrors.get(portalId) ?? 0) <= Date.now();
  }

  /**
   * Sends statuses with their sync errors while the org takes them. Refused for Sync_Errors__c
   * itself (an org whose package predates it: INVALID_FIELD), nothing landed (the request is all
   * or none), so they go again at once without it, and the answer says so (syncErrorsLeftOut);
   * the field is tried again in an hour (the package upgraded meanwhile). A relay upgraded before
   * the package must keep delivering the status. Statuses whose sync errors are only null (the
   * relay holds no export: they clear the field) go without it the same way, but say nothing:
   * no errors were left out, and there is nothing to upgrade for.
   */
  private async carrying<T extends object>(
    target: DeliveryTarget,
    statuses: readonly RelayedStatus[],
    send: (statuses: readonly RelayedStatus[]) => Promise<T>,
  ): Promise<T & { syncErrorsLeftOut?: string }> {
    if (!statuses.some((status) => status.syncErrors !== undefined)) return send(statuses);
    const carriesSome = statuses.some(
      (status) => status.syncErrors !== undefined && status.syncErrors !== null,
    );
    const leftOut = async () => ({
      ...(await send(statuses.map(withoutSyncErrors))),
      ...(carriesSome ? { syncErrorsLeftOut: SYNC_ERRORS_LEFT_OUT } : {}),
    });
    if (!this.sendsSyncErrors(target.portalId)) return leftOut();
    try {
      return await send(statuses);
    } catch (error) {
      if (!(await lacksSyncErrorsField(error))) throw error;
      this.lacksSyncErrors.set(target.portalId, Date.now() + SYNC_ERRORS_FIELD_RETRY_MS);
      return leftOut();
    }
  }

  /**
   * Runs `work` on the portal's session. A session that failed in a way that says it is no good
   * any more is dropped, so the next call logs in again (STALE_SESSION). When the instance URL
   * redirected (an org whose My Domain changed: Salesforce redirects the previous host names) and
   * the connection can log in again (JWT), the log-in is made at once and, when it answers another
   * instance_url (checked like every one), `work` runs there once: nothing was sent before, since
   * a redirect is never followed.
   */
  async withSession<T>(target: DeliveryTarget, work: (conn: Connection) => Promise<T>): Promise<T> {
    const pending = this.connection(target);
    const conn = await pending;
    try {
      return await work(conn);
    } catch (error) {
      const code = (error as { errorCode?: unknown } | null)?.errorCode;
      if (typeof code !== 'string' || !STALE_SESSION.has(code)) throw error;
      if (this.connections.get(target.portalId)?.conn === pending)
        this.connections.delete(target.portalId);
      if (code === 'INVALID_SESSION_ID' && target.salesforce.kind === 'token')
        // Nothing renews an access token given as such: every retry would meet the same 401.
        throw Object.assign(
          new Error(
            `${(error as Error).message}: this connection's access token has expired or was revoked and cannot be renewed; set a new one, or a JWT connection (PUT /v1/admin/portals/${target.portalId}/salesforce)`,
          ),
          {
            errorCode: code,
            statusCode: (error as { statusCode?: unknown }).statusCode,
            retryable: false,
          },
        );
      if (code !== 'REDIRECT_REFUSED' || target.salesforce.kind !== 'jwt') throw error;
      const fresh = await this.connection(target);
      if (fresh.instanceUrl === conn.instanceUrl) throw error;
      return work(fresh);
    }
  }

  /**
   * The org's active validation rules, through the portal's session, to name the rule behind
   * each custom-code sync error (outbox/syncErrors.ts); null when the relay's user may not read
   * them (it needs "View Setup and Configuration") or the org refused: asked again only for the
   * next export. A failure that passes throws, so the next send tries again.
   */
  async validationRules(target: DeliveryTarget): Promise<unknown[] | null> {
    const sf = await salesforceModule();
    const read = await this.withSession(target, (conn) => sf.readValidationRules(conn));
    return read.read ? read.records : null;
  }

  private readonly sequences = new Map<string, number>();

  /** Portals whose org refused Relay_Sequence__c (an older package), until when it is not sent. */
  private readonly unsequenced = new Map<string, number>();

  /**
   * Relay_Sequence__c of a send: the clock in ms, and more than this process's last send to the
   * portal. A send Salesforce finishes after the relay gave up on it carries a smaller one than
   * every send after it, and the record's validation rule refuses it once a later one landed.
   */
  private nextSequence(portalId: string): number {
    const sequence = Math.max(Date.now(), (this.sequences.get(portalId) ?? 0) + 1);
    this.sequences.set(portalId, sequence);
    return sequence;
  }

  /**
   * Sends with the next Relay_Sequence__c. Refused by Status_Never_Goes_Back, the send is never
   * "superseded": the outbox sends a portal's changes in order, so a larger number on the record
   * is an earlier send's from a clock ahead (another instance) or another writer's. The counter is
   * raised to the record's and the attempt fails retryable: the outbox's next attempt (under its
   * lease and "what landed?" check) goes above it. Never re-sent from here: this send may be one
   * the outbox stopped waiting for, and a newer status may have landed since.
   */
  private async stamped<T>(
    target: DeliveryTarget,
    send: (sequence: number | undefined) => Promise<T>,
  ): Promise<T> {
    if ((this.unsequenced.get(target.portalId) ?? 0) > Date.now()) return send(undefined);
    const sequence = this.nextSequence(target.portalId);
    try {
      return await send(sequence);
    } catch (error) {
      if (await lacksSequenceField(error)) {
        // The org's package predates Relay_Sequence__c (or the relay user may not write it): the
        // whole request was refused, nothing landed, so it goes again at once without the field,
        // unprotected as before the rule, and the field is tried again in an hour (the package
        // upgraded meanwhile). A relay upgraded before the package must keep delivering.
        this.unsequenced.set(target.portalId, Date.now() + SEQUENCE_FIELD_RETRY_MS);
        return send(undefined);
      }
      const e = error as { errorCode?: unknown; message?: unknown } | null;
      if (
        e?.errorCode !== 'FIELD_CUSTOM_VALIDATION_EXCEPTION' ||
        !String(e.message).includes(STALE_STATUS)
      )
        throw error;
      const held = await this.recordSequence(target).catch(() => null);
      if (held !== null && held >= (this.sequences.get(target.portalId) ?? 0))
        this.sequences.set(target.portalId, held);
      throw Object.assign(
        new Error(
          `Salesforce's status record holds a larger Relay_Sequence__c (${held ?? 'unread'}) than this send's (${sequence}): written by another relay instance whose clock is ahead, or by another writer; the next attempt sends above it`,
        ),
        { errorCode: STALE_STATUS, statusCode: 400 },
      );
    }
  }

  /** The status record's Relay_Sequence__c, or null (no record, or none written yet). */
  private async recordSequence(target: DeliveryTarget): Promise<number | null> {
    const f = STATUS_OBJECT.fields;
    const sf = await salesforceModule();
    const soql = `SELECT ${f.relaySequence} FROM ${STATUS_OBJECT.name} WHERE ${f.portalId} = '${target.portalId}' LIMIT 1`;
    const result = await this.withSession(target, (conn) =>
      sf.sendRest<{ records: Record<string, unknown>[] }>(conn, {
        method: 'GET',
        url: `/services/data/v${sf.SALESFORCE_API_VERSION}/query?q=${encodeURIComponent(soql)}`,
        label: 'GET /query (Relay_Sequence__c)',
      }),
    );
    const value = result.records[0]?.[f.relaySequence];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  /** One sObject Collections subrequest's worth (packages/salesforce PUBLISH_BATCH_MAX). */
  readonly batchMax = 200;

  async publishBatch(
    target: DeliveryTarget,
    statuses: readonly RelayedStatus[],
  ): Promise<PublishedBatch> {
    const sf = await salesforceModule();
    return this.stamped(target, (sequence) =>
      this.carrying(target, statuses, (carried) =>
        this.withSession(target, (conn) => sf.publishStatuses(conn, carried, { sequence })),
      ),
    );
  }

  /**
   * The status record and the event(s) are written by one all-or-none composite request, and a
   * portal's changes are delivered strictly in order; so when the record's newest history entry
   * and Last_Seen__c are this status's, this status (and its event) already landed.
   */
  async isDelivered(target: DeliveryTarget, status: RelayedStatus): Promise<boolean> {
    return (await this.landedCount(target, [status])) === 1;
  }

  /**
   * The record holds the newest status that landed. A batch is all or none and the changes go in
   * order, so when it is the status of change k of `statuses`, changes 1..k landed (with their
   * events) and the rest did not. Searched from the newest: two changes that look alike in every
   * compared field count as the later, as `isDelivered` of either would.
   */
  async landedCount(target: DeliveryTarget, statuses: readonly RelayedStatus[]): Promise<number> {
    const first = statuses[0];
    if (!first) return 0;
    const f = STATUS_OBJECT.fields;
    const read = (withSyncErrors: boolean) =>
      this.statusRecord(target, first.portalId, withSyncErrors);
    const carries = statuses.some((status) => status.syncErrors !== undefined);
    let withSyncErrors = carries && this.sendsSyncErrors(target.portalId);
    let result: { records: Record<string, unknown>[] };
    try {
      result = await read(withSyncErrors);
    } catch (error) {
      if (!withSyncErrors || !(await lacksSyncErrorsField(error))) throw error;
      // The org's package predates Sync_Errors__c: what it holds is compared without them.
      this.lacksSyncErrors.set(target.portalId, Date.now() + SYNC_ERRORS_FIELD_RETRY_MS);
      withSyncErrors = false;
      result = await read(false);
    }
    const record = result.records[0];
    if (!record) return 0;
    const newest = (JSON.parse(String(record[f.history] ?? '[]')) as StatusChange[])[0];
    if (!newest) return 0;
    const sameInstant = (a: unknown, b: string | null) =>
      a === null || a === undefined
        ? b === null
        : b !== null && Date.parse(String(a)) === Date.parse(b);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const status = statuses[i]!;
      const expected = status.history[0];
      if (
        expected &&
        record[f.state] === status.state &&
        sameInstant(record[f.lastSeenAt], status.lastSeenAt) &&
        newest.at === expected.at &&
        newest.state === expected.state &&
        (newest.reason ?? null) === (expected.reason ?? null) &&
        (newest.source ?? null) === (expected.source ?? null) &&
        (newest.title ?? null) === (expected.title ?? null)
      ) {
        // Change i landed; with other sync errors than this send carries (uploaded since), the
        // last change goes again to carry them, and changes before it need not: the rest of the
        // run carries them.
        const held = !withSyncErrors || holdsSyncErrors(record[f.syncErrors], status);
        return held || i < statuses.length - 1 ? i + 1 : i;
      }
    }
    return 0;
  }

  /** The portal's status record's fields the what-landed check compares, or none. */
  private async statusRecord(
    target: DeliveryTarget,
    portalId: string,
    withSyncErrors: boolean,
  ): Promise<{ records: Record<string, unknown>[] }> {
    const f = STATUS_OBJECT.fields;
    // Portal ids are [A-Za-z0-9_-] (validated at the API), so they are safe inside the quotes.
    // Through sendRest, as publishing: an expired session is renewed once, so this check does not
    // fail (and the delivery go out twice) only because the session expired since the last one.
    const sf = await salesforceModule();
    const columns = [f.history, f.lastSeenAt, f.state, ...(withSyncErrors ? [f.syncErrors] : [])];
    const soql = `SELECT ${columns.join(', ')} FROM ${STATUS_OBJECT.name} WHERE ${f.portalId} = '${portalId}' LIMIT 1`;
    return this.withSession(target, (conn) =>
      sf.sendRest<{ records: Record<string, unknown>[] }>(conn, {
        method: 'GET',
        url: `/services/data/v${sf.SALESFORCE_API_VERSION}/query?q=${encodeURIComponent(soql)}`,
        label: 'GET /query (landed already?)',
      }),
    );
  }

  /**
   * GET /limits: cheap, needs a valid session, and answers only when the org is up. Through
   * sendRest, which renews an expired session once, so /health does not report the org
   * unreachable each time the session times out.
   */
  async ping(target: DeliveryTarget): Promise<void> {
    const sf = await salesforceModule();
    await this.withSession(target, (conn) =>
      sf.sendRest(conn, {
        method: 'GET',
        url: `/services/data/v${sf.SALESFORCE_API_VERSION}/limits`,
        label: 'GET /limits',
      }),
    );
  }

  async close(): Promise<void> {
    this.connections.clear();
  }
}
