/**
 * How a relayed status reads, in the app's suspension panel, the CLI's "HubSpot reported" and the
 * copied report alike: the reason's title, and what to say when nothing was relayed. Each used to
 * word it on its own (the panel did not trim HubSpot's title; the CLI's sentence was a copy of the
 * panel's).
 */
import { HUBSPOT_SALESFORCE_PLACE } from '../diagnosis/hubspotPlaces.js';
import { RULES } from '../diagnosis/rules.js';
import type { Diagnosis } from '../diagnosis/types.js';
import { suspensionReason } from '../reasons/catalog.js';
import type { RelayedStatus } from './status.js';

/** The title of a suspension whose reason Sync Doctor does not know and HubSpot did not name. */
export const UNRECOGNISED_REASON_TITLE = 'Unrecognised suspension reason';

export interface RelayedReasonTitle {
  /**
   * The catalog's English title for a known reason, else HubSpot's own title, else
   * UNRECOGNISED_REASON_TITLE; '' for a clearing that names no reason (nothing to name).
   */
  title: string;
  /**
   * HubSpot's own title beside a known reason's, only when it says something the catalog's titles
   * (in any language) do not: a Danish or Norwegian notification's translation of the same title
   * adds nothing. Null otherwise.
   */
  hubspotWords: string | null;
}

/**
 * The reason's title as the admin reads it: the catalog's English title for a known reason (the
 * relay keeps HubSpot's title in the notification's language), else HubSpot's own title, trimmed.
 * A cleared status without either has none: "Unrecognised suspension reason" beside "CLEARED"
 * read as if a suspension were still to be understood.
 */
export function relayedReasonTitle(
  status: Pick<RelayedStatus, 'reason' | 'title'> & { state?: RelayedStatus['state'] },
): RelayedReasonTitle {
  const reason = suspensionReason(status.reason);
  const own = (typeof status.title === 'string' && status.title.trim()) || null;
  if (!reason && !own && status.state === 'cleared') return { title: '', hubspotWords: null };
  if (!reason) return { title: own ?? UNRECOGNISED_REASON_TITLE, hubspotWords: null };
  const known = Object.values(reason.titles).map((t) => t.trim().toLowerCase());
  return {
    title: reason.titles.en,
    hubspotWords: own && !known.includes(own.toLowerCase()) ? own : null,
  };
}

/** The org's data storage is full: Salesforce refuses new records, the relay's status record too. */
function dataStorageFull(diagnosis: Pick<Diagnosis, 'findings'> | null | undefined): boolean {
  return (diagnosis?.findings ?? []).some(
    (f) =>
      f.reason === 'STORAGE_LIMIT_EXCEEDED' &&
      f.severity === 'error' &&
      f.rule === RULES.storageLimit &&
      f.subject === 'DataStorageMB',
  );
}

/**
 * What to say when no status was relayed for the portal (or, without one, for any portal): no
 * record is not "HubSpot reported nothing", since without a relay, or with one that cannot reach
 * the org, a suspension never arrives. With the diagnosis: when it finds the org's data storage
 * full, the relay cannot create the status record either (Salesforce refuses new records), and
 * HubSpot suspends the sync for that very reason, so no record proves nothing.
 */
export function nothingRelayedText(
  portalId?: string | null,
  diagnosis?: Pick<Diagnosis, 'findings'> | null,
): string {
  const which = portalId ? `portal ${portalId}` : 'any HubSpot portal';
  if (dataStorageFull(diagnosis))
    return `No suspension has been relayed for ${which}, or the relay could not write it: the org's data storage is full, and Salesforce refuses the relay's status record as it refuses HubSpot's records. Check ${HUBSPOT_SALESFORCE_PLACE} for a suspension.`;
  return `No suspension has been relayed for ${which}. Sync Doctor hears of HubSpot's suspensions only through its relay; if the relay is not set up, HubSpot's Salesforce integration settings show whether the sync is suspended.`;
}

/**
 * How a relayed suspension is lifted, by its reason's catalog entry: HubSpot lifts it by itself
 * (`liftsByItself`: its own API allocation), re-entering the integration user's credentials
 * (reconnecting) clears it (API access disabled: neither "Clear Suspension" nor time lifts it), or
 * "Clear Suspension" in HubSpot does; 'unknown' for a reason Sync Doctor does not know. The one
 * rule the plan's steps (planRemediation: "reconnecting clears the suspension") and the CLI's
 * exit wording (suspensionLiftedClause) follow.
 */
export type SuspensionLifting = 'by-itself' | 'reconnect' | 'clear' | 'unknown';

export function suspensionLifting(code: unknown): SuspensionLifting {
  const reason = suspensionReason(code);
  if (!reason) return 'unknown';
  if (reason.liftsByItself) return 'by-itself';
  return reason.clearSuspensionNext ? 'clear' : 'reconnect';
}

/**
 * How a suspension HubSpot reported is lifted, as a short clause after "the sync is stopped
 * whatever Salesforce's side looks like, ": "until you clear the suspension in HubSpot" only where
 * that is the way out; HubSpot's own API allocation lifts by itself, and API access disabled needs
 * the credentials re-entered (the catalog's `liftedBy`, as the app's banner says). Without a
 * reason Sync Doctor knows (or with none, as `--help` words it), the three ways, by reason.
 */
export function suspensionLiftedClause(code?: unknown): string {
  const reason = suspensionReason(code);
  switch (suspensionLifting(code)) {
    case 'by-itself':
      return `for now: ${reason!.liftedBy}`;
    case 'clear':
    case 'reconnect':
      return `until you ${reason!.liftedBy}`;
    default:
      return 'until the suspension is lifted (by HubSpot itself, by reconnecting or by "Clear Suspension" in HubSpot, as its reason says)';
  }
}
