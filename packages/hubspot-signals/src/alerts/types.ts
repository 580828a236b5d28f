import type { ReasonCode, SignalSource, SuspensionState } from '@sync-doctor/core';

/** Where alerts go. `id` is the relay's id for the target (dedup keys and outbox rows use it). */
export type AlertTarget = WebhookTarget | SlackTarget | EmailTarget;

export interface WebhookTarget {
  id: string;
  kind: 'webhook';
  /** https, or http to a loopback host (tests, a local bridge). */
  url: string;
  /** Shared secret for the signature header (same scheme as the relay's inbound webhook). */
  secret: string;
}

export interface SlackTarget {
  id: string;
  kind: 'slack';
  /** A Slack incoming-webhook URL (https://hooks.slack.com/services/...). */
  webhookUrl: string;
}

export interface EmailTarget {
  id: string;
  kind: 'email';
  from: string;
  to: string[];
  smtp: {
    host: string;
    /** Default 465 with implicit TLS, 587 otherwise. */
    port?: number;
    /** Default 'starttls' (required, not opportunistic); 'none' only to loopback with allowPlainOnLoopback. */
    tls?: 'implicit' | 'starttls' | 'none';
    allowPlainOnLoopback?: boolean;
    auth?: { user: string; pass: string };
    tlsOptions?: Record<string, unknown>;
  };
}

/** One change of a portal's status, as the relay records it. */
export interface AlertEvent {
  portalId: string;
  state: SuspensionState;
  previousState: SuspensionState | null;
  reason: ReasonCode | null;
  /** HubSpot's own title, when the signal carried one. */
  title: string | null;
  source: SignalSource | null;
  /** When the change happened (ISO). */
  at: string;
  since: string | null;
  /**
   * When the state was last seen, when that is not `at`: the stalled-sync detector dates a
   * suspicion from the last sync, and this is the check that noticed it. Not in the dedup key.
   */
  seenAt?: string | null;
  excerpt: string | null;
  /**
   * The clearance this change ends, when the change is dated before it: a detector suspicion raised
   * again from the same last sync after a "Clear Suspension" that did not make the sync run. Only
   * then is it in the dedup key, which otherwise would equal the first suspicion's.
   */
  afterClearanceAt?: string | null;
  /** Link to the Sync Doctor app (the Lightning tab) for this org. */
  appUrl?: string | null;
  /** True for sendTest(). */
  test?: boolean;
}

/** The rendered alert: built once per change, stored in the outbox, sent identically on every attempt. */
export interface AlertMessage {
  /** Dedup key of the change (same for every target; outbox rows are unique on target id + key). */
  key: string;
  event: AlertEvent;
  headline: string;
  reasonTitle: string | null;
  meaning: string | null;
  remedy: string[];
  webhookBody: Record<string, unknown>;
  slack: { text: string; blocks: Record<string, unknown>[] };
  email: { subject: string; text: string; html: string };
}

export class AlertConfigError extends Error {}

/** One failed attempt. `retryable` says whether trying again can help; `retryAfterMs` when the peer said when. */
export class AlertDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'AlertDeliveryError';
  }
}
