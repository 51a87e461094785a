/**
 * Start-up cost guard: `--help` must load only commander (command registration is static; each command
 * imports its implementation when it runs), and `sync` must not load what only other commands use.
 * The CLI is spawned with a module loader hook that writes every module URL it loads to a file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = import.meta.url;
const fromSource = here.endsWith('.ts');
const MAIN = fileURLToPath(new URL(fromSource ? './main.ts' : './main.js', here));

/** Loader hooks (run off the main thread): append each loaded URL to $ML_TEST_LOAD_LOG. */
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (process.env.ML_TEST_LOAD_LOG) appendFileSync(process.env.ML_TEST_LOAD_LOG, url + '\\n');
  return next(url, context);
}`;
const REGISTER = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

interface Loaded {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Every module URL loaded, in order. */
  readonly urls: readonly string[];
  /** npm package names among them (`@scope/name` or `name`). */
  readonly packages: ReadonlySet<string>;
}

function packageOf(url: string): string | undefined {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return match?.[1];
}

let dir: string;
let runs = 0;

async function loadsOf(args: readonly string[]): Promise<Loaded> {
  runs += 1;
  const log = join(dir, `loads-${runs}.txt`);
  const argv = [
    ...(fromSource ? ['--import', 'tsx'] : []),
    '--import',
    `data:text/javascript,${encodeURIComponent(REGISTER)}`,
    MAIN,
    ...args,
  ];
  const child = spawn(process.execPath, argv, {
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, ML_TEST_LOAD_LOG: log },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  const urls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
  const packages = new Set(urls.map(packageOf).filter((name) => name !== undefined));
  if (fromSource) {
    for (const name of ['tsx', 'esbuild', 'get-tsconfig', 'resolve-pkg-maps']) packages.delete(name);
  }
  return { code, stdout, stderr, urls, packages };
}

/** Loaded only by the commands that need them; never by `sync`. */
const NOT_FOR_SYNC = [
  'fastify',
  '@fastify/cookie',
  '@fastify/csrf-protection',
  '@fastify/formbody',
  'prom-client',
  '@faker-js/faker',
  '@inquirer/password',
  'csv-stringify',
  'fast-xml-parser',
  'cli-progress',
  'pg',
];

describe('CLI start-up loads only what the command needs', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ml-startup-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const args of [['--help'], ['sync', '--help']]) {
    it(`${args.join(' ')} loads no package but commander`, async () => {
      const run = await loadsOf(args);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^Usage: ml-connector /);
      assert.ok(run.packages.has('commander'), 'the load recorder saw commander (it works)');
      assert.deepEqual(
        [...run.packages].filter((name) => name !== 'commander'),
        [],
        'help must not load command implementations: import them inside the .action() handler',
      );
    });
  }

  it('sync loads its implementation but nothing only other commands use', async () => {
    // No config file: the command fails with a config error after importing its implementation.
    const run = await loadsOf(['--config', join(dir, 'missing.yaml'), 'sync']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /error\[ERR_CONFIG\]/);
    assert.ok(
      run.urls.some((url) => /\/cli\/engine-run\/run\.[jt]s$/.test(url)),
      'the sync implementation was imported (and recorded)',
    );
    assert.deepEqual(
      NOT_FOR_SYNC.filter((name) => run.packages.has(name)),
      [],
    );
  });
});
