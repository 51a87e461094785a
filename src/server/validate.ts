import type { z } from 'zod';
import { ConnectorError } from '../core/errors.js';

/** An input failed its schema; answered with 400 and the issues (paths and messages, never the values). */
export class RequestValidationError extends ConnectorError {
  readonly issues: readonly { readonly path: string; readonly message: string }[];
  constructor(where: string, issues: readonly { readonly path: string; readonly message: string }[]) {
    super(
      'ERR_VALIDATION',
      `Invalid ${where}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    );
    this.issues = issues;
  }
}

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new RequestValidationError(
    where,
    result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}
