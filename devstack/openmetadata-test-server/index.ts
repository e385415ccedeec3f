/**
 * OpenMetadata API test server: an in-memory HTTP server (node:http) that answers the part of
 * the OpenMetadata REST API the Kinesis pipeline uses, the way a real server of the version it
 * impersonates (option `version`, 1.3 to 2.0; default 1.3.1) answers it: that version's
 * request keys (contract.ts), and every body validated against OpenMetadata's published JSON
 * schemas as well (published-schemas.ts; the service connection against its type's schema).
 * It is test and local-development infrastructure: the pipeline is tested against it over
 * loopback, and `openmetadata-test-server-main.ts` runs it standalone for local runs.
 *
 * Layout: `server.ts` listens and takes each request through the checks in the real server's
 * order; `router.ts` matches routes, `routes.ts` lists them, `service-routes.ts` and
 * `topic-routes.ts` and `pipeline-routes.ts` are the resources; `schemas.ts` and `read-body.ts` read bodies; `state.ts`
 * holds the entities, `changes.ts` versions them, `render.ts` shapes the answers.
 *
 * Behaviour reproduced from the 1.3 server (EntityResource, EntityRepository.EntityUpdater,
 * TopicResource/TopicRepository, the createTopic/createMessagingService/topic JSON schemas, the
 * JwtFilter and the Jersey/Dropwizard/Jackson exception mappers):
 * - PUT is create-or-update by fully qualified name: 201 + `X-OpenMetadata-Change: entityCreated`,
 *   200 + `entityUpdated` (version +0.1, changeDescription of that change), or 200 +
 *   `entityNoChange` (nothing stored, version kept; the answer carries an empty changeDescription
 *   whose previousVersion is the current version).
 * - PUT for a soft-deleted entity restores it: the real server runs restoreEntity and then the
 *   updater records `deleted: true -> false`, so the answer is 200 + entityUpdated, deleted
 *   false, and one version bump in total.
 * - The caller is a bot (ingestion-bot) unless told otherwise, and a bot's PUT never overwrites a
 *   non-empty description or displayName: the stored value is kept and no change is recorded.
 * - Bodies are read as Jackson reads them (the first unknown key or wrong JSON type answers 400
 *   with Jackson's message), then validated as Hibernate Validator does (every constraint
 *   violation, `[field message, ...]`). Unparsable JSON is Dropwizard's `Unable to process JSON`.
 * - Routing is Jersey's: unknown path 404 `HTTP 404 Not Found`, known path with another method
 *   405, a path or query parameter that does not convert (a non-UUID id, `limit=abc`,
 *   `include=foo`) 404; the token is checked only once a route matched.
 *
 * Deliberate differences, all in the stricter direction so a client that passes here also
 * passes against a real server:
 * - Jackson coerces scalars ("3" to 3, 3.7 to 3, 5 to "5"); this server refuses them with a
 *   Jackson-shaped message.
 * - owner(s), tags, domain(s), dataProducts and extension name entities this server does not hold, so
 *   any non-empty value is answered as a real server answers an unknown one (404 `<type> instance
 *   for <x> not found`, 400 `Unknown custom field <x>`). Connection configs are stored as given.
 * - The line/column inside a Jackson message points at the offending value but may be off by a
 *   character from a real server; compare messages up to ` at [Source`.
 * - `fields=sampleData` is accepted (sampleData is a Topic property) but, as in 1.3, does not load
 *   it: sample data is read with GET /v1/topics/{id}/sampleData.
 * - The 403 check (see `forbiddenPaths`) runs right after the body is validated, before the
 *   entity lookups a real server may do first.
 */
export { startOpenMetadataTestServer } from './server.js';
export type {
  ChangeDescription,
  EntityReference,
  FaultInjector,
  FieldChange,
  ForbiddenPathRule,
  IngestionPipeline,
  MessagingService,
  OpenMetadataPrincipal,
  OpenMetadataTestServer,
  OpenMetadataTestServerOptions,
  PipelineStatus,
  RecordedRequest,
  Topic,
  TopicSampleData,
} from './types.js';
