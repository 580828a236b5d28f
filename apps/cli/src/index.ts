// The sync-doctor CLI as a library: main() runs a command line with injectable streams.
export { main, CLI_VERSION } from './main.js';
export {
  parseCheckArgs,
  parseExplainArgs,
  CHECK_USAGE,
  EXPLAIN_USAGE,
  MAIN_USAGE,
  type CheckArgs,
  type ExplainArgs,
} from './args.js';
export { renderDiagnosis, type CheckContext } from './render/diagnosis.js';
export { findExplanation } from './commands/explain.js';
export { exitCodeFor } from './commands/check.js';
export { EXIT, UsageError, type Io } from './io.js';
export { CHECK_JSON_SCHEMA, CHECK_JSON_SCHEMA_VERSION } from './checkJsonSchema.js';
