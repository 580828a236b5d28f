/**
 * What the remediation applier takes, the parts of the core's RemediationPlan it applies, checked
 * before anything is sent; and what it answers.
 */
import { planGrantRefusal } from '@sync-doctor/core';
import { InputError } from '../errors.js';
import { isApiName, splitFieldName } from '../collect/describe.js';
import { isUserId } from '../soql.js';
import { describeRefused, refusedAsJson } from './given.js';

/** The parts of the core's RemediationPlan that are applied (structurally the same type). */
export interface RemediationPlanInput {
  assignPermissionSets: string[];
  objectPermissions: {
    sobjectType: string;
    read: boolean;
    create: boolean;
    edit: boolean;
    delete: boolean;
    /** Always false in a plan the core made; the applier refuses true (View All too). */
    viewAll: boolean;
    modifyAll: boolean;
    /**
     * Planned objects whose rights need Read on this one in the same permission set (Salesforce
     * refuses, say, Contact's rights in a set without Read on Account). Read only when a row has no
     * `saveWave`: the core's saveWaves then computes every row's wave from it.
     */
    requiredBy?: string[];
    /**
     * When the row is saved (the core's saveWaves, at planning): each wave's new rows by one DML
     * statement, waves in increasing order. An integer, 0 or more; see savingWaves.
     */
    saveWave?: number;
  }[];
  fieldPermissions: { field: string; sobjectType: string; read: boolean; edit: boolean }[];
  systemPermissions: string[];
  /**
   * HubSpot connected apps that admit admin-approved users only: the remediation set is approved
   * for each (a SetupEntityAccess row), which approves the user. `id` is the ConnectedApplication Id.
   */
  connectedApps?: { id: string; name: string }[];
  isEmpty?: boolean;
}

export interface RemediationResult {
  /** The Sync_Doctor_Remediation permission set, or null when the plan needed none. */
  permissionSetId: string | null;
  /** Labels (or names) of the permission sets newly assigned to the user. */
  assigned: string[];
  /** ObjectPermissions rows created or updated. */
  objectPermissions: number;
  fieldPermissions: number;
  /** Permission sets the plan named that the org does not have (HubSpot's package not installed?). */
  notFound: string[];
  /** Names (as the plan gives them) of the connected apps the remediation set is newly approved for. */
  connectedApps: string[];
}

const CASE_SAFE_SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The 18-character form of a 15- or 18-character record id, or null when the 18-character form's
 * case-safe suffix does not match its first 15 characters (a mistyped or re-cased id).
 */
export function caseSafeId(id: string): string | null {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id.charCodeAt(chunk * 5 + i);
      if (ch >= 65 && ch <= 90) bits |= 1 << i;
    }
    suffix += CASE_SAFE_SUFFIX[bits];
  }
  if (id.length === 18 && id.slice(15) !== suffix) return null;
  return id.slice(0, 15) + suffix;
}

/** A ConnectedApplication Id: key prefix 0H4, 15 or 18 characters (with a matching suffix). */
export function isConnectedAppId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^0H4[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/.test(value) &&
    caseSafeId(value) !== null
  );
}

/** Refuses, before anything is sent, a user id or plan that is not what the core plans. */
export function validatePlan(userId: string, plan: RemediationPlanInput): void {
  // What the caller gave is checked before anything is sent; a value that fails is described,
  // not echoed, as it may be a secret in the wrong place (a session id given as the user).
  if (typeof userId !== 'string' || !isUserId(userId))
    throw new InputError(`Not a User id: ${describeRefused(userId)}`);
  if (!plan || !Array.isArray(plan.objectPermissions) || !Array.isArray(plan.fieldPermissions))
    throw new InputError('Not a remediation plan');
  const sets: unknown = plan.assignPermissionSets;
  if (sets !== undefined && !(Array.isArray(sets) && sets.every((s) => typeof s === 'string')))
    throw new InputError('Not a remediation plan: assignPermissionSets must be a list of names');
  for (const o of plan.objectPermissions) {
    const sobjectType: unknown = (o as { sobjectType?: unknown } | null)?.sobjectType;
    if (typeof sobjectType !== 'string' || !isApiName(sobjectType))
      throw new InputError(`Not an object API name: ${describeRefused(sobjectType)}`);
    // As the Apex applier: the wave the core planned, a whole number from 0.
    const wave: unknown = o.saveWave;
    if (wave !== undefined && !(Number.isSafeInteger(wave) && (wave as number) >= 0))
      throw new InputError(
        `The saving wave of ${sobjectType} (saveWave) must be a whole number of 0 or more, not ${refusedAsJson(wave)}`,
      );
  }
  for (const f of plan.fieldPermissions) {
    const { field, sobjectType } = (f ?? {}) as { field?: unknown; sobjectType?: unknown };
    if (typeof sobjectType !== 'string' || !isApiName(sobjectType))
      throw new InputError(
        `Not an object API name (of a field permission): ${describeRefused(sobjectType)}`,
      );
    const split = typeof field === 'string' ? splitFieldName(field) : null;
    if (!split || split.object.toLowerCase() !== sobjectType.toLowerCase())
      throw new InputError(
        `Not a field of ${sobjectType}: ${split ? `'${String(field)}'` : describeRefused(field)}`,
      );
  }
  for (const p of plan.systemPermissions ?? [])
    if (typeof p !== 'string' || !/^Permissions[A-Za-z0-9_]+$/.test(p))
      throw new InputError(`Not a system permission column: ${describeRefused(p)}`);
  // What the core never plans (View All, Modify All, a right without the one it needs, a right that
  // is not true or false, a system permission off its short list) is refused whoever made the plan:
  // the core's rule (grantable.ts), which the Apex applier keeps too.
  const refusal = planGrantRefusal(plan);
  if (refusal) throw new InputError(refusal);
  if (plan.connectedApps !== undefined && !Array.isArray(plan.connectedApps))
    throw new InputError('Not a remediation plan: connectedApps must be a list');
  for (const app of plan.connectedApps ?? []) {
    const id: unknown = (app as { id?: unknown } | null)?.id;
    if (!isConnectedAppId(id))
      throw new InputError(
        `Not a connected app Id (a ConnectedApplication Id starts with 0H4 and has 15 or 18 characters): ${describeRefused(id)}`,
      );
    if (typeof app.name !== 'string' || !app.name.trim())
      throw new InputError(`The connected app ${id} has no name`);
  }
}
