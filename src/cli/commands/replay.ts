import type { Command } from 'commander';

// Placeholder: the `replay` command is being built; this registers nothing yet.
export function registerReplayCommand(_program: Command): void {}
