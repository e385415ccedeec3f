/**
 * The entities the server holds in memory: messaging services, topics (which refer to their
 * service by id) and topic sample data, with the lookups the resources do by id and by FQN.
 */
import { entityNotFound } from './errors.js';
import type {
  EntityReference,
  IngestionPipeline,
  MessagingService,
  PipelineStatus,
  Topic,
  TopicSampleData,
} from './types.js';
import { deepCopy, orderKeys } from './values.js';

/** A topic as stored: the service is a relationship, resolved when the topic is read. */
export type StoredTopic = Omit<Topic, 'service' | 'serviceType' | 'href' | 'sampleData'> & {
  serviceId: string;
};
export type StoredService = Omit<MessagingService, 'href'>;
export type StoredPipeline = Omit<IngestionPipeline, 'href'>;

/** The `include` query parameter: which entities a lookup or list sees. */
export type Include = 'non-deleted' | 'deleted' | 'all';

export const includes = (include: Include, deleted: boolean): boolean =>
  include === 'all' || (include === 'deleted') === deleted;

export class OpenMetadataState {
  readonly services = new Map<string, StoredService>();
  readonly topics = new Map<string, StoredTopic>();
  readonly sampleData = new Map<string, TopicSampleData>();
  readonly pipelines = new Map<string, StoredPipeline>();
  /** Each pipeline's statuses by run id, in the order first reported. */
  readonly pipelineStatuses = new Map<string, Map<string, PipelineStatus>>();

  pipelineByFqn(fqn: string): StoredPipeline | undefined {
    return [...this.pipelines.values()].find((pipeline) => pipeline.fullyQualifiedName === fqn);
  }

  findPipelineByFqn(fqn: string, include: Include): StoredPipeline {
    const pipeline = this.pipelineByFqn(fqn);
    if (pipeline === undefined || !includes(include, pipeline.deleted)) {
      throw entityNotFound('ingestionPipeline', fqn);
    }
    return pipeline;
  }

  /** Users and teams, by id: only names and ids, as owners refer to them. */
  readonly owners = new Map<string, EntityReference>();

  ownerByName(type: 'user' | 'team', name: string): EntityReference | undefined {
    return [...this.owners.values()].find((owner) => owner.type === type && owner.name === name);
  }

  serviceByFqn(fqn: string): StoredService | undefined {
    return [...this.services.values()].find((service) => service.fullyQualifiedName === fqn);
  }

  topicByFqn(fqn: string): StoredTopic | undefined {
    return [...this.topics.values()].find((topic) => topic.fullyQualifiedName === fqn);
  }

  /** The service with this id that `include` sees; 404 otherwise. */
  findService(id: string, include: Include): StoredService {
    const service = this.services.get(id);
    if (service === undefined || !includes(include, service.deleted)) {
      throw entityNotFound('messagingService', id);
    }
    return service;
  }

  findServiceByFqn(fqn: string, include: Include): StoredService {
    const service = this.serviceByFqn(fqn);
    if (service === undefined || !includes(include, service.deleted)) {
      throw entityNotFound('messagingService', fqn);
    }
    return service;
  }

  findTopic(id: string, include: Include): StoredTopic {
    const topic = this.topics.get(id);
    if (topic === undefined || !includes(include, topic.deleted)) throw entityNotFound('topic', id);
    return topic;
  }

  findTopicByFqn(fqn: string, include: Include): StoredTopic {
    const topic = this.topicByFqn(fqn);
    if (topic === undefined || !includes(include, topic.deleted)) throw entityNotFound('topic', fqn);
    return topic;
  }

  /** Hard delete: the topic and its sample data. */
  removeTopic(id: string): void {
    this.topics.delete(id);
    this.sampleData.delete(id);
  }

  private serviceReference(serviceId: string): EntityReference {
    const service = this.services.get(serviceId);
    if (service === undefined) throw new Error(`Stored topic refers to missing service ${serviceId}`);
    return orderKeys(
      {
        id: service.id,
        type: 'messagingService',
        name: service.name,
        fullyQualifiedName: service.fullyQualifiedName,
        description: service.description,
        displayName: service.displayName,
        deleted: service.deleted,
      },
      ['id', 'type', 'name', 'fullyQualifiedName', 'description', 'displayName', 'deleted'],
    ) as unknown as EntityReference;
  }

  /** The topic as the API shows it (no href, no relationship fields). */
  materializeTopic(stored: StoredTopic): Topic {
    const { serviceId, ...rest } = deepCopy(stored);
    const service = this.services.get(serviceId);
    return { ...rest, service: this.serviceReference(serviceId), serviceType: service?.serviceType ?? '' };
  }

  /** A deep copy of the topic with its sample data, for the test-facing accessors. */
  topicWithSampleData(stored: StoredTopic): Topic {
    const topic = this.materializeTopic(stored);
    const sampleData = this.sampleData.get(stored.id);
    return sampleData ? { ...topic, sampleData: deepCopy(sampleData) } : topic;
  }
}
