/**
 * Read dependencies between objects that only the org's describe shows. Salesforce validates each
 * permission set on its own and refuses a right on an object in a set without Read on the objects it
 * depends on in that same set ("Permission Read Invoice__c depends on permission(s): Read Account").
 * Effective access is not changed by them (a set holding the child's rights holds the parent's Read
 * too), so the diagnosis only passes them on; planRemediation adds the Reads.
 */
import type { Snapshot } from '../snapshot/types.js';

/** A custom object ('Invoice__c', 'ns__Invoice__c'): only they can be the detail of a master-detail. */
function isCustomObject(name: string): boolean {
  return /__c$/i.test(name);
}

/**
 * From the snapshot's object describes: each custom object's master-detail masters, and Contact for
 * Account when the org uses Person Accounts (Salesforce's prerequisite for turning them on is that
 * every profile reading accounts reads contacts, and it keeps it so). Undefined when there is none.
 */
export function readDependenciesOf(snapshot: Snapshot): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  for (const [name, facts] of Object.entries(snapshot.objects ?? {})) {
    if (!facts || facts.exists === false) continue;
    const parents = new Map<string, string>();
    if (isCustomObject(name))
      for (const master of facts.masterDetailParents ?? [])
        if (typeof master === 'string' && master && master.toLowerCase() !== name.toLowerCase())
          parents.set(master.toLowerCase(), master);
    if (name.toLowerCase() === 'account' && facts.personAccounts === true)
      parents.set('contact', 'Contact');
    if (parents.size) out[name] = [...parents.values()];
  }
  return Object.keys(out).length ? out : undefined;
}
