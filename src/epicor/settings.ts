import { IANAZone } from 'luxon';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { ENTITY_KINDS } from '../sync/model.js';

/**
 * Connection and stream settings for the Epicor client. Every choice the reference marks UNCONFIRMED
 * (token request style, date literal format, last-page detection, vendor-contact access path, ...) is a
 * setting here with the most plausible default; docs/epicor-client.md explains each one.
 */

const nonEmpty = z.string().trim().min(1);
const ms = (fallback: number) => z.number().int().nonnegative().default(fallback);

export const basicAuthSchema = z.object({
  mode: z.literal('basic'),
  username: nonEmpty,
  password: z.string().min(1),
});

/** Epicor's own bearer token service at `{tenant}/TokenResource.svc/`. */
export const tokenResourceAuthSchema = z.object({
  mode: z.literal('tokenResource'),
  username: nonEmpty,
  password: z.string().min(1),
  /**
   * How credentials reach TokenResource.svc (public clients disagree, UNCONFIRMED):
   * `headers` = `username`/`password` request headers and an empty body (default);
   * `form-password-grant` = `grant_type=password&username=…&password=…`;
   * `form-credentials` = `Username=…&Password=…`; `basic` = `Authorization: Basic …`.
   */
  requestStyle: z.enum(['headers', 'form-password-grant', 'form-credentials', 'basic']).default('headers'),
  /** Path below the tenant URL; Epicor serves it at the instance root, not under /api/v2. */
  tokenPath: nonEmpty.default('TokenResource.svc/'),
  /** Whether the token request also carries `x-api-key` (UNCONFIRMED whether Epicor needs it). */
  sendApiKey: z.boolean().default(true),
});

/** OAuth2 client credentials against the Epicor identity provider (or Entra ID). */
export const oauth2AuthSchema = z.object({
  mode: z.literal('oauth2'),
  tokenUrl: z.url(),
  clientId: nonEmpty,
  clientSecret: z.string().min(1),
  scope: z.string().trim().default('epicor_erp'),
  /** `body` sends client_id/client_secret in the form; `basic` in an Authorization header. */
  clientAuth: z.enum(['body', 'basic']).default('body'),
});

export const epicorAuthSchema = z.discriminatedUnion('mode', [
  basicAuthSchema,
  tokenResourceAuthSchema,
  oauth2AuthSchema,
]);

export const retrySettingsSchema = z.object({
  /** Total attempts for 5xx, 408/429, network errors, resets and timeouts (1 = no retry). */
  maxAttempts: z.number().int().min(1).max(20).default(5),
  baseMs: ms(1_000),
  maxMs: ms(30_000),
  factor: z.number().min(1).default(2),
  /** Cap for a server's Retry-After, when one is sent (Epicor documents none). */
  maxRetryAfterMs: ms(120_000),
  /** 400 LicenseAccessException ("Maximum users exceeded"): longer waits, as S3 does (30 s → 480 s). */
  license: z
    .object({
      maxAttempts: z.number().int().min(1).max(20).default(6),
      baseMs: ms(30_000),
      maxMs: ms(480_000),
    })
    .prefault({}),
});

const keyFieldSchema = z.object({
  name: nonEmpty,
  /** `int` parts are bare numbers in filters; `string` parts are quoted. */
  type: z.enum(['int', 'string']),
});

export const changeStrategySchema = z.discriminatedUnion('strategy', [
  /** One datetime column (`UpdatedOn` by default; any name, e.g. a UD column `..._c`). */
  z.object({ strategy: z.literal('datetime'), field: nonEmpty.default('UpdatedOn') }),
  /** `ChangeDate` (date) + `ChangeTime` (seconds since midnight), both in the tenant's time zone. */
  z.object({
    strategy: z.literal('changeDateTime'),
    dateField: nonEmpty.default('ChangeDate'),
    timeField: nonEmpty.default('ChangeTime'),
  }),
  /** A date-only column (vendor contacts' `ChangeDate`): day granularity. */
  z.object({ strategy: z.literal('changeDate'), field: nonEmpty.default('ChangeDate') }),
  /** `SysRevID` as a monotonic cursor (kept as a string, never a JS number). */
  z.object({ strategy: z.literal('sysRevId'), field: nonEmpty.default('SysRevID') }),
  /** No change marker: every scan reads everything; changes are found downstream by content hash. */
  z.object({ strategy: z.literal('full') }),
]);

export const streamSourceSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('entitySet'),
    /** e.g. `Erp.BO.VendorSvc`; emitted with canonical `Erp.BO.` casing. */
    service: nonEmpty.optional(),
    entitySet: nonEmpty.optional(),
    keyFields: z.array(keyFieldSchema).min(1).optional(),
  }),
  z.object({
    type: z.literal('baq'),
    baqId: nonEmpty,
    /** BAQ parameters, sent in the query string by name. */
    parameters: z.record(z.string(), z.string()).default({}),
    /** BAQ columns that form the record key, e.g. [{ name: 'Vendor_VendorNum', type: 'int' }]. */
    keyFields: z.array(keyFieldSchema).min(1),
  }),
  /** Vendor contacts only: page `Vendors?$expand=VendCntMains` (full scan) instead of the child set. */
  z.object({ type: z.literal('vendorExpand'), navigation: nonEmpty.default('VendCntMains') }),
]);

