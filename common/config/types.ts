// The normalized ingestion config: what the rest of the product reads after a YAML file (the one
// users give `metadata ingest -c`) has been parsed, validated and filled with the official defaults.
// Plain data only, so it can travel as Temporal workflow input.

export type LoggerLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Every value the official schemas of the 1.x line accept for `openMetadataServerConfig.authProvider`. */
export type AuthProvider =
  | 'no-auth'
  | 'basic'
  | 'azure'
  | 'google'
  | 'okta'
  | 'auth0'
  | 'aws-cognito'
  | 'custom-oidc'
  | 'ldap'
  | 'saml'
  | 'openmetadata';

/** The providers this product can authenticate with: a bot JWT token, or nothing. */
export type SupportedAuthProvider = Extract<AuthProvider, 'openmetadata' | 'no-auth'>;

export type VerifySSL = 'validate' | 'ignore' | 'no-ssl';

export interface FilterPattern {
  includes: string[];
  excludes: string[];
}

export interface AwsConfig {
  awsAccessKeyId?: string;
  awsSecretAccessKey?: string;
  awsSessionToken?: string;
  awsRegion: string;
  endPointURL?: string;
  profileName?: string;
  assumeRoleArn?: string;
  /** Default 'OpenMetadataSession'. */
  assumeRoleSessionName: string;
  assumeRoleSourceIdentity?: string;
  /** awsConfig.enabled (OpenMetadata 1.13+): not used by this tool, stored with a new service's connection. */
  enabled?: boolean;
}

/** Keys of the connection beside awsConfig: not used by this tool, stored with a new service's connection. */
export interface ConnectionExtras {
  topicFilterPattern?: FilterPattern;
  supportsProfiler?: boolean;
  supportsMetadataExtraction?: boolean;
}

export interface OpenMetadataServerConfig {
  /** The API root, e.g. 'http://localhost:8585/api', without a trailing slash. */
  hostPort: string;
  authProvider: SupportedAuthProvider;
  /** From securityConfig.jwtToken: the token itself, or a path to a file holding it (resolved by the worker). */
  jwtToken?: string;
  verifySSL: VerifySSL;
  /** From sslConfig.caCertificate (or the older sslConfig.certificatePath). */
  caCertificate?: string;
  extraHeaders: Record<string, string>;
  enableVersionValidation: boolean;
  /**
   * storeServiceConnection (default true): whether a messaging service this tool creates
   * stores its connection (secrets included, as OpenMetadata's own clients store it).
   */
  storeServiceConnection: boolean;
}

/** The ingestion pipeline a run reports its status to (ingestionPipelineFQN, pipelineRunId). */
export interface PipelineReporting {
  fqn: string;
  /** The run id to report under; default: the Temporal run's id. */
  runId?: string;
}

export interface IngestionConfig {
  serviceName: string;
  sourceType: 'kinesis';
  aws: AwsConfig;
  connectionExtras: ConnectionExtras;
  /** topicFilterPattern; undefined when the YAML has none. */
  filter?: FilterPattern;
  generateSampleData: boolean;
  markDeletedTopics: boolean;
  openMetadata: OpenMetadataServerConfig;
  loggerLevel: LoggerLevel;
  /** Percentage (0-100) of streams that must succeed for the run to succeed. */
  successThreshold: number;
  raiseOnError: boolean;
  /** Set when the YAML names an ingestion pipeline (ingestionPipelineFQN). */
  pipeline?: PipelineReporting;
}

/** One problem found in a config. `path` is dotted with [n] for list items; '' for the file as a whole. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** `config` is set exactly when `errors` is empty. */
export interface ConfigResult {
  config?: IngestionConfig;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

export type Environment = Record<string, string | undefined>;
