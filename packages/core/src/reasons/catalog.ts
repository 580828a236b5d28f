import { DEFAULT_REQUIREMENTS, HUBSPOT_PERMISSION_SET } from '../requirements/defaults.js';
import type { ObjectRequirement } from '../requirements/types.js';
import { OBJECT_RIGHT_LABELS, joinList } from '../diagnosis/text.js';
import type { Finding } from '../diagnosis/types.js';
import { REASON_CODES, type ReasonCode } from './codes.js';
import { CAUSES, type CauseCode } from './causes.js';
import { SYMPTOM_TITLES, type SymptomCode } from './symptoms.js';
import { titlesOf } from './titles.js';
import { HUBSPOT_ALLOCATION_PLACE, HUBSPOT_MAPPINGS_PLACE } from '../diagnosis/hubspotPlaces.js';

export { TITLE_LANGUAGES, TITLE_SOURCES, type TitleLanguage, type TitleSource } from './titles.js';

/** A place the admin can go to see more; `url` when it is a public page. */
export interface WhereToLook {
  label: string;
  url?: string;
}

export interface SuspensionReason {
  code: ReasonCode;
  /** HubSpot's heading for it, per language: `en` and `da` always, others when known. */
  titles: { en: string; da: string; [language: string]: string };
  /**
   * The heading of a warning, which forecasts this reason without it having happened (the API limit
   * at 96%, not at 100%), in English: 'Salesforce org API limit nearly reached'. HubSpot's title
   * says the reason happened, so it heads errors only (findingTitle).
   */
  riskTitle: string;
  /** What it means, in plain words. */
  meaning: string;
  /** Ordered steps an admin can follow. */
  remedy: string[];
  /** True when the suspension normally lifts without anyone doing anything. */
  liftsByItself: boolean;
  /** True when, once the cause is fixed, clicking "Clear Suspension" in HubSpot is the next step. */
  clearSuspensionNext: boolean;
  /**
   * What lifts the suspension once the cause is fixed, as a clause ('click "Clear Suspension" in
   * HubSpot', 're-enter ... (reconnect)', or that HubSpot resumes by itself): the page's banner and
   * the agreement's summary say it alike (suspensionNextStep).
   */
  liftedBy: string;
  whereToLook: WhereToLook[];
  /** True when Sync Doctor can see the cause from a snapshot of the org (permissions, limits). */
  checkedBySyncDoctor: boolean;
}

const SALESFORCE_STATUS: WhereToLook = {
  label: 'Salesforce Status (incidents and maintenance per instance)',
  url: 'https://status.salesforce.com',
};
const HUBSPOT_ARTICLE: WhereToLook = {
  label: "HubSpot's help article: Resolve Salesforce integration suspension errors",
  url: 'https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-suspension-errors',
};
/** Where "Allocated to HubSpot" is set: a place in HubSpot, no public page; "API calls used" is the Sync Health tab's own heading. */
const HUBSPOT_API_ALLOCATION: WhereToLook = {
  label: `${HUBSPOT_ALLOCATION_PLACE}: API calls used, "Allocated to HubSpot"`,
};
/** HubSpot's article that says how to set it (its section "Adjust API call limit"). */
const HUBSPOT_API_CALLS_ARTICLE: WhereToLook = {
  label:
    'HubSpot\'s help article: Manage Salesforce integration API calls and sync errors ("Adjust API call limit")',
  url: 'https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-sync-errors',
};
const COMPANY_INFORMATION: WhereToLook = {
  label:
    'Salesforce: Setup > Company Information (API Requests, Last 24 Hours; Data and File Space Used)',
};
const SYSTEM_OVERVIEW: WhereToLook = {
  label: 'Salesforce: Setup > System Overview (API usage and storage at a glance)',
};
const STORAGE_USAGE: WhereToLook = {
  label: 'Salesforce: Setup > Storage Usage (which objects use the most data storage)',
};
const INTEGRATION_USER: WhereToLook = {
  label:
    'Salesforce: Setup > Users > the HubSpot integration user (profile, permission set assignments)',
};
const PERMISSION_SETS: WhereToLook = {
  label:
    'Salesforce: Setup > Permission Sets > HubSpot Integration Permissions (object and field settings)',
};
const HUBSPOT_SUPPORT: WhereToLook = { label: 'HubSpot Support', url: 'https://help.hubspot.com' };
const SALESFORCE_HELP: WhereToLook = {
  label: 'Salesforce Help (open a case)',
  url: 'https://help.salesforce.com',
};
const HUBSPOT_MAPPINGS: WhereToLook = {
  label: HUBSPOT_MAPPINGS_PLACE,
};
/** HubSpot's article on the mappings (stored copy of 15 Oct 2025: "Map HubSpot properties to Salesforce fields"). */
const HUBSPOT_MAPPINGS_ARTICLE: WhereToLook = {
  label: "HubSpot's help article: Map HubSpot properties to Salesforce fields",
  url: 'https://knowledge.hubspot.com/salesforce/map-hubspot-properties-to-salesforce-fields',
};
const CLEAR_IN_HUBSPOT = 'clear the suspension in HubSpot';

