import { randomUUID } from 'node:crypto';

/** JSON body of a HubSpot error response (reference §6). Every field is optional for readers. */
export type HubSpotErrorBody = Record<string, unknown> & { status: string; message: string };

/**
 * Thrown by route handlers; the server turns it into `status` + `body` (+ headers). The correlation id
 * is filled in by the server so it matches the `X-HubSpot-Correlation-Id` header.
 */
export class SimHttpError extends Error {
  readonly status: number;
  readonly body: HubSpotErrorBody;
  readonly headers: Record<string, string>;

  constructor(status: number, body: HubSpotErrorBody, headers: Record<string, string> = {}) {
    super(body.message);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function newCorrelationId(): string {
  return randomUUID();
}

export function errorBody(
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): HubSpotErrorBody {
  return { status: 'error', message, correlationId: '', category, ...extra };
}

export function validationError(message: string, extra: Record<string, unknown> = {}): SimHttpError {
  return new SimHttpError(400, errorBody('VALIDATION_ERROR', message, extra));
}

export function notFoundError(message: string, extra: Record<string, unknown> = {}): SimHttpError {
  return new SimHttpError(404, errorBody('OBJECT_NOT_FOUND', message, extra));
}

export const BATCH_TOO_LARGE_MESSAGE =
  'The maximum number of inputs supported in a batch is 100. Please reduce the number of items and try again';

export const HISTORY_BATCH_TOO_LARGE_MESSAGE =
  'The maximum number of inputs supported in a batch request for property histories is 50';

/** One entry of the array embedded (as a string) in "Property values were not valid: [...]". */
export interface PropertyIssue {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
}

export function propertyIssuesMessage(issues: readonly PropertyIssue[]): string {
  return `Property values were not valid: ${JSON.stringify(issues)}`;
}

/** A per-input error inside a 207 body (`StandardError`). */
export interface StandardError {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
  errors: { message: string; code?: string; context?: Record<string, string[]> }[];
  links: Record<string, string>;
  id?: string;
  subCategory?: unknown;
}

export function standardError(
  category: string,
  message: string,
  context: Record<string, string[]> = {},
): StandardError {
  return { status: 'error', category, message, context, errors: [], links: {} };
}
