// @sync-doctor/core: the one place where Sync Doctor judges. Pure functions, no I/O, so the same
// code runs in Node (CLI, relay) and, bundled as an LWC module, inside Salesforce.

export * from './reasons/codes.js';
export * from './reasons/catalog.js';
export * from './reasons/symptoms.js';
export * from './reasons/causes.js';
export * from './reasons/classifySalesforceError.js';
export * from './reasons/classifySuspensionText.js';
export * from './reasons/classifySyncErrorText.js';
export { mentionsSuspension, SUSPENSION_WORDS } from './reasons/mentionsSuspension.js';
export { stripHtml } from './reasons/normalizeText.js';
export { pageText, PAGE_TEXT_MAX_CHARS } from './reasons/pageText.js';

export type * from './snapshot/types.js';
export * from './snapshot/schema.js';
export * from './snapshot/frozenRead.js';
export * from './snapshot/notRead.js';
export * from './snapshot/unchecked.js';

export type * from './requirements/types.js';
export * from './requirements/defaults.js';
export * from './requirements/scope.js';
export * from './requirements/document.js';
export * from './requirements/objectRights.js';

export type * from './diagnosis/types.js';
export * from './diagnosis/evaluateAccess.js';
/** The rule names findings carry (`Finding.rule`), documented as stable: renderers key on them. */
export { RULES, RULES_OF_OPTIONAL_SECTIONS } from './diagnosis/rules.js';
export { isPermissionGovernedObject } from './diagnosis/objects.js';
/** A system permission as Setup names it ('PermissionsApiEnabled' -> 'API Enabled'). */
export { friendlyPermission, SIDE_PERMISSIONS } from './diagnosis/user.js';
export { fieldFails } from './diagnosis/fields.js';
/** HubSpot's logins having stopped (LoginSummary.stopped) in one sentence, for the cards. */
export { loginSilenceText } from './diagnosis/logins.js';
/** Milliseconds of a Salesforce date-time ('…+0000', which not every engine parses). */
/** The one date format of findings, the report and (for the cards to use too) '2026-11-30 18:48 UTC'. */
export { minute, salesforceTime, reachedByText } from './diagnosis/text.js';
export {
  HUBSPOT_MAPPINGS_PLACE,
  HUBSPOT_SALESFORCE_PLACE,
  HUBSPOT_SYNC_HEALTH_PLACE,
} from './diagnosis/hubspotPlaces.js';
/** Each object right ('read', 'viewAll', ...) as Setup names it ('Read', 'View All'). */
export { OBJECT_RIGHT_LABELS } from './diagnosis/text.js';

export * from './remediation/planRemediation.js';
export * from './remediation/hubspotSteps.js';
export * from './limits/apiWindow.js';
export * from './report/formatReport.js';
export * from './report/labels.js';
export * from './report/groupFindings.js';
export * from './report/severity.js';
export * from './report/verdict.js';
export * from './relayed/status.js';
export * from './relayed/syncErrors.js';
export * from './relayed/salesforceErrorText.js';
export { syncErrorGroupObjects } from './relayed/salesforceNames.js';
export * from './relayed/syncErrorFields.js';
export * from './relayed/syncErrorsText.js';
export * from './relayed/syncErrorKinds.js';
export * from './relayed/syncErrorsNow.js';
export * from './relayed/syncErrorRequirements.js';
export * from './relayed/validationRules.js';
export * from './relayed/duplicateRules.js';
export * from './relayed/recordTypePicklists.js';
export * from './relayed/statusText.js';
export * from './relayed/suspensionSteps.js';
export * from './integrationUser/chooseIntegrationUser.js';
export * from './integrationUser/candidateLine.js';
