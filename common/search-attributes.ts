/**
 * Search attributes a run carries, so that the Temporal Web UI and CLI can find the runs of one
 * service (`OmKinesisService = "local_kinesis"`). Registered by the local stack; on another
 * cluster an operator registers them once (see docs/operations.md).
 */
export const SEARCH_ATTRIBUTES = {
  OmKinesisService: 'Keyword',
  OmKinesisConnector: 'Keyword',
} as const;
