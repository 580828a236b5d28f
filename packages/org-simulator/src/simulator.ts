import { createPublicKey, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadFixture, type FixtureName, type FixtureSize } from './fixtures/index.js';
import type { FixtureChange } from './fixtures/model.js';
import type { Org, SRecord } from './org/org.js';
import { buildServer } from './http/server.js';
import { SimState } from './http/state.js';
import type { FaultSpec, PublishedEvent, RequestLogEntry } from './http/types.js';

export interface OrgSimulatorOptions {
  fixture?: FixtureName;
  size?: FixtureSize;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Records per query batch before `nextRecordsUrl` (Salesforce: 2000). */
  queryBatchSize?: number;
  /** PEM or KeyObject: JWT bearer assertions must be signed by its private key (RS256). */
  jwtPublicKey?: KeyObject | string;
  /** The connected app's consumer key: JWT `iss` and refresh `client_id` must match when given. */
  clientId?: string;
  /** Columns the edition lacks ('PermissionSet.PermissionsViewAllUsers'): SOQL naming them gets INVALID_FIELD. */
  dropColumns?: string[];
  /**
   * false: Setup > User Interface > 'Enable "Set Audit Fields upon Record Creation" and "Update
   * Records with Inactive Owners" User Permissions' is off, as Salesforce ships it: PermissionSet
   * has neither permission's column (describe, SOQL's INVALID_FIELD). Default: on.
   */
  inactiveOwnerPermissions?: boolean;
  /** 'Object.Field' names the HubSpot permission set must grant (the core's mapped fields). */
  requiredFields?: readonly string[];
  /** Person Accounts on: Account's describe lists IsPersonAccount. */
  personAccounts?: boolean;
  /**
   * More fixture changes applied after the fixture's own (loadFixture's `changes`), also on a
   * `useFixture` that gives none of its own: `{ op: 'setFieldAccess', profile: 'System
   * Administrator', field, access: 'none' }` hides a field from the admin, whose profile otherwise
   * holds every field. Copied at start: changing the array afterwards changes nothing.
   */
  changes?: readonly FixtureChange[];
  /** Keep request bodies in the request log (default true). */
  logBodies?: boolean;
  /** The request log keeps the most recent this many entries (default 10,000). */
  maxLoggedRequests?: number;
  /**
   * The org's clock (default: the system's). Fixtures are built at its time, and it is what the
   * org reads after: LAST_N_DAYS, expirations, audit dates, and the logins still going on, which
   * LoginHistory shows up to its time. Tests pass one they advance by hand.
   */
  now?: () => Date;
}

/** What a fixture switch (`useFixture`) may take besides the fixture and size. */
export interface UseFixtureOptions {
  /**
   * Fixture changes for this switch, in place of the start's `changes` (applied after the
   * fixture's own, as there). They hold for this switch only: a later switch without `changes`
   * is the fixture with the start's `changes` again. `[]` is the bare fixture.
   */
  changes?: readonly FixtureChange[];
}

export interface OrgSimulator {
  /** Instance URL and login URL alike: http://127.0.0.1:PORT */
  readonly url: string;
  /** A valid session id of the org's admin (Authorization: Bearer). */
  readonly accessToken: string;
  /** A refresh token for the admin (grant_type=refresh_token). */
  readonly refreshToken: string;
  /** The HubSpot integration user the fixture is about. */
  readonly integrationUser: { Id: string; Username: string };
  readonly adminUser: { Id: string; Username: string };
  /**
   * The user the Sync Doctor relay connects as: a minimum-access profile (API Enabled, no object
   * rights) and the package's Sync_Doctor_Relay permission set, so its writes get exactly the
   * object and field rights force-app grants.
   */
  readonly relayUser: { Id: string; Username: string };
  readonly fixture: FixtureName;
  readonly size: FixtureSize;
  readonly requests: RequestLogEntry[];
  readonly publishedEvents: PublishedEvent[];
  readonly org: Org;
  resetRequests(): void;
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  /** The live in-memory table of an object, for assertions. */
  records(sobjectType: string): SRecord[];
  /** Make a session id invalid (default: `accessToken`), so clients must refresh. */
  expireSession(token?: string): void;
  /**
   * The instance_url the token endpoint answers from now on (null: `url` again), as after a My
   * Domain change: sessions stay valid, new log-ins are told the new address.
   */
  setInstanceUrl(url: string | null): void;
  /**
   * Switch the org to another fixture (size: the current one when absent); sessions of users that
   * exist in both stay valid. `{ changes }` replaces the start's `changes` for this switch only.
   */
  useFixture(name: FixtureName, size?: FixtureSize, options?: UseFixtureOptions): void;
  close(): Promise<void>;
}

