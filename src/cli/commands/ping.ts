import type { Command } from 'commander';

// Placeholder: the `ping` command is being built; this registers nothing yet.
export function registerPingCommand(_program: Command): void {}
