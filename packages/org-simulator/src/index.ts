// @sync-doctor/org-simulator: a Salesforce REST API simulator over in-memory fixture orgs, for
// Sync Doctor's tests, demo and benchmarks. See README.md in this package.
export {
  startOrgSimulator,
  type OrgSimulator,
  type OrgSimulatorOptions,
  type UseFixtureOptions,
} from './simulator.js';
export {
  FIXTURE_NAMES,
  FIXTURE_SIZES,
  INACTIVE_OWNER_SETTING_COLUMNS,
  loadFixture,
  describeFixture,
  isFixtureName,
  type FixtureName,
  type FixtureSize,
  type LoadFixtureOptions,
} from './fixtures/index.js';
export type { FixtureChange } from './fixtures/model.js';
export { LARGE_TARGETS, largeObjectFields } from './fixtures/large.js';
export { buildObjectSchema, enablePersonAccounts, type ObjectSpec } from './schema.js';
export { Org, type SRecord } from './org/org.js';
export { runQuery } from './soql/query.js';
export { FAULT_KINDS } from './http/faults.js';
export type { DuplicateRuleSpec } from './org/duplicateRules.js';
export type { RecordTypeSpec } from './org/recordTypes.js';
export { MASTER_RECORD_TYPE_ID } from './org/recordTypes.js';
export type { FaultKind, FaultSpec, RequestLogEntry, PublishedEvent } from './http/types.js';
