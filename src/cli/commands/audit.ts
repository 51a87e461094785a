import type { Command } from 'commander';

// Placeholder: the `audit` command is being built; this registers nothing yet.
export function registerAuditCommand(_program: Command): void {}
