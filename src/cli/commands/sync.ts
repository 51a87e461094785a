import type { Command } from 'commander';

// Placeholder: the `sync` command is being built; this registers nothing yet.
export function registerSyncCommand(_program: Command): void {}
