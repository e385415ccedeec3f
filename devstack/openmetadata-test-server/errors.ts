/**
 * Errors as the real server writes them: an ApiError becomes `{"code": <status>, "message": <text>}`
 * with that status. Anything else thrown while serving is answered 500.
 */

/** Thrown to answer a request with this status and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Jersey's answer for a path it cannot route (or whose parameters do not convert). */
export const notFoundRoute = (): ApiError => new ApiError(404, 'HTTP 404 Not Found');
export const entityNotFound = (entityType: string, key: string): ApiError =>
  new ApiError(404, `${entityType} instance for ${key} not found`);
