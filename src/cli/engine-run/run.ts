/**
 * What `sync`, `replay` and `reconcile` share: open the app context, wire the connection, take the
 * connection's lease, show progress, run one engine operation with SIGINT/SIGTERM wired to its abort
 * signal, then print the summary (or JSON) and return the documented exit code.
 */
import type { Command } from 'commander';
import {
  type BuildConnectionOptions,
  buildConnection,
  type ConnectionRuntime,
} from '../../app/connection.js';
import { type AppContext, openAppContext } from '../../app/context.js';
import { acquireConnectionLease } from '../../app/lease.js';
import { createLogger } from '../../core/logger.js';
import type { Redactor } from '../../core/redact.js';
import { type RunResult, SyncEvents } from '../../sync/index.js';
import { EXIT } from '../exit-codes.js';
import { type GlobalOptions, type Output, processOutput, runAction } from '../output/io.js';
import { toJson } from '../output/json.js';
import { logProgress, type ProgressView, terminalProgress } from './progress.js';
import { exitCodeForResult, renderSummary, reportJson } from './summary.js';

export interface EngineCommandOptions {
  readonly connection?: string;
  readonly build?: Omit<BuildConnectionOptions, 'events'>;
  /** Called with the wired connection before the lease is taken (validate flags against the config). */
  readonly check?: (runtime: ConnectionRuntime) => void;
  readonly operation: (runtime: ConnectionRuntime, signal: AbortSignal) => Promise<RunResult>;
}

/** Whether to draw live progress: a terminal on stderr, no `--json`, and not `TERM=dumb`. */
function wantsTerminalProgress(globals: GlobalOptions): boolean {
  return process.stderr.isTTY === true && !globals.json && process.env['TERM'] !== 'dumb';
}

export function runEngineCommand(
  command: Command,
  options: EngineCommandOptions,
  output: Output = processOutput,
): Promise<void> {
  return runAction(command, async ({ globals, redactor }) => {
    const tty = wantsTerminalProgress(globals);
    const ctx = await openAppContext({
      configPath: globals.configPath,
      env: process.env,
      redactor,
      ...(globals.logLevel === undefined ? {} : { logLevel: globals.logLevel }),
      // Live counter lines and JSON log lines would garble each other: on a terminal, only warnings
      // and worse are logged unless --log-level asks for more.
      ...(tty && globals.logLevel === undefined ? { logger: createLogger({ level: 'warn', redactor }) } : {}),
    });
    try {
      return await runWithContext(ctx, globals, redactor, tty, options, output);
    } finally {
      await ctx.close();
    }
  });
}

async function runWithContext(
  ctx: AppContext,
  globals: GlobalOptions,
  redactor: Redactor,
  tty: boolean,
  options: EngineCommandOptions,
  output: Output,
): Promise<number> {
  const events = new SyncEvents({ logger: ctx.logger });
  const runtime = await buildConnection(ctx, options.connection, { ...options.build, events });
  options.check?.(runtime);
  const lease = await acquireConnectionLease({
    store: ctx.store,
    connectionId: runtime.connection.id,
    clock: ctx.clock,
    logger: ctx.logger,
  });
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals === 1) {
      ctx.logger.warn({ signal }, 'stopping: checkpointing the batch in flight (send again to stop at once)');
      controller.abort(new DOMException(`interrupted by ${signal}`, 'AbortError'));
      return;
    }
    process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress: ProgressView = tty
    ? await terminalProgress(events, process.stderr)
    : logProgress(events, ctx.logger.child({ connection: runtime.connection.id }));
  let result: RunResult;
  try {
    result = await options.operation(runtime, AbortSignal.any([controller.signal, lease.lost]));
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await lease.release();
  }
  const report = { connection: runtime.connection.id, result, requests: runtime.requests() };
  if (globals.json) output.out(toJson(reportJson(report)));
  else output.out(renderSummary(report, redactor));
  return exitCodeForResult(result);
}
