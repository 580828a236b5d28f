/**
 * Names of the Salesforce rules the diagnosis applies. Each finding carries one in `rule`, so the
 * admin (and planRemediation) can tell why it was raised; keep them stable, other parts switch on them.
 */
export const RULES = {
  /** A section of the snapshot was absent: something could not be judged. */
  sectionAbsent: 'section-absent',
  /** The profile's own permission set was not among the assignments. */
  profileMissing: 'profile-not-in-snapshot',
  /** An assignment past its ExpirationDate grants nothing. */
  expiredAssignment: 'expired-assignment',
  /** A session-based permission set grants nothing until a session activates it. */
  sessionBased: 'session-based-permission-set',
  /** A permission set group whose aggregate is being or failed to be recalculated. */
  groupStatus: 'permission-set-group-status',
  /** A required permission set (HubSpot Integration Permissions) is not assigned. */
  requiredPermissionSet: 'required-permission-set',
  /** The user must be active to log in at all. */
  inactiveUser: 'inactive-user',
  /** A frozen user (UserLogin.IsFrozen) cannot log in either. */
  frozenUser: 'frozen-user',
  /** API Enabled: without it no API call succeeds. */
  apiEnabled: 'api-enabled',
  /** Any other required system permission. */
  systemPermission: 'system-permission',
  /** A system permission HubSpot needs that this org's API does not expose: check it by hand. */
  permissionNotInOrg: 'permission-not-in-org',
  /** Object rights come from ObjectPermissions (plus Modify/View All Data). */
  objectPermissions: 'object-permissions',
  /** A mapped lookup needs read on the object it references (a polymorphic one: on the targets HubSpot syncs). */
  lookupTarget: 'lookup-target-read',
  /** Tasks (and events) have no object permissions: "Edit Tasks" governs create/edit/delete. */
  taskEditTasks: 'task-edit-tasks',
  /** Users have no object permissions: every user reads the users visible to it; View All Users sees all. */
  userVisibility: 'user-visibility',
  /** Campaigns can be created or edited only by users with the Marketing User checkbox. */
  campaignMarketingUser: 'campaign-marketing-user',
  /** Field-level security (FieldPermissions, View All Fields). */
  fieldLevelSecurity: 'field-level-security',
  /** Modify All Data / View All Data grant object rights but no field access. */
  adminDataPermissionsNoFls: 'modify-all-data-grants-no-field-access',
  /** A mapped field the org describes as not existing. */
  fieldDeleted: 'field-does-not-exist',
  /** A mapped field absent from the describe: deleted, or hidden from whoever described it. */
  fieldNotFound: 'field-not-in-describe',
  /**
   * Edit asked of a field nobody can write (a system or audit field such as CreatedDate: describe
   * says neither createable nor updateable, it has no field-level security, and the object is
   * writable): no permission can meet the requirement.
   */
  fieldNotWritable: 'field-not-writable',
  /**
   * A requirement that cannot be judged as written: a field named without its object ('Email'
   * instead of 'Contact.Email'), a system permission this org does not have.
   */
  invalidRequirement: 'invalid-requirement',
  /** A required object (or the object of a mapped field) the org does not have. */
  objectDeleted: 'object-does-not-exist',
  /** Private or read-only org-wide defaults hide or lock records from the sync. */
  orgWideDefault: 'org-wide-default',
  /** Daily API requests, data and file storage. */
  apiLimit: 'daily-api-requests',
  /** A per-connected-app cap on daily API requests (HubSpot's own connected app). */
  connectedAppApiLimit: 'connected-app-api-requests',
  storageLimit: 'storage-limit',
  /** Login History: HubSpot's logins as the integration user fail (IP ranges, login hours, lockout). */
  loginFailures: 'login-failures',
  /**
   * Login History: HubSpot's last login failed for a cause that is gone now (the user unfrozen or
   * reactivated, the app approved) and HubSpot has not logged in since: it logs in again only when
   * told to in HubSpot, so this is fixed there, unlike login-failures.
   */
  loginFailureCleared: 'login-failure-cleared',
  /** Login History: no login of HubSpot's in the window, so HubSpot is not syncing as this user. */
  noRecentLogin: 'no-recent-login',
  /** Login History: HubSpot logged in on a steady rhythm, then stopped: its sync has stopped. */
  loginsStopped: 'hubspot-logins-stopped',
  /** HubSpot's connected app admits admin-approved users only and the user is not approved. */
  connectedAppApproval: 'connected-app-approval',
  /** HubSpot's connected app requires a high-assurance session, which an OAuth refresh cannot give. */
  connectedAppSessionPolicy: 'connected-app-session-policy',
  /** HubSpot's refresh tokens expire by the app's policy. */
  connectedAppTokenPolicy: 'connected-app-token-policy',
  /** HubSpot's connected app is not installed: a reconnect may be refused (uninstalled-app restriction). */
  connectedAppNotInstalled: 'connected-app-not-installed',
} as const;

export type RuleName = (typeof RULES)[keyof typeof RULES];

/**
 * The rules judged only from an optional part of the snapshot, which the reader may not be allowed
 * to read: `user.IsFrozen` (UserLogin, Manage Users), `logins` (Login History) and `connectedApps`.
 * When that part is absent none of them can be raised, so "no finding" there means "not checked";
 * the relay's access watch keeps an alerted finding of these while its part goes unread.
 */
export const RULES_OF_OPTIONAL_SECTIONS = {
  frozen: [RULES.frozenUser],
  loginHistory: [
    RULES.loginsStopped,
    RULES.noRecentLogin,
    RULES.loginFailureCleared,
    RULES.loginFailures,
  ],
  connectedApps: [
    RULES.connectedAppNotInstalled,
    RULES.connectedAppApproval,
    RULES.connectedAppSessionPolicy,
    RULES.connectedAppTokenPolicy,
  ],
} as const satisfies Record<string, readonly RuleName[]>;
