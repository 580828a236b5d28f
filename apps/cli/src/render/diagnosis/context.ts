import type { Snapshot } from '@sync-doctor/core';
import type { RelayedView } from '../relayed.js';
import type { Style } from '../style.js';

/** What the check knows besides the diagnosis, for the header and footer. */
export interface CheckContext {
  snapshot?: Snapshot;
  apiUsage?: { used: number; max: number } | null;
  requests?: number;
  /** 'demo fixture read-only-contacts', 'org alias prod', 'https://acme.my.salesforce.com'. */
  source?: string;
  absentColumns?: string[];
  /** What HubSpot reported (the relayed status), shown right under the verdict. */
  relayed?: RelayedView;
  /** Whether Login History was read, and why not (the collector's `loginHistory`). */
  loginHistory?: { read: boolean; cause?: string; message?: string };
  /**
   * Whether the integration user's frozen state (UserLogin.IsFrozen) was read, and why not (the
   * collector's `frozen`): unread, the snapshot has no `IsFrozen` and no frozen-user finding can be.
   */
  frozen?: { read: boolean; cause?: string; message?: string };
  /** Whether HubSpot's connected app was read, and why not (the collector's `connectedApps`). */
  connectedApps?: { read: boolean; cause?: string; message?: string };
}

export interface RenderOptions {
  style: Style;
  /**
   * Terminal width: tables wrap their last column to fit, fold long columns under each row when
   * that would leave it too narrow, and at the narrowest cut cells with an ellipsis.
   */
  width: number;
}
