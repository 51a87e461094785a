import type { Random } from '../../src/core/random.js';

/** Faults on demand (control API). Counts are consumed by matching requests in arrival order. */
export interface FaultPlan {
  /** The next N company batch/upserts answer 423 Locked. */
  lockedCompanyUpserts?: number;
  /** Each company batch/upsert starts a lock with this probability (seeded random). */
  lockedCompanyUpsertProbability?: number;
  /** How long a probabilistic lock lasts; company upserts during it answer 423 (docs: 2 s). */
  lockDurationMs?: number;
  /** The next N API requests (optionally only paths starting with `pathPrefix`) answer `status`. */
  failNext?: {
    status: 500 | 502 | 503 | 504 | 477 | 521 | 522 | 524;
    count: number;
    pathPrefix?: string;
    retryAfterSeconds?: number;
  };
  /** The next N API requests have their socket destroyed without an answer. */
  resetSockets?: number;
  /** Added latency per API request (slept on the clock). */
  latencyMs?: number;
  /** The next N API requests answer 429 TEN_SECONDLY_ROLLING ("storm"). */
  tenSecondlyStorm?: number;
  /** Every API request answers 429 DAILY until cleared. */
  dailyExhausted?: boolean;
}

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'reset' }
  | { kind: 'status'; status: number; retryAfterSeconds?: number | undefined }
  | { kind: 'locked' }
  | { kind: 'rate'; policyName: 'TEN_SECONDLY_ROLLING' | 'DAILY' };

/** Mutable fault state; pure decisions given `now` and the injected random. */
export class FaultInjector {
  #plan: FaultPlan = {};
  #lockedUntil = Number.NEGATIVE_INFINITY;
  readonly #random: Random;

  constructor(random: Random) {
    this.#random = random;
  }

  get plan(): Readonly<FaultPlan> {
    return this.#plan;
  }

  set(plan: FaultPlan): void {
    this.#plan = { ...this.#plan, ...plan };
  }

  clear(): void {
    this.#plan = {};
    this.#lockedUntil = Number.NEGATIVE_INFINITY;
  }

  /** Before auth: socket resets. */
  beforeAuth(): FaultDecision {
    if ((this.#plan.resetSockets ?? 0) > 0) {
      this.#plan.resetSockets = (this.#plan.resetSockets ?? 0) - 1;
      return { kind: 'reset' };
    }
    return { kind: 'none' };
  }

  /** Rate-limit faults, decided with the rate limiter (so the 429 carries real headers). */
  rateFault(): 'TEN_SECONDLY_ROLLING' | 'DAILY' | undefined {
    if (this.#plan.dailyExhausted) return 'DAILY';
    if ((this.#plan.tenSecondlyStorm ?? 0) > 0) {
      this.#plan.tenSecondlyStorm = (this.#plan.tenSecondlyStorm ?? 0) - 1;
      return 'TEN_SECONDLY_ROLLING';
    }
    return undefined;
  }

  /** After auth and rate limits: server errors and 423 locks. */
  afterRate(path: string, isCompanyUpsert: boolean, now: number): FaultDecision {
    const fail = this.#plan.failNext;
    if (fail && fail.count > 0 && (!fail.pathPrefix || path.startsWith(fail.pathPrefix))) {
      fail.count--;
      return { kind: 'status', status: fail.status, retryAfterSeconds: fail.retryAfterSeconds };
    }
    if (!isCompanyUpsert) return { kind: 'none' };
    if ((this.#plan.lockedCompanyUpserts ?? 0) > 0) {
      this.#plan.lockedCompanyUpserts = (this.#plan.lockedCompanyUpserts ?? 0) - 1;
      return { kind: 'locked' };
    }
    if (now < this.#lockedUntil) return { kind: 'locked' };
    const p = this.#plan.lockedCompanyUpsertProbability ?? 0;
    if (p > 0 && this.#random() < p) {
      this.#lockedUntil = now + (this.#plan.lockDurationMs ?? 2000);
      return { kind: 'locked' };
    }
    return { kind: 'none' };
  }

  latencyMs(): number {
    return this.#plan.latencyMs ?? 0;
  }
}
