import { ConnectorError } from '../core/errors.js';

/**
 * Typed errors of the Epicor client. Every field and message is built from redacted text: the URL
 * without credentials or api-key, Epicor's ErrorMessage with the key and any known secret scrubbed.
 */

export interface EpicorErrorDetails {
  /** HTTP status, when a response arrived. */
  readonly status?: number;
  /** Epicor's `ErrorType`, e.g. `System.UnauthorizedAccessException`. */
  readonly errorType?: string;
  /** Epicor's `ErrorMessage` (or the OData/gateway equivalent), redacted. */
  readonly errorMessage?: string;
  readonly correlationId?: string;
  /** The request URL, redacted. */
  readonly url?: string;
  /** Attempts made before giving up (1 = no retry). */
  readonly attempts?: number;
}

export class EpicorError extends ConnectorError {
  readonly status: number | undefined;
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
  readonly correlationId: string | undefined;
  readonly url: string | undefined;
  readonly attempts: number | undefined;

  constructor(
    code: string,
    message: string,
    details: EpicorErrorDetails = {},
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(code, message, options);
    this.status = details.status;
    this.errorType = details.errorType;
    this.errorMessage = details.errorMessage;
    this.correlationId = details.correlationId;
    this.url = details.url;
    this.attempts = details.attempts;
  }

  /**
   * The page query that failed (an EpicorQuery), so the sync engine can record a replayable batch
   * (see `queryOfSourceError` in src/sync/ports.ts).
   */
  get query(): unknown {
    return this.#query;
  }
  #query: unknown;

  attachQuery(query: unknown): this {
    this.#query = query;
    return this;
  }

  /** The same error with the attempt count recorded (after retries gave up). */
  withAttempts(attempts: number): this {
    Object.defineProperty(this, 'attempts', { value: attempts });
    return this;
  }
}

/** 401 "Invalid API Key …": the key is wrong, expired, for another environment or company. */
export class EpicorApiKeyError extends EpicorError {
  constructor(message: string, details: EpicorErrorDetails) {
    super('ERR_EPICOR_API_KEY', message, details);
  }
}

/** 401 "Invalid username or password." or a token endpoint refusing the credentials / client. */
export class EpicorCredentialsError extends EpicorError {
  constructor(message: string, details: EpicorErrorDetails) {
    super('ERR_EPICOR_CREDENTIALS', message, details);
  }
}

/** 401 "Access denied (…)" or 403: Epicor security or the key's access scope refuses this service. */
export class EpicorAccessDeniedError extends EpicorError {
  constructor(message: string, details: EpicorErrorDetails) {
    super('ERR_EPICOR_ACCESS_DENIED', message, details);
  }
}

/** Any other 401 that persisted after one token refresh (or in Basic mode). */
export class EpicorUnauthorizedError extends EpicorError {
  constructor(message: string, details: EpicorErrorDetails) {
    super('ERR_EPICOR_UNAUTHORIZED', message, details);
  }
}

/** 400 LicenseAccessException: no free Epicor license; retried with long waits, then raised. */
export class EpicorLicenseError extends EpicorError {
  constructor(message: string, details: EpicorErrorDetails) {
    super('ERR_EPICOR_LICENSE', message, details, { retryable: true });
  }
}

/** Any other non-2xx answer. Retryable for 5xx, 408 and 429. */
export class EpicorHttpError extends EpicorError {
  constructor(message: string, details: EpicorErrorDetails & { status: number }, retryable: boolean) {
    super(details.status === 404 ? 'ERR_EPICOR_NOT_FOUND' : 'ERR_EPICOR_HTTP', message, details, {
      retryable,
    });
  }
}

/** Connection refused, reset, DNS failure, body cut short. */
export class EpicorNetworkError extends EpicorError {
  constructor(message: string, details: EpicorErrorDetails, cause: unknown) {
    super('ERR_EPICOR_NETWORK', message, details, { cause, retryable: true });
  }
}

/** No complete answer within `requestTimeoutMs`. */
export class EpicorTimeoutError extends EpicorError {
  constructor(message: string, details: EpicorErrorDetails) {
    super('ERR_EPICOR_TIMEOUT', message, details, { retryable: true });
  }
}

/** A 2xx answer whose body is not what Epicor sends (not JSON, no `value` array, no token). */
export class EpicorResponseError extends EpicorError {
  constructor(message: string, details: EpicorErrorDetails, cause?: unknown) {
    super('ERR_EPICOR_RESPONSE', message, details, { cause });
  }
}

/**
 * Keyset paging did not move forward (a page out of order, or stuck on the cursor). The message names
 * the likely setting (the tenant time zone) and what was observed.
 */
export class EpicorPagingError extends EpicorError {
  constructor(message: string, details: EpicorErrorDetails = {}) {
    super('ERR_EPICOR_PAGING', message, details);
  }
}

/** A row whose key or change column cannot be read (so no cursor can be placed after it). */
export class EpicorDataError extends EpicorError {
  constructor(message: string) {
    super('ERR_EPICOR_DATA', message);
  }
}

/**
 * The child entity set answers its own key filter with nothing or a 400 (reference §3.5): keyset paging
 * would silently miss rows (or fail on every page). Not retryable: a person must change the config
 * (`streams.vendorContacts.change: { strategy: vendor-expand }`).
 */
export class EpicorChildFilterError extends EpicorError {
  constructor(message: string, details: EpicorErrorDetails = {}, cause?: unknown) {
    super('ERR_EPICOR_CHILD_FILTER', message, details, cause === undefined ? {} : { cause });
  }
}

export function isEpicorError(value: unknown): value is EpicorError {
  return value instanceof EpicorError;
}
