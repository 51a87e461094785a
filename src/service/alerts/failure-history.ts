/**
 * Answers "in how many consecutive runs (up to and including the latest) has this record failed?". The
 * store can back it from the audit log; `ConsecutiveFailureTracker` computes it from the run summaries.
 */
export interface FailureHistory {
  consecutiveFailures(connectionId: string, sourceId: string): Promise<number>;
}

/**
 * In-memory streaks from run summaries, per connection. A record's streak grows by one for each run that
 * lists it as failed and resets when a completed run does not list it. Cancelled runs only add (they may
 * have stopped before reaching the record); runs that threw say nothing about records and change nothing.
 * Forgets everything on restart — back `FailureHistory` with the store to survive one.
 */
export class ConsecutiveFailureTracker implements FailureHistory {
  readonly #streaks = new Map<string, Map<string, number>>();

  observe(connectionId: string, failedSourceIds: readonly string[], completed: boolean): void {
    const previous = this.#streaks.get(connectionId) ?? new Map<string, number>();
    const next = completed ? new Map<string, number>() : new Map(previous);
    for (const sourceId of new Set(failedSourceIds)) next.set(sourceId, (previous.get(sourceId) ?? 0) + 1);
    this.#streaks.set(connectionId, next);
  }

  async consecutiveFailures(connectionId: string, sourceId: string): Promise<number> {
    return this.#streaks.get(connectionId)?.get(sourceId) ?? 0;
  }
}
