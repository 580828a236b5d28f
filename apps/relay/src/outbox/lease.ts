import { randomBytes } from 'node:crypto';
import type { ClaimedDelivery, RelayStore } from '../store/types.js';

/**
 * Every claim leases under an owner of its own: `<instance id>#<process nonce>.<claim>`. With
 * the instance's id as the owner, a run whose lease ran out could not tell that this very
 * instance's next round had claimed its changes again: its renewal succeeded and both runs sent
 * every change. The nonce does the same for two processes given one RELAY_INSTANCE_ID.
 */
export class LeaseOwners {
  private readonly prefix: string;
  private claims = 0;

  constructor(instanceId: string) {
    this.prefix = `${instanceId}#${randomBytes(4).toString('hex')}`;
  }

  /** The owner the next claim leases under. */
  next(): string {
    return `${this.prefix}.${++this.claims}`;
  }
}

/**
 * A run's claim: the owner its changes are leased under, and when the lease of each change it
 * still holds was last set (claimed or renewed; the stored lease_until is at least that plus the
 * lease). Before every send the run renews what has aged past a third of the lease, so a send,
 * which may take half of it, always ends while the change is still the run's (see keep).
 */
export class Lease {
  private readonly setAt: Map<number, number>;

  /** `claimedAt` is read before the claim: the lease it sets runs from a moment no earlier. */
  constructor(
    readonly owner: string,
    deliveries: ClaimedDelivery[],
    claimedAt: number,
    private readonly deps: { store: RelayStore; config: { leaseMs: number } },
  ) {
    this.setAt = new Map(deliveries.map((d) => [d.id, claimedAt]));
  }

  /**
   * Makes sure the lease of `deliveries` outlasts a send begun now: renewed when it was last set
   * more than a third of the lease ago, so at least two thirds are left, more than a send may
   * take (half). False when the lease was lost: another run (here or on another instance) owns
   * them now and sends them; sending here too would publish them twice.
   */
  async keep(deliveries: ClaimedDelivery[]): Promise<boolean> {
    const { store, config } = this.deps;
    // Read before the renewal: the lease it sets runs from a moment no earlier than this.
    const now = Date.now();
    if (deliveries.every((d) => now - (this.setAt.get(d.id) ?? 0) <= config.leaseMs / 3))
      return true;
    const ids = deliveries.map((d) => d.id);
    if ((await store.renewLeases(ids, this.owner, config.leaseMs)) < ids.length) return false;
    for (const id of ids) this.setAt.set(id, now);
    return true;
  }

  /** Gives `deliveries` back unsent, for the next round (here or on another instance) to claim. */
  async release(deliveries: ClaimedDelivery[]): Promise<void> {
    await this.deps.store.releaseDeliveries(
      deliveries.map((d) => d.id),
      this.owner,
    );
  }
}
