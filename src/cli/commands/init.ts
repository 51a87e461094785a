import type { Command } from 'commander';

// Placeholder: the `init` command is being built; this registers nothing yet.
export function registerInitCommand(_program: Command): void {}
