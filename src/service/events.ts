import { coerceError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

type Listener<T> = (payload: T) => void;

/**
 * A small typed event emitter whose `emit` never throws: a listener that throws (or returns a rejected
 * promise) is logged and the others still run, so observers (metrics, alerts, the dashboard) can never break
 * the scheduler loop.
 */
export class SafeEmitter<M extends object> {
  readonly #listeners = new Map<keyof M, Set<Listener<never>>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Subscribes; the returned function unsubscribes. */
  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
    };
  }

  /** Resolves with the next payload of `event` that satisfies `filter`. */
  once<K extends keyof M>(event: K, filter: (payload: M[K]) => boolean = () => true): Promise<M[K]> {
    return new Promise((resolve) => {
      const off = this.on(event, (payload) => {
        if (!filter(payload)) return;
        off();
        resolve(payload);
      });
    });
  }

  emit<K extends keyof M>(event: K, payload: M[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        const result: unknown = (listener as Listener<M[K]>)(payload);
        if (result instanceof Promise) result.catch((error: unknown) => this.#report(event, error));
      } catch (error) {
        this.#report(event, error);
      }
    }
  }

  #report(event: keyof M, error: unknown): void {
    this.#logger.error({ event: String(event), err: coerceError(error).message }, 'event listener threw');
  }
}
