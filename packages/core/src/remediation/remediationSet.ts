/**
 * The permission set Sync Doctor's fix creates, fills and assigns: its name, its label, and why the
 * appliers refuse to write into it when it is session-based.
 */
export const REMEDIATION_PERMISSION_SET = 'Sync_Doctor_Remediation';
/** Its label, as the diagnosis names it among an object's sources ('Permission set: ...'). */
export const REMEDIATION_PERMISSION_SET_LABEL = 'Sync Doctor Remediation';
/**
 * Why both appliers refuse to write into a session-based Sync_Doctor_Remediation (the Apex one in
 * these words too, held to them by a static check): its rights would never reach HubSpot.
 */
export const REMEDIATION_SET_SESSION_BASED =
  'The Sync_Doctor_Remediation permission set in this org is session-based (Session Activation Required), so the rights Sync Doctor puts into it would grant HubSpot nothing: its connector never activates a session. Clear Session Activation Required on that permission set in Setup, or delete the set so Sync Doctor creates it again, then apply the fix.';
