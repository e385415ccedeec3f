import { Context } from '@temporalio/activity';
import {
  INDEXED_VALUE_TYPES,
  SEARCH_ATTRIBUTES,
  searchAttributeTypeName,
  type NamespaceSearchAttributes,
  type SearchAttributeName,
} from '../../common/search-attributes.js';

/**
 * Which of the run's search attributes its namespace has. Workflow code cannot find out by
 * trying: upserting an attribute the namespace lacks fails every workflow task of the run
 * (BadSearchAttributes) and leaves it stuck, so the workflow asks first and upserts only
 * these. Read through the worker's own connection to Temporal (the activity context's client).
 */
export function createSearchAttributeActivities() {
  return {
    async checkSearchAttributes(): Promise<NamespaceSearchAttributes> {
      const { client, info } = Context.current();
      const { namespace } = info;
      const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
        namespace,
      });
      const found: NamespaceSearchAttributes = { namespace, registered: [], missing: [] };
      for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES) as [
        SearchAttributeName,
        (typeof SEARCH_ATTRIBUTES)[SearchAttributeName],
      ][]) {
        const registered = customAttributes?.[name];
        if (registered === undefined || registered === null) {
          found.missing.push({ name, type });
        } else if (Number(registered) !== INDEXED_VALUE_TYPES[type]) {
          found.missing.push({ name, type, actual: searchAttributeTypeName(Number(registered)) });
        } else {
          found.registered.push(name);
        }
      }
      return found;
    },
  };
}
