// The ingestion config: the YAML users give `metadata ingest -c`, parsed, validated and normalized.
// Everything here is pure except loadIngestionConfig (load.ts), which reads a file; code that must
// stay free of Node built-ins (workflow code) imports from './parse.js' and './filter-pattern.js'.

export type {
  AuthProvider,
  AwsConfig,
  ConfigIssue,
  ConfigResult,
  Environment,
  FilterPattern,
  IngestionConfig,
  LoggerLevel,
  OpenMetadataServerConfig,
  SupportedAuthProvider,
  VerifySSL,
} from './types.js';
export { expandEnvironmentVariables } from './env-expansion.js';
export {
  ConfigError,
  InvalidFilterPatternError,
  InvalidIngestionConfigError,
  formatConfigIssue,
} from './errors.js';
export { compileFilterPattern, type FilterRule } from './filter-pattern.js';
export { loadIngestionConfig, readConfigFile } from './load.js';
export type { LoadOptions } from './load.js';
export { DEFAULTS } from './normalize.js';
export {
  MAX_CONFIG_BYTES,
  SECRET_CONFIG_PATHS,
  parseIngestionConfig,
  requireIngestionConfig,
  validateIngestionConfigObject,
} from './parse.js';
export type { ParseOptions } from './parse.js';
