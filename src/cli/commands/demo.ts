import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_DEMO_DIR } from '../../config/constants.js';
import { parseInterval } from '../../service/interval.js';
import { runAction } from '../output/io.js';

export interface DemoFlags {
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
      await runAction(command, async (context) =>
        (await import('./demo-action.js')).demoAction(flags, context),
      );
    });
}
