export { kinesisMetadataIngestion } from './ingestion.js';
export { kinesisStreamBatch } from './stream-batch.js';
