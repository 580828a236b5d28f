import {
  DEFAULT_REQUIREMENTS,
  HUBSPOT_PERMISSION_SET,
  mergeRequirements,
  rankIntegrationUserCandidates,
  snapshotScope,
  STATUS_OBJECT,
  type IntegrationUserCandidate,
  type IntegrationUserSource,
  type Requirements,
} from '@sync-doctor/core';
import {
  applyRemediation,
  collectSnapshot,
  findIntegrationUserCandidates,
  INTEGRATION_USER_EVIDENCE,
  type UnreadEvidence,
  isConnectedAppId,
  isInputError,
  isSalesforceError,
  parseStatusRecord,
  STATUS_RECORD_COLUMNS,
  type Connection,
} from '@sync-doctor/salesforce';
import { ApexCallError, type ApexController } from './apexErrors.js';
import { duplicateRulesAsApex } from './duplicateRulesAsApex.js';
import { fieldsArg, recordTypesAsApex } from './recordTypesAsApex.js';
import {
  extraFieldsArg,
  idArg,
  jsonObjectArg,
  scopeArg,
  soqlContains,
  soqlString,
  stringArg,
  type ExtraField,
} from './controllerArgs.js';

/** Sync_Errors__c as SyncDoctorSuspensionStatusReader.cls returns it: String.isBlank is null. */
function syncErrorsText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** What SyncDoctorSettings keeps in the org (a custom setting there; memory here). */
export interface PreviewSettings {
  userId: string | null;
  portalId: string | null;
  extraFields: ExtraField[];
}

export interface ControllerOptions {
  /** A jsforce connection to the org, asked anew on each call (the demo org can be switched). */
  connection: () => Promise<Connection>;
  settings?: Partial<PreviewSettings>;
  /**
   * Whether the page's user may change the settings (SyncDoctorAccess.canChangeSettings: the
   * Sync_Doctor_Manage_Settings custom permission, which Sync_Doctor_Admin grants and
   * Sync_Doctor_Viewer lacks). true unless set: getSettings answers it as canEdit, and saveSettings
   * refuses as the Apex does when false. A function is asked on each call (the demo's viewer
   * variant can be laid over the demo org and taken off again).
   */
  canEditSettings?: boolean | (() => boolean);
  /**
   * Whether the page's user holds the rights a fix needs (SyncDoctorAccess.fixRights: Assign
   * Permission Sets and Manage Profiles and Permission Sets, or Manage Users), which neither Sync
   * Doctor permission set grants. true unless set: getFixRights answers it, and
   * assignIntegrationPermissionSet and applyRemediation refuse as the Apex does when false. A
   * function is asked on each call, as canEditSettings is.
   */
  canFix?: boolean | (() => boolean);
}

/** SyncDoctorAccess.CANNOT_CHANGE_SETTINGS: the Apex's refusal of saveSettings to a viewer. */
export const CANNOT_CHANGE_SETTINGS =
  'You can use Sync Doctor but not change its settings (the integration user, the HubSpot portal id, the extra fields): that needs the Sync_Doctor_Manage_Settings custom permission. Ask your Salesforce admin to assign you the Sync_Doctor_Admin permission set.';

/** SyncDoctorAccess.ASSIGN_RIGHT and MANAGE_RIGHT: the rights a fix needs, in Setup's words. */
export const FIX_RIGHTS = [
  'Assign Permission Sets',
  'Manage Profiles and Permission Sets',
] as const;

/** SyncDoctorAccess.CANNOT_ASSIGN: the Apex's refusal of a fix to a user without Assign Permission Sets. */
export const CANNOT_ASSIGN =
  'You cannot assign permission sets: Sync Doctor needs your own Assign Permission Sets or Manage Users permission to change the integration user.';

export const CONTROLLER_METHODS = [
  'getSnapshot',
  'getSettings',
  'saveSettings',
  'findIntegrationUserCandidates',
  'searchUsers',
  'getSuspensionStatus',
  'getFixRights',
  'assignIntegrationPermissionSet',
  'applyRemediation',
  'getRecordTypePicklists',
] as const;

// The limit of SyncDoctorIntegrationUserFinder.cls's user search (the finder's constants live in
// @sync-doctor/salesforce, whose contract test reads the Apex).
const MAX_RESULTS = INTEGRATION_USER_EVIDENCE.maxResults;

