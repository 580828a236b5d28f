import type { ReasonCode } from '../reasons/codes.js';
import type { RelayedSyncErrors } from './syncErrors.js';

/**
 * The suspension state the relay learns from HubSpot and carries into Salesforce.
 * One status per HubSpot portal; `history` holds the recent timeline, newest first.
 */
export const SUSPENSION_STATES = ['suspended', 'suspected', 'cleared'] as const;
export type SuspensionState = (typeof SUSPENSION_STATES)[number];
/** Where a status came from: the relay's inputs and the detector. Readers check against this list. */
export const SIGNAL_SOURCES = ['webhook', 'email', 'sync-errors', 'manual', 'detector'] as const;
export type SignalSource = (typeof SIGNAL_SOURCES)[number];

export interface StatusChange {
  at: string;
  state: SuspensionState;
  reason: ReasonCode | null;
  source: SignalSource;
  title?: string | null;
}

export interface RelayedStatus {
  portalId: string;
  state: SuspensionState;
  reason: ReasonCode | null;
  title: string | null;
  /** When the current suspension began (ISO). */
  since: string | null;
  /** The last time any signal confirmed it (ISO). */
  lastSeenAt: string | null;
  clearedAt: string | null;
  source: SignalSource | null;
  /** A short excerpt of what HubSpot said (e-mail text, banner, sync error). */
  excerpt: string | null;
  history: StatusChange[];
  /**
   * The newest export of HubSpot's sync errors the relay received for the portal, carried with the
   * status (Sync_Errors__c); absent or null when none was uploaded (or an older relay wrote it).
   * The Apex hands on the field's JSON text as it is: read it with parseSyncErrors (the core's
   * functions that take a status do).
   */
  syncErrors?: RelayedSyncErrors | string | null;
}

/**
 * The one rule for "under a suspension": HubSpot reports the sync suspended ('suspended') or the
 * relay suspects it ('suspected'); none relayed, or a cleared one, is not. The verdict, the
 * remediation plan's HubSpot step, the copied report, the app and the CLI all ask this.
 */
export function isSuspendedState(
  status: Pick<RelayedStatus, 'state'> | null | undefined,
): status is Pick<RelayedStatus, 'state'> & { state: 'suspended' | 'suspected' } {
  return status?.state === 'suspended' || status?.state === 'suspected';
}

/**
 * API names of the custom object and platform event in force-app. The relay, the collector, the
 * org simulator and the Apex all use these; a test in force-app tooling checks the metadata matches.
 */
export const STATUS_OBJECT = {
  name: 'HubSpot_Sync_Status__c',
  fields: {
    portalId: 'Portal_Id__c',
    state: 'State__c',
    reason: 'Reason_Code__c',
    title: 'Title__c',
    since: 'Since__c',
    lastSeenAt: 'Last_Seen__c',
    clearedAt: 'Cleared_At__c',
    source: 'Source__c',
    excerpt: 'Excerpt__c',
    /** Long text area holding the JSON of `history` (most recent 50 changes). */
    history: 'History__c',
    /**
     * Number the relay writes with each status, larger with each of its writes (not a status
     * property): the validation rule Status_Never_Goes_Back refuses a write with a smaller one.
     */
    relaySequence: 'Relay_Sequence__c',
    /** Long text area holding syncErrorsJson of `syncErrors` (SYNC_ERRORS_LIMITS.json characters). */
    syncErrors: 'Sync_Errors__c',
  },
} as const;

export const STATUS_EVENT = {
  name: 'Sync_Doctor_Event__e',
  fields: {
    portalId: 'Portal_Id__c',
    state: 'State__c',
    reason: 'Reason_Code__c',
    title: 'Title__c',
    occurredAt: 'Occurred_At__c',
    source: 'Source__c',
  },
} as const;

/** Length limits of the Salesforce fields, so every writer truncates the same way. */
export const STATUS_FIELD_LIMITS = {
  /** Portal_Id__c on the record, on the event and in the settings: never truncated, refused. */
  portalId: 32,
  title: 255,
  excerpt: 32768,
  history: 131072,
  historyEntries: 50,
} as const;
