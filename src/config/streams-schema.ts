/**
 * The `streams:` block of a connection: which of the four streams run, how changes are found in Epicor
 * and how pages are read. Defaults follow the Epicor reference (§4.3): vendors carry only `SysRevID`,
 * customers and customer contacts `ChangeDate`+`ChangeTime`, vendor contacts `ChangeDate` alone.
 */
import { z } from 'zod';
import { STREAM_KEYS, type StreamKey } from './constants.js';
import { nonEmpty } from './fields.js';
import { epicorFieldSchema } from './mapping-schema.js';

export const CHANGE_STRATEGIES = [
  'updated-on',
  'change-date-time',
  'change-date',
  'sys-rev-id',
  'full-scan',
  'baq',
  'vendor-expand',
] as const;

export const changeStrategySchema = z.discriminatedUnion('strategy', [
  /** One date-time column (e.g. a UD column maintained by a BPM, `UpdatedOn_c`). */
  z.strictObject({ strategy: z.literal('updated-on'), field: epicorFieldSchema }),
  /** `ChangeDate` (date) + `ChangeTime` (seconds since midnight), in the Epicor time zone. */
  z.strictObject({
    strategy: z.literal('change-date-time'),
    dateField: epicorFieldSchema.default('ChangeDate'),
    timeField: epicorFieldSchema.default('ChangeTime'),
  }),
  /** A date-only column: day granularity, repeats are filtered downstream by content hash. */
  z.strictObject({ strategy: z.literal('change-date'), field: epicorFieldSchema.default('ChangeDate') }),
  /** `SysRevID`, incremented on each write, as a monotonic cursor. */
  z.strictObject({ strategy: z.literal('sys-rev-id'), field: epicorFieldSchema.default('SysRevID') }),
  /** Read everything each run; unchanged records are skipped by content hash. */
  z.strictObject({ strategy: z.literal('full-scan') }),
  /** Read a BAQ (`BaqSvc/{baqId}/Data`) instead of the business object. */
  z.strictObject({
    strategy: z.literal('baq'),
    baqId: nonEmpty,
    /** BAQ columns forming the record key, in key order, e.g. `[{ name: Vendor_VendorNum, type: int }]`. */
    keyFields: z.array(z.strictObject({ name: epicorFieldSchema, type: z.enum(['int', 'string']) })).min(1),
    /** A BAQ column marking changes; omitted = every run reads the whole BAQ. */
    changeField: epicorFieldSchema.optional(),
    /** `datetime` for a date-time column, `sys-rev-id` for an increasing number. */
    changeFieldType: z.enum(['datetime', 'sys-rev-id']).default('datetime'),
    parameters: z.record(z.string(), z.string()).default({}),
  }),
  /**
   * Vendor contacts only: read them expanded from their vendors (`Vendors?$expand=VendCntMains`), a full
   * scan each run, for tenants where the filtered child entity set misbehaves (`ping` detects it).
   */
  z.strictObject({
    strategy: z.literal('vendor-expand'),
    navigation: epicorFieldSchema.default('VendCntMains'),
  }),
]);
export type ChangeStrategyConfig = z.output<typeof changeStrategySchema>;

export { STREAM_KEYS, type StreamKey };

export const DEFAULT_CHANGE: Readonly<Record<StreamKey, ChangeStrategyConfig>> = {
  vendors: { strategy: 'sys-rev-id', field: 'SysRevID' },
  customers: { strategy: 'change-date-time', dateField: 'ChangeDate', timeField: 'ChangeTime' },
  vendorContacts: { strategy: 'change-date', field: 'ChangeDate' },
  customerContacts: { strategy: 'change-date-time', dateField: 'ChangeDate', timeField: 'ChangeTime' },
};

export const streamSelectSchema = z.union([z.enum(['auto', 'all']), z.array(epicorFieldSchema).min(1)]);
export type StreamSelectConfig = z.output<typeof streamSelectSchema>;

const streamSchema = (key: StreamKey) =>
  z
    .strictObject({
      enabled: z.boolean().default(true),
      change: changeStrategySchema.default(DEFAULT_CHANGE[key]),
      /** Rows per page (`$top`); Epicor returns 100 rows when `$top` is absent. */
      top: z.number().int().min(1).max(10_000).default(100),
      /** `keyset` pages by key (safe while rows change); `skip` uses `$skip` (can miss rows). */
      paging: z.enum(['keyset', 'skip']).default('keyset'),
      /** Re-read this many minutes before the saved cursor (clock skew, late commits). */
      lookbackMinutes: z.number().int().min(0).max(10_080).default(0),
      /**
       * Columns asked of Epicor (`$select`): `auto` = those the mapping reads (vendor contacts and BAQ
       * streams read every column), `all` = every column, or a list (key and change columns are added).
       */
      select: streamSelectSchema.default('auto'),
    })
    .check((ctx) => {
      if (key !== 'vendorContacts' && ctx.value.change.strategy === 'vendor-expand') {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value.change,
          path: ['change', 'strategy'],
          message: 'vendor-expand only applies to vendorContacts',
        });
      }
    })
    .prefault({});

export const streamsSchema = z
  .strictObject({
    vendors: streamSchema('vendors'),
    customers: streamSchema('customers'),
    vendorContacts: streamSchema('vendorContacts'),
    customerContacts: streamSchema('customerContacts'),
  })
  .prefault({});
export type StreamsConfig = z.output<typeof streamsSchema>;
export type StreamConfig = StreamsConfig[StreamKey];
