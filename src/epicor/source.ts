import type { Source } from '../sync/ports.js';
import type { EpicorClient } from './client.js';

/**
 * The sync engine's `Source` port over the Epicor client: `read` = keyset scan from the stored cursor
 * (with the engine's lookback), `replay` = re-run a stored page query, `listKeys` = keys-only scan.
 */
export function createEpicorSource(client: EpicorClient): Source {
  return {
    read: (kind, from, options) =>
      client.scan(kind, {
        from,
        lookbackMs: options.lookbackMs,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    replay: async (query, signal) => (await client.replay(query, signal)).records,
    listKeys: (kind, signal) => client.listKeys(kind, signal),
  };
}
