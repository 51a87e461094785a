/**
 * The benchmarks' side of bench/sync-sims-child.ts: spawns the child (compiled or, from source, through
 * tsx) and sends it one command at a time over its line protocol.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The child's answer to `start`: where both simulators listen and their test credentials. */
export interface SimInfo {
  tenantUrl: string;
  apiKey: string;
  username: string;
  password: string;
  company: string;
  hubspotUrl: string;
  token: string;
}

export interface SimsChild {
  /** Sends one command and waits for its one-line answer. */
  ask<T>(command: object): Promise<T>;
}

export function startSimsChild(): SimsChild {
  const js = fileURLToPath(new URL('./sync-sims-child.js', import.meta.url));
  const ts = fileURLToPath(new URL('./sync-sims-child.ts', import.meta.url));
  const child = spawn(process.execPath, existsSync(js) ? [js] : ['--import', 'tsx', ts], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async ask<T>(command: object): Promise<T> {
      child.stdin.write(`${JSON.stringify(command)}\n`);
      const line = await lines.next();
      if (line.done) throw new Error('simulator child ended early');
      return JSON.parse(line.value) as T;
    },
  };
}
