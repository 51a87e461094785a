/**
 * Documented exit codes (README "Exit codes"); scripts and schedulers branch on them.
 * Keep in step with the README table.
 */
export const EXIT = {
  ok: 0,
  /** A bug or an error nobody planned for; the message says what happened. */
  unexpected: 1,
  /** Bad command line or configuration; nothing was written. */
  usage: 2,
  /** A system rejected the credentials, API key or scopes; nothing was written. */
  auth: 3,
  /** The run finished but some records failed; they are listed in `status` and `audit` and replayable. */
  partial: 4,
  /** The run stopped early (a system down, daily rate limit); checkpointed work is kept, replay or re-run. */
  failed: 5,
  /** A `ping` check failed. */
  pingFailed: 6,
  /** Interrupted by SIGINT/SIGTERM after checkpointing. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
