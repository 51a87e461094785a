import { setFlagsFromString } from 'node:v8';

/**
 * After each full garbage collection V8 lets the heap grow to a multiple of what is still live before
 * the next one — up to 4× when collection is cheap, as it is for the connector's ~25 MB of live data.
 * A sync allocates quickly and keeps little, so that policy held ~90 MB of garbage and put the process
 * over 200 MB resident during a 100k-record sync. The default `memory.heapGrowthPercent` (30 % above
 * live) costs a few percent CPU (more, but short, collections) and keeps the resident size flat:
 * docs/benchmarks.md has both figures.
 */

/**
 * Applies the heap growth for this process (`0` gives V8's own policy back). V8 reads this flag each
 * time it sizes the heap, so it takes effect from the next collection on; Node keeps V8 flags writable
 * after start-up for exactly this kind of tuning.
 */
export function applyHeapGrowth(
  percent: number,
  setFlags: (flags: string) => void = setFlagsFromString,
): void {
  setFlags(`--heap-growing-percent=${Math.max(0, Math.round(percent))}`);
}
