import type { Command } from 'commander';

// Placeholder: the `status` command is being built; this registers nothing yet.
export function registerStatusCommand(_program: Command): void {}