/** Start the simulator on 127.0.0.1 (a free port unless `port` is given). */
export async function startOrgSimulator(options: OrgSimulatorOptions = {}): Promise<OrgSimulator> {
  let fixture: FixtureName = options.fixture ?? 'healthy';
  let size: FixtureSize = options.size ?? 'default';
  const clock = options.now;
  if (clock !== undefined && typeof clock !== 'function') throw new Error('now must be a function');
  // A copy: the caller's array is its own to change after the start.
  const startChanges = options.changes ? structuredClone([...options.changes]) : undefined;
  const load = (
    name: FixtureName,
    loadSize: FixtureSize,
    changes: readonly FixtureChange[] | undefined = startChanges,
  ) => {
    const org = loadFixture(name, loadSize, {
      dropColumns: options.dropColumns,
      inactiveOwnerPermissions: options.inactiveOwnerPermissions,
      requiredFields: options.requiredFields,
      personAccounts: options.personAccounts,
      changes,
      now: clock?.(),
    });
    if (clock) org.now = clock;
    return org;
  };
  const queryBatchSize = options.queryBatchSize ?? 2000;
  if (!Number.isInteger(queryBatchSize) || queryBatchSize < 1)
    throw new Error('queryBatchSize must be a positive integer');
  // Parse the key now, so a bad PEM fails at start rather than as a 500 on the first login.
  const key = options.jwtPublicKey;
  const jwtPublicKey =
    key === undefined
      ? undefined
      : typeof key !== 'string' && key.type === 'public'
        ? key
        : createPublicKey(key);
  const state = new SimState(load(fixture, size), {
    queryBatchSize,
    jwtPublicKey,
    clientId: options.clientId,
    logBodies: options.logBodies ?? true,
    maxLoggedRequests: options.maxLoggedRequests ?? 10_000,
  });
  const app: FastifyInstance = buildServer(state);
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  state.url = `http://${host}:${address.port}`;
  const accessToken = state.newSession(state.org.adminUserId);
  const refreshToken = state.newRefreshToken(state.org.adminUserId);
  const userOf = (id: string) => {
    const user = state.org.getById(id)?.record;
    return { Id: id, Username: String(user?.Username ?? '') };
  };

  return {
    url: state.url,
    accessToken,
    refreshToken,
    get integrationUser() {
      return userOf(state.org.integrationUserId);
    },
    get adminUser() {
      return userOf(state.org.adminUserId);
    },
    get relayUser() {
      return userOf(state.org.relayUserId);
    },
    get fixture() {
      return fixture;
    },
    get size() {
      return size;
    },
    requests: state.requests,
    publishedEvents: state.publishedEvents,
    get org() {
      return state.org;
    },
    resetRequests: () => {
      state.requests.length = 0;
    },
    injectFault: (spec) => state.faults.add(spec),
    clearFaults: () => state.faults.clear(),
    records: (sobjectType) => state.org.table(sobjectType),
    expireSession: (token = accessToken) => {
      const session = state.sessions.get(token);
      if (session) session.expired = true;
    },
    setInstanceUrl: (url) => {
      state.instanceUrl = url;
    },
    useFixture: (name, nextSize = size, switchOptions = {}) => {
      state.org = load(name, nextSize, switchOptions.changes ?? startChanges);
      state.cursors.clear();
      fixture = name;
      size = nextSize;
    },
    close: () => app.close(),
  };
}