export const streamSettingsSchema = z.object({
  source: streamSourceSchema.optional(),
  change: changeStrategySchema.optional(),
  /**
   * Where a new scan starts relative to the saved cursor. `inclusive` re-reads rows whose change value
   * equals the cursor's (catches a write in the same second/day as the last read; costs a few repeats);
   * `exclusive` continues strictly after (value, key). Default: exclusive for sysRevId, else inclusive.
   */
  resume: z.enum(['inclusive', 'exclusive']).optional(),
  /** Extra columns to `$select` (key and change columns are always added). Omit for every column. */
  select: z.array(nonEmpty).optional(),
  pageSize: z.number().int().min(1).max(10_000).optional(),
});

export const epicorSettingsSchema = z.object({
  /** Server and instance, e.g. `https://erp.example.com/ERP11PROD` — nothing below the instance. */
  tenantUrl: z.url().refine((url) => !/\/api\/v[12]\b/i.test(url), {
    message: 'give the server and instance only, e.g. https://host/ERP11PROD (drop "/api/v2/...")',
  }),
  company: nonEmpty,
  apiKey: z.string().min(1),
  auth: epicorAuthSchema,
  /** IANA zone for Epicor date values that carry no offset (ChangeDate/ChangeTime are local). */
  timeZone: nonEmpty
    .refine((zone) => IANAZone.isValidZone(zone), { message: 'not an IANA time zone (e.g. America/Chicago)' })
    .default('UTC'),
  requestTimeoutMs: z.number().int().min(1).default(120_000),
  retry: retrySettingsSchema.prefault({}),
  /** Allow plain `http` to a non-loopback host. Credentials then travel unencrypted. */
  allowInsecureHttp: z.boolean().default(false),
  /** Fetch a new bearer token this long before `ExpiresIn` runs out (capped at 10 % of the lifetime). */
  tokenRefreshSkewSeconds: z.number().int().nonnegative().default(60),
  /** `$top` per page; Epicor's default row cap without `$top` is 100. */
  pageSize: z.number().int().min(1).max(10_000).default(100),
  /** `keyset` (default, safe while data changes) or `skip` (can miss rows that move during a scan). */
  paging: z.enum(['keyset', 'skip']).default('keyset'),
  /**
   * `short`: a page with fewer rows than `$top` is the last (there is no nextLink).
   * `empty`: keep asking until a page is empty — one extra request per scan, but safe if the server
   * caps `$top` below the page size asked for (UNCONFIRMED for SaaS).
   */
  lastPage: z.enum(['short', 'empty']).default('short'),
  /**
   * How a datetime cursor is written in `$filter` (always unquoted): `offset` = tenant wall time with
   * its offset, `2026-03-16T09:05:00-05:00` (default: right whether the server converts offsets to its
   * own zone or ignores them); `utc` = `2026-03-16T14:05:00Z` (the LIVE-verified form, right only if
   * the server converts or runs in UTC); `local` = wall time without a zone (UNCONFIRMED).
   */
  dateTimeLiteral: z.enum(['utc', 'offset', 'local']).default('offset'),
  /**
   * How a date-only value (ChangeDate) is written: `offset-midnight` = `2026-03-16T00:00:00-05:00`
   * (default, tenant midnight, for the same reason); `utc-midnight` = `2026-03-16T00:00:00Z` (LIVE form
   * with `ge`, but a server that converts Z to its zone reads it as the previous evening, so `eq`/`gt`
   * misbehave west of UTC); `local-midnight` = no zone; `date` = `2026-03-16` (Edm.Date).
   */
  dateLiteral: z
    .enum(['utc-midnight', 'offset-midnight', 'local-midnight', 'date'])
    .default('offset-midnight'),
  /** Send the key as the `x-api-key` header (default) or as the `api-key` query parameter. */
  apiKeyIn: z.enum(['header', 'query']).default('header'),
  /** Optional `CallSettings` header (e.g. `{ "Plant": "MfgSys" }`); the URL company always wins. */
  callSettings: z.record(z.string(), z.string()).optional(),
  streams: z.partialRecord(z.enum(ENTITY_KINDS), streamSettingsSchema).default({}),
  /**
   * Before vendor contacts are paged from the child entity set (`VendCntMains`), prove once per source
   * that the set answers a filter on its own key (the child entity-set quirk, reference §3.5); on the
   * quirk the stream fails with `ERR_EPICOR_CHILD_FILTER` instead of silently missing contacts.
   */
  childFilterCheck: z.boolean().default(true),
});

export type EpicorSettingsInput = z.input<typeof epicorSettingsSchema>;
export type EpicorSettings = Readonly<z.output<typeof epicorSettingsSchema>>;
export type EpicorAuthSettings = z.output<typeof epicorAuthSchema>;
export type RetrySettings = z.output<typeof retrySettingsSchema>;
export type ChangeStrategy = z.output<typeof changeStrategySchema>;
export type StreamSource = z.output<typeof streamSourceSchema>;
export type StreamSettings = z.output<typeof streamSettingsSchema>;
export type KeyField = z.output<typeof keyFieldSchema>;

/** Validates settings once, reporting every problem (never echoing a secret value), and freezes them. */
export function parseEpicorSettings(input: unknown): EpicorSettings {
  const result = epicorSettingsSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return Object.freeze(result.data);
}
