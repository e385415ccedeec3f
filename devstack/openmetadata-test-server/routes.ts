/**
 * The route table: every endpoint of the OpenMetadata API this server answers, in the version
 * it impersonates.
 */
import type { ApiContract } from './contract.js';
import { pipelineRoutes } from './pipeline-routes.js';
import type { Route } from './router.js';
import { ownerRoutes } from './owner-routes.js';
import { messagingServiceRoutes } from './service-routes.js';
import type { OpenMetadataState } from './state.js';
import { topicRoutes } from './topic-routes.js';

/** The git revision reported by the version endpoint (a fixed, recognisable value). */
const REVISION = 'e1c9a0b7f3d24c6a8b5e0f1d2c3b4a5968778695';

export function createRoutes(state: OpenMetadataState, contract: ApiContract): Route[] {
  return [
    {
      method: 'GET',
      template: 'v1/system/version',
      operation: 'ViewBasic',
      public: true,
      handle: () => ({
        status: 200,
        body: { version: contract.version, revision: REVISION, timestamp: Date.now() },
      }),
    },
    ...messagingServiceRoutes(state, contract),
    ...topicRoutes(state, contract),
    ...pipelineRoutes(state, contract),
    ...ownerRoutes(state),
  ];
}
