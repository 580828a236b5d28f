import {
  describeFixture,
  largeObjectFields,
  type FixtureChange,
  type FixtureName,
} from '@sync-doctor/org-simulator';
export { FIXTURE_SIZES, type FixtureSize } from '@sync-doctor/org-simulator';

/**
 * States of the demo org no fixture has, laid over any fixture (and either size) with the org
 * simulator's fixture changes: what a real org's admin or integration user can be, which the page
 * must show.
 */
export const PREVIEW_VARIANTS = {
  /**
   * The running admin without Manage Users, Monitor Login History and Customize Application (a
   * delegated admin): the frozen state, HubSpot's logins and its connected app go unread, and the
   * page says so.
   */
  'admin-without-user-rights': {
    label: 'Admin without Manage Users, Monitor Login History, Customize Application',
    story:
      "You, the admin reading it, lack Manage Users, Monitor Login History and Customize Application: the frozen state, HubSpot's logins and its connected app go unread.",
    changes: [
      'PermissionsManageUsers',
      'PermissionsMonitorLoginHistory',
      'PermissionsCustomizeApplication',
    ].map((permission): FixtureChange => ({
      op: 'setSystemPermission',
      profile: 'System Administrator',
      permission,
      value: false,
    })),
  },
  /**
   * The integration user frozen in Setup > Users an hour ago: active, but every login since
   * refused ("User is Frozen" in Login History), so HubSpot's latest token refresh failed. An hour,
   * so HubSpot's API requests of the last 24 hours (the fixture's own) stay those of the hours it
   * was let in, whichever demo org the variant is laid over.
   */
  'frozen-integration-user': {
    label: 'Integration user frozen',
    story:
      "The integration user was also frozen in Setup > Users an hour ago: Salesforce refuses HubSpot's logins since ('User is Frozen').",
    changes: [
      { op: 'freezeUser', user: 'integration' },
      {
        op: 'failLogins',
        user: 'integration',
        application: 'HubSpot',
        sinceHoursAgo: 1,
        status: 'User is Frozen',
      },
    ] satisfies FixtureChange[],
  },
  /**
   * The running user a viewer: Sync_Doctor_Viewer without the Sync_Doctor_Manage_Settings custom
   * permission (Sync_Doctor_Admin grants it). Nothing changes in the org: the stand-in controller's
   * getSettings answers canEdit false and its saveSettings refuses with the Apex's
   * CANNOT_CHANGE_SETTINGS, so the page shows the settings read only, without Change or Save.
   */
  viewer: {
    label: 'Viewer (Sync_Doctor_Viewer): cannot change the settings or apply fixes',
    story:
      'You hold Sync_Doctor_Viewer only: you see the diagnosis but cannot change the settings or apply fixes.',
    changes: [] satisfies FixtureChange[],
    canEditSettings: false,
    // A viewer is no admin: without Assign Permission Sets and Manage Profiles and Permission Sets
    // (which neither Sync Doctor set grants), getFixRights answers canFix false and the fixes are
    // refused, so the page disables Assign and Grant and says which rights to ask for.
    canFix: false,
  },
} as const satisfies Record<string, PreviewVariantSpec>;

/** A variant: fixture changes laid over the demo org, and whether its user may change settings. */
interface PreviewVariantSpec {
  label: string;
  /** A sentence the page's header adds to the demo org's story while the variant is on. */
  story: string;
  changes: readonly FixtureChange[];
  /** false: the running user lacks Sync_Doctor_Manage_Settings (true when absent). */
  canEditSettings?: boolean;
  /** false: the running user lacks the rights a fix needs (true when absent). */
  canFix?: boolean;
}

export type PreviewVariant = keyof typeof PREVIEW_VARIANTS;
export const PREVIEW_VARIANT_NAMES = Object.keys(PREVIEW_VARIANTS) as PreviewVariant[];

export function isPreviewVariant(name: unknown): name is PreviewVariant {
  return typeof name === 'string' && Object.hasOwn(PREVIEW_VARIANTS, name);
}

/** The fixture changes of these variants, in the order PREVIEW_VARIANTS lists them. */
export function variantChanges(variants: readonly PreviewVariant[]): FixtureChange[] {
  return PREVIEW_VARIANT_NAMES.filter((name) => variants.includes(name)).flatMap((name) => [
    ...PREVIEW_VARIANTS[name].changes,
  ]);
}

/**
 * Whether the running user may change Sync Doctor's settings with these variants laid over the demo
 * org: not when one of them makes the user a viewer.
 */
export function variantsCanEditSettings(variants: readonly PreviewVariant[]): boolean {
  return variants.every(
    (name) => (PREVIEW_VARIANTS[name] as PreviewVariantSpec).canEditSettings !== false,
  );
}

/** Whether the running user may apply fixes with these variants: not when one of them says no. */
export function variantsCanFix(variants: readonly PreviewVariant[]): boolean {
  return variants.every((name) => (PREVIEW_VARIANTS[name] as PreviewVariantSpec).canFix !== false);
}

/**
 * What is wrong with the demo org, for the page's header: the fixture's description (the org
 * simulator's), then each variant's sentence, since a variant changes the story (the healthy org
 * with its user frozen is no longer "everything HubSpot needs is in place" alone).
 */
export function demoOrgStory(fixture: FixtureName, variants: readonly PreviewVariant[]): string {
  return [
    describeFixture(fixture),
    ...PREVIEW_VARIANT_NAMES.filter((name) => variants.includes(name)).map(
      (name) => PREVIEW_VARIANTS[name].story,
    ),
  ].join(' ');
}

/** How many of the large org's generated objects the demo maps to HubSpot. */
export const LARGE_MAPPED_OBJECTS = 30;

/**
 * The large demo org's extra mapped fields (the settings' "extra fields", as an admin of a big org
 * adds them): every field of the simulator's first 30 generated objects, 270 besides the default
 * mapping. The demo starts the simulator with them as required fields, so the HubSpot permission
 * set grants them (and their objects) as it grants the default mapping: a size scales the org, it
 * does not change its health. The simulator's large size alone grows the org, not the mapping.
 */
export function largeOrgMappedFields(): { name: string; access: ('read' | 'edit')[] }[] {
  return largeObjectFields(LARGE_MAPPED_OBJECTS).map((name) => ({
    name,
    access: ['read', 'edit'],
  }));
}