type ReasonBody = Omit<SuspensionReason, 'code' | 'titles'>;

/**
 * 'Read, Create and Edit on Lead and Contact; Read on User': the object rights `check` requires,
 * from DEFAULT_REQUIREMENTS itself, so the advice cannot drift from the rules. Objects needing the
 * same rights share one clause, in the order the requirements list them.
 */
function objectRightsText(objects: readonly ObjectRequirement[]): string {
  const byRights = new Map<string, string[]>();
  for (const object of objects) {
    const rights = joinList(object.access.map((right) => OBJECT_RIGHT_LABELS[right]));
    byRights.set(rights, [...(byRights.get(rights) ?? []), object.name]);
  }
  return [...byRights].map(([rights, names]) => `${rights} on ${joinList(names)}`).join('; ');
}

const SYNCED_OBJECTS = DEFAULT_REQUIREMENTS.objects.map((o) => o.name);

const BODIES: Record<ReasonCode, ReasonBody> = {
  API_LIMIT_EXCEEDED: {
    riskTitle: 'Salesforce org API limit nearly reached',
    meaning:
      'The whole Salesforce org has used up its API requests for the rolling 24-hour window. Every integration of the org, HubSpot included, is refused until older calls fall out of the window.',
    remedy: [
      'In Salesforce, open Setup > Company Information and read "API Requests, Last 24 Hours" to confirm the org is at its maximum.',
      'Find out which integrations use the calls (Setup > System Overview, or the "API Usage Last 7 Days" report) and pause any that are running away.',
      'In HubSpot, set the Salesforce API call allocation ("Allocated to HubSpot") to a share the org can afford, so HubSpot stops before the org limit next time.',
      'During a data migration, ask Salesforce support for a temporary increase of the API limit.',
      'When calls are available again, click "Clear Suspension" in HubSpot\'s Salesforce integration settings.',
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [
      COMPANY_INFORMATION,
      SYSTEM_OVERVIEW,
      HUBSPOT_API_ALLOCATION,
      HUBSPOT_API_CALLS_ARTICLE,
      HUBSPOT_ARTICLE,
    ],
    checkedBySyncDoctor: true,
  },
  API_ACCESS_DISABLED: {
    riskTitle: "Salesforce may refuse HubSpot's API access",
    meaning:
      'Salesforce refuses API calls from the integration user: the user lacks the "API Enabled" permission, or the org\'s edition does not include API access.',
    remedy: [
      'In Salesforce, open the integration user\'s profile (or a permission set assigned to them) and turn on the system permission "API Enabled".',
      "Check that the org's edition includes API access (Enterprise, Unlimited, Performance, Developer, or Professional with the API add-on).",
      'In HubSpot, re-enter the Salesforce credentials of the integration user (reconnect), which clears the suspension message.',
    ],
    liftsByItself: false,
    clearSuspensionNext: false,
    liftedBy:
      're-enter the integration user\'s Salesforce credentials in HubSpot (reconnect): "Clear Suspension" is not the way out of this one',
    whereToLook: [INTEGRATION_USER, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: true,
  },
  UNKNOWN_ERROR: {
    riskTitle: 'Salesforce may answer with an unknown error',
    meaning:
      'Salesforce answered with an error HubSpot could not recognise. These are rare and the error usually passes on its own, but the suspension stays until you clear it.',
    remedy: [
      'Wait a few minutes, then click "Clear Suspension" in HubSpot\'s Salesforce integration settings.',
      "If the suspension comes back, check Salesforce Status for the org's instance.",
      'If it still persists, contact HubSpot Support with the time of the suspension and this report.',
    ],
    // HubSpot's article: click "Clear Suspension", and contact HubSpot Support if it comes back.
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [SALESFORCE_STATUS, HUBSPOT_SUPPORT, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: false,
  },
  OBJECT_PERMISSIONS_MISSING: {
    riskTitle: 'Salesforce object permissions may be missing',
    meaning: `The integration user may not read or edit an object HubSpot syncs (${SYNCED_OBJECTS.join(', ')}) or an object reached through a lookup, or lacks the "${HUBSPOT_PERMISSION_SET}" permission set.`,
    remedy: [
      `In Salesforce, assign the "${HUBSPOT_PERMISSION_SET}" permission set to the integration user (Setup > Users > the user > Permission Set Assignments).`,
      `Give the integration user what HubSpot's sync needs on each synced object: ${objectRightsText(DEFAULT_REQUIREMENTS.objects)}.`,
      // HubSpot's article asks "read and edit permissions on all related objects (e.g. lookups)";
      // Sync Doctor requires Read only (lookup-target-read): said, not contradicted silently.
      "Give read on every object a synced record points to through a lookup: a lookup needs Read, which Sync Doctor checks. HubSpot's article asks read and edit on related objects: if HubSpot still reports this reason once Read is granted, grant Edit on them too.",
      'Click "Clear Suspension" in HubSpot\'s Salesforce integration settings.',
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [INTEGRATION_USER, PERMISSION_SETS, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: true,
  },
  FIELD_PERMISSIONS_MISSING: {
    riskTitle: 'Salesforce field permissions may be missing',
    meaning:
      'The integration user lacks read or edit on a field of a synced object, or on a field of an object reached through a lookup (field-level security). Modify All Data does not grant field access.',
    remedy: [
      "Find the field: the Sync Doctor findings, or HubSpot's sync errors, name it.",
      'In Salesforce, give the integration user read and edit on that field (Field-Level Security in a permission set assigned to the user, ideally "HubSpot Integration Permissions").',
      'Repeat for every mapped field and every field of objects reached through lookups.',
      'Click "Clear Suspension" in HubSpot\'s Salesforce integration settings.',
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [
      PERMISSION_SETS,
      INTEGRATION_USER,
      HUBSPOT_MAPPINGS,
      HUBSPOT_MAPPINGS_ARTICLE,
      HUBSPOT_ARTICLE,
    ],
    checkedBySyncDoctor: true,
  },
  ORG_LOCKED: {
    riskTitle: 'Salesforce may lock the records HubSpot updates',
    meaning:
      'A temporary lock: another operation (often another integration or a bulk job updating the same records) held the records HubSpot tried to update, so Salesforce refused the write.',
    remedy: [
      'Click "Clear Suspension" in HubSpot\'s Salesforce integration settings: most locks are gone within minutes.',
      'If it comes back, look for integrations, data loads or flows that update the same records at the same time, and schedule them apart.',
      'If it still persists, ask your Salesforce system administrator to unlock the org or release the locked records.',
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [
      { label: 'Salesforce: Setup > Bulk Data Load Jobs and Apex Jobs (concurrent updates)' },
      SALESFORCE_STATUS,
      HUBSPOT_ARTICLE,
    ],
    checkedBySyncDoctor: false,
  },
  STORAGE_LIMIT_EXCEEDED: {
    riskTitle: 'Salesforce org storage nearly full',
    meaning:
      'The Salesforce org has used all of its data (or file) storage, so it refuses new records.',
    remedy: [
      'In Salesforce, open Setup > Storage Usage to see which objects fill the data storage.',
      'Free space: delete or archive records nobody needs (HubSpot explains how to bulk-delete HubSpot-created records), or buy more storage from Salesforce.',
      'Click "Clear Suspension" in HubSpot\'s Salesforce integration settings.',
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [STORAGE_USAGE, COMPANY_INFORMATION, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: true,
  },
  ORG_UNAVAILABLE: {
    riskTitle: 'Salesforce org may be unavailable',
    meaning: "Salesforce could not be reached: an outage or maintenance on the org's instance.",
    remedy: [
      "Check Salesforce Status for the org's instance (its name is in Setup > Company Information).",
      'Wait until Salesforce reports the instance available again.',
      'Click "Clear Suspension" in HubSpot\'s Salesforce integration settings.',
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [SALESFORCE_STATUS, COMPANY_INFORMATION, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: false,
  },
  SERVER_ERROR: {
    riskTitle: 'Salesforce may answer with a server error',
    meaning: 'Salesforce answered with an internal server error.',
    remedy: [
      'Click "Clear Suspension" in HubSpot\'s Salesforce integration settings.',
      "If it comes back, check Salesforce Status for the org's instance.",
      'If it still persists, open a case with Salesforce support.',
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [SALESFORCE_STATUS, SALESFORCE_HELP, HUBSPOT_ARTICLE],
    checkedBySyncDoctor: false,
  },
  HUBSPOT_API_LIMIT_EXCEEDED: {
    riskTitle: "HubSpot's share of the org's API calls nearly used",
    meaning:
      "HubSpot has used the share of the org's Salesforce API calls you allocated to it in HubSpot. The org itself may still have calls left. The window is a rolling 24 hours.",
    remedy: [
      'Nothing is required: HubSpot resumes by itself as soon as calls fall out of the rolling 24-hour window.',
      'To resume sooner, compare the org\'s API usage (Setup > Company Information) with its maximum and raise "Allocated to HubSpot" in HubSpot\'s Salesforce integration settings if the org can afford it.',
    ],
    liftsByItself: true,
    clearSuspensionNext: false,
    liftedBy: 'HubSpot resumes by itself once calls fall out of the rolling 24-hour window',
    whereToLook: [
      HUBSPOT_API_ALLOCATION,
      HUBSPOT_API_CALLS_ARTICLE,
      COMPANY_INFORMATION,
      HUBSPOT_ARTICLE,
    ],
    // The allocation is a HubSpot setting no Salesforce snapshot holds; apiWindow forecasts it
    // when the admin gives it.
    checkedBySyncDoctor: false,
  },
  FIELD_MAPPINGS_MISSING: {
    riskTitle: 'Mapped fields may be missing',
    meaning:
      'The integration has no usable mappings between HubSpot properties and Salesforce fields: the mappings (or the default ones) are missing or were removed, or a mapped Salesforce field no longer exists.',
    remedy: [
      "In HubSpot's Salesforce integration settings, open the property mappings of contacts, companies and deals (the Contacts, Companies and Deals tabs) and check that mappings exist.",
      'For a mapped field Sync Doctor reports as deleted, restore it in Salesforce (Object Manager > Fields & Relationships > Deleted Fields) or re-point the mapping in HubSpot.',
      'Click "Clear Suspension".',
      'If it persists, or the default mappings are missing, contact HubSpot Support.',
    ],
    liftsByItself: false,
    clearSuspensionNext: true,
    liftedBy: CLEAR_IN_HUBSPOT,
    whereToLook: [HUBSPOT_MAPPINGS, HUBSPOT_MAPPINGS_ARTICLE, HUBSPOT_SUPPORT, HUBSPOT_ARTICLE],
    // Partly: the mappings live in HubSpot, but a mapped field deleted in Salesforce shows in the snapshot.
    checkedBySyncDoctor: true,
  },
};

function buildReasons(): Record<ReasonCode, SuspensionReason> {
  const out = {} as Record<ReasonCode, SuspensionReason>;
  for (const code of REASON_CODES) {
    out[code] = { code, titles: titlesOf(code), ...BODIES[code] };
  }
  return out;
}

/** Everything Sync Doctor knows about each suspension reason, keyed by its code. */
export const SUSPENSION_REASONS: Record<ReasonCode, SuspensionReason> = buildReasons();

/**
 * The catalog's entry for a reason code, or undefined for a code it lacks. Codes come from the
 * relayed status record (and a forged one can carry any string): a name every object has
 * ('constructor', '__proto__') is no reason, where `SUSPENSION_REASONS[code]` gave Object's own.
 */
export function suspensionReason(code: unknown): SuspensionReason | undefined {
  return typeof code === 'string' && Object.hasOwn(SUSPENSION_REASONS, code)
    ? SUSPENSION_REASONS[code as ReasonCode]
    : undefined;
}

/**
 * The next step the page's banner names while HubSpot reports a suspension, from the reason's own
 * way out (`liftedBy`): "Clear Suspension" is not how every suspension ends (API access disabled
 * needs the credentials re-entered; HubSpot's own API allocation lifts by itself). `blocked`: Sync
 * Doctor's findings block the sync, so they come first. An unknown reason gets the general advice.
 */
export function suspensionNextStep(
  code: string | null | undefined,
  options: { blocked: boolean },
): string {
  const reason = suspensionReason(code);
  if (!reason)
    return options.blocked
      ? 'Fix the findings below first, then clear the suspension in HubSpot.'
      : '"Suspension reported by HubSpot" below says what to do and when to clear it.';
  if (options.blocked)
    return reason.liftsByItself
      ? `Fix the findings below first; ${reason.liftedBy}.`
      : `Fix the findings below first, then ${reason.liftedBy}.`;
  if (reason.clearSuspensionNext)
    return '"Suspension reported by HubSpot" below says what to do and when to clear it.';
  return reason.liftsByItself
    ? `"Suspension reported by HubSpot" below says what to check; ${reason.liftedBy}.`
    : `"Suspension reported by HubSpot" below says what to do, then ${reason.liftedBy}.`;
}

/**
 * What a finding is grouped by: its symptom ('SYNC_STOPPED') when it has one, else its cause
 * ('USER_INACTIVE'), else its reason ('OBJECT_PERMISSIONS_MISSING'). The Findings card, the report
 * and the CLI all go by it, so a symptom never lands under a reason it does not know, and an
 * inactive user never under "API access disabled" with a missing API Enabled.
 */
export function findingCode(
  finding: Pick<Finding, 'reason' | 'symptom' | 'cause'>,
): ReasonCode | SymptomCode | CauseCode {
  return finding.symptom ?? finding.cause ?? finding.reason;
}

const AT_RISK = 'At risk: ';
/** What a cause's heading calls HubSpot's reason it leads to (a forecast, not a report). */
export const HUBSPOT_WOULD_SUSPEND_WITH = 'HubSpot would suspend with:';

/**
 * The heading of a finding's group (its symptom, cause or reason) at its severity, without the
 * 'At risk: ' that findingTitle puts before a warning's: for a verdict that says "at risk" itself.
 *
 * The rule: an error IS HubSpot's reason, so it is headed by HubSpot's title ('Salesforce org API
 * limit exceeded'); a warning only FORECASTS it, so it is headed by the reason's riskTitle and names
 * HubSpot's title as what HubSpot would suspend for ('Salesforce org API limit nearly reached
 * (HubSpot's reason if it suspends: Salesforce org API limit exceeded)'); a note is about the
 * reason ('About HubSpot's reason "Salesforce org API access disabled"'), never a claim it
 * happened. A symptom reads as itself ("HubSpot's sync has stopped"); a cause reads as itself and
 * names HubSpot's reason it leads to ("Integration user inactive (HubSpot would suspend with: Salesforce org
 * API access disabled)", or "... (HubSpot's reason if it suspends: ...)" when it is not an error).
 * `reason` codes are never changed by this: only the words.
 */
export function findingHeading(
  finding: Pick<Finding, 'reason' | 'symptom' | 'severity' | 'cause'>,
): string {
  const reason = suspensionReason(finding.reason);
  const reasonTitle = reason?.titles.en || finding.reason;
  const happened = finding.severity === 'error';
  // Said as a forecast even for an error: HubSpot may not have suspended (yet); what it reported
  // is the suspension panel's to say.
  const hubspotReason = happened
    ? `(${HUBSPOT_WOULD_SUSPEND_WITH} ${reasonTitle})`
    : `(HubSpot's reason if it suspends: ${reasonTitle})`;
  if (finding.symptom && SYMPTOM_TITLES[finding.symptom]) return SYMPTOM_TITLES[finding.symptom];
  const cause =
    !finding.symptom && finding.cause && Object.hasOwn(CAUSES, finding.cause)
      ? CAUSES[finding.cause]
      : undefined;
  if (cause) return `${cause.title} ${hubspotReason}`;
  if (happened || !reason) return reasonTitle;
  if (finding.severity === 'warning') return `${reason.riskTitle} ${hubspotReason}`;
  return `About HubSpot's reason "${reasonTitle}"`;
}

/**
 * The heading of a finding's group at its severity (see findingHeading for the rule); a warning's
 * starts 'At risk: ', as it is a risk, not a suspension that happened. The verdicts (the app's, the
 * CLI's) and the report use it, so every place names a finding alike.
 */
export function findingTitle(
  finding: Pick<Finding, 'reason' | 'symptom' | 'severity' | 'cause'>,
): string {
  const heading = findingHeading(finding);
  return finding.severity === 'warning' ? `${AT_RISK}${heading}` : heading;
}
