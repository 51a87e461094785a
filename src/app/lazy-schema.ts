import type { Destination, Source } from '../sync/ports.js';

/**
 * Defers `ensureSchema` until the first write. The engine asks for the schema at the start of every
 * run; a CLI process is a new engine each time, so without this a run with nothing to write would still
 * read HubSpot's properties — and a run that fails on the Epicor side would touch HubSpot at all.
 */
export function withLazySchema(destination: Destination): Destination & {
  /** The schema was checked elsewhere (the `setup` step): later writes skip the check. */
  markReady(): void;
} {
  let ready: Promise<void> | undefined;
  const ensure = (signal: AbortSignal | undefined): Promise<void> => {
    ready ??= destination.ensureSchema(signal).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  return {
    markReady: () => {
      ready = Promise.resolve();
    },
    ensureSchema: async () => {},
    upsert: async (objectType, records, signal) => {
      if (records.length === 0) return [];
      await ensure(signal);
      return destination.upsert(objectType, records, signal);
    },
    associate: async (pairs, signal) => {
      if (pairs.length === 0) return [];
      await ensure(signal);
      return destination.associate(pairs, signal);
    },
    archive: async (objectType, ids, signal) => {
      if (ids.length === 0) return;
      await ensure(signal);
      await destination.archive(objectType, ids, signal);
    },
  };
}

/**
 * `sync --full`: every stream is read from the beginning, whatever its stored cursor. The engine still
 * drops unchanged records by content hash, and only ever moves a cursor forwards, so pages behind the
 * stored cursor leave it alone.
 */
export function fromTheBeginning(source: Source): Source {
  return {
    read: (kind, _from, options) => source.read(kind, null, options),
    replay: (query, signal) => source.replay(query, signal),
    listKeys: (kind, signal) => source.listKeys(kind, signal),
  };
}
