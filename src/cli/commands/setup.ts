import type { Command } from 'commander';

// Placeholder: the `setup` command is being built; this registers nothing yet.
export function registerSetupCommand(_program: Command): void {}
