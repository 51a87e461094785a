import { coerceError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';

export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

/** The part of `process` this needs; tests pass an EventEmitter. */
export interface SignalSource {
  on(event: ShutdownSignal, listener: () => void): unknown;
  off(event: ShutdownSignal, listener: () => void): unknown;
}

export interface Stoppable {
  stop(options: { graceful: boolean }): Promise<void>;
}

export interface ShutdownOptions {
  readonly signals?: readonly ShutdownSignal[];
  readonly logger?: Logger;
  /** Called once the service has stopped (e.g. to set `process.exitCode` or close the HTTP server). */
  readonly onStopped?: (how: { graceful: boolean }) => void;
}

/**
 * First SIGTERM/SIGINT: graceful stop (finish or checkpoint the batch in flight). Second: immediate stop.
 * Returns a function that removes the listeners.
 */
export function handleShutdownSignals(
  source: SignalSource,
  target: Stoppable,
  options: ShutdownOptions = {},
): () => void {
  const logger = options.logger ?? silentLogger;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let received = 0;
  let reported = false;
  const listener = (signal: ShutdownSignal) => (): void => {
    received += 1;
    const graceful = received === 1;
    if (received > 2) return;
    logger.warn(
      { signal },
      graceful
        ? 'stopping: finishing the batch in flight (send the signal again to stop at once)'
        : 'stopping at once',
    );
    target.stop({ graceful }).then(
      () => {
        if (reported) return;
        reported = true;
        options.onStopped?.({ graceful: received === 1 });
      },
      (error: unknown) => logger.error({ err: coerceError(error).message }, 'stop failed'),
    );
  };
  const installed = signals.map((signal) => [signal, listener(signal)] as const);
  for (const [signal, fn] of installed) source.on(signal, fn);
  return () => {
    for (const [signal, fn] of installed) source.off(signal, fn);
  };
}
