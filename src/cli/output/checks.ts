import type { CheckStatus, PingCheck } from '../checks/types.js';
import { displayWidth, padToWidth, singleLine } from './text.js';

export const MARKS: Readonly<Record<CheckStatus, string>> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

/**
 * Check lines under a heading: `  ✓ name  message`, with `fix:` on the next line for failures and
 * warnings. Names are aligned within the section. Marks: ✓ pass, ✗ fail, ! warning, - not checked.
 */
export function renderChecks(heading: string, checks: readonly PingCheck[], indent = '  '): string {
  const width = Math.max(0, ...checks.map((c) => displayWidth(c.name)));
  const lines = [heading];
  const fixes = new Set<string>();
  for (const check of checks) {
    const code = check.status === 'fail' && check.code !== undefined ? ` [${check.code}]` : '';
    lines.push(
      `${indent}${MARKS[check.status]} ${padToWidth(check.name, width)}  ${singleLine(check.message)}${code}`,
    );
    if (check.fix !== undefined && (check.status === 'fail' || check.status === 'warn')) {
      const fix = fixes.has(check.fix) ? 'as above' : singleLine(check.fix);
      fixes.add(check.fix);
      lines.push(`${indent}  ${' '.repeat(width)}  fix: ${fix}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
