import {
  type ChildFilterProbeOutcome,
  isChildFilterQuirk,
  probeChildFilter,
  quirkErrorMessage,
} from './child-filter-probe.js';
import { type EpicorClient, type EpicorPage, epicorQuerySchema } from './client.js';
import { EpicorChildFilterError, EpicorError } from './errors.js';
import type { ResolvedStream } from './streams.js';

type Row = Readonly<Record<string, unknown>>;

/**
 * Stops a read of a child entity set (vendor contacts from `VendCntMains`) before the child-filter
 * quirk (reference §3.5) can lose contacts silently. Under the quirk a filtered read comes back empty
 * (or 400) although rows exist, so a scan would take "no rows" for "no more changes". The guard lets a
 * page through only once the set's filtering is known to work, and runs the probe
 * (`probeChildFilter`) at most once per guard (one per source) when it cannot tell:
 *
 * - a page read WITH `$filter` that has rows proves filtering works: no probe, ever (so a resumed scan,
 *   whose first page re-reads the cursor's own rows, costs nothing extra: every no-change cycle of the
 *   service and every later CLI sync);
 * - a page read with `$filter` that is empty, or refused with 400, is checked by the probe before the
 *   scan may end (or the 400 be reported);
 * - a full page read WITHOUT `$filter` (page 1 of a first scan, which later pages will filter) is
 *   checked with its own first row as the sample (one request) before it is handed on, so under the
 *   quirk no contact is written before the run fails.
 *
 * On the quirk it throws `EpicorChildFilterError` (`ERR_EPICOR_CHILD_FILTER`, not retryable), and again
 * on every later read through this guard. `ok` and `inconclusive` outcomes let reads through.
 */
export class ChildFilterGuard {
  readonly #client: EpicorClient;
  readonly #stream: ResolvedStream;
  /** Filtering is known to work (or the probe could not tell): let everything through. */
  #settled = false;
  #probe: Promise<ChildFilterProbeOutcome> | undefined;
  #probes = 0;

  constructor(client: EpicorClient, stream: ResolvedStream) {
    this.#client = client;
    this.#stream = stream;
  }

  /** Probes started so far (0 or 1, more only after an aborted probe). */
  get probes(): number {
    return this.#probes;
  }

  /** The scan's pages, each vetted before it is handed on; a refused filtered page is vetted too. */
  async *scan(
    pages: AsyncGenerator<EpicorPage, void, undefined>,
    signal?: AbortSignal,
  ): AsyncGenerator<EpicorPage, void, undefined> {
    try {
      for (;;) {
        let next: IteratorResult<EpicorPage, void>;
        try {
          next = await pages.next();
        } catch (error) {
          await this.vetFailure(error, signal);
          throw error;
        }
        if (next.done) return;
        await this.vetPage(next.value, signal);
        yield next.value;
      }
    } finally {
      await pages.return(undefined);
    }
  }

  /** Throws `EpicorChildFilterError` when this page must not be trusted and the probe finds the quirk. */
  async vetPage(page: EpicorPage, signal?: AbortSignal): Promise<void> {
    if (this.#settled || page.query.path !== this.#stream.path) return;
    if (isFiltered(page.query.params)) {
      if (page.rowCount > 0) {
        this.#settled = true;
        return;
      }
      await this.#check(undefined, signal);
      return;
    }
    if (page.rowCount >= this.#stream.pageSize) await this.#check(page.records[0]?.fields, signal);
  }

  /**
   * A read of the set failed: when it was a filtered read refused with 400, probe; on the quirk this
   * throws `EpicorChildFilterError` (caused by the 400). Otherwise returns, and the caller rethrows.
   */
  async vetFailure(error: unknown, signal?: AbortSignal): Promise<void> {
    if (this.#settled || signal?.aborted) return;
    if (!(error instanceof EpicorError) || error.code !== 'ERR_EPICOR_HTTP' || error.status !== 400) return;
    const query = epicorQuerySchema.safeParse(error.query);
    if (!query.success || query.data.path !== this.#stream.path || !isFiltered(query.data.params)) return;
    await this.#check(undefined, signal, error);
  }

  /** Probes unless already settled (for reads that cannot be vetted page by page, e.g. `listKeys`). */
  async vetBefore(signal?: AbortSignal): Promise<void> {
    if (!this.#settled) await this.#check(undefined, signal);
  }

  async #check(sample: Row | undefined, signal: AbortSignal | undefined, cause?: unknown): Promise<void> {
    if (this.#probe === undefined) {
      this.#probes += 1;
      const probe = probeChildFilter(this.#client, this.#stream, {
        ...(sample === undefined ? {} : { sample }),
        ...(signal === undefined ? {} : { signal }),
      });
      this.#probe = probe;
      // An aborted (or buggy) probe decides nothing: the next read probes again.
      probe.catch(() => {
        if (this.#probe === probe) this.#probe = undefined;
      });
    }
    const outcome = await this.#probe;
    if (!isChildFilterQuirk(outcome)) {
      this.#settled = true;
      return;
    }
    const details = outcome.kind === 'rejected' ? outcome.error : undefined;
    throw new EpicorChildFilterError(
      quirkErrorMessage(outcome),
      details === undefined
        ? {}
        : {
            ...(details.status === undefined ? {} : { status: details.status }),
            ...(details.errorMessage === undefined ? {} : { errorMessage: details.errorMessage }),
            ...(details.url === undefined ? {} : { url: details.url }),
          },
      cause ?? details,
    );
  }
}

function isFiltered(params: Readonly<Record<string, string | number>>): boolean {
  const filter = params['$filter'];
  return typeof filter === 'string' && filter.trim() !== '';
}
