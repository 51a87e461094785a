import { isConnectorError } from '../../core/errors.js';
import type { Redactor } from '../../core/redact.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/** A problem with how the command was called (bad flag value, missing input); exit 2. */
export class UsageError extends Error {
  readonly code = 'ERR_USAGE';
  override get name(): string {
    return 'UsageError';
  }
}

const USAGE_CODES = new Set([
  'ERR_STORE_SCHEMA_TOO_NEW',
  'ERR_HUBSPOT_UNIQUE_PROPERTY',
  'ERR_HUBSPOT_PROPERTY_TYPE',
  // `connections add|set|remove`: a wrong id, or a config file that cannot be written.
  'ERR_CONNECTION_EXISTS',
  'ERR_CONNECTION_NOT_FOUND',
  'ERR_CONFIG_WRITE',
]);

/** The user cancelled (Ctrl+C at a prompt); nothing was written. Exit 130. */
export class CancelledError extends Error {
  readonly code = 'ERR_CANCELLED';
  override get name(): string {
    return 'CancelledError';
  }
}

/** Remote systems that refused who we are or what we may do. */
const AUTH_CODES = new Set([
  'ERR_EPICOR_API_KEY',
  'ERR_EPICOR_CREDENTIALS',
  'ERR_EPICOR_UNAUTHORIZED',
  'ERR_EPICOR_ACCESS_DENIED',
  'ERR_HUBSPOT_AUTH',
  'ERR_HUBSPOT_SCOPES',
]);

/**
 * The documented exit code for an error (src/cli/exit-codes.ts): config, usage and local key problems,
 * a newer database schema and a HubSpot property the connector cannot use → 2; a system rejecting credentials or scopes → 3; a system down or rate-limited (retryable) → 5;
 * anything else → 1.
 */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof CancelledError) return EXIT.interrupted;
  if (!isConnectorError(error)) return EXIT.unexpected;
  if (error.code === 'ERR_CONFIG' || error.code.startsWith('ERR_CREDENTIALS_')) return EXIT.usage;
  // Needs a person to change something first: upgrade the connector, or fix a property in HubSpot.
  if (USAGE_CODES.has(error.code)) return EXIT.usage;
  if (AUTH_CODES.has(error.code)) return EXIT.auth;
  if (error.retryable || error.code === 'ERR_HUBSPOT_RATE_LIMIT_DAILY') return EXIT.failed;
  return EXIT.unexpected;
}

export interface ErrorReport {
  readonly code: string;
  readonly message: string;
  readonly exitCode: ExitCode;
}

/**
 * What the user sees for an error: its stable code and message, scrubbed of any registered secret.
 * Stack traces only for unexpected errors, and only at debug level (the caller decides).
 */
export function describeError(error: unknown, redactor?: Redactor): ErrorReport {
  const code =
    isConnectorError(error) || error instanceof UsageError || error instanceof CancelledError
      ? error.code
      : error instanceof Error
        ? 'ERR_UNEXPECTED'
        : 'ERR_UNEXPECTED';
  const raw = error instanceof Error ? error.message : String(error);
  const message = redactor === undefined ? raw : redactor.redact(raw);
  return { code, message, exitCode: exitCodeFor(error) };
}
