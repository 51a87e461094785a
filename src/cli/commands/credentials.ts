import type { Command } from 'commander';

// Placeholder: the `credentials` command is being built; this registers nothing yet.
export function registerCredentialsCommand(_program: Command): void {}
