import type { EntityKind } from '../sync/model.js';
import type { Source } from '../sync/ports.js';
import { ChildFilterGuard } from './child-filter-guard.js';
import { childFilterProbeApplies } from './child-filter-probe.js';
import type { EpicorClient } from './client.js';
import { epicorQuerySchema } from './client.js';

/**
 * The sync engine's `Source` port over the Epicor client: `read` = keyset scan from the stored cursor
 * (with the engine's lookback), `replay` = re-run a stored page query, `listKeys` = keys-only scan.
 *
 * Vendor contacts read from the child entity set (`VendCntMains`, the default source) go through a
 * `ChildFilterGuard` (one per source, so its verdict lasts as long as the source): under the child
 * entity-set quirk the stream fails with `ERR_EPICOR_CHILD_FILTER` instead of silently missing
 * contacts. `epicor.childFilterCheck: false` (settings `childFilterCheck`) turns the guard off.
 */
export function createEpicorSource(client: EpicorClient): Source {
  const guards = new Map<EntityKind, ChildFilterGuard | null>();
  const guardOf = (kind: EntityKind): ChildFilterGuard | undefined => {
    let guard = guards.get(kind);
    if (guard === undefined) {
      const stream = client.stream(kind);
      guard =
        client.settings.childFilterCheck && childFilterProbeApplies(stream)
          ? new ChildFilterGuard(client, stream)
          : null;
      guards.set(kind, guard);
    }
    return guard ?? undefined;
  };

  return {
    read: (kind, from, options) => {
      const pages = client.scan(kind, {
        from,
        lookbackMs: options.lookbackMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return guardOf(kind)?.scan(pages, options.signal) ?? pages;
    },
    replay: async (query, signal) => {
      const parsed = epicorQuerySchema.safeParse(query);
      const guard = parsed.success ? guardOf(parsed.data.kind) : undefined;
      if (guard === undefined) return (await client.replay(query, signal)).records;
      try {
        const page = await client.replay(query, signal);
        await guard.vetPage(page, signal);
        return page.records;
      } catch (error) {
        await guard.vetFailure(error, signal);
        throw error;
      }
    },
    listKeys: (kind, signal) => {
      const guard = guardOf(kind);
      if (guard === undefined) return client.listKeys(kind, signal);
      // Keys are listed in filtered pages after the first: a quirk would make contacts look deleted.
      return (async function* () {
        await guard.vetBefore(signal);
        yield* client.listKeys(kind, signal);
      })();
    },
  };
}
