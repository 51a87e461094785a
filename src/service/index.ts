/**
 * Service mode: the scheduler behind `ml-connector run`, alerting hooks and the Prometheus metrics registry.
 * Ports (`LeaseStore`, `RunLauncher`, `FailureHistory`, `AlertSink`) are in our own terms; see docs/service.md.
 */
export type { Alert, AlertKind } from './alerts/alert.js';
export { defaultLinkFor, recordsFailingAlert, runFailedAlert, scrub } from './alerts/alert.js';
export type { AlerterOptions, RunEventSource } from './alerts/alerter.js';
export { Alerter } from './alerts/alerter.js';
export type { AlertsConfig } from './alerts/config.js';
export { alertsConfigSchema, dedupeWindowMs } from './alerts/config.js';
export { createWebhookAlerter } from './alerts/create.js';
export { AlertDeduper, failureFingerprint } from './alerts/dedupe.js';
export type { FailureHistory } from './alerts/failure-history.js';
export { ConsecutiveFailureTracker } from './alerts/failure-history.js';
export type { WebhookFormat } from './alerts/payload.js';
export { buildPayload, genericPayload, slackPayload, teamsPayload } from './alerts/payload.js';
export type { AlertSink, DeliveryResult, WebhookOptions } from './alerts/webhook.js';
export { WebhookNotifier } from './alerts/webhook.js';
export { SafeEmitter } from './events.js';
export { InMemoryLeaseStore, leaseStoreWithClock } from './in-memory-lease-store.js';
export type { LeaseStoreHarness } from './lease-store.contract.js';
export type { Family, Sample } from './metrics/exposition.js';
export { ExpositionError, parseExposition, sampleValue } from './metrics/exposition.js';
export type {
  ApiRequestEvent,
  BatchEvent,
  BudgetEvent,
  CursorEvent,
  Metrics,
  MetricsOptions,
  RecordsEvent,
  RunEvent,
} from './metrics/metrics.js';
export { createMetrics, METRIC_NAMES, RUN_DURATION_BUCKETS } from './metrics/metrics.js';
export { observeRuns } from './metrics/observe.js';
export type { LeaseStore, RunInfo, RunLauncher, RunSummary, RunTrigger } from './ports.js';
export type { Schedule, ScheduleInput } from './schedule.js';
export {
  describeSchedule,
  nextFireTime,
  parseInterval,
  parseSchedule,
  scheduleInputSchema,
} from './schedule.js';
export type {
  ConnectionSchedule,
  ConnectionStatus,
  SchedulerOptions,
  TriggerOutcome,
} from './scheduler.js';
export { LEASE_PREFIX, Scheduler, SchedulerStoppedError } from './scheduler.js';
export type { ConnectionChange, LastRun, SchedulerEventMap, SkipReason } from './scheduler-events.js';
export type { ShutdownOptions, ShutdownSignal, SignalSource, Stoppable } from './shutdown-signals.js';
export { handleShutdownSignals } from './shutdown-signals.js';
export { GracefulStopRequested, ImmediateStopRequested, isGracefulStop, LeaseLost } from './stop-reasons.js';
