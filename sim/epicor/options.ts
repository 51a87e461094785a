import type { Clock } from '../../src/core/clock.js';
import { systemClock } from '../../src/core/clock.js';
import { type AuthMessages, DEFAULT_MESSAGES, type OAuthClient, type SimUser } from './auth.js';
import {
  type ChildFilterQuirk,
  type ChildFilterQuirkMode,
  checkChildFilterQuirk,
} from './child-filter-quirk.js';
import type { StringComparison } from './odata/values.js';
import { checkMissingColumns, type MissingColumns } from './schema.js';

export interface EpicorSimulatorOptions {
  /** '127.0.0.1' */
  host?: string;
  /** 0 = a free port */
  port?: number;
  /** 1; data is deterministic from the seed */
  seed?: number;
  /** 50 */
  vendors?: number;
  /** 50 */
  customers?: number;
  /** 'EpicorTest' — first path segment of the tenant URL */
  instance?: string;
  /** ['EPIC06'] — each company gets its own data set */
  companies?: string[];
  /** 'sim-api-key' — valid for all companies */
  apiKey?: string;
  /** [{ username: 'manager', password: 'manager' }]; `denied` lists services/BOs/BO.Methods → 401 Access denied */
  users?: SimUser[];
  /** [{ clientId: 'sim-client', clientSecret: 'sim-secret' }] for POST /connect/token */
  oauthClients?: OAuthClient[];
  /** 3600 */
  tokenLifetimeSeconds?: number;
  /** 'America/Chicago': zone of naive ChangeDate/ChangeTime/UpdatedOn values */
  timeZone?: string;
  /** false; when set, every entity carries a datetime column (default name 'UpdatedOn') */
  updatedOn?: false | { column?: string };
  /** 1_000_000n; set above 2^53 to test big SysRevIDs */
  sysRevIdStart?: bigint;
  /** 100: rows returned when no $top is given */
  defaultTop?: number;
  /** drives token expiry and change timestamps */
  clock?: Clock;
  /** Rows per entity sharing the "mass update" timestamp; default min(max(200, 2% of n), n/2). */
  massUpdateSize?: number;
  /** End of the window the seeded change times fall in (epoch ms); default 2025-12-31, fixed for tests. */
  dataWindowEnd?: number;
  /** UNCONFIRMED 401 messages (expired/unknown token, missing Authorization, missing API key). */
  messages?: Partial<AuthMessages>;
  /** UNCONFIRMED: how an offset datetime literal meets a naive column (default 'tenant-zone'). */
  dateTimeLiterals?: 'tenant-zone' | 'ignore-offset';
  /** String comparison in $filter/$orderby: 'ordinal' (default) or 'case-insensitive' (SQL Server CI collation). */
  stringComparison?: StringComparison;
  /** UNCONFIRMED: whether TokenResource.svc needs x-api-key (default false). */
  tokenRequiresApiKey?: boolean;
  /** User name written to ChangedBy/ChangeDcdUserID by control-API writes (default 'manager'). */
  changedBy?: string;
  /**
   * Columns this tenant lacks, per entity set, e.g. `{ Vendors: ['ZIP'] }` (an older release, or a UD
   * column not regenerated yet). They are left out of `$metadata` and of rows, and naming one in
   * `$select`, `$filter` or `$orderby` answers HTTP 400 "Could not find a property named …". Key columns
   * cannot be removed.
   */
  missingColumns?: MissingColumns;
  /**
   * Off by default. UNCONFIRMED for VendCntMains (reference §3.5, LIVE on other child sets): a `$filter`
   * on the named child entity set at the service root is bound to the parent type and answers an empty
   * `value` (`mode: 'empty'`) or, when it names a column the parent lacks, a 400 (`mode: 'error'`).
   * See child-filter-quirk.ts. Also switchable at run time (`control.setChildFilterQuirk`).
   */
  childFilterQuirk?: { entitySets: string[]; mode: ChildFilterQuirkMode };
}

export interface ResolvedOptions {
  host: string;
  port: number;
  seed: number;
  vendors: number;
  customers: number;
  instance: string;
  companies: string[];
  apiKey: string;
  users: SimUser[];
  oauthClients: OAuthClient[];
  tokenLifetimeSeconds: number;
  timeZone: string;
  updatedOnColumn: string | undefined;
  sysRevIdStart: bigint;
  defaultTop: number;
  clock: Clock;
  massUpdateSize: number | undefined;
  dataWindowEnd: number | undefined;
  messages: AuthMessages;
  dateTimeLiterals: 'tenant-zone' | 'ignore-offset';
  stringComparison: StringComparison;
  tokenRequiresApiKey: boolean;
  changedBy: string;
  missingColumns: MissingColumns;
  childFilterQuirk: ChildFilterQuirk | undefined;
}

export function resolveOptions(options: EpicorSimulatorOptions = {}): ResolvedOptions {
  const companies = options.companies ?? ['EPIC06'];
  if (companies.length === 0) throw new Error('The Epicor simulator needs at least one company.');
  const updatedOnColumn = options.updatedOn ? (options.updatedOn.column ?? 'UpdatedOn') : undefined;
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    seed: options.seed ?? 1,
    vendors: options.vendors ?? 50,
    customers: options.customers ?? 50,
    instance: options.instance ?? 'EpicorTest',
    companies,
    apiKey: options.apiKey ?? 'sim-api-key',
    users: options.users ?? [{ username: 'manager', password: 'manager' }],
    oauthClients: options.oauthClients ?? [{ clientId: 'sim-client', clientSecret: 'sim-secret' }],
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    timeZone: options.timeZone ?? 'America/Chicago',
    updatedOnColumn,
    sysRevIdStart: options.sysRevIdStart ?? 1_000_000n,
    defaultTop: options.defaultTop ?? 100,
    clock: options.clock ?? systemClock,
    massUpdateSize: options.massUpdateSize,
    dataWindowEnd: options.dataWindowEnd,
    messages: { ...DEFAULT_MESSAGES, ...options.messages },
    dateTimeLiterals: options.dateTimeLiterals ?? 'tenant-zone',
    stringComparison: options.stringComparison ?? 'ordinal',
    tokenRequiresApiKey: options.tokenRequiresApiKey ?? false,
    changedBy: options.changedBy ?? 'manager',
    missingColumns: checkMissingColumns(options.missingColumns, updatedOnColumn),
    childFilterQuirk: checkChildFilterQuirk(options.childFilterQuirk),
  };
}
