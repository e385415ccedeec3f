/**
 * Users and teams, as far as owners need them: `GET /v1/users/name/{name}` and
 * `GET /v1/teams/name/{name}` (UserResource, TeamResource), answering the entity's reference
 * fields. Tests add them with `addOwner`.
 */
import { entityNotFound } from './errors.js';
import type { Route } from './router.js';
import type { OpenMetadataState } from './state.js';

export function ownerRoutes(state: OpenMetadataState): Route[] {
  return (['user', 'team'] as const).map((type) => ({
    method: 'GET',
    template: `v1/${type}s/name/{name}`,
    operation: 'ViewBasic',
    handle: (context) => {
      const name = context.params.name ?? '';
      const owner = state.ownerByName(type, name);
      if (!owner) throw entityNotFound(type, name);
      return {
        status: 200,
        body: { ...owner, href: `${context.baseUrl}/v1/${type}s/${owner.id}`, version: 0.1 },
      };
    },
  }));
}
