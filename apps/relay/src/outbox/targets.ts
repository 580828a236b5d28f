import type { PortalsService } from '../plugins/portals.js';
import type { DeliveryTarget } from '../publisher/types.js';

/**
 * The portals' delivery targets. Unsealing the Salesforce connection (AES-GCM and JSON) is kept
 * for as long as the sealed form and its version are unchanged, so a rotation or a new
 * connection is used from the next lookup on (at once when made on this instance, within the
 * portals' 2-second cache when made on another).
 */
export class DeliveryTargets {
  private readonly targets = new Map<string, { sealed: string; target: DeliveryTarget }>();

  constructor(private readonly portals: PortalsService) {}

  /** The portal's delivery target; null while it has no Salesforce connection. */
  async find(portalId: string): Promise<DeliveryTarget | null> {
    // Through the portals' short cache: one read per run cost a query per delivery under load.
    const portal = await this.portals.find(portalId);
    if (!portal || !portal.salesforceSealed) {
      this.targets.delete(portalId);
      return null;
    }
    const known = this.targets.get(portalId);
    if (
      known &&
      known.sealed === portal.salesforceSealed &&
      known.target.configVersion === portal.salesforceVersion
    )
      return known.target;
    const target = this.portals.deliveryTarget(portal);
    if (target) {
      if (this.targets.size > 10_000) this.targets.clear();
      this.targets.set(portalId, { sealed: portal.salesforceSealed, target });
    }
    return target;
  }

  /** Forgets a deleted portal's delivery target (its unsealed Salesforce connection). */
  forget(portalId: string): void {
    this.targets.delete(portalId);
  }
}
