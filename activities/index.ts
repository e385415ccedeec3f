import { createRunResources, type ActivityDependencies } from './run-resources.js';
import { createCheckActivities } from './steps/checks.js';
import { createDescribeActivities } from './steps/describe.js';
import { createListingActivities } from './steps/listing.js';
import { createPipelineStatusActivities } from './steps/pipeline-status.js';
import { createPrepareActivities } from './steps/prepare.js';
import { createSearchAttributeActivities } from './steps/search-attributes.js';
import { createServiceActivities } from './steps/service.js';
import { createSweepActivities } from './steps/sweep.js';
import { createTopicActivities } from './steps/topic.js';

export type { ActivityDependencies } from './run-resources.js';
export { normalizeRunOptions } from './steps/prepare.js';

/**
 * The activities of an ingestion run, one module per step (activities/steps/): every piece of
 * I/O (STS, Kinesis, OpenMetadata) happens in them. Each decides at its boundary whether a
 * failure is worth retrying, and removes secret values from what it reports. The activity type
 * names are the keys of this object: they are part of the workflows' contract.
 */
export function createActivities(deps: ActivityDependencies) {
  const resources = createRunResources(deps);
  return {
    ...createPrepareActivities(resources),
    ...createSearchAttributeActivities(),
    ...createCheckActivities(resources),
    ...createServiceActivities(resources),
    ...createListingActivities(resources),
    ...createDescribeActivities(resources),
    ...createTopicActivities(resources),
    ...createSweepActivities(resources),
    ...createPipelineStatusActivities(resources),
  };
}

export type IngestionActivities = ReturnType<typeof createActivities>;
