/** Test-only: an in-memory `ServiceBackend` that records the actions it is asked for. */
import { ConfigError, ConnectorError } from '../../core/errors.js';
import type {
  ActionOutcome,
  AuditPageView,
  AuditSearch,
  AuditView,
  BatchView,
  ConnectionChangeView,
  ConnectionSettings,
  ConnectionView,
  FailureView,
  LiveProgress,
  Readiness,
  ReloadReport,
  ReplayTarget,
  RunView,
  ServiceBackend,
} from '../backend.js';

const zero = { created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, archived: 0 };

export class FakeBackend implements ServiceBackend {
  readonly calls: { action: string; connectionId?: string; target?: ReplayTarget; paused?: boolean }[] = [];
  connectionsList: ConnectionView[];
  runsList: RunView[];
  batchesList: BatchView[];
  auditRows: AuditView[];
  liveList: LiveProgress[] = [];
  ready: Readiness = { store: true, scheduler: true };

  constructor(label = 'Acme "Best" <Tools> & Co 🚀') {
    this.connectionsList = [
      {
        id: 'epic06',
        name: label,
        schedule: 'every 30s',
        state: 'idle',
        paused: false,
        nextRunAt: Date.UTC(2026, 0, 1, 0, 0, 30),
        runningSince: null,
        followUpPending: false,
        lastRun: {
          trigger: 'schedule',
          startedAt: Date.UTC(2026, 0, 1),
          endedAt: Date.UTC(2026, 0, 1, 0, 0, 5),
          durationMs: 5000,
          status: 'partial',
        },
        streams: [
          {
            stream: 'vendor',
            cursor: { value: '000000000042', key: '7' },
            lagSeconds: 12,
          },
        ],
        live: null,
        failedBatches: 1,
      },
    ];
    this.runsList = [
      {
        id: '1',
        connectionId: 'epic06',
        kind: 'sync',
        status: 'partial',
        startedAt: Date.UTC(2026, 0, 1),
        finishedAt: Date.UTC(2026, 0, 1, 0, 0, 5),
        counts: { ...zero, created: 9, failed: 1 },
        error: null,
      },
    ];
    this.batchesList = [
      {
        id: '3',
        runId: '1',
        connectionId: 'epic06',
        stream: 'vendor',
        status: 'partial',
        attempts: 1,
        recordCount: 10,
        error: null,
        createdAt: Date.UTC(2026, 0, 1),
        replayOf: null,
        replayedBy: null,
      },
    ];
    this.auditRows = [
      {
        id: '11',
        runId: '1',
        batchId: '3',
        connectionId: 'epic06',
        stream: 'vendor',
        sourceId: 'EPIC06:vendor:7',
        hubspotId: null,
        action: 'failed',
        errorCategory: 'validation',
        errorMessage: `Property "name" rejected for ${label}`,
        label,
        at: Date.UTC(2026, 0, 1),
      },
    ];
  }

  async connections(): Promise<ConnectionView[]> {
    return this.connectionsList;
  }
  async connection(id: string): Promise<ConnectionView | undefined> {
    return this.connectionsList.find((c) => c.id === id);
  }
  async runs(query: { connectionId?: string }): Promise<RunView[]> {
    return this.runsList.filter(
      (r) => query.connectionId === undefined || r.connectionId === query.connectionId,
    );
  }
  async run(runId: string): Promise<(RunView & { batches: readonly BatchView[] }) | undefined> {
    const run = this.runsList.find((r) => r.id === runId);
    return run === undefined
      ? undefined
      : { ...run, batches: this.batchesList.filter((b) => b.runId === runId) };
  }
  async failures(query: { connectionId?: string }): Promise<FailureView[]> {
    return this.batchesList
      .filter((b) => (b.status === 'failed' || b.status === 'partial') && b.replayedBy === null)
      .filter((b) => query.connectionId === undefined || b.connectionId === query.connectionId)
      .map((batch) => ({
        batch,
        records: this.auditRows.filter((a) => a.batchId === batch.id && a.action === 'failed'),
      }));
  }
  async audit(query: AuditSearch): Promise<AuditPageView> {
    this.calls.push({ action: 'audit' });
    const rows = this.auditRows.filter(
      (a) =>
        (query.sourceId === undefined || a.sourceId === query.sourceId) &&
        (query.hubspotId === undefined || a.hubspotId === query.hubspotId) &&
        (query.label === undefined || (a.label ?? '').toLowerCase().includes(query.label.toLowerCase())),
    );
    return { rows, nextCursor: null };
  }
  live(): LiveProgress[] {
    return this.liveList;
  }
  async syncNow(connectionId: string): Promise<ActionOutcome> {
    this.calls.push({ action: 'sync', connectionId });
    return this.#known(connectionId) ? 'started' : 'unknown-connection';
  }
  async replay(connectionId: string, target: ReplayTarget): Promise<ActionOutcome> {
    this.calls.push({ action: 'replay', connectionId, target });
    return this.#known(connectionId) ? 'started' : 'unknown-connection';
  }
  async setPaused(connectionId: string, paused: boolean): Promise<ActionOutcome> {
    this.calls.push({ action: paused ? 'pause' : 'resume', connectionId, paused });
    if (!this.#known(connectionId)) return 'unknown-connection';
    return paused ? 'paused' : 'resumed';
  }
  async reload(): Promise<ReloadReport> {
    this.calls.push({ action: 'reload' });
    return { added: [], updated: [], removed: [], unchanged: ['epic06'] };
  }
  /** `epic06` exists (409); an id `invalid` is refused like the config schema would (422). */
  async addConnection(settings: ConnectionSettings): Promise<ConnectionChangeView> {
    const id = String(settings['id']);
    this.calls.push({ action: 'add', connectionId: id });
    if (this.#known(id)) throw new ConnectorError('ERR_CONNECTION_EXISTS', `A connection "${id}" exists`);
    if (id === 'invalid')
      throw new ConfigError([
        'connections[1].epicor.company: Required',
        'connections[1].colour: unknown key',
      ]);
    return {
      connectionId: id,
      change: 'added',
      reload: { added: [id], updated: [], removed: [], unchanged: [] },
    };
  }
  async replaceConnection(id: string, _settings: ConnectionSettings): Promise<ConnectionChangeView> {
    this.calls.push({ action: 'replace', connectionId: id });
    if (!this.#known(id)) throw new ConnectorError('ERR_CONNECTION_NOT_FOUND', `No connection "${id}"`);
    return {
      connectionId: id,
      change: 'replaced',
      reload: { added: [], updated: [id], removed: [], unchanged: [] },
    };
  }
  async removeConnection(id: string, options?: { purge?: boolean }): Promise<ConnectionChangeView> {
    const purge = options?.purge === true;
    this.calls.push({ action: purge ? 'remove+purge' : 'remove', connectionId: id });
    if (!this.#known(id)) throw new ConnectorError('ERR_CONNECTION_NOT_FOUND', `No connection "${id}"`);
    return {
      connectionId: id,
      change: 'removed',
      reload: { added: [], updated: [], removed: [id], unchanged: [] },
      ...(purge ? { removedFromConfig: true, purged: true } : {}),
    };
  }
  async readiness(): Promise<Readiness> {
    return this.ready;
  }
  #known(id: string): boolean {
    return this.connectionsList.some((c) => c.id === id);
  }
}
