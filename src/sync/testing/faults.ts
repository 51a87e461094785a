/**
 * Fault injection that simulates the process dying at a chosen instant: from the crash on, every call
 * to the store or the destination throws, as nothing more would happen in a dead process. The store
 * underneath is the real one; only the calls reaching it are cut.
 */
import type { MappedRecord } from '../model.js';
import type { Destination, SyncStore } from '../ports.js';

export class Crash extends Error {
  constructor(where: string) {
    super(`simulated crash ${where}`);
  }
}

export type CrashPoint = { readonly at: number; readonly when: 'before' | 'after' };

export class ProcessDeath {
  dead = false;
  #storeWrites = 0;
  #upserts = 0;
  storeWrites = 0;
  upserts = 0;

  constructor(
    readonly store?: CrashPoint,
    readonly destination?: CrashPoint,
  ) {}

  #check(): void {
    if (this.dead) throw new Crash('(already dead)');
  }

  wrapStore(inner: SyncStore): SyncStore {
    const write = async <T>(name: string, call: () => Promise<T>): Promise<T> => {
      this.#check();
      const n = ++this.#storeWrites;
      this.storeWrites = n;
      if (this.store?.at === n && this.store.when === 'before') {
        this.dead = true;
        throw new Crash(`before store write #${n} (${name})`);
      }
      const result = await call();
      if (this.store?.at === n) {
        this.dead = true;
        throw new Crash(`after store write #${n} (${name})`);
      }
      return result;
    };
    const read = <T>(call: () => Promise<T>): Promise<T> => {
      this.#check();
      return call();
    };
    return {
      getCursor: (kind) => read(() => inner.getCursor(kind)),
      lookupIdMap: (ids) => read(() => inner.lookupIdMap(ids)),
      idMapEntries: (kind) => inner.idMapEntries(kind),
      getBatch: (id) => read(() => inner.getBatch(id)),
      listFailedBatches: (filter) => read(() => inner.listFailedBatches(filter)),
      removeIdMap: (ids) => write('removeIdMap', () => inner.removeIdMap(ids)),
      startRun: (run) => write('startRun', () => inner.startRun(run)),
      finishRun: (id, finish) => write('finishRun', () => inner.finishRun(id, finish)),
      commitPage: (commit) => write('commitPage', () => inner.commitPage(commit)),
      appendAudit: (id, entries, at) => write('appendAudit', () => inner.appendAudit(id, entries, at)),
    };
  }

  wrapDestination(inner: Destination): Destination {
    return {
      ensureSchema: async (signal) => {
        this.#check();
        await inner.ensureSchema(signal);
      },
      upsert: async (objectType, records: readonly MappedRecord[], signal) => {
        this.#check();
        const n = ++this.#upserts;
        this.upserts = n;
        if (this.destination?.at === n && this.destination.when === 'before') {
          this.dead = true;
          throw new Crash(`before upsert #${n}`);
        }
        const outcomes = await inner.upsert(objectType, records, signal);
        if (this.destination?.at === n) {
          this.dead = true;
          throw new Crash(`after upsert #${n} landed`);
        }
        return outcomes;
      },
      associate: async (pairs, signal) => {
        this.#check();
        return inner.associate(pairs, signal);
      },
      archive: async (objectType, ids, signal) => {
        this.#check();
        await inner.archive(objectType, ids, signal);
      },
    };
  }
}
