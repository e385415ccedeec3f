// Runs carry the search attributes of common/search-attributes.ts, but a cluster's namespace may
// not have them registered (a plain `temporal server start-dev` has none): the server then refuses
// the start with INVALID_ARGUMENT, "Namespace default has no mapping defined for search attribute
// OmKinesisService", a reason the SDK keeps in the error's cause. The run is still worth starting.
import {
  missingSearchAttributesAdvice,
  SEARCH_ATTRIBUTES,
  type SearchAttributeName,
} from '../common/search-attributes.js';
import { grpcStatusOf } from './error-text.js';

/** Whether the server refused a request because the namespace lacks a search attribute. */
export function isUnknownSearchAttribute(error: unknown): boolean {
  const status = grpcStatusOf(error);
  const text = status?.details ?? (error instanceof Error ? error.message : '');
  return /search attribute/i.test(text) && /no mapping|not (defined|registered|found)|unknown/i.test(text);
}

/**
 * Runs `attempt` with the search attributes; when the namespace lacks them, calls
 * `onSearchAttributesMissing` and runs it again without.
 */
export async function withSearchAttributeFallback<T>(
  attempt: (withSearchAttributes: boolean) => Promise<T>,
  onSearchAttributesMissing: () => void,
): Promise<T> {
  try {
    return await attempt(true);
  } catch (error) {
    if (!isUnknownSearchAttribute(error)) throw error;
    onSearchAttributesMissing();
    return attempt(false);
  }
}

/**
 * The warning a command prints once when it went on without the search attributes: the same
 * words and the same one command as the run's own (common/search-attributes.ts).
 */
export function warnSearchAttributesMissing(namespace: string, goingOn?: string): void {
  const missing = Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => ({
    name: name as SearchAttributeName,
    type,
  }));
  console.error(
    `warning: ${missingSearchAttributesAdvice({ namespace, registered: [], missing }, goingOn) ?? ''}`,
  );
}
