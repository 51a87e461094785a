import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../config/index.js';
import { applyHeapGrowth } from './heap-growth.js';

const MINIMAL = `connections:
  - id: main
    epicor: { tenantUrl: "https://epicor.example.com/kinetic", company: EPIC06, auth: { kind: basic, username: u } }
    hubspot: {}
`;

describe('applyHeapGrowth', () => {
  it('sets V8 heap growth from the config, 30 % by default, 0 for V8 own policy', () => {
    const seen: string[] = [];
    const set = (flags: string): void => {
      seen.push(flags);
    };
    applyHeapGrowth(parseConfig(MINIMAL, { env: {} }).memory.heapGrowthPercent, set);
    applyHeapGrowth(
      parseConfig(`${MINIMAL}memory: { heapGrowthPercent: 0 }\n`, { env: {} }).memory.heapGrowthPercent,
      set,
    );
    assert.deepEqual(seen, ['--heap-growing-percent=30', '--heap-growing-percent=0']);
  });

  it('is refused out of range by the config', () => {
    assert.throws(
      () => parseConfig(`${MINIMAL}memory: { heapGrowthPercent: 1000 }\n`, { env: {} }),
      /memory\.heapGrowthPercent/,
    );
  });

  it('is accepted by this Node (flags stay writable after start-up)', () => {
    assert.doesNotThrow(() => applyHeapGrowth(30));
  });
});
