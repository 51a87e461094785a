import { Command } from 'commander';
import { registerSimulateCommand } from './commands/simulate.js';
import { VERSION } from './version.js';

/** Every sub-command registers itself here; `main.ts` only parses argv. */
export function buildProgram(): Command {
  const program = new Command('ml-connector')
    .description('Keeps Epicor Kinetic vendors and customers in step with HubSpot companies and contacts.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)');
  registerSimulateCommand(program);
  return program;
}
