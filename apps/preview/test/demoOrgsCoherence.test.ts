/**
 * Every demo org, and every variant, tells one story on every card: a user Salesforce will not let
 * in (deactivated, frozen, without "API Enabled") has no successful login once its refusals begin,
 * HubSpot's latest attempt is refused with a Status that names why, and HubSpot's API requests of
 * the last 24 hours are only those its successful logins allowed. Read straight from the simulated
 * org's records (LoginHistory, UserLogin, the effective permission sets, the limits) at a fixed
 * clock, so demo data that contradicts itself fails here rather than in front of an admin.
 */
import {
  FIXTURE_NAMES,
  FIXTURE_SIZES,
  loadFixture,
  type FixtureSize,
  type FixtureName,
  type SRecord,
} from '@sync-doctor/org-simulator';
import {
  PREVIEW_VARIANT_NAMES,
  variantChanges,
  type PreviewVariant,
} from '../src/demo/variants.js';

type Org = ReturnType<typeof loadFixture>;

const NOW = new Date('2026-11-28T14:00:00.000Z');
const HOUR = 3_600_000;
const HUBSPOT = 'HubSpot';

/** The demo orgs the selector offers: each fixture alone, and each variant over the healthy org. */
const ORGS: [string, FixtureName, PreviewVariant[]][] = [
  ...FIXTURE_NAMES.map((name): [string, FixtureName, PreviewVariant[]] => [name, name, []]),
  ...PREVIEW_VARIANT_NAMES.map((variant): [string, FixtureName, PreviewVariant[]] => [
    `healthy with ${variant}`,
    'healthy',
    [variant],
  ]),
];
/** At both sizes: a size scales the org, it does not rewrite its story. */
const CASES = FIXTURE_SIZES.flatMap((size) =>
  ORGS.map(([label, fixture, variants]): [string, FixtureSize, FixtureName, PreviewVariant[]] => [
    label,
    size,
    fixture,
    variants,
  ]),
);

function load(
  fixture: FixtureName,
  variants: PreviewVariant[],
  size: FixtureSize = 'default',
): Org {
  return loadFixture(fixture, size, { now: NOW, changes: variantChanges(variants) });
}

const time = (row: SRecord) => Date.parse(String(row.LoginTime));
const succeeded = (row: SRecord) => /^\s*success/i.test(String(row.Status));

/** HubSpot's login attempts as the integration user, oldest first. */
function hubspotLogins(org: Org): SRecord[] {
  return org
    .table('LoginHistory')
    .filter((row) => row.UserId === org.integrationUserId && row.Application === HUBSPOT)
    .sort((a, b) => time(a) - time(b));
}

/** Whether an active assignment of the integration user's grants "API Enabled". */
function apiEnabled(org: Org): boolean {
  const sets = new Map(org.table('PermissionSet').map((set) => [set.Id, set]));
  return org
    .table('PermissionSetAssignment')
    .filter(
      (a) =>
        a.AssigneeId === org.integrationUserId &&
        a.IsActive !== false &&
        (a.ExpirationDate == null || Date.parse(String(a.ExpirationDate)) > NOW.getTime()),
    )
    .some((a) => sets.get(String(a.PermissionSetId))?.PermissionsApiEnabled === true);
}

/** Why Salesforce refuses the integration user now, each with the Status words that name it. */
function blocks(org: Org): { why: string; status: RegExp }[] {
  const user = org.table('User').find((u) => u.Id === org.integrationUserId)!;
  const login = org.table('UserLogin').find((l) => l.UserId === org.integrationUserId);
  return [
    ...(user.IsActive === false ? [{ why: 'deactivated', status: /inactive/i }] : []),
    ...(login?.IsFrozen === true ? [{ why: 'frozen', status: /frozen/i }] : []),
    ...(!apiEnabled(org) ? [{ why: 'without API Enabled', status: /api.*disabled/i }] : []),
  ];
}

/** The healthy org's HubSpot API requests in 24 hours: HubSpot's rate when it is let in. */
const healthyRate = (() => {
  let rate: number | undefined;
  return () => (rate ??= hubspotRequests(load('healthy', [])));
})();

function hubspotRequests(org: Org): number {
  return org.limits.DailyApiRequests?.apps?.[HUBSPOT]?.used ?? 0;
}

describe.each(CASES)('%s (%s size): the cards agree', (_label, size, fixture, variants) => {
  let org: Org;
  beforeAll(() => {
    org = load(fixture, variants, size);
  });

  test('a user Salesforce will not let in has no success after its first refusal, and its latest attempt is refused for that reason', () => {
    const logins = hubspotLogins(org);
    expect(logins.length).toBeGreaterThan(0);
    const firstRefusal = logins.findIndex((row) => !succeeded(row));
    // Once refused, never let in again: the refusals are the newest attempts.
    if (firstRefusal >= 0)
      expect(
        logins
          .slice(firstRefusal)
          .filter(succeeded)
          .map((row) => row.LoginTime),
      ).toEqual([]);
    const reasons = blocks(org);
    if (!reasons.length) return;
    const latest = logins[logins.length - 1]!;
    // HubSpot keeps refreshing hourly until it gives up: an attempt of the last two hours is refused.
    if (NOW.getTime() - time(latest) < 2 * HOUR) {
      expect({ why: reasons.map((r) => r.why), status: latest.Status }).toEqual({
        why: reasons.map((r) => r.why),
        status: expect.not.stringMatching(/^\s*success/i),
      });
      expect(reasons.some((r) => r.status.test(String(latest.Status)))).toBe(true);
    }
  });

  test("HubSpot's API requests of the last 24 hours are only those its successful logins allowed", () => {
    const logins = hubspotLogins(org);
    const lastSuccess = logins.filter(succeeded).at(-1);
    const hoursSince = lastSuccess ? (NOW.getTime() - time(lastSuccess)) / HOUR : Infinity;
    const used = hubspotRequests(org);
    const limit = org.limits.DailyApiRequests!;
    expect(limit.used).toBeGreaterThanOrEqual(used);
    if (hoursSince >= 24) {
      expect(used).toBe(0);
    } else if (hoursSince > 2) {
      // Let in for (24 - hoursSince) hours of the window, and its token good for an hour after
      // its last refresh: no more than the healthy rate for that long. (A refusal of the last
      // hour or two, as of a user frozen just now, is within a day's count either way.)
      expect(used).toBeLessThanOrEqual(Math.ceil((healthyRate() * (25 - hoursSince)) / 24));
    }
  });
});
