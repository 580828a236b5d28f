// @sync-doctor/salesforce: reads an org for the core's snapshot with few API calls, and writes the
// relayed suspension status and the remediation back. All HTTP goes through jsforce 3.

export { SALESFORCE_API_VERSION } from './version.js';
export type { Connection } from 'jsforce';
export {
  SalesforceError,
  isSalesforceError,
  InputError,
  isInputError,
  type SalesforceErrorDetails,
} from './errors.js';
export {
  connect,
  normalizeOrgUrl,
  DEFAULT_LOGIN_URL,
  type ConnectOptions,
  type TokenConnectOptions,
  type JwtConnectOptions,
  type SfCliConnectOptions,
  type UrlOrigin,
} from './connect.js';
export { signJwtAssertion, jwtPrivateKeyProblem, JWT_BEARER_GRANT } from './auth/jwt.js';
export { sfOrgDisplay, type SfOrgDisplay, type SfCommand } from './auth/sfCli.js';
export { describeGiven, showable, scrubSecrets } from './secrets.js';
export { isUserId, USER_ID_PATTERN } from './ids.js';
export {
  isTransientSalesforceFailure,
  failureCode,
  TRANSIENT_FAILURE_CODES,
  TRANSIENT_HTTP_STATUSES,
} from './transient.js';
export {
  collectSnapshot,
  type CollectOptions,
  type CollectResult,
} from './collect/collectSnapshot.js';
export { type RelayedStatusRead, type RelayedStatusRecord } from './collect/relayedStatus.js';
export { type LoginHistoryRead } from './collect/loginHistory.js';
export {
  readValidationRules,
  VALIDATION_RULES_SOQL,
  VALIDATION_RULES_PERMISSION_NEEDED,
  type ValidationRulesRead,
} from './collect/validationRules.js';
export { readDuplicateRules, type DuplicateRulesRead } from './collect/duplicateRules.js';
export {
  readRecordTypePicklists,
  MAX_RECORD_TYPES,
  type RecordTypePicklistsRead,
} from './collect/recordTypePicklists.js';
export { type FrozenRead } from './collect/frozen.js';
export {
  CONNECTED_APP_PERMISSIONS_NEEDED,
  type ConnectedAppsRead,
} from './collect/connectedApps.js';
export {
  publishStatus,
  publishStatuses,
  parseStatusRecord,
  refusedStatusField,
  PUBLISH_BATCH_MAX,
  STATUS_RECORD_COLUMNS,
  type PublishResult,
  type PublishBatchResult,
  type PublishBatchError,
} from './write/publishStatus.js';
export {
  applyRemediation,
  isConnectedAppId,
  REMEDIATION_PERMISSION_SET,
  type RemediationPlanInput,
  type RemediationResult,
} from './write/applyRemediation.js';
export {
  requestCount,
  apiUsageOf,
  abortSignalOf,
  throwIfConnectionAborted,
  sessionUsername,
  sendRest,
  parseLimitInfo,
  type ApiUsage,
  type RestRequest,
} from './transport.js';
export {
  findIntegrationUserCandidates,
  INTEGRATION_USER_EVIDENCE,
  type IntegrationUserSearch,
  type UnreadEvidence,
} from './integrationUser/findIntegrationUserCandidates.js';
export { sendComposite, packSubRequests, type SubRequest, type SubResponse } from './composite.js';
