/**
 * Root of every error the product raises on purpose. `code` is stable (CLI exit codes, API statuses and
 * tests switch on it, never on the message); `message` says what happened and what to do about it.
 * Messages and fields must never carry a secret: build them from redacted values only.
 */
export class ConnectorError extends Error {
  readonly code: string;
  /** True when the same call may succeed later without anyone changing anything. */
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}

/** The configuration is invalid; nothing was written. `issues` lists every problem with its path. */
export class ConfigError extends ConnectorError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super('ERR_CONFIG', `Invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.issues = issues;
  }
}

/** Normalises anything thrown into an Error, so catch blocks can rely on `.message`. */
export function coerceError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(JSON.stringify(value));
  } catch {
    return new Error(String(value));
  }
}
