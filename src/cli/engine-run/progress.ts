/**
 * How a run shows its progress, driven by the engine's events: live counter lines per stream on a
 * terminal (cli-progress, on stderr), or one structured log line per committed batch otherwise (so logs
 * collected by a scheduler show where a run got to).
 */
import type { SingleBar } from 'cli-progress';
import type { Logger } from '../../core/logger.js';
import type { EntityKind, SyncEvents } from '../../sync/index.js';
import { STREAM_LABEL } from './labels.js';

export interface ProgressView {
  stop(): void;
}

interface StreamLine {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

const FORMAT =
  '{stream} | read {read} | created {created} | updated {updated} | unchanged {unchanged} | failed {failed}';

/**
 * Counter lines on a TTY; returns a handle that stops and removes them. cli-progress is imported here,
 * not at the top, so a run without a terminal (service, cron, CI) never loads it.
 */
export async function terminalProgress(
  events: SyncEvents,
  stream: NodeJS.WritableStream,
): Promise<ProgressView> {
  const { default: cliProgress } = await import('cli-progress');
  const multi = new cliProgress.MultiBar(
    { format: FORMAT, stream, hideCursor: true, clearOnComplete: false, fps: 8, noTTYOutput: false },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<EntityKind, { bar: SingleBar; line: StreamLine }>();
  const barOf = (kind: EntityKind) => {
    let entry = bars.get(kind);
    if (entry === undefined) {
      const line: StreamLine = { read: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };
      const bar = multi.create(0, 0, { stream: STREAM_LABEL[kind].padEnd(17), ...line });
      entry = { bar, line };
      bars.set(kind, entry);
    }
    return entry;
  };
  const offs = [
    events.on('stream:start', ({ kind }) => {
      barOf(kind);
    }),
    events.on('page:read', ({ kind, records }) => {
      const { bar, line } = barOf(kind);
      line.read += records;
      bar.update(0, { ...line });
    }),
    events.on('batch:written', ({ kind, counts }) => {
      const { bar, line } = barOf(kind);
      line.created += counts.created;
      line.updated += counts.updated;
      line.unchanged += counts.unchanged;
      line.failed += counts.failed;
      bar.update(0, { ...line });
    }),
  ];
  return {
    stop: () => {
      for (const off of offs) off();
      multi.stop();
    },
  };
}

/** One `info` log line per committed batch (and per stream end) for non-terminal output. */
export function logProgress(events: SyncEvents, logger: Logger): ProgressView {
  const offs = [
    events.on('run:start', ({ runId, runKind, streams }) => {
      logger.info({ runId, runKind, streams }, 'run started');
    }),
    events.on('batch:written', ({ runId, kind, batchId, status, counts, replayOf }) => {
      logger.info(
        { runId, stream: kind, batchId, status, counts, ...(replayOf === undefined ? {} : { replayOf }) },
        'batch committed',
      );
    }),
    events.on('stream:done', ({ runId, kind, counts }) => {
      logger.info({ runId, stream: kind, counts }, 'stream done');
    }),
  ];
  return {
    stop: () => {
      for (const off of offs) off();
    },
  };
}
