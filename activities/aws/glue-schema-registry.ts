import { GetSchemaVersionCommand, type GlueClient } from '@aws-sdk/client-glue';
import type { SchemaVersion } from '../records/stream-sample.js';
import { classifyAwsError } from './aws-errors.js';

/**
 * A schema version never changes once registered: a found one is kept for as long as the
 * worker keeps the clients of the run's AWS identity (bounded in number). A failed lookup (no
 * permission, not found, throttled) is asked again after FAILURE_TTL_MS, so that a permission
 * granted counts from the next run without every stream of this run asking again.
 */
const FAILURE_TTL_MS = 5 * 60_000;
const MAX_CACHED_VERSIONS = 1000;
const DATA_FORMATS: readonly string[] = ['AVRO', 'JSON', 'PROTOBUF'];

interface CachedLookup {
  result: Promise<SchemaVersion>;
  expiresAt: number;
}

const cachePerClient = new WeakMap<GlueClient, Map<string, CachedLookup>>();

/** `glue:GetSchemaVersion`, cached (see above); concurrent lookups of one version share one call. */
export function lookUpSchemaVersion(glue: GlueClient, schemaVersionId: string): Promise<SchemaVersion> {
  let cache = cachePerClient.get(glue);
  if (!cache) cachePerClient.set(glue, (cache = new Map<string, CachedLookup>()));
  const cached = cache.get(schemaVersionId);
  if (cached && cached.expiresAt > Date.now()) return cached.result;
  if (cache.size >= MAX_CACHED_VERSIONS) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  const entry: CachedLookup = { result: getSchemaVersion(glue, schemaVersionId), expiresAt: Infinity };
  entry.result.catch(() => {
    entry.expiresAt = Date.now() + FAILURE_TTL_MS;
  });
  cache.set(schemaVersionId, entry);
  return entry.result;
}

async function getSchemaVersion(glue: GlueClient, schemaVersionId: string): Promise<SchemaVersion> {
  const subject = `schema version ${schemaVersionId}`;
  let output;
  try {
    output = await glue.send(new GetSchemaVersionCommand({ SchemaVersionId: schemaVersionId }));
  } catch (error) {
    throw classifyAwsError(error, 'glue:GetSchemaVersion', subject);
  }
  const { DataFormat, SchemaDefinition } = output;
  if (!DataFormat || !DATA_FORMATS.includes(DataFormat) || !SchemaDefinition) {
    throw classifyAwsError(
      Object.assign(
        new Error(`the answer has no schema definition or an unknown data format (${DataFormat ?? 'none'})`),
        {
          $fault: 'client' as const,
        },
      ),
      'glue:GetSchemaVersion',
      subject,
    );
  }
  return {
    schemaVersionId,
    dataFormat: DataFormat,
    definition: SchemaDefinition,
    schemaArn: output.SchemaArn ?? '',
    versionNumber: output.VersionNumber ?? 0,
  };
}
