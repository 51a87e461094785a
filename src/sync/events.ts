/**
 * Typed events of a sync. Progress bars, metrics, the dashboard and tests subscribe; tests AWAIT events
 * (`once`) instead of sleeping. Emission is safe: a throwing listener is logged and ignored, it can never
 * stop a sync.
 */
import type { Logger } from '../core/logger.js';
import type { ActionCounts } from './counts.js';
import type { EntityKind, RecordAction, StreamCursor } from './model.js';
import type { BatchStatus, RunKind } from './ports.js';
import type { PlanLine, RunResult } from './result.js';

export interface SyncEventMap {
  'run:start': { runId: string; runKind: RunKind; streams: readonly EntityKind[]; dryRun: boolean };
  'stream:start': { runId: string; kind: EntityKind; cursor: StreamCursor | null };
  'page:read': { runId: string; kind: EntityKind; records: number; position: StreamCursor | null };
  /** A page was handled and checkpointed (one store commit). `cursor` is the stored cursor after it. */
  'batch:written': {
    runId: string;
    kind: EntityKind;
    batchId: string;
    status: Exclude<BatchStatus, 'pending' | 'replayed'>;
    counts: ActionCounts;
    cursor: StreamCursor | null;
    replayOf?: string;
  };
  'record:failed': {
    runId: string;
    kind: EntityKind;
    batchId?: string;
    sourceId: string;
    category: string;
    message: string;
  };
  /** Dry run: what would happen to one record. */
  'record:planned': { runId: string; line: PlanLine };
  /** Reconcile: a HubSpot object whose Epicor record is gone. */
  'record:orphaned': {
    runId: string;
    kind: EntityKind;
    sourceId: string;
    hubspotId: string;
    action: RecordAction;
  };
  /** Passed through from the clients (they may share this emitter). */
  retry: { system: 'epicor' | 'hubspot'; attempt: number; delayMs: number; reason: string };
  ratelimit: { system: 'epicor' | 'hubspot'; waitMs: number; scope: string };
  'stream:done': { runId: string; kind: EntityKind; counts: ActionCounts; cursor: StreamCursor | null };
  'run:end': { result: RunResult };
}

export type SyncEventName = keyof SyncEventMap;
export type SyncListener<K extends SyncEventName> = (payload: SyncEventMap[K]) => void;

export class SyncEvents {
  readonly #listeners = new Map<SyncEventName, Set<(payload: never) => void>>();
  readonly #logger: Logger | undefined;

  constructor(options: { logger?: Logger } = {}) {
    this.#logger = options.logger;
  }

  /** Subscribes; returns the unsubscribe function. */
  on<K extends SyncEventName>(name: K, listener: SyncListener<K>): () => void {
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Resolves with the first payload of `name` that satisfies `filter`; rejects when `signal` aborts. */
  once<K extends SyncEventName>(
    name: K,
    options: { filter?: (payload: SyncEventMap[K]) => boolean; signal?: AbortSignal } = {},
  ): Promise<SyncEventMap[K]> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(options.signal.reason);
        return;
      }
      const onAbort = (): void => {
        off();
        reject(options.signal?.reason);
      };
      const off = this.on(name, (payload) => {
        if (options.filter && !options.filter(payload)) return;
        off();
        options.signal?.removeEventListener('abort', onAbort);
        resolve(payload);
      });
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Calls every listener; a listener that throws is logged and skipped (see `safeEmit`). */
  emit<K extends SyncEventName>(name: K, payload: SyncEventMap[K]): void {
    const set = this.#listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as SyncListener<K>)(payload);
      } catch (error) {
        this.#logger?.warn({ event: name, err: error }, 'A sync event listener threw; ignored');
      }
    }
  }
}

/** Emits on an optional emitter; never throws (a broken listener must not stop a sync). */
export function safeEmit<K extends SyncEventName>(
  events: SyncEvents | undefined,
  name: K,
  payload: SyncEventMap[K],
): void {
  try {
    events?.emit(name, payload);
  } catch {
    // emit already isolates listeners; this guards against a broken emitter replacement.
  }
}
