/**
 * The steps about the org rather than the user: storage room, the edition's API access, the daily
 * API requests used, and HubSpot's rule that the lookup step counts only once the objects' step is
 * done.
 */
import { percent } from '../../diagnosis/text.js';
import { API_WARNING_RATIO } from '../../diagnosis/limits.js';
import { View, type Judgement, amount, unseen } from './view.js';

/** Data and file storage: room left, or full (with the finding). */
export function storageStep(v: View): Judgement {
  const limits = ['DataStorageMB', 'FileStorageMB']
    .map((name) => v.limit(name))
    .filter((l) => l !== undefined);
  const findings = v.problems((f) => f.reason === 'STORAGE_LIMIT_EXCEEDED');
  if (limits.length === 0)
    return {
      status: 'unknown',
      checked: true,
      evidence: 'The storage limits were not read.',
      findings,
    };
  const full = findings.filter((f) => f.severity === 'error');
  const reading = limits
    .map(
      (l) =>
        `${l.name === 'DataStorageMB' ? 'data' : 'file'} storage ${percent(l.ratio)} used (${amount(l.used)} of ${amount(l.max)} MB)`,
    )
    .join(', ');
  if (full.length)
    return { status: 'todo', checked: true, evidence: `Still full: ${reading}.`, findings };
  // Room in one storage says nothing of the other: a limit not read is no room.
  if (limits.length < 2)
    return {
      status: 'unknown',
      checked: true,
      evidence: `The ${limits[0]!.name === 'DataStorageMB' ? 'file' : 'data'} storage limit was not read (${reading}).`,
      findings,
    };
  // Room now, but near full (a warning): at risk, not "Not the cause now".
  if (findings.some((f) => f.severity === 'warning'))
    return {
      status: 'unknown',
      outcome: 'at-risk',
      checked: true,
      evidence: `At risk: there is room, but little, ${reading}.`,
      findings,
    };
  // Room now is no space freed: whether it was full when HubSpot suspended the sync is not shown.
  return {
    status: 'unknown',
    outcome: 'not-the-cause',
    checked: true,
    evidence: `Not the cause now: there is room, ${reading}.`,
    findings,
  };
}

/** The org at or near its own daily API limit (the threshold of the diagnosis's warning). */
export function orgNearApiLimit(v: View): boolean {
  const api = v.limit('DailyApiRequests');
  return api !== undefined && api.ratio >= API_WARNING_RATIO;
}

/** Editions that include API access; Professional only with the API add-on. */
const API_EDITIONS = /\b(enterprise|unlimited|performance|developer)\b/i;

/** "Check that the org's edition includes API access": the edition, when the snapshot has it. */
export function editionStep(v: View): Judgement {
  const edition = v.d.edition;
  if (!edition)
    return unseen(
      "Sync Doctor did not read the org's edition: Setup > Company Information shows it.",
    );
  if (API_EDITIONS.test(edition))
    return {
      status: 'done',
      checked: true,
      evidence: `Sync Doctor read the org's edition: ${edition}, which includes API access.`,
    };
  if (/\bprofessional\b/i.test(edition))
    return unseen(
      `Sync Doctor read the org's edition: ${edition}, which includes API access only with the API add-on, and Sync Doctor cannot see add-ons.`,
    );
  return unseen(
    `Sync Doctor read the org's edition: ${edition}, not one it knows to include API access: check it with Salesforce.`,
  );
}

export function apiReading(v: View): string | undefined {
  const api = v.limit('DailyApiRequests');
  if (!api) return undefined;
  return `${percent(api.ratio)} of the org's daily API requests are used (${amount(api.used)} of ${amount(api.max)})`;
}

/**
 * HubSpot's article makes the lookup step conditional: only if the user already has the rights on
 * the synced objects is the cause a cross-related object. While those rights are still to do, the
 * lookup step is not "Done" even when its objects are granted: its cause is not the one now.
 */
export function lookupAfterObjects(objects: Judgement, lookups: Judgement): [Judgement, Judgement] {
  if (objects.status !== 'todo' || lookups.status !== 'done') return [objects, lookups];
  return [
    objects,
    {
      ...lookups,
      status: 'unknown',
      outcome: 'not-the-cause',
      evidence: `Not the cause now: the step before is still to do, and ${lookups.evidence.charAt(0).toLowerCase()}${lookups.evidence.slice(1)}`,
    },
  ];
}
