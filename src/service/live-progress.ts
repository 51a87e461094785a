import type { SyncEvents } from '../sync/events.js';

type Counts = {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  skipped: number;
  archived: number;
};

/** A running sync's progress, as the dashboard shows it. */
export interface LiveRun {
  readonly connectionId: string;
  readonly runId: string | null;
  readonly kind: string;
  readonly startedAt: number;
  readonly pages: number;
  readonly recordsRead: number;
  readonly counts: Counts;
  readonly streams: Readonly<Record<string, { readonly pages: number; readonly records: number }>>;
}

interface Mutable {
  connectionId: string;
  runId: string | null;
  kind: string;
  startedAt: number;
  pages: number;
  recordsRead: number;
  counts: Counts;
  streams: Record<string, { pages: number; records: number }>;
}

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, archived: 0 });

/** Keeps the progress of every run in flight, fed by each run's engine events. */
export class LiveProgressTracker {
  readonly #runs = new Map<string, Mutable>();

  /** Starts tracking a launch; returns the function that stops it (call when the launch ends). */
  track(connectionId: string, events: SyncEvents, startedAt: number): () => void {
    const live: Mutable = {
      connectionId,
      runId: null,
      kind: 'sync',
      startedAt,
      pages: 0,
      recordsRead: 0,
      counts: zero(),
      streams: {},
    };
    this.#runs.set(connectionId, live);
    const stream = (kind: string) => {
      live.streams[kind] ??= { pages: 0, records: 0 };
      return live.streams[kind];
    };
    const offs = [
      events.on('run:start', ({ runId, runKind }) => {
        live.runId = runId;
        live.kind = runKind;
      }),
      events.on('page:read', ({ kind, records }) => {
        live.recordsRead += records;
        stream(kind).records += records;
      }),
      events.on('batch:written', ({ kind, counts }) => {
        live.pages += 1;
        stream(kind).pages += 1;
        for (const key of Object.keys(live.counts) as (keyof Counts)[]) live.counts[key] += counts[key] ?? 0;
      }),
    ];
    return () => {
      for (const off of offs) off();
      if (this.#runs.get(connectionId) === live) this.#runs.delete(connectionId);
    };
  }

  list(): LiveRun[] {
    return [...this.#runs.values()].map((r) => ({
      ...r,
      counts: { ...r.counts },
      streams: structuredClone(r.streams),
    }));
  }

  get(connectionId: string): LiveRun | undefined {
    return this.list().find((r) => r.connectionId === connectionId);
  }
}