type UserRow = { Id: string; Username: string; Name?: string | null; IsActive: boolean };

const toCandidate = (
  user: UserRow,
  sources: readonly IntegrationUserSource[] = [],
): IntegrationUserCandidate => ({
  userId: user.Id,
  username: user.Username,
  name: user.Name ?? null,
  isActive: Boolean(user.IsActive),
  sources: [...sources],
});

/**
 * planJson.connectedApps as SyncDoctorRemediationPlan.cls reads it: { id, name } entries, the id a
 * ConnectedApplication Id (0H4), with its messages.
 */
function connectedAppsArg(value: unknown): { id: string; name: string }[] {
  if (value === undefined) return [];
  return (value as unknown[]).map((entry) => {
    const { id, name } = (entry && typeof entry === 'object' ? entry : {}) as {
      id?: unknown;
      name?: unknown;
    };
    if (typeof id !== 'string' || !id.trim() || typeof name !== 'string' || !name.trim())
      throw new ApexCallError('connectedApps: every entry needs an id and a name.', 400);
    if (!isConnectedAppId(id.trim()))
      throw new ApexCallError(
        `connectedApps: ${JSON.stringify(id.trim())} (for "${name.trim()}") is not the Id of a connected app (ConnectedApplication, starting 0H4).`,
        400,
      );
    return { id: id.trim(), name: name.trim() };
  });
}

/**
 * SyncDoctorController's methods answered from an org over the REST API, with the collector doing
 * what the Apex classes do in Salesforce. Same arguments, same JSON text out, same error messages
 * for bad arguments, so the components cannot tell the difference.
 */
