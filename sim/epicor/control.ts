import type { AuthService } from './auth.js';
import {
  type ChildFilterQuirk,
  type ChildFilterQuirkMode,
  checkChildFilterQuirk,
} from './child-filter-quirk.js';
import type { EpicorStore, KeyInput, StoredRow } from './data/store.js';
import type { Value } from './odata/values.js';
import type { EntitySetName } from './schema.js';

/**
 * The simulator's control surface: data changes as an Epicor user would make them, the request log,
 * hooks between data requests, and fault injection. Exposed in-process (`simulator.control`) and over
 * HTTP under `/__control/…` (see control-http.ts).
 */

/** A row as the control API hands it out: column → value (dates as naive text, SysRevID as bigint). */
export type EpicorRecord = Record<string, Value>;

export interface CompanyOption {
  /** Defaults to the first configured company. */
  company?: string;
}

export type Mutation =
  | { op: 'update'; entity: EntitySetName; company?: string; key: KeyInput; changes: Record<string, unknown> }
  | { op: 'insert'; entity: EntitySetName; company?: string; record: Record<string, unknown> }
  | { op: 'deactivate'; entity: EntitySetName; company?: string; key: KeyInput }
  | { op: 'delete'; entity: EntitySetName; company?: string; key: KeyInput };

export interface RequestLogEntry {
  seq: number;
  /** ISO time on the simulator's clock. */
  at: string;
  method: string;
  path: string;
  /** Query string with any api-key value redacted. */
  query: string;
  /** 0 when the socket was reset on purpose. */
  status: number;
  durationMs: number;
  kind: 'data' | 'token' | 'idp' | 'other';
  /** Data-request number (1-based) for data requests. */
  dataRequest?: number;
}

export interface DataRequestInfo {
  method: string;
  path: string;
  query: string;
  company: string | undefined;
}

export type DataRequestHook = (n: number, request: DataRequestInfo) => void | Promise<void>;

export type FailureBody = 'epicor' | 'gateway';

export interface FailureOptions {
  /** 500 (default), 502 or 503. */
  status?: 500 | 502 | 503;
  /** 'epicor' = standard error JSON (default); 'gateway' = plain-text proxy page. */
  body?: FailureBody;
}

export interface FaultState {
  latencyMs: number;
  failures: number;
  failureStatus: 500 | 502 | 503;
  failureBody: FailureBody;
  resets: number;
  licenseErrors: number;
  /** Invalidate every bearer token once this many data requests have been served (absolute count). */
  expireTokensAtRequest: number | undefined;
}

export interface EpicorSimControl {
  /** Regenerates the data (optionally with another seed or counts); keeps faults, log and hooks. */
  reset(options?: { seed?: number; vendors?: number; customers?: number }): void;
  companies(): string[];
  list(entity: EntitySetName, options?: CompanyOption): EpicorRecord[];
  get(entity: EntitySetName, key: KeyInput, options?: CompanyOption): EpicorRecord | undefined;
  /** Changes fields; bumps SysRevID and stamps ChangeDate/ChangeTime/ChangedBy/UpdatedOn with the clock. */
  update(
    entity: EntitySetName,
    key: KeyInput,
    changes: Record<string, unknown>,
    options?: CompanyOption,
  ): EpicorRecord;
  insert(entity: EntitySetName, record: Record<string, unknown>, options?: CompanyOption): EpicorRecord;
  /** Inactive = true (a write like any other). */
  deactivate(entity: EntitySetName, key: KeyInput, options?: CompanyOption): EpicorRecord;
  /** Removes the row (vendors/customers take their contacts with them); returns the removed row. */
  delete(entity: EntitySetName, key: KeyInput, options?: CompanyOption): EpicorRecord;
  apply(mutation: Mutation): EpicorRecord;
  /** Applies the mutations once `n` data requests have been answered (before request n+1 is handled). */
  applyAfterRequest(n: number, mutations: Mutation[]): void;
  /** Runs before each data request is handled (after the counter moves); returns an unsubscribe function. */
  onDataRequest(hook: DataRequestHook): () => void;
  /** Data requests (everything under /api/v2/) received since start or the last resetCounters(). */
  readonly dataRequestCount: number;
  resetCounters(): void;
  /** The highest SysRevID handed out so far. */
  currentSysRevId(): bigint;
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  setLatency(ms: number): void;
  /** The next `count` data requests answer 500/502/503. */
  failNext(count: number, options?: FailureOptions): void;
  /** The next `count` data requests get their socket destroyed without an answer. */
  resetNext(count: number): void;
  /** The next `count` authenticated data requests answer 400 LicenseAccessException. */
  licenseErrorNext(count: number): void;
  /** After `requests` more data requests, every issued bearer token becomes invalid. */
  expireTokensAfter(requests: number): void;
  invalidateTokens(): void;
  /** Services / BOs / BO.Methods the user may not call (401 "Access denied (BO.Method)."). */
  setAccessDenied(username: string, entries: string[]): void;
  faults(): Readonly<FaultState>;
  clearFaults(): void;
  /**
   * Switches the child entity-set `$filter` quirk on (`{ entitySets: ['VendCntMains'], mode }`) or off
   * (`undefined`); see child-filter-quirk.ts. Not a fault: `clearFaults` leaves it as it is.
   */
  setChildFilterQuirk(quirk: { entitySets: string[]; mode: ChildFilterQuirkMode } | undefined): void;
  childFilterQuirk(): ChildFilterQuirk | undefined;
}

