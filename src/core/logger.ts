import { destination, pino } from 'pino';
import type { Redactor } from './redact.js';

/** The logging calls the product makes; pino satisfies it, tests pass `silentLogger` or a recorder. */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  child(bindings: object): Logger;
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

/**
 * Structured JSON lines on stderr (stdout stays free for command output). With a `redactor`, every
 * registered secret is scrubbed from each serialised line before it is written.
 */
export function createLogger(options: { level?: string; name?: string; redactor?: Redactor } = {}): Logger {
  const { redactor } = options;
  return pino(
    {
      level: options.level ?? 'info',
      name: options.name ?? 'ml-connector',
      ...(redactor === undefined ? {} : { hooks: { streamWrite: (line: string) => redactor.redact(line) } }),
    },
    destination(2),
  );
}