export function createSyncDoctorController(
  options: ControllerOptions,
): ApexController & { settings(): PreviewSettings } {
  let settings: PreviewSettings = {
    userId: options.settings?.userId ?? null,
    portalId: options.settings?.portalId ?? null,
    extraFields: options.settings?.extraFields ?? [],
  };

  const requirements = (): Requirements =>
    settings.extraFields.length
      ? mergeRequirements(DEFAULT_REQUIREMENTS, {
          objects: [],
          fields: settings.extraFields,
          permissionSets: [],
          systemPermissions: [],
        })
      : DEFAULT_REQUIREMENTS;

  const query = async <T extends Record<string, unknown>>(
    conn: Connection,
    soql: string,
  ): Promise<T[]> => (await conn.query<T>(soql)).records as T[];

  /**
   * Users with evidence, from the salesforce package's composite (tokens, permission set holders),
   * unranked, and the evidence the session could not read (SyncDoctorIntegrationUserFinder's
   * `unread`: the tokens, for a user without Customize Application). The saved choice is the
   * preview's settings in memory, not the org's Sync_Doctor_Settings__c (which the preview never
   * writes), so the org's is dropped here.
   */
  async function orgEvidence(
    conn: Connection,
  ): Promise<{ candidates: IntegrationUserCandidate[]; unread: UnreadEvidence[] }> {
    const { candidates, unread } = await findIntegrationUserCandidates(conn);
    return {
      candidates: candidates
        .map((candidate) => ({
          ...candidate,
          sources: candidate.sources.filter((source) => source !== 'saved'),
        }))
        .filter((candidate) => candidate.sources.length > 0),
      unread,
    };
  }

  const canEdit = (): boolean => {
    const setting = options.canEditSettings ?? true;
    return typeof setting === 'function' ? setting() : setting;
  };
  const canFix = (): boolean => {
    const setting = options.canFix ?? true;
    return typeof setting === 'function' ? setting() : setting;
  };
  // The applier checks the caller's rights before any change, whatever the page was told.
  const requireFixRights = (): void => {
    if (!canFix()) throw new ApexCallError(CANNOT_ASSIGN, 403);
  };
  // As SyncDoctorSettings.toJson: the settings and whether this user may change them.
  const settingsJson = () => JSON.stringify({ ...settings, canEdit: canEdit() });

  const methods: Record<
    (typeof CONTROLLER_METHODS)[number],
    (params: Record<string, unknown>) => Promise<string | null>
  > = {
    async getSnapshot(params) {
      const userId = idArg(params, 'userId');
      // The collector's snapshot carries `frozenRead` itself, as SyncDoctorSnapshotReader.cls
      // does (whether the user's frozen state was read and why not): passed on as it is.
      // As SyncDoctorController.getSnapshot: what the page asks for is read (scopeJson, the core's
      // snapshotScope of its requirements: the defaults, the saved extra fields and the fields
      // HubSpot's sync errors name), not only what the settings name. The settings' requirements
      // stay under it, for the permission columns the collector picks from them (the Apex reads
      // them all); the rights asked are the core's to judge in the browser.
      const scope = scopeArg(params, 'scopeJson');
      const conn = await options.connection();
      const { snapshot } = await collectSnapshot(conn, {
        user: userId!,
        requirements: scope
          ? mergeRequirements(requirements(), {
              objects: scope.objects.map((name) => ({ name, access: ['read'] })),
              fields: scope.fields.map((name) => ({ name, access: ['read'] })),
            })
          : requirements(),
      });
      // As SyncDoctorDuplicateRuleReader: the scope objects' active duplicate rules, by name.
      const duplicateRules = await duplicateRulesAsApex(
        conn,
        snapshot,
        scope?.objects ?? snapshotScope(requirements()).objects,
      );
      if (duplicateRules) snapshot.duplicateRules = duplicateRules;
      return JSON.stringify(snapshot);
    },
    // As SyncDoctorController.getRecordTypePicklists (SyncDoctorRecordTypePicklistReader).
    async getRecordTypePicklists(params) {
      const fields = fieldsArg(params, 'fieldsJson');
      return JSON.stringify(await recordTypesAsApex(await options.connection(), fields));
    },
    async getSettings() {
      return settingsJson();
    },
    async saveSettings(params) {
      // SyncDoctorController.saveSettings checks the custom permission before reading anything.
      if (!canEdit()) throw new ApexCallError(CANNOT_CHANGE_SETTINGS, 403);
      const userId = idArg(params, 'userId', { optional: true });
      const portalId = stringArg(params, 'portalId', 64, { optional: true });
      const extraFields = extraFieldsArg(params, 'extraFieldsJson');
      settings = {
        userId,
        portalId: portalId && portalId.trim() ? portalId.trim() : null,
        extraFields,
      };
      return settingsJson();
    },
    // { candidates, unread }, as SyncDoctorController.findIntegrationUserCandidates answers.
    async findIntegrationUserCandidates() {
      const conn = await options.connection();
      const { candidates: found, unread } = await orgEvidence(conn);
      const savedId = settings.userId;
      if (savedId) {
        // Ranking merges the sources of one user; a saved user without other evidence needs its record.
        const known = found.find((candidate) => candidate.userId === savedId);
        const [user] = known
          ? [known]
          : (
              await query<UserRow>(
                conn,
                `SELECT Id, Username, Name, IsActive FROM User WHERE Id = ${soqlString(savedId)}`,
              )
            ).map((row) => toCandidate(row));
        if (user) found.push({ ...user, sources: ['saved'] });
      }
      return JSON.stringify({ candidates: rankIntegrationUserCandidates(found), unread });
    },
    async searchUsers(params) {
      const term = (stringArg(params, 'term', 200, { optional: true }) ?? '').trim();
      if (term.length < 2)
        throw new ApexCallError('Type at least two characters of a name, username or e-mail.', 400);
      const conn = await options.connection();
      const pattern = soqlContains(term.slice(0, 80));
      const [users, evidence] = await Promise.all([
        query<UserRow>(
          conn,
          `SELECT Id, Username, Name, IsActive FROM User WHERE Name LIKE ${pattern} OR Username LIKE ${pattern} OR Email LIKE ${pattern} ORDER BY IsActive DESC, Name LIMIT ${MAX_RESULTS}`,
        ),
        orgEvidence(conn),
      ]);
      // A bare list, as the Apex search answers: the picker warns about unread evidence from the
      // candidates' answer, which the same reader gets.
      const sources = new Map(
        evidence.candidates.map((candidate) => [candidate.userId, candidate.sources]),
      );
      const saved = (user: UserRow): IntegrationUserSource[] =>
        user.Id === settings.userId ? ['saved'] : [];
      // Users found by the search only, with no evidence, are listed too (as the Apex search does).
      return JSON.stringify(
        rankIntegrationUserCandidates(
          users.map((user) => toCandidate(user, [...(sources.get(user.Id) ?? []), ...saved(user)])),
        ),
      );
    },
    async getSuspensionStatus(params) {
      const portalId = stringArg(params, 'portalId', 64, { optional: true });
      if (!portalId || !portalId.trim()) return null;
      // As SyncDoctorSuspensionStatusReader.cls: the portal's HubSpot_Sync_Status__c record in the
      // org, which the relay delivers there, not what the relay holds: a status the relay could not
      // deliver (or has not yet) is not one the page shows. The record is read back into the core's
      // RelayedStatus by the collector's own mapping (parseStatusRecord, as the CLI reads it).
      const [record] = await query<Record<string, unknown>>(
        await options.connection(),
        `SELECT ${STATUS_RECORD_COLUMNS.join(', ')} FROM ${STATUS_OBJECT.name} WHERE ${STATUS_OBJECT.fields.portalId} = ${soqlString(portalId.trim())} LIMIT 1`,
      );
      const status = record ? parseStatusRecord(record) : null;
      if (!record || !status) return null;
      // Sync_Errors__c as the Apex hands it on: the relay's JSON text as it is (null when blank),
      // which the LWC reads through the core's parseSyncErrors; never the object parseStatusRecord
      // makes of it, or the preview would pass where the org's page fails.
      return JSON.stringify({
        ...status,
        syncErrors: syncErrorsText(record[STATUS_OBJECT.fields.syncErrors]),
      });
    },
    // As SyncDoctorAccess.fixRights: the stand-in's user holds both rights or neither.
    async getFixRights() {
      const able = canFix();
      return JSON.stringify({
        canFix: able,
        canAssign: able,
        missingRights: able ? [] : [...FIX_RIGHTS],
      });
    },
    async assignIntegrationPermissionSet(params) {
      const userId = idArg(params, 'userId')!;
      requireFixRights();
      const result = await applyRemediation(await options.connection(), {
        userId,
        plan: {
          assignPermissionSets: [HUBSPOT_PERMISSION_SET],
          objectPermissions: [],
          fieldPermissions: [],
          systemPermissions: [],
        },
      });
      if (result.notFound.length) {
        throw new ApexCallError(
          `The permission set "${HUBSPOT_PERMISSION_SET}" is not in this org: is HubSpot's package installed?`,
          409,
        );
      }
      return JSON.stringify({
        assigned: result.assigned.length > 0,
        permissionSet: HUBSPOT_PERMISSION_SET,
      });
    },
    async applyRemediation(params) {
      const userId = idArg(params, 'userId')!;
      const plan = jsonObjectArg(params, 'planJson');
      requireFixRights();
      for (const key of [
        'assignPermissionSets',
        'objectPermissions',
        'fieldPermissions',
        'systemPermissions',
        'connectedApps',
      ]) {
        if (plan[key] !== undefined && !Array.isArray(plan[key]))
          throw new ApexCallError(`planJson.${key} must be a list`, 400);
      }
      const connectedApps = connectedAppsArg(plan.connectedApps);
      const result = await applyRemediation(await options.connection(), {
        userId,
        plan: {
          assignPermissionSets: (plan.assignPermissionSets as string[] | undefined) ?? [],
          objectPermissions: (plan.objectPermissions as never[] | undefined) ?? [],
          fieldPermissions: (plan.fieldPermissions as never[] | undefined) ?? [],
          systemPermissions: (plan.systemPermissions as string[] | undefined) ?? [],
          connectedApps,
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
      if (!implementation)
        throw new ApexCallError(`SyncDoctorController has no method "${method}"`, 404);
      try {
        return await implementation(params);
      } catch (error) {
        if (error instanceof ApexCallError) throw error;
        // A value the data layer refused (a plan it never applies, an Id of the wrong shape): the
        // caller's to fix, as Apex's own checks answer with an AuraHandledException.
        if (isInputError(error)) throw new ApexCallError(error.message, 400);
        if (isSalesforceError(error)) {
          // The org refused: say what it said, as SyncDoctorAccess.toAuraError does in Apex.
          throw new ApexCallError(
            `Salesforce answered ${error.errorCode}: ${error.message}`,
            502,
            'System.CalloutException',
          );
        }
        throw error;
      }
    },
  };
}
