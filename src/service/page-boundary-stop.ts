import type { Clock } from '../core/clock.js';
import type { SyncEvents } from '../sync/events.js';

export interface PageBoundaryOptions {
  /** The scheduler's run signal: aborts on a graceful stop (finish the batch in flight, then return). */
  readonly soft: AbortSignal;
  /** Aborts on an immediate stop or a lost lease: stop now. */
  readonly hard: AbortSignal;
  readonly events: SyncEvents;
  readonly clock: Clock;
  /** Longest wait for the pages in flight before stopping anyway. Default 60 s. */
  readonly drainTimeoutMs?: number;
}

/**
 * The signal to hand the engine so a graceful stop lands between pages. The engine takes one signal: aborting
 * it mid-page cancels the write in flight and checkpoints that page as a failed batch (nothing is lost, but
 * the page then shows as a failure until the next run re-reads it). So on a graceful request this waits until
 * every page that was in flight at that moment has been committed (`batch:written`), then aborts; the engine
 * stops at the top of its next page. An immediate stop or a lost lease aborts at once, and so does the drain
 * timeout. Pages are tracked per stream (`page:read` → in flight, `batch:written`/`stream:done` → done);
 * a replay batch counts as in flight from the start of the replay until its commit.
 */
export function pageBoundarySignal(options: PageBoundaryOptions): { signal: AbortSignal; dispose(): void } {
  // An immediate stop, or a graceful one that outlasts the drain timeout, aborts regardless of pages.
  const deadline = drainDeadline(options);
  const controller = new AbortController();
  const abort = (reason: unknown): void => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const onDeadline = (): void => abort(deadline.signal.reason);
  const inFlight = new Set<string>();
  let waitingFor: Set<string> | undefined;
  const done = (key: string): void => {
    inFlight.delete(key);
    if (waitingFor === undefined) return;
    waitingFor.delete(key);
    if (waitingFor.size === 0) abort(options.soft.reason);
  };
  const offs = [
    options.events.on('run:start', ({ runKind }) => {
      if (runKind === 'replay') inFlight.add('replay');
    }),
    options.events.on('page:read', ({ kind }) => {
      inFlight.add(kind);
    }),
    options.events.on('batch:written', ({ kind, replayOf }) => {
      done(replayOf === undefined ? kind : 'replay');
    }),
    options.events.on('stream:done', ({ kind }) => done(kind)),
    options.events.on('run:end', () => {
      inFlight.clear();
      if (waitingFor !== undefined) abort(options.soft.reason);
    }),
  ];
  const onSoft = (): void => {
    if (inFlight.size === 0) abort(options.soft.reason);
    else waitingFor = new Set(inFlight);
  };
  if (deadline.signal.aborted) onDeadline();
  else if (options.soft.aborted) onSoft();
  deadline.signal.addEventListener('abort', onDeadline, { once: true });
  options.soft.addEventListener('abort', onSoft, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const off of offs) off();
      deadline.dispose();
      deadline.signal.removeEventListener('abort', onDeadline);
      options.soft.removeEventListener('abort', onSoft);
    },
  };
}

/**
 * For a sync, which stops at page boundaries by itself once given the graceful signal as its `drain`: the
 * signal that cancels it outright — an immediate stop, or a graceful stop that has not drained within the
 * timeout.
 */
export function drainDeadline(options: Omit<PageBoundaryOptions, 'events'>): {
  signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const timer = new AbortController();
  const abort = (reason: unknown): void => {
    if (!controller.signal.aborted) controller.abort(reason);
    timer.abort();
  };
  const onSoft = (): void => {
    options.clock.sleep(options.drainTimeoutMs ?? 60_000, timer.signal).then(
      () => abort(options.soft.reason),
      () => {},
    );
  };
  const onHard = (): void => abort(options.hard.reason);
  if (options.hard.aborted) onHard();
  else if (options.soft.aborted) onSoft();
  options.soft.addEventListener('abort', onSoft, { once: true });
  options.hard.addEventListener('abort', onHard, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      timer.abort();
      options.soft.removeEventListener('abort', onSoft);
      options.hard.removeEventListener('abort', onHard);
    },
  };
}
