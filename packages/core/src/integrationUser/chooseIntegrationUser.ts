/**
 * Which user is HubSpot's integration user, from the evidence an org gives: OAuth tokens of
 * HubSpot's connected app, holders of the "HubSpot Integration Permissions" permission set, and
 * the admin's saved choice (Sync Doctor's settings). Reading the evidence is I/O and lives with
 * the callers (Apex SyncDoctorIntegrationUserFinder, @sync-doctor/salesforce); this file only
 * ranks and chooses, so the rule is written once in TypeScript.
 *
 * This is the only copy of the ranking: the package's Apex (SyncDoctorIntegrationUserFinder) only
 * gathers the evidence and its LWC ranks it with this function through c/syncDoctorCore; the CLI
 * and the preview rank with it too. packages/salesforce has a contract test that fails if ranking
 * creeps back into the Apex. Names compare by UTF-16 code unit, as Salesforce's own String does,
 * not by locale.
 */

/** Kinds of evidence, in the order Apex lists them in `sources`. */
export const INTEGRATION_USER_SOURCES = ['oauth', 'permissionSet', 'saved'] as const;
export type IntegrationUserSource = (typeof INTEGRATION_USER_SOURCES)[number];

/** The JSON shape of the Apex Candidate: { userId, username, name, isActive, sources }. */
export interface IntegrationUserCandidate {
  userId: string;
  username: string;
  name: string | null;
  isActive: boolean;
  sources: IntegrationUserSource[];
}

export type IntegrationUserChoice =
  /** No user carries any evidence. */
  | { outcome: 'none' }
  /** One candidate ranks strictly above all others; `others` are the rest, ranked. */
  | { outcome: 'chosen'; user: IntegrationUserCandidate; others: IntegrationUserCandidate[] }
  /** Several candidates tie at the top on evidence and activity; only the name would separate them. */
  | { outcome: 'ambiguous'; tied: IntegrationUserCandidate[]; others: IntegrationUserCandidate[] };

/** By UTF-16 code units (as Apex String.compareTo), not by locale: the same order on every machine. */
function compareNames(a: string | null, b: string | null): number {
  const left = a ?? '';
  const right = b ?? '';
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Evidence, then activity: the part of the ranking that may decide who is checked. */
function compareEvidence(a: IntegrationUserCandidate, b: IntegrationUserCandidate): number {
  if (a.sources.length !== b.sources.length) return b.sources.length - a.sources.length;
  if (a.isActive !== b.isActive) return a.isActive ? -1 : 1;
  return 0;
}

/** Most evidence first, then active users, then by name. */
export function compareIntegrationUserCandidates(
  a: IntegrationUserCandidate,
  b: IntegrationUserCandidate,
): number {
  return compareEvidence(a, b) || compareNames(a.name, b.name);
}

/**
 * Candidates ranked, each user once (evidence of duplicates merged) with its sources in the
 * canonical order. Does not change its input.
 */
export function rankIntegrationUserCandidates(
  candidates: readonly IntegrationUserCandidate[],
): IntegrationUserCandidate[] {
  const byId = new Map<string, IntegrationUserCandidate>();
  for (const candidate of candidates) {
    const known = byId.get(candidate.userId);
    const sources = new Set<IntegrationUserSource>([
      ...(known?.sources ?? []),
      ...candidate.sources,
    ]);
    byId.set(candidate.userId, {
      ...(known ?? candidate),
      sources: INTEGRATION_USER_SOURCES.filter((s) => sources.has(s)),
    });
  }
  return [...byId.values()].sort(compareIntegrationUserCandidates);
}

/**
 * The integration user to check when nobody named one. The top of the ranking is chosen when it
 * has more evidence than the runner-up, or as much and is active while the runner-up is not;
 * a tie on both is ambiguous, because alphabetical order is no evidence of which user HubSpot
 * connects as. An inactive user can be chosen: that is the finding an admin needs to see.
 */
export function chooseIntegrationUser(
  candidates: readonly IntegrationUserCandidate[],
): IntegrationUserChoice {
  const ranked = rankIntegrationUserCandidates(candidates).filter((c) => c.sources.length > 0);
  const [top] = ranked;
  if (!top) return { outcome: 'none' };
  const tied = ranked.filter((c) => compareEvidence(c, top) === 0);
  const others = ranked.slice(tied.length);
  if (tied.length === 1) return { outcome: 'chosen', user: top, others };
  return { outcome: 'ambiguous', tied, others };
}
