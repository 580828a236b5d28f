import type { RelayedStatus } from '@sync-doctor/core';
import type { Connection } from '@sync-doctor/salesforce';

/** How the relay reaches one portal's Salesforce org. Stored encrypted, never returned. */
export type SalesforceConnectionConfig =
  | {
      /** OAuth 2.0 JWT bearer flow of a connected app: the production set-up. */
      kind: 'jwt';
      clientId: string;
      username: string;
      loginUrl: string;
      privateKey: string;
      /** HubSpot's integration user (username or User Id) the access watch checks; unset: found from the org's evidence. */
      integrationUser?: string;
    }
  | {
      /** A ready session (demo org simulator, or a short-lived token for a trial). */
      kind: 'token';
      instanceUrl: string;
      accessToken: string;
      /** HubSpot's integration user (username or User Id) the access watch checks; unset: found from the org's evidence. */
      integrationUser?: string;
    };

export interface DeliveryTarget {
  portalId: string;
  /** Changes whenever the connection config changes, so cached sessions are dropped. */
  configVersion: number;
  /**
   * When the portal was created (PortalRecord.createdAt): a portal deleted and created again under
   * the same id starts its configVersion over, so a cached session is the target's only when both
   * match.
   */
  portalCreatedAt: string;
  salesforce: SalesforceConnectionConfig;
}

export interface PublishedBatch {
  /** The status record's id. */
  id: string;
  created: boolean;
  /** Each change's event id, in the order of the changes. */
  eventIds: Array<string | undefined>;
  /** Set when the statuses went without their sync errors: why (the org lacks Sync_Errors__c). */
  syncErrorsLeftOut?: string;
}

/** What one published change answers. */
export interface Published {
  id: string;
  created: boolean;
  /** Set when the status went without its sync errors: why (the org lacks Sync_Errors__c). */
  syncErrorsLeftOut?: string;
}

/** Carries a status into Salesforce. The real one uses `publishStatus`; tests may record. */
export interface StatusPublisher {
  publish(target: DeliveryTarget, status: RelayedStatus): Promise<Published>;
  /**
   * Whether Salesforce already holds exactly this status (its sync errors included, when it
   * carries them): asked before re-sending a delivery whose
   * earlier attempt may have landed without the relay recording it (a crash mid-request, a
   * timeout). Optional: without it such a delivery is sent again (at-least-once).
   */
  isDelivered?(target: DeliveryTarget, status: RelayedStatus): Promise<boolean>;
  /**
   * Carries consecutive changes of one portal (oldest first, at most `batchMax`) in one request,
   * all or none: every change's event in order, the status record once with the last change's
   * status. One change costs exactly what `publish` costs. Optional: without it the outbox sends
   * one change a request. A refusal that names the change it is about carries `batchIndex`.
   */
  publishBatch?(
    target: DeliveryTarget,
    statuses: readonly RelayedStatus[],
  ): Promise<PublishedBatch>;
  /** The most changes `publishBatch` takes at once. */
  readonly batchMax?: number;
  /**
   * How many of `statuses` (consecutive changes of one portal, oldest first) Salesforce already
   * holds: the length of the leading run that landed, read in one request. Asked before a batch
   * is sent again, as `isDelivered` is for one change. Optional: without it a batch to be sent
   * again goes one change at a time, each checked with `isDelivered`.
   */
  landedCount?(target: DeliveryTarget, statuses: readonly RelayedStatus[]): Promise<number>;
  /**
   * The org's active validation rules (Tooling API ValidationRule rows), read to name the rule
   * behind each custom-code group of the sync errors it carries; null when the relay's user may
   * not read them. Throws when the read failed otherwise. Optional: without it the sync errors go
   * without rule names.
   */
  validationRules?(target: DeliveryTarget): Promise<unknown[] | null>;
  /** Cheap reachability check for readiness (e.g. GET /limits). */
  ping?(target: DeliveryTarget): Promise<void>;
  /**
   * Runs `work` on the portal's authenticated Salesforce session (the one deliveries use, so a
   * check logs in no more often than delivering does). Optional: without it the access watch
   * reads no org.
   */
  withSession?<T>(target: DeliveryTarget, work: (conn: Connection) => Promise<T>): Promise<T>;
  close?(): Promise<void>;
}
