import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { UsageError } from './errors.js';
import { type Output, runProgram } from './io.js';

function buffers(): Output & { stdout: string; stderr: string } {
  const b = {
    stdout: '',
    stderr: '',
    out: (text: string) => {
      b.stdout += text;
    },
    err: (text: string) => {
      b.stderr += text;
    },
  };
  return b;
}

/** A program whose flag parser and action both throw before any `runAction`, as `ping` and `replay` did. */
function program(): Command {
  const root = new Command('ml-connector').option('--json');
  root
    .command('check')
    .option('--timeout <s>', 'seconds', (value: string) => {
      if (Number(value) <= 0)
        throw new UsageError('--timeout must be a number of seconds between 0 and 600.');
      return Number(value);
    })
    .action(() => {
      throw new UsageError('Give exactly one of --batch ID, --run ID or --failed.');
    });
  return root;
}

describe('runProgram', () => {
  afterEach(() => {
    process.exitCode = 0;
  });

  it('reports a usage error from a flag parser as a one-line error with exit 2, not a stack trace', async () => {
    const out = buffers();
    await runProgram(program(), ['node', 'ml-connector', 'check', '--timeout', '0'], out);
    assert.equal(process.exitCode, EXIT.usage);
    assert.equal(
      out.stderr,
      'error[ERR_USAGE]: --timeout must be a number of seconds between 0 and 600.\n(run with --help for usage)\n',
    );
    assert.equal(out.stdout, '');
  });

  it('reports an error thrown by an action before runAction, as JSON with --json', async () => {
    const out = buffers();
    await runProgram(program(), ['node', 'ml-connector', '--json', 'check'], out);
    assert.equal(process.exitCode, EXIT.usage);
    assert.deepEqual(JSON.parse(out.stdout), {
      ok: false,
      error: { code: 'ERR_USAGE', message: 'Give exactly one of --batch ID, --run ID or --failed.' },
    });
  });
});
