import { ConnectorError } from '../core/errors.js';
import type { HubSpotErrorBody } from './error-body.js';

/**
 * Errors the HubSpot client raises on purpose. Each has a stable `code`; messages say what to do and are
 * built only from non-secret values (status, category, correlation id, HubSpot's own message text).
 */
export class HubSpotError extends ConnectorError {
  /** HTTP status of the response that caused this error, when there was one. */
  readonly status: number | undefined;
  /** HubSpot's error `category` (VALIDATION_ERROR, MISSING_SCOPES, …) when the body had one. */
  readonly category: string | undefined;
  /** HubSpot's `correlationId`, to quote to HubSpot support. */
  readonly correlationId: string | undefined;
  /** The parsed error body (no secrets: HubSpot never echoes the token). */
  readonly body: HubSpotErrorBody | undefined;

  constructor(
    code: string,
    message: string,
    options: {
      status?: number;
      category?: string;
      correlationId?: string;
      body?: HubSpotErrorBody;
      cause?: unknown;
      retryable?: boolean;
    } = {},
  ) {
    super(code, message, { cause: options.cause, retryable: options.retryable });
    this.body = options.body;
    this.status = options.status;
    this.category = options.category;
    this.correlationId = options.correlationId;
  }
}

/** The token was missing, rejected, or could not be refreshed (401, or 400 BAD_REFRESH_TOKEN). */
export class HubSpotAuthError extends HubSpotError {}

/** The token lacks scopes the call needs (403 MISSING_SCOPES). */
export class HubSpotScopesError extends HubSpotError {
  readonly missingScopes: readonly string[];
  constructor(missingScopes: readonly string[], options: { status?: number; correlationId?: string } = {}) {
    const list = missingScopes.length > 0 ? missingScopes.join(', ') : '(HubSpot did not say which)';
    super(
      'ERR_HUBSPOT_SCOPES',
      `HubSpot refused the call because the app is missing scopes: ${list}. Add them to the private app ` +
        '(Settings → Integrations → Private Apps → Scopes) or re-authorise the OAuth app with them, then retry.',
      { ...options, category: 'MISSING_SCOPES' },
    );
    this.missingScopes = missingScopes;
  }
}

/** The portal's daily API budget is spent (429 with policyName DAILY). The run must stop. */
export class HubSpotDailyLimitError extends HubSpotError {
  /** Epoch ms when the budget is expected to reset (portal-time-zone midnight or Retry-After). */
  readonly resetsAt: number;
  constructor(resetsAt: number, options: { correlationId?: string; timeZone: string }) {
    super(
      'ERR_HUBSPOT_RATE_LIMIT_DAILY',
      `HubSpot's daily API limit for this portal is used up; the run stopped. It resets at ` +
        `${new Date(resetsAt).toISOString()} (midnight in ${options.timeZone}). Resume after that, or buy an ` +
        'API limit increase, or reduce other apps sharing the portal budget.',
      { status: 429, category: 'RATE_LIMITS', correlationId: options.correlationId, retryable: true },
    );
    this.resetsAt = resetsAt;
  }
}

/** A request kept hitting rate limits (or locks) after every retry allowed. */
export class HubSpotRateLimitError extends HubSpotError {}

/** HubSpot rejected the request content (400 VALIDATION_ERROR), for a reason other than one record. */
export class HubSpotValidationError extends HubSpotError {}

/** The unique id property is missing `hasUniqueValue` or cannot be used as an upsert key. */
export class HubSpotUniquePropertyError extends HubSpotError {}

/** A property the connector relies on exists with an incompatible type or field type. */
export class HubSpotPropertyTypeError extends HubSpotError {}

/** Any other non-2xx answer, or a network failure that outlasted the retries. */
export class HubSpotHttpError extends HubSpotError {}

export function isHubSpotError(value: unknown): value is HubSpotError {
  return value instanceof HubSpotError;
}
