import { DEFAULT_REQUIREMENTS, mergeRequirements, type RelayedStatus, type Requirements } from '@sync-doctor/core';
import { applyRemediation, collectSnapshot, isSalesforceError, type Connection } from '@sync-doctor/salesforce';
import { ApexCallError, type ApexController } from './apexErrors.js';
import { extraFieldsArg, idArg, jsonObjectArg, soqlContains, soqlString, stringArg, type ExtraField } from './controllerArgs.js';

/** What SyncDoctorSettings keeps in the org (a custom setting there; memory here). */
export interface PreviewSettings {
  userId: string | null;
  portalId: string | null;
  extraFields: ExtraField[];
}

export interface ControllerOptions {
  /** A jsforce connection to the org, asked anew on each call (the demo org can be switched). */
  connection: () => Promise<Connection>;
  /** The relayed status of a portal (the relay's store), or null when it never heard of it. */
  suspensionStatus: (portalId: string) => Promise<RelayedStatus | null>;
  settings?: Partial<PreviewSettings>;
}

export const CONTROLLER_METHODS = [
  'getSnapshot',
  'getSettings',
  'saveSettings',
  'findIntegrationUserCandidates',
  'searchUsers',
  'getSuspensionStatus',
  'assignIntegrationPermissionSet',
  'applyRemediation',
] as const;

// The same names and limits as SyncDoctorIntegrationUserFinder.cls.
const INTEGRATION_SET_LABEL = 'HubSpot Integration Permissions';
const INTEGRATION_SET_NAME = 'HubSpot_Integration_Permissions';
const HUBSPOT_APP_PATTERN = "'%HubSpot%'";
const MAX_RESULTS = 50;
type Source = 'oauth' | 'permissionSet' | 'saved';
const SOURCE_ORDER: Source[] = ['oauth', 'permissionSet', 'saved'];

interface Candidate {
  userId: string;
  username: string;
  name: string | null;
  isActive: boolean;
  sources: Source[];
}

/**
 * SyncDoctorController's methods answered from an org over the REST API, with the collector doing
 * what the Apex classes do in Salesforce. Same arguments, same JSON text out, same error messages
 * for bad arguments, so the components cannot tell the difference.
 */
