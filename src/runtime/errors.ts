/**
 * The runtime's classification of API errors. The client boundary (kube-client) turns whatever its
 * library throws into an ApiError, so callers decide on a kind ("AlreadyExists is success",
 * "Conflict: re-read and retry", "Gone: relist") and never on status codes or library types.
 */

/** What went wrong with an API request, as far as a caller needs to decide what to do next. */
export type ApiErrorKind =
  'NotFound' | 'Conflict' | 'AlreadyExists' | 'Gone' | 'Invalid' | 'Forbidden' | 'Transient';

/** Every kind, for exhaustive tables and tests. */
export const apiErrorKinds: readonly ApiErrorKind[] = [
  'NotFound',
  'Conflict',
  'AlreadyExists',
  'Gone',
  'Invalid',
  'Forbidden',
  'Transient',
];

/**
 * Maps an HTTP status (and the Status object's `reason`, when there is one) to a kind.
 * The API server answers 409 both for a stale resourceVersion and for a create of an existing
 * name; only the reason tells them apart, so 409 without reason `AlreadyExists` is a Conflict.
 * Status 0 or undefined (no response: connection refused, reset, timeout), 408, 429 and 5xx are
 * Transient; 401 is Forbidden because retrying with the same credentials cannot help; any other
 * 4xx is Invalid (the request itself is wrong and will not succeed when repeated).
 */
export function classify(statusCode: number | undefined, reason?: string): ApiErrorKind {
  if (reason === 'AlreadyExists') return 'AlreadyExists';
  if (reason === 'Conflict') return 'Conflict';
  if (reason === 'NotFound') return 'NotFound';
  if (reason === 'Gone' || reason === 'Expired') return 'Gone';
  switch (statusCode) {
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 401:
    case 403:
      return 'Forbidden';
    case 408:
    case 429:
      return 'Transient';
    case undefined:
      return 'Transient';
    default:
      return statusCode >= 400 && statusCode < 500 ? 'Invalid' : 'Transient';
  }
}

/** Construction details of an {@link ApiError}. */
export interface ApiErrorOptions {
  /** The HTTP status, when the server answered. */
  statusCode?: number;
  /** The Status object's `reason` (e.g. `AlreadyExists`), when the server sent one. */
  reason?: string;
  /** Seconds the server asked us to wait (Retry-After or Status details), for Transient errors. */
  retryAfterSeconds?: number;
  /** The original error, kept for logs. */
  cause?: unknown;
}

/** An API request that failed, classified. `message` is the server's message when it sent one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  readonly statusCode: number | undefined;
  readonly reason: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ApiErrorKind, message: string, options: ApiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.statusCode = options.statusCode;
    this.reason = options.reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** Builds an error whose kind follows from the status code and reason via {@link classify}. */
  static fromStatus(
    statusCode: number | undefined,
    message: string,
    options: Omit<ApiErrorOptions, 'statusCode'> = {},
  ): ApiError {
    const withStatus: ApiErrorOptions =
      statusCode === undefined ? options : { ...options, statusCode };
    return new ApiError(classify(statusCode, options.reason), message, withStatus);
  }
}

/** The kind of an ApiError; undefined for anything else (a bug, not an API answer). */
export function errorKind(error: unknown): ApiErrorKind | undefined {
  return error instanceof ApiError ? error.kind : undefined;
}

/** True when error is an ApiError of the given kind. */
export function isApiError(error: unknown, kind: ApiErrorKind): error is ApiError {
  return error instanceof ApiError && error.kind === kind;
}

/**
 * True when repeating the same request later may succeed without anyone changing it: Transient,
 * and Conflict (after a fresh read). The others need a changed request or a changed world.
 */
export function isRetryable(kind: ApiErrorKind): boolean {
  return kind === 'Transient' || kind === 'Conflict';
}
