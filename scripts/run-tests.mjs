#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with node's built-in runner and ends with the
// plain "N passed, N failed" line CI reads. Arguments filter files by substring:
//   node scripts/run-tests.mjs epicor hubspot/client
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk(dist)
  .filter((file) => filters.length === 0 || filters.some((f) => relative(dist, file).includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`No test files matched in ${dist}. Did the build run?`);
  process.exit(1);
}

const counts = { pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 };
const stream = run({
  files,
  concurrency: Number(process.env.TEST_CONCURRENCY ?? Math.max(2, availableParallelism())),
  timeout: Number(process.env.TEST_TIMEOUT_MS ?? 300_000),
});
stream.on('test:diagnostic', (event) => {
  const match = /^(pass|fail|skipped|todo|cancelled) (\d+)$/.exec(event.message);
  if (match && event.nesting === 0) counts[match[1]] += Number(match[2]);
});
for await (const chunk of stream.compose(spec)) process.stdout.write(chunk);
const failed = counts.fail + counts.cancelled;
console.log(`\n${counts.pass} passed, ${failed} failed, ${counts.skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
