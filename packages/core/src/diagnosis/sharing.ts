/**
 * Org-wide defaults: object rights say what a user may do to records it can see; sharing says which
 * records it sees. With a Private default a user without View All sees only the records it owns or
 * that are shared with it, so HubSpot silently misses the rest; with Public Read Only, or with a
 * Private default and View All (which lifts sharing for reading only), it cannot update records it
 * does not own (INSUFFICIENT_ACCESS_OR_READONLY) without Modify All or sharing.
 */
import type { Context } from './context.js';
import { RULES } from './rules.js';
import type { ObjectResult } from './types.js';

const OWD_FIELD: Record<string, string> = {
  Account: 'DefaultAccountAccess',
  Contact: 'DefaultContactAccess',
  Lead: 'DefaultLeadAccess',
  Opportunity: 'DefaultOpportunityAccess',
  Campaign: 'DefaultCampaignAccess',
  Case: 'DefaultCaseAccess',
};

function orgWideDefault(org: Record<string, unknown>, objectName: string): string | undefined {
  const field = OWD_FIELD[objectName];
  if (!field) return undefined;
  const value = org[field];
  if (typeof value !== 'string') return undefined;
  // Contacts "Controlled by Parent" follow their account.
  if (value === 'ControlledByParent' && objectName === 'Contact')
    return orgWideDefault(org, 'Account');
  return value;
}

export function checkSharing(ctx: Context, objects: ObjectResult[]): void {
  const org = ctx.snapshot.organization;
  if (!org || !ctx.permissionsKnown) return;
  for (const object of objects) {
    const canonical = Object.keys(OWD_FIELD).find(
      (k) => k.toLowerCase() === object.name.toLowerCase(),
    );
    if (!canonical || !object.effective.read) continue;
    const owd = orgWideDefault(org, canonical);
    if (owd === 'None' || owd === 'Private') {
      if (object.effective.viewAll) {
        // View All lifts sharing for reading only: updating a record it neither owns nor has shared
        // read/write still takes Modify All, as under Public Read Only.
        if (object.required.includes('edit') && !object.effective.modifyAll)
          ctx.add({
            reason: 'OBJECT_PERMISSIONS_MISSING',
            severity: 'warning',
            subject: object.name,
            rule: RULES.orgWideDefault,
            message: `The org-wide default for ${canonical} is Private: View All lets ${ctx.who} read every ${canonical}, but it updates only those it owns or that are shared with it read/write (View All grants no edit); other updates from HubSpot fail.`,
            remedy: `Add a sharing rule giving ${ctx.who} Read/Write on the ${canonical} records HubSpot updates (Setup > Sharing Settings), or make the default Public Read/Write.`,
          });
        continue;
      }
      ctx.add({
        reason: 'OBJECT_PERMISSIONS_MISSING',
        severity: 'warning',
        subject: object.name,
        rule: RULES.orgWideDefault,
        message: `The org-wide default for ${canonical} is Private and ${ctx.who} has no View All on it: records it neither owns nor has shared with it are invisible to the sync.`,
        remedy: `Share the ${canonical} records HubSpot must sync with ${ctx.who} (role hierarchy, sharing rules) or give it "View All" on ${canonical}; check Setup > Sharing Settings.`,
      });
    } else if (owd === 'Read' && object.required.includes('edit') && !object.effective.modifyAll) {
      ctx.add({
        reason: 'OBJECT_PERMISSIONS_MISSING',
        severity: 'warning',
        subject: object.name,
        rule: RULES.orgWideDefault,
        message: `The org-wide default for ${canonical} is Public Read Only: ${ctx.who} can read every ${canonical} but update only those it owns or that are shared with it read/write; other updates from HubSpot fail.`,
        remedy: `Add a sharing rule giving ${ctx.who} Read/Write on the ${canonical} records HubSpot updates (Setup > Sharing Settings), or make the default Public Read/Write.`,
      });
    }
  }
}