export function createSyncDoctorController(options: ControllerOptions): ApexController & { settings(): PreviewSettings } {
  let settings: PreviewSettings = {
    userId: options.settings?.userId ?? null,
    portalId: options.settings?.portalId ?? null,
    extraFields: options.settings?.extraFields ?? [],
  };

  const requirements = (): Requirements =>
    settings.extraFields.length
      ? mergeRequirements(DEFAULT_REQUIREMENTS, { objects: [], fields: settings.extraFields, permissionSets: [], systemPermissions: [] })
      : DEFAULT_REQUIREMENTS;

  const query = async <T extends Record<string, unknown>>(conn: Connection, soql: string): Promise<T[]> =>
    (await conn.query<T>(soql)).records as T[];

  async function sourcesByUser(conn: Connection): Promise<Map<string, Set<Source>>> {
    const sources = new Map<string, Set<Source>>();
    const add = (userId: string | undefined, source: Source) => {
      if (!userId) return;
      const set = sources.get(userId) ?? new Set<Source>();
      set.add(source);
      sources.set(userId, set);
    };
    try {
      const tokens = await query<{ UserId: string }>(conn, `SELECT UserId FROM OauthToken WHERE AppName LIKE ${HUBSPOT_APP_PATTERN} LIMIT ${MAX_RESULTS}`);
      for (const token of tokens) add(token.UserId, 'oauth');
    } catch (error) {
      // Reading OauthToken needs Manage Users; without it the other sources still answer (as in Apex).
      if (!isSalesforceError(error)) throw error;
    }
    const assignments = await query<{ AssigneeId: string }>(
      conn,
      `SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.Label = ${soqlString(INTEGRATION_SET_LABEL)} OR PermissionSet.Name = ${soqlString(INTEGRATION_SET_NAME)} LIMIT ${MAX_RESULTS}`,
    );
    for (const assignment of assignments) add(assignment.AssigneeId, 'permissionSet');
    if (settings.userId) add(settings.userId, 'saved');
    return sources;
  }

  function rank(candidates: Candidate[]): Candidate[] {
    return candidates.sort(
      (a, b) =>
        b.sources.length - a.sources.length ||
        Number(b.isActive) - Number(a.isActive) ||
        (a.name ?? '').localeCompare(b.name ?? ''),
    );
  }

  const toCandidate = (user: { Id: string; Username: string; Name?: string | null; IsActive: boolean }, sources?: Set<Source>): Candidate => ({
    userId: user.Id,
    username: user.Username,
    name: user.Name ?? null,
    isActive: Boolean(user.IsActive),
    sources: SOURCE_ORDER.filter((source) => sources?.has(source)),
  });

  const settingsJson = () => JSON.stringify(settings);

  const methods: Record<(typeof CONTROLLER_METHODS)[number], (params: Record<string, unknown>) => Promise<string | null>> = {
    async getSnapshot(params) {
      const userId = idArg(params, 'userId');
      const { snapshot } = await collectSnapshot(await options.connection(), { user: userId!, requirements: requirements() });
      return JSON.stringify(snapshot);
    },
    async getSettings() {
      return settingsJson();
    },
    async saveSettings(params) {
      const userId = idArg(params, 'userId', { optional: true });
      const portalId = stringArg(params, 'portalId', 64, { optional: true });
      const extraFields = extraFieldsArg(params, 'extraFieldsJson');
      settings = { userId, portalId: portalId && portalId.trim() ? portalId.trim() : null, extraFields };
      return settingsJson();
    },
    async findIntegrationUserCandidates() {
      const conn = await options.connection();
      const sources = await sourcesByUser(conn);
      if (sources.size === 0) return '[]';
      const ids = [...sources.keys()].map(soqlString).join(', ');
      const users = await query<{ Id: string; Username: string; Name: string; IsActive: boolean }>(
        conn,
        `SELECT Id, Username, Name, IsActive FROM User WHERE Id IN (${ids})`,
      );
      return JSON.stringify(rank(users.map((user) => toCandidate(user, sources.get(user.Id)))));
    },
    async searchUsers(params) {
      const term = (stringArg(params, 'term', 200, { optional: true }) ?? '').trim();
      if (term.length < 2) throw new ApexCallError('Type at least two characters of a name, username or e-mail.', 400);
      const conn = await options.connection();
      const pattern = soqlContains(term.slice(0, 80));
      const [users, sources] = await Promise.all([
        query<{ Id: string; Username: string; Name: string; IsActive: boolean }>(
          conn,
          `SELECT Id, Username, Name, IsActive FROM User WHERE Name LIKE ${pattern} OR Username LIKE ${pattern} OR Email LIKE ${pattern} ORDER BY IsActive DESC, Name LIMIT ${MAX_RESULTS}`,
        ),
        sourcesByUser(conn),
      ]);
      return JSON.stringify(rank(users.map((user) => toCandidate(user, sources.get(user.Id)))));
    },
    async getSuspensionStatus(params) {
      const portalId = stringArg(params, 'portalId', 64, { optional: true });
      if (!portalId || !portalId.trim()) return null;
      const status = await options.suspensionStatus(portalId.trim());
      return status ? JSON.stringify(status) : null;
    },
    async assignIntegrationPermissionSet(params) {
      const userId = idArg(params, 'userId')!;
      const result = await applyRemediation(await options.connection(), {
        userId,
        plan: { assignPermissionSets: [INTEGRATION_SET_LABEL], objectPermissions: [], fieldPermissions: [], systemPermissions: [] },
      });
      if (result.notFound.length) {
        throw new ApexCallError(`The permission set "${INTEGRATION_SET_LABEL}" is not in this org: is HubSpot's package installed?`, 409);
      }
      return JSON.stringify({ assigned: result.assigned.length > 0, permissionSet: INTEGRATION_SET_LABEL });
    },
    async applyRemediation(params) {
      const userId = idArg(params, 'userId')!;
      const plan = jsonObjectArg(params, 'planJson');
      for (const key of ['assignPermissionSets', 'objectPermissions', 'fieldPermissions', 'systemPermissions']) {
        if (plan[key] !== undefined && !Array.isArray(plan[key])) throw new ApexCallError(`planJson.${key} must be a list`, 400);
      }
      const result = await applyRemediation(await options.connection(), {
        userId,
        plan: {
          assignPermissionSets: (plan.assignPermissionSets as string[] | undefined) ?? [],
          objectPermissions: (plan.objectPermissions as never[] | undefined) ?? [],
          fieldPermissions: (plan.fieldPermissions as never[] | undefined) ?? [],
          systemPermissions: (plan.systemPermissions as string[] | undefined) ?? [],
        },
      });
      return JSON.stringify(result);
    },
  };

  return {
    methods: CONTROLLER_METHODS,
    settings: () => settings,
    async call(method, params) {
      const implementation = methods[method as (typeof CONTROLLER_METHODS)[number]];
      if (!implementation) throw new ApexCallError(`SyncDoctorController has no method "${method}"`, 404);
      try {
        return await implementation(params);
      } catch (error) {
        if (error instanceof ApexCallError) throw error;
        if (isSalesforceError(error)) {
          // The org refused: say what it said, as SyncDoctorAccess.toAuraError does in Apex.
          throw new ApexCallError(`Salesforce answered ${error.errorCode}: ${error.message}`, 502, 'System.CalloutException');
        }
        throw error;
      }
    },
  };
}
