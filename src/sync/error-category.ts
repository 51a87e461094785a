import { isAbortError } from '../core/abort.js';
import { coerceError, isConnectorError } from '../core/errors.js';

/** A stable category for a whole-batch failure: the error's `code`, `aborted`, or `unexpected`. */
export function errorCategoryOf(error: unknown, signal?: AbortSignal): string {
  if (signal?.aborted || isAbortError(error)) return 'aborted';
  if (isConnectorError(error)) return error.code;
  return 'unexpected';
}

/** `{ code, message }` for results and run rows. Messages come from our typed errors, which carry no secret. */
export function describeError(error: unknown, signal?: AbortSignal): { code: string; message: string } {
  return { code: errorCategoryOf(error, signal), message: coerceError(error).message };
}
