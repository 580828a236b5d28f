/**
 * How a relayed status reads, in the app's suspension panel, the CLI's "HubSpot reported" and the
 * copied report alike: the reason's title, and what to say when nothing was relayed. Each used to
 * word it on its own (the panel did not trim HubSpot's title; the CLI's sentence was a copy of the
 * panel's).
 */
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

/**
 * What to say when no status was relayed for the portal (or, without one, for any portal): no
 * record is not "HubSpot reported nothing", since without a relay, or with one that cannot reach
 * the org, a suspension never arrives.
 */
export function nothingRelayedText(portalId?: string | null): string {
  const which = portalId ? `portal ${portalId}` : 'any HubSpot portal';
  return `No suspension has been relayed for ${which}. Sync Doctor hears of HubSpot's suspensions only through its relay; if the relay is not set up, HubSpot's Salesforce integration settings show whether the sync is suspended.`;
}