export function noFaults(): FaultState {
  return {
    latencyMs: 0,
    failures: 0,
    failureStatus: 500,
    failureBody: 'epicor',
    resets: 0,
    licenseErrors: 0,
    expireTokensAtRequest: undefined,
  };
}

export function recordOf(row: StoredRow): EpicorRecord {
  return { ...row.values };
}

/** Shared mutable state of one simulator: faults, counters, hooks and the request log. */
export class SimState {
  faults: FaultState = noFaults();
  dataRequests = 0;
  logSeq = 0;
  readonly log: RequestLogEntry[] = [];
  readonly hooks = new Set<DataRequestHook>();
  scheduled: { afterN: number; mutations: Mutation[] }[] = [];
  /** The tenant's child entity-set `$filter` quirk (option `childFilterQuirk`), or undefined. */
  childFilterQuirk: ChildFilterQuirk | undefined;
  static readonly LOG_LIMIT = 10_000;

  addLog(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.log.push({ seq: ++this.logSeq, ...entry });
    if (this.log.length > SimState.LOG_LIMIT) this.log.splice(0, this.log.length - SimState.LOG_LIMIT);
  }
}

export function createControl(store: EpicorStore, auth: AuthService, state: SimState): EpicorSimControl {
  const companyOf = (options?: CompanyOption): string => options?.company ?? (store.companies()[0] as string);
  const control: EpicorSimControl = {
    reset: (options) => store.reset(options ?? {}),
    companies: () => store.companies(),
    list: (entity, options) => store.table(entity, companyOf(options)).rows.map(recordOf),
    get: (entity, key, options) => {
      const row = store.get(entity, companyOf(options), key);
      return row ? recordOf(row) : undefined;
    },
    update: (entity, key, changes, options) =>
      recordOf(store.update(entity, companyOf(options), key, changes)),
    insert: (entity, record, options) => recordOf(store.insert(entity, companyOf(options), record)),
    deactivate: (entity, key, options) =>
      recordOf(store.update(entity, companyOf(options), key, { Inactive: true })),
    delete: (entity, key, options) => recordOf(store.remove(entity, companyOf(options), key)),
    apply: (mutation) => {
      const options = mutation.company === undefined ? {} : { company: mutation.company };
      switch (mutation.op) {
        case 'update':
          return control.update(mutation.entity, mutation.key, mutation.changes, options);
        case 'insert':
          return control.insert(mutation.entity, mutation.record, options);
        case 'deactivate':
          return control.deactivate(mutation.entity, mutation.key, options);
        case 'delete':
          return control.delete(mutation.entity, mutation.key, options);
      }
    },
    applyAfterRequest: (n, mutations) => {
      state.scheduled.push({ afterN: n, mutations });
    },
    onDataRequest: (hook) => {
      state.hooks.add(hook);
      return () => {
        state.hooks.delete(hook);
      };
    },
    get dataRequestCount() {
      return state.dataRequests;
    },
    resetCounters: () => {
      state.dataRequests = 0;
    },
    currentSysRevId: () => store.currentSysRevId,
    requestLog: () => state.log.map((entry) => ({ ...entry })),
    clearRequestLog: () => {
      state.log.length = 0;
    },
    setLatency: (ms) => {
      state.faults.latencyMs = Math.max(0, ms);
    },
    failNext: (count, options) => {
      state.faults.failures = count;
      state.faults.failureStatus = options?.status ?? 500;
      state.faults.failureBody = options?.body ?? 'epicor';
    },
    resetNext: (count) => {
      state.faults.resets = count;
    },
    licenseErrorNext: (count) => {
      state.faults.licenseErrors = count;
    },
    expireTokensAfter: (requests) => {
      state.faults.expireTokensAtRequest = state.dataRequests + requests;
    },
    invalidateTokens: () => auth.invalidateTokens(),
    setAccessDenied: (username, entries) => auth.setDenied(username, entries),
    faults: () => ({ ...state.faults }),
    clearFaults: () => {
      state.faults = noFaults();
    },
    setChildFilterQuirk: (quirk) => {
      state.childFilterQuirk = checkChildFilterQuirk(quirk);
    },
    childFilterQuirk: () => state.childFilterQuirk,
  };
  return control;
}
