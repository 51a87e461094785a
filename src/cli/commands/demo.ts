import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_DEMO_DIR, openDemoSession, runDemoSetup, runDemoSync } from '../../app/demo.js';
import { createLogger } from '../../core/logger.js';
import { serveDemo } from '../../service/demo-serve.js';
import { parseInterval } from '../../service/schedule.js';
import { SyncEvents } from '../../sync/index.js';
import { logProgress, terminalProgress } from '../engine-run/progress.js';
import { exitCodeForResult, renderSummary, reportJson } from '../engine-run/summary.js';
import { EXIT } from '../exit-codes.js';
import { processOutput, runAction } from '../output/io.js';
import { toJson } from '../output/json.js';

interface DemoFlags {
  readonly dir: string;
  readonly records: number;
  readonly seed: number;
  readonly once?: boolean;
  readonly every: string;
  readonly port: number;
}

function interval(value: string): string {
  const ms = parseInterval(value);
  if (ms === undefined || ms < 5000)
    throw new InvalidArgumentError('an interval of at least 5s, e.g. 30s or 2m.');
  return value;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('a TCP port, 0 to 65535.');
  return n;
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError(`${name}: 1 to 100000.`);
    return n;
  };
}

/**
 * `demo` (what `npm start` runs): both simulators in this process, a config and key in a demo folder,
 * the simulators' credentials in the vault, setup, one real sync with progress, and a summary. Then,
 * unless `--once`, the service on a short schedule with the dashboard, until Ctrl-C.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the whole thing locally: start Epicor and HubSpot simulators, set up, and sync vendors, customers and contacts.',
    )
    .option('--dir <path>', 'folder for the demo config, key and database', DEFAULT_DEMO_DIR)
    .option('--records <n>', 'vendors and customers to generate (each)', positiveInt('--records'), 250)
    .option('--seed <n>', 'seed for the generated Epicor data', positiveInt('--seed'), 1)
    .option('--once', 'stop after the first sync (no service, no dashboard)')
    .option('--every <interval>', 'service mode: sync the demo connection this often', interval, '30s')
    .option('--port <port>', 'service mode: dashboard port on 127.0.0.1 (a free one if taken)', port, 8080)
    .action(async (flags: DemoFlags, command: Command) => {
      await runAction(command, async ({ globals, redactor }) => {
        const out = processOutput;
        const tty = process.stderr.isTTY === true && !globals.json;
        const events = new SyncEvents();
        const logger = createLogger({ level: globals.logLevel ?? (tty ? 'warn' : 'info'), redactor });
        const say = (text: string): void => {
          if (!globals.json) out.err(`${text}\n`);
        };
        say(
          `Starting the Epicor and HubSpot simulators (${flags.records} vendors and ${flags.records} customers)…`,
        );
        const session = await openDemoSession({
          dir: flags.dir,
          env: process.env,
          simulators: { records: flags.records, seed: flags.seed },
          every: flags.every,
          events,
          logger,
          redactor,
        });
        const controller = new AbortController();
        const onSignal = (): void => controller.abort(new DOMException('interrupted', 'AbortError'));
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        try {
          say(`  Epicor simulator   ${session.sims.epicor.tenantUrl}`);
          say(`  HubSpot simulator  ${session.sims.hubspot.url} (Professional tier)`);
          say(`  config             ${session.files.configPath}`);
          say('Setting up HubSpot (property group and properties)…');
          const schema = await runDemoSetup(session.runtime, controller.signal);
          say(`  ${JSON.stringify(schema)}`.slice(0, 300));
          say('Syncing…');
          const view = tty ? terminalProgress(events, process.stderr) : logProgress(events, logger);
          let result: Awaited<ReturnType<typeof runDemoSync>>;
          try {
            result = await runDemoSync(session, controller.signal);
          } finally {
            view.stop();
          }
          const report = {
            connection: session.runtime.connection.id,
            result,
            requests: session.runtime.requests(),
          };
          if (globals.json) {
            out.out(
              toJson({
                ...(reportJson(report) as object),
                hubspot: {
                  companies: session.sims.hubspot.control.count('companies'),
                  contacts: session.sims.hubspot.control.count('contacts'),
                },
              }),
            );
          } else {
            out.out(renderSummary(report, redactor));
            out.out(
              `HubSpot simulator now holds ${session.sims.hubspot.control.count('companies')} companies and ` +
                `${session.sims.hubspot.control.count('contacts')} contacts.\n`,
            );
            if (flags.once === true)
              out.out(`Try: node dist/src/cli/main.js status --config ${session.files.configPath}\n`);
          }
          if (controller.signal.aborted) return EXIT.interrupted;
          if (flags.once === true) return exitCodeForResult(result);
          // Service mode: the scheduler, the dashboard and the API on the demo's config, until Ctrl-C.
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          const served = await serveDemo(session, { port: flags.port, say });
          return served.graceful ? EXIT.ok : EXIT.interrupted;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await session.close();
        }
      });
    });
}
