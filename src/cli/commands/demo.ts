import type { Command } from 'commander';

// Placeholder: the `demo` command is being built; this registers nothing yet.
export function registerDemoCommand(_program: Command): void {}
