/**
 * The route table: every endpoint of the OpenMetadata 1.3 API this server answers.
 */
import type { Route } from './router.js';
import { ownerRoutes } from './owner-routes.js';
import { messagingServiceRoutes } from './service-routes.js';
import type { OpenMetadataState } from './state.js';
import { topicRoutes } from './topic-routes.js';

/** The git revision reported by the version endpoint (a fixed, recognisable value). */
const REVISION = 'e1c9a0b7f3d24c6a8b5e0f1d2c3b4a5968778695';

/** `version` is what GET /v1/system/version reports. */
export function createRoutes(state: OpenMetadataState, version: string): Route[] {
  return [
    {
      method: 'GET',
      template: 'v1/system/version',
      operation: 'ViewBasic',
      public: true,
      handle: () => ({ status: 200, body: { version, revision: REVISION, timestamp: Date.now() } }),
    },
    ...messagingServiceRoutes(state),
    ...topicRoutes(state),
    ...ownerRoutes(state),
  ];
}
