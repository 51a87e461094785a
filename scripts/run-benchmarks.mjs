#!/usr/bin/env node
// Runs each compiled benchmark (dist/bench/*.bench.js) in its own process, one after another, so one
// benchmark's heap never skews another's peak RSS. BENCH_SCALE=tiny runs them at a token size (CI).
// Arguments filter benchmarks by substring: node scripts/run-benchmarks.mjs epicor
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../dist/bench/', import.meta.url).pathname;
const filters = process.argv.slice(2);
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((name) => name.endsWith('.bench.js'))
      .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
      .sort()
  : [];
if (files.length === 0) console.log('No benchmarks matched.');
let failed = 0;
for (const name of files) {
  console.log(`\n--- ${name} (scale: ${process.env.BENCH_SCALE ?? 'full'}) ---`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(dir, name)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`${name} exited with ${result.status ?? result.signal}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
