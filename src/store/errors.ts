import { ConnectorError } from '../core/errors.js';

/** The database was migrated by a newer ml-connector; this version must not touch it. */
export class StoreSchemaTooNewError extends ConnectorError {
  readonly unknownMigrations: readonly string[];
  constructor(unknownMigrations: readonly string[]) {
    super(
      'ERR_STORE_SCHEMA_TOO_NEW',
      `The store was migrated by a newer version of ml-connector (unknown migrations: ${unknownMigrations.join(', ')}). ` +
        'Upgrade ml-connector to open it; this version will not modify a newer schema.',
    );
    this.unknownMigrations = unknownMigrations;
  }
}

/** A migration failed; the failing migration's transaction was rolled back where the dialect allows. */
export class StoreMigrationError extends ConnectorError {
  constructor(message: string, cause: unknown) {
    super('ERR_STORE_MIGRATION', `Store migration failed: ${message}`, { cause });
  }
}

/** The store could not be opened (bad path, unreachable server, bad options). */
export class StoreOpenError extends ConnectorError {
  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super('ERR_STORE_OPEN', message, options);
  }
}

export class StoreNotFoundError extends ConnectorError {
  constructor(what: string) {
    super('ERR_STORE_NOT_FOUND', `${what} does not exist.`);
  }
}

/** A uniqueness rule was broken, e.g. two connections with the same name. */
export class StoreConflictError extends ConnectorError {
  constructor(message: string, cause?: unknown) {
    super('ERR_STORE_CONFLICT', message, { cause });
  }
}

/** A paging cursor was not produced by this store. */
export class StoreBadCursorError extends ConnectorError {
  constructor() {
    super('ERR_STORE_BAD_CURSOR', 'The paging cursor is malformed; start again without a cursor.');
  }
}

/** SQLite and PostgreSQL report unique violations differently; this recognises both. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The message of a thrown value, for wrapping it in a store error. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
