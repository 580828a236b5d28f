import type { ReasonCode } from '../reasons/codes.js';
import type { CauseCode } from '../reasons/causes.js';
import type { SymptomCode } from '../reasons/symptoms.js';
import type { FieldAccess, ObjectAccess } from '../requirements/types.js';
import type { UncheckedCheck } from '../snapshot/unchecked.js';

/**
 * From the findings alone: 'blocked' with an error, 'at-risk' with a warning, else 'healthy'. A
 * verdict says nothing of what was not read: 'healthy' with `Diagnosis.unchecked` set means "no
 * problem in what Sync Doctor could read", and every view says so (isPartlyChecked).
 */
export type Verdict = 'healthy' | 'at-risk' | 'blocked';
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /**
   * The HubSpot suspension reason the finding leads to. A symptom (`symptom` set) leads to none it
   * can name: its `reason` is only HubSpot's heading for the evidence it was read from (Login
   * History: "API access disabled"), kept so a reader that knows only reasons still has one, and
   * every heading, group and suspension check in Sync Doctor goes by the symptom instead.
   */
  reason: ReasonCode;
  /**
   * Set when the finding is a sign that HubSpot's sync is not running (its logins stopped) rather
   * than a cause HubSpot names: any suspension reason, or a disconnect in HubSpot, shows the same.
   * findingTitle and findingCode head and group it by the symptom; checkSuspensionSteps counts it
   * neither for nor against the reason HubSpot reports.
   */
  symptom?: SymptomCode;
  /**
   * Set when the finding has a cause of its own that HubSpot's reason would hide (an inactive, a
   * frozen or a locked-out user, logins refused by IP ranges or login hours, a user not approved for HubSpot's
   * connected app, which HubSpot reports as "API access disabled"): findingTitle and findingCode head
   * and group it by the cause, the title still naming `reason`, which the suspension steps count as
   * for any finding of that reason.
   */
  cause?: CauseCode;
  /**
   * True when what the finding blocks has not happened yet: Salesforce lets HubSpot in today and
   * refuses it from its next token refresh on (a user not approved for HubSpot's app, no refusal
   * read yet). Still an error; the verdict says it as what will happen (verdictSentence).
   */
  pending?: boolean;
  /**
   * The remedy in a few words, for a to-do list beside the finding (the fix card), where the remedy
   * is long and the list would otherwise point to the finding for it. Absent: the remedy is short.
   */
  action?: string;
  severity: Severity;
  /** 'Contact', 'Contact.Email', 'PermissionsApiEnabled', 'DailyApiRequests', a permission set name. */
  subject: string;
  message: string;
  remedy: string;
  /** Which Salesforce rule decided this (for the admin: "why does it say that?"). */
  rule?: string;
}

