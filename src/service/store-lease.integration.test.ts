import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../store/index.js';

const fromSource = import.meta.url.endsWith('.ts');
const CHILD = fileURLToPath(
  new URL(fromSource ? './testing/lease-child.ts' : './testing/lease-child.js', import.meta.url),
);

function runChild(args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [...(fromSource ? ['--import', 'tsx'] : []), CHILD, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

describe('two processes sharing one SQLite store', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlc-lease-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('never run the same connection at once', async () => {
    const db = join(dir, 'shared.db');
    // Migrate once up front so the two children do not race on the schema.
    await (await openStore({ sqlitePath: db })).close();
    const logFile = join(dir, 'log.txt');
    await writeFile(logFile, '');
    const marker = join(dir, 'running.marker');
    const codes = await Promise.all([
      runChild([db, logFile, marker, 'alpha', '1500', '40']),
      runChild([db, logFile, marker, 'beta', '1500', '40']),
    ]);
    assert.deepEqual(codes, [0, 0]);
    const lines = (await readFile(logFile, 'utf8')).split('\n').filter((l) => l !== '');
    assert.deepEqual(
      lines.filter((l) => l.includes('OVERLAP')),
      [],
      'no run started while the other process held the connection',
    );
    const starts = lines.filter((l) => / start /.test(l));
    assert.ok(starts.length >= 5, `runs happened (${starts.length})`);
    for (const holder of ['alpha', 'beta']) {
      assert.ok(
        starts.some((l) => l.startsWith(`${holder} `)),
        `${holder} got the lease at least once`,
      );
    }
    assert.ok(
      lines.some((l) => l.endsWith('skipped lease-held')),
      'the processes contended: some requests were refused for the other holder',
    );
    // Start/end intervals never intersect across holders.
    const intervals = new Map<string, number>();
    const spans: { holder: string; from: number; to: number }[] = [];
    for (const line of lines) {
      const [holder = '', what, at] = line.split(' ');
      if (what === 'start') intervals.set(holder, Number(at));
      if (what === 'end') spans.push({ holder, from: intervals.get(holder) ?? 0, to: Number(at) });
    }
    spans.sort((a, b) => a.from - b.from);
    for (let i = 1; i < spans.length; i++) {
      const previous = spans[i - 1];
      const current = spans[i];
      assert.ok(previous && current && current.from >= previous.to, `runs ${i - 1} and ${i} overlap`);
    }
    assert.equal(lines.filter((l) => l.endsWith(' done')).length, 2);
  });
});
