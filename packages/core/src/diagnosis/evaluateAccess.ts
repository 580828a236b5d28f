/**
 * evaluateAccess: the verdict on what the HubSpot integration user may do, from one snapshot.
 * Pure and linear: every section is read once, indexed by maps keyed on Id or API name; nothing is
 * compared pairwise. The rules live in the modules beside this one, one concern each.
 */
import { DEFAULT_REQUIREMENTS } from '../requirements/defaults.js';
import type { Requirements } from '../requirements/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { uncheckedOf } from '../snapshot/unchecked.js';
import { createContext } from './context.js';
import { readDependenciesOf } from './dependencies.js';
import { judgeFields } from './fields.js';
import { judgeLimits } from './limits.js';
import { judgeConnectedApps } from './connectedApps.js';
import { judgeLogins } from './logins.js';
import { aggregateObjectPermissions, collectObjects, judgeObjects } from './objects.js';
import { checkSections } from './sections.js';
import { checkSharing } from './sharing.js';
import {
  checkRequiredPermissionSets,
  checkSources,
  checkSystemPermissions,
  checkUser,
  requiredGrants,
  sideGrants,
} from './user.js';
import { compareSeverity } from '../report/severity.js';
import { validationRuleFacts } from '../relayed/validationRules.js';
import { duplicateRuleFacts } from '../relayed/duplicateRules.js';
import { recordTypePicklistFacts } from '../relayed/recordTypePicklists.js';
import type { Diagnosis, Finding, ObjectResult, Verdict } from './types.js';

export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'error')) return 'blocked';
  if (findings.some((f) => f.severity === 'warning')) return 'at-risk';
  return 'healthy';
}

/**
 * True when the diagnosis could not make every check (`unchecked` not empty): "no problems found"
 * must then say "in what Sync Doctor could read", and "Clear Suspension" wait for those checks to
 * be made by hand.
 */
export function isPartlyChecked(
  diagnosis: Pick<Diagnosis, 'unchecked'> | null | undefined,
): boolean {
  return Boolean(diagnosis && Array.isArray(diagnosis.unchecked) && diagnosis.unchecked.length > 0);
}

export function evaluateAccess(
  snapshot: Snapshot,
  requirements: Requirements = DEFAULT_REQUIREMENTS,
): Diagnosis {
  const ctx = createContext(snapshot, requirements);
  checkSections(ctx);
  checkUser(ctx);
  const logins = judgeLogins(ctx);
  judgeConnectedApps(ctx, logins);
  checkSystemPermissions(ctx);
  checkRequiredPermissionSets(ctx);
  checkSources(ctx);

  const objectWork = collectObjects(ctx);
  aggregateObjectPermissions(ctx, objectWork);
  const objects = judgeObjects(ctx, objectWork);
  const byKey = new Map<string, ObjectResult>(objects.map((o) => [o.name.toLowerCase(), o]));
  const fields = judgeFields(ctx, objectWork, byKey);
  checkSharing(ctx, objects);
  const limits = judgeLimits(ctx);

  // Stable sort: errors first, then warnings, then notes, each in the order the rules found them.
  const findings = ctx.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => compareSeverity(a.f.severity, b.f.severity) || a.i - b.i)
    .map((x) => x.f);

  const diagnosis: Diagnosis = {
    verdict: verdictOf(findings),
    findings,
    objects,
    fields,
    limits,
    judgedAt: snapshot.capturedAt,
    grants: requiredGrants(ctx),
  };
  const side = sideGrants(ctx);
  if (side.length) diagnosis.sideGrants = side;
  const validationRules = validationRuleFacts(snapshot.validationRules);
  if (validationRules) diagnosis.validationRules = validationRules;
  const duplicateRules = duplicateRuleFacts(snapshot.duplicateRules);
  if (duplicateRules) diagnosis.duplicateRules = duplicateRules;
  const recordTypePicklists = recordTypePicklistFacts(snapshot.recordTypePicklists);
  if (recordTypePicklists) diagnosis.recordTypePicklists = recordTypePicklists;
  if (logins) diagnosis.logins = logins;
  const edition = snapshot.organization?.OrganizationType?.trim();
  if (edition) diagnosis.edition = edition;
  const unchecked = uncheckedOf(snapshot);
  if (unchecked.length) diagnosis.unchecked = unchecked;
  const readDependencies = readDependenciesOf(snapshot);
  if (readDependencies) diagnosis.readDependencies = readDependencies;
  if (snapshot.user) {
    diagnosis.user = {
      id: snapshot.user.Id,
      username: snapshot.user.Username,
      isActive: snapshot.user.IsActive,
    };
  }
  return diagnosis;
}
