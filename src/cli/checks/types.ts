/** One line of a `ping` report. Only `fail` makes the command exit 6; `warn` is advice. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface PingCheck {
  readonly name: string;
  readonly status: CheckStatus;
  /** Stable error code when the check failed (`ERR_EPICOR_API_KEY`, `ERR_HUBSPOT_SCOPES`, …). */
  readonly code?: string;
  readonly message: string;
  /** What to do about a failure or warning, in words and commands. */
  readonly fix?: string;
}

export const failed = (checks: readonly PingCheck[]): number =>
  checks.filter((c) => c.status === 'fail').length;
