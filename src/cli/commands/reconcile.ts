import type { Command } from 'commander';

// Placeholder: the `reconcile` command is being built; this registers nothing yet.
export function registerReconcileCommand(_program: Command): void {}