export interface EffectiveObjectAccess {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

export interface ObjectResult {
  name: string;
  /** The rights required of it (empty for an object reached only as a lookup target before judging). */
  required: string[];
  effective: EffectiveObjectAccess;
  /** Profile or permission set (group) labels that grant any of the rights. */
  grantedBy: string[];
  /** Why it is in the list when it was not asked for directly: 'lookup from Contact.AccountId'. */
  reachedBy?: string[];
  /**
   * Rights a permission set must still add (least privilege, dependencies not expanded). Rights that
   * no object permission can give (Edit Tasks, the Marketing User checkbox) are not listed here: the
   * findings name them. Absent when the diagnosis could not judge the object.
   */
  missing?: ObjectAccess[];
  /** How Salesforce governs access to this object ('object-permissions', 'task-edit-tasks', ...). */
  rule?: string;
  /** Why the verdict on this object is partial or surprising, for the admin. */
  note?: string;
  /** false when the org has no such object. */
  exists?: boolean;
}

export interface FieldResult {
  name: string;
  required: string[];
  effective: { read: boolean; edit: boolean };
  grantedBy: string[];
  note?: string;
  /** Field-level rights a permission set must still add (FLS only; object rights are on the object). */
  missing?: FieldAccess[];
  /** The HubSpot property mapped to this field, when known. */
  hubspotProperty?: string;
  /** false when the field is not there (deleted, or hidden from the describe). */
  exists?: boolean;
  /**
   * A picklist's active values and whether it refuses others, when the snapshot's describe gave
   * them (FieldDescribe.picklistValues): what a refused value of a sync error is checked against.
   */
  picklist?: {
    restricted: boolean;
    values: string[];
    /** A multi-select picklist: a refused 'A;B' names two values. */
    multi?: true;
  };
}

export interface LimitResult {
  name: string;
  used: number;
  max: number;
  ratio: number;
}

/**
 * A required system permission or permission set, as judged: the evidence an admin (or the
 * suspension steps) can point at when it is there, not only the finding when it is not.
 */
export interface GrantCheck {
  /** 'connectedApp': the user's approval for a HubSpot app that admits admin-approved users only. */
  kind: 'systemPermission' | 'permissionSet' | 'connectedApp';
  /** As the requirements name it: 'PermissionsApiEnabled', 'HubSpot Integration Permissions'; the app's name. */
  name: string;
  /** The connected app's Salesforce Id (ConnectedApplication): what a fix approves the user for. */
  id?: string;
  /** Absent when it could not be judged (no assignments, or the org does not expose the permission). */
  granted?: boolean;
  /** A system permission this org's PermissionSet has no column of (its edition, or a setting off). */
  absent?: true;
  /** Labels of the active sources that grant it: 'Permission set: HubSpot Integration Permissions'. */
  by: string[];
}

/** What a refused login's Status says, as the remedy needs it. */
export type LoginFailureCause =
  | 'api-disabled'
  | 'ip-range'
  | 'login-hours'
  | 'frozen'
  | 'inactive'
  | 'lockout'
  | 'app-not-approved'
  | 'password'
  | 'verification'
  | 'other';

/** Refused logins of one Status, newest first. */
export interface LoginFailureGroup {
  status: string;
  cause: LoginFailureCause;
  count: number;
  lastAt: string;
  /** Up to three addresses the attempts came from. */
  sourceIps: string[];
}

/** The integration user's Login History as HubSpot lives it (its connected app's and unnamed attempts). */
export interface LoginSummary {
  /** The window read, in days. */
  days: number;
  /** Attempts judged: HubSpot's connected app's, and those Salesforce names no application for. */
  attempts: number;
  /** Attempts of other applications (a browser, Data Loader), left out. */
  otherApplications: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  /** When the newest attempt failed: the oldest attempt of that run of failures. */
  failingSince: string | null;
  failures: LoginFailureGroup[];
  /**
   * Present when HubSpot's logins stopped: the silence since its last successful login lasts
   * several of its usual gaps between logins (the finding 'hubspot-logins-stopped' says the same).
   * `loginSilenceText` says it in words.
   */
  stopped?: LoginSilence;
}

/** HubSpot's logins having stopped: how long they have been silent, against their usual rhythm. */
export interface LoginSilence {
  /** The last successful login (Salesforce's LoginTime): when the silence began. */
  lastLoginAt: string;
  /** From that login to the snapshot's capture, in milliseconds. */
  silentForMs: number;
  /** The median gap between HubSpot's successful logins before it, in milliseconds. */
  usualGapMs: number;
}

/**
 * What an active duplicate rule does to an API write: 'block', 'alert' (refused unless the write
 * asks to save anyway), null (allowed), or 'unread' when the reader had only the rule's name (the
 * app's Apex reads the DuplicateRule object, which holds no actions).
 */
export type DuplicateRuleAction = 'block' | 'alert' | 'unread' | null;

/** An active duplicate rule as the diagnosis keeps it, with what it does to an API write. */
export interface DuplicateRuleFact {
  /** The rule's name, as the User Interface API gives it (the app: its label, MasterLabel). */
  name: string;
  onCreate: DuplicateRuleAction;
  onEdit: DuplicateRuleAction;
  /**
   * true when the rule has conditions (the User Interface API's duplicateRuleFilters): it refuses
   * only the records they match, and a condition on Current User may already leave out the
   * integration user. The conditions themselves are not read. Absent when it has none or when the
   * reader could not tell (the app's names-only read).
   */
  conditions?: true;
}

/** One object's active duplicate rules ([] when it has none), as read (Diagnosis.duplicateRules). */
export interface DuplicateRulesOfObject {
  object: string;
  rules: DuplicateRuleFact[];
}

/**
 * One object's active record types ([] when it has none), each with the values it offers for each
 * of the object's picklists, keyed by the field's API name in lower case
 * (Diagnosis.recordTypePicklists).
 */
export interface RecordTypePicklistsOfObject {
  object: string;
  recordTypes: { name: string; values: Record<string, string[]> }[];
}

/** An active validation rule as the diagnosis keeps it (Diagnosis.validationRules). */
export interface ValidationRuleFact {
  /** The object's API name ('Contact'). */
  object: string;
  /** The rule's API name ('Phone_Has_10_Digits'). */
  name: string;
  /** Its Error Message, what Salesforce answers when it refuses a record. */
  message: string;
  /** The field the error is shown on (ErrorDisplayField), if any. */
  field?: string;
}

export interface Diagnosis {
  verdict: Verdict;
  /** The integration user judged (absent when the snapshot had no user section). */
  user?: { id: string; username: string; isActive: boolean };
  /** The snapshot's capturedAt: the moment the verdict is about. */
  judgedAt?: string;
  /** The org's edition as the snapshot read it ('Enterprise Edition'); absent when it did not. */
  edition?: string;
  findings: Finding[];
  objects: ObjectResult[];
  fields: FieldResult[];
  limits: LimitResult[];
  /** The required system permissions and permission sets with what grants them (absent from older producers). */
  grants?: GrantCheck[];
  /**
   * System permissions read to answer HubSpot's sync errors, never required of the user (no
   * finding when missing): "Update Records with Inactive Owners" (SIDE_PERMISSIONS). Absent when
   * the permissions were not read.
   */
  sideGrants?: GrantCheck[];
  /**
   * The org's active validation rules, read to name the rule behind a "custom code" sync error
   * (validationRuleNow). Absent when not read (always in the app: see Snapshot.validationRules).
   */
  validationRules?: ValidationRuleFact[];
  /**
   * The active duplicate rules of the objects read, to say which refuse HubSpot's writes
   * (duplicateRuleNow): the CLI reads those a duplicate sync error names, with their actions; the
   * app reads every scope object's, by name only. Absent when not read (see
   * Snapshot.duplicateRules).
   */
  duplicateRules?: DuplicateRulesOfObject[];
  /**
   * The active record types of the objects of a picklist sync error's fields, with the values
   * each offers (recordTypePicklistFacts), read by the CLI only when such a group is shown: a
   * restricted picklist refuses a value the record's record type does not offer. Absent when not
   * read (always in the app: its Apex cannot reach the User Interface API).
   */
  recordTypePicklists?: RecordTypePicklistsOfObject[];
  /** HubSpot's logins as the user (absent when the snapshot has no Login History). */
  logins?: LoginSummary;
  /**
   * Objects whose rights in a permission set need Read on other objects in that same set, as the
   * snapshot's describe shows them (keyed by object API name): a custom detail object's
   * master-detail masters; Contact for Account in an org with Person Accounts. The fixed standard
   * ones (Contact, Opportunity, Contract on Account) are planRemediation's PARENT_OBJECTS and are
   * not repeated. Absent when the snapshot shows none (older snapshots, orgs without such objects).
   */
  readDependencies?: Record<string, string[]>;
  /**
   * The checks this diagnosis could not make because the snapshot lacks an optional part (the
   * frozen state, Login History, HubSpot's connected app: uncheckedOf), in that order. Absent when
   * all were read (and from older producers). The verdict is unchanged by it: a healthy verdict
   * with it is partly checked, and must not be shown as an all-clear.
   */
  unchecked?: UncheckedCheck[];
}
