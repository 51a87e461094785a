import type { Clock } from '../src/core/clock.js';
import { systemClock } from '../src/core/clock.js';

/**
 * A clock running `speed` times faster than real time from `epoch`, derived from Date.now() so two
 * processes given the same epoch and speed agree. Used only by the tiny benchmark, so HubSpot's 10-second
 * windows pass in a fraction of the time; `speed` 1 is the system clock.
 */
export function scaledClock(epoch: number, speed: number): Clock {
  if (speed === 1) return systemClock;
  return {
    now: () => epoch + (Date.now() - epoch) * speed,
    sleep: (ms, signal) => systemClock.sleep(Math.max(0, ms) / speed, signal),
  };
}
