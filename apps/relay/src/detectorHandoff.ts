import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { hubspotStoreOf } from './store/hubspotStore.js';

/** How long an instance waits for the detector's leader to take a check it hands over. */
export const HANDOFF_ACCEPT_MS = 2_000;

type HubSpotStore = ReturnType<typeof hubspotStoreOf>;

/**
 * An instance that does not run the stalled-sync detector hands `POST .../hubspot/check` to the
 * one that does (several instances on PostgreSQL: one leads, see leadership.ts): it says `check`
 * on the schema's detector channel and waits for the leader's `accepted`
 * (plugins/hubspotDetector.ts). No answer in time: no instance runs the detector.
 *
 * The channel is heard on a connection of its own, opened at the first hand-off and kept until the
 * relay closes (most instances never hand one over).
 */
export class DetectorHandoffRequester {
  private readonly waiting = new Map<string, () => void>();
  private listening: Promise<() => Promise<void>> | null = null;
  private closed = false;

  constructor(
    private readonly store: HubSpotStore,
    private readonly log: FastifyBaseLogger,
    readonly acceptMs = HANDOFF_ACCEPT_MS,
  ) {}

  /** Whether a check can be handed over at all: several instances may share the store. */
  get possible(): boolean {
    return this.store.shared;
  }

  /** Hands the portal's check over; resolves to the request's id once the leader took it, null if none did in time. */
  async request(portalId: string): Promise<string | null> {
    if (this.closed) return null;
    if (!this.listening) {
      this.listening = this.store.hearDetector((message) => {
        if (message.kind === 'accepted') this.waiting.get(message.requestId)?.();
      });
      // A failed LISTEN is tried again at the next hand-off.
      this.listening.catch(() => {
        this.listening = null;
      });
    }
    await this.listening;
    const requestId = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const accepted = new Promise<boolean>((resolve) => {
      this.waiting.set(requestId, () => resolve(true));
      timer = setTimeout(() => resolve(false), this.acceptMs);
    });
    try {
      await this.store.tellDetector({ kind: 'check', requestId, portalId });
      const taken = await accepted;
      this.log.info(
        { portalId, requestId, taken },
        'handed a detector check to the leading instance',
      );
      return taken ? requestId : null;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(requestId);
    }
  }

  /**
   * The portal's token was stored or removed here: tells the instance running the detector, which
   * reads the tokens again at once. Not waited for: missed, it reads them at its next interval.
   */
  async tokenChanged(portalId: string): Promise<void> {
    if (!this.possible || this.closed) return;
    try {
      await this.store.tellDetector({ kind: 'forget', portalId });
    } catch (error) {
      this.log.warn(
        { portalId, err: error instanceof Error ? { message: error.message } : String(error) },
        'could not tell the instance running the detector that a HubSpot token changed',
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const listening = this.listening;
    this.listening = null;
    const unlisten = await listening?.catch(() => null);
    await unlisten?.();
  }
}
