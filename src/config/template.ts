/**
 * Config text written for people: `defaultConfigText()` is what `ml-connector init` writes (every key
 * explained), `demoConfig()` points one connection at the local simulators. Both parse with
 * `parseConfig` (tests hold them to it).
 */

/** JSON string literals are valid YAML double-quoted scalars. */
const q = (value: string): string => JSON.stringify(value);

export interface DefaultConfigOptions {
  readonly tenantUrl?: string;
  readonly company?: string;
  readonly username?: string;
}

export function defaultConfigText(options: DefaultConfigOptions = {}): string {
  const tenantUrl = options.tenantUrl ?? 'https://erp.example.com/ERP11PROD';
  const company = options.company ?? 'EPIC06';
  const username = options.username ?? 'integration';
  return `# ml-connector configuration. Full reference: docs/configuration.md
#
# No secrets in this file: Epicor API keys and passwords, OAuth client secrets and HubSpot tokens are kept
# in the encrypted credential store (encrypted with the key in keyFile). Keys that look like secrets
# (password, apiKey, clientSecret, token, ...) are refused.

# Folder for the database, the master key and other state. Relative paths are read from this file's
# folder. Env ML_CONNECTOR_DATA_DIR overrides it.
dataDir: ./.data

# Where sync state and the audit trail live. Default: SQLite at <dataDir>/ml-connector.db.
# Env ML_CONNECTOR_DATABASE_URL (postgres://... or sqlite:PATH) overrides the whole block.
store:
  # sqlitePath: ./.data/ml-connector.db
  # postgresUrl: postgres://ml@db.example.com:5432/ml_connector   # password via PGPASSWORD, never here
  # sqliteCacheMb: 4   # SQLite page cache in MiB

# Master key that encrypts the credential store (created by init). Default <dataDir>/master.key.
# Env ML_CONNECTOR_KEY_FILE overrides it.
# keyFile: ./.data/master.key

# How far the JavaScript heap may grow above its live data before it is collected, in percent.
# 30 keeps a long sync's memory flat for a few percent CPU; 0 = Node's own policy (up to 4x live).
# memory:
#   heapGrowthPercent: 30

log:
  # fatal | error | warn | info | debug | trace | silent. Env ML_CONNECTOR_LOG_LEVEL overrides it.
  level: info

connections:
  # One entry per Epicor Company -> HubSpot portal pair.
  - id: main                 # slug: lower-case letters, digits, dashes; used in URLs, metrics, logs
    name: Main company       # shown on the dashboard; default: the id

    epicor:
      # Server and instance, nothing below it (not /api/v2/...).
      tenantUrl: ${q(tenantUrl)}
      # Epicor Company id: first part of every source id (e.g. ${company}:vendor:204). Do not change it
      # after the first sync, or every record is created again in HubSpot.
      company: ${q(company)}
      auth:
        # basic          - native Epicor user; password in the store
        # token-resource - Epicor TokenResource.svc bearer token from user + password (store)
        # oauth2         - client credentials: tokenUrl, clientId, scope here; client secret in the store
        kind: basic
        username: ${q(username)}
        # requestStyle: headers         # token-resource only: headers | form-password-grant | form-credentials | basic
        # tokenUrl: https://login.epicor.com/connect/token   # oauth2 only
        # clientId: my-client                                # oauth2 only
        # scope: epicor_erp                                  # oauth2 only (default)
        # clientAuth: body                                   # oauth2 only: body | basic
      # IANA zone of the Epicor server: ChangeDate/ChangeTime and date-times without an offset are read in it.
      timeZone: UTC
      # Give up on one Epicor request after this long (retried per the client's retry policy).
      requestTimeout: 2m
      # Retry timing for failed requests (defaults shown; see docs/configuration.md):
      # retry: { attempts: 5, baseDelay: 1s, maxDelay: 30s, license: { attempts: 6, baseDelay: 30s, maxDelay: 8m } }
      # Stop the vendor-contact stream (instead of silently missing contacts) when the filtered child
      # entity set misbehaves on this tenant; turn off only if you are sure the check is wrong here.
      # childFilterCheck: true
      # Allow plain http to a host that is not loopback. Credentials would travel unencrypted.
      allowInsecureHttp: false

    hubspot:
      baseUrl: https://api.hubapi.com
      auth:
        # private-app - access token in the store
        # oauth       - clientId here; client secret and refresh token in the store
        kind: private-app
        # clientId: 00000000-0000-0000-0000-000000000000   # oauth only
        # tokenPath: /oauth/v1/token                       # oauth only (default)
      # API tier of the portal, which sets the 10-second request budget:
      # free | starter (100) | professional | enterprise (190) | api-pack (250)
      tier: professional
      # Optional overrides of the limits the tier implies.
      limits: {}
      #   tenSecondLimit: 150     # requests per rolling 10 s
      #   searchPerSecond: 5      # search requests per second
      #   concurrency: 4          # batches in flight
      #   batchSize: 100          # inputs per batch (max 100)
      # How contacts are matched: email-or-source-id (by email when valid, else by source id) | source-id
      contactKey: email-or-source-id
      requestTimeout: 30s
      # Retry timing (defaults shown; see docs/configuration.md):
      # retry: { retries: 6, rateLimitRetries: 10, baseDelay: 500ms, maxDelay: 30s, lockedDelay: 2s }
      # The portal's zone: HubSpot's daily API limit resets at its midnight.
      timeZone: UTC
      allowInsecureHttp: false

    streams:
      # For each stream: enabled, how changes are found (change), page size (top), paging, lookback.
      # change.strategy: updated-on (field) | change-date-time (dateField, timeField) | change-date (field)
      #                  | sys-rev-id (field) | full-scan | baq (baqId, keyFields, changeField, changeFieldType)
      #                  | vendor-expand (vendor contacts only: read via Vendors?$expand=VendCntMains when
      #                    ping reports the child entity-set quirk)
      vendors:
        enabled: true
        change: { strategy: sys-rev-id, field: SysRevID }   # Vendor rows carry no change date
        top: 100              # rows per page ($top)
        paging: keyset        # keyset (safe while data changes) | skip
        lookbackMinutes: 0    # re-read this many minutes before the saved cursor
      customers:
        enabled: true
        change: { strategy: change-date-time, dateField: ChangeDate, timeField: ChangeTime }
        top: 100
        paging: keyset
        lookbackMinutes: 0
      vendorContacts:
        enabled: true
        change: { strategy: change-date, field: ChangeDate }  # VendCntMain has ChangeDate, no ChangeTime
        top: 100
        paging: keyset
        lookbackMinutes: 0
      customerContacts:
        enabled: true
        change: { strategy: change-date-time, dateField: ChangeDate, timeField: ChangeTime }
        top: 100
        paging: keyset
        lookbackMinutes: 0

    mapping:
      # What to do with a value HubSpot would reject (never a failed batch):
      #   drop      - leave the property out, write the record, record a warning
      #   set-aside - do not write the record; it is reported with the reason
      #   truncate  - (tooLong only) cut at the limit on a character boundary, with a warning
      rules:
        invalidEmail: drop      # contact is still upserted by its source id
        tooLong: truncate
        invalidOption: set-aside
        invalidNumber: drop
        invalidDate: drop
      nameMaxLength: 255        # company name, contact first/last name
      textMaxLength: 65536      # any other text (HubSpot's single-line limit)
      emptyValues: clear        # clear: an empty Epicor value clears HubSpot ("") | omit: leave HubSpot as is
      vendors:
        fields: []
        # - to: epicor_week1_payment     # any HubSpot property; epicor_* ones are created by setup
        #   from: Week1Pymt_c            # any Epicor field, UD fields (_c) included; or a list
        #   type: number                 # text | name | email | number | bool | date | datetime | enumeration
        #   transform: [trim]            # trim, truncate:N, lowercase, uppercase, constant:V, default:V, domain, {map: {A: B}}
        drop: []                         # default mappings to remove, by HubSpot property, e.g. [phone]
      customers:
        # Standard-property classification for customers: none, or e.g.
        # { property: lifecyclestage, value: customer }
        classification: none
        fields: []
        drop: []
      vendorContacts:
        fields: []
        drop: []
      customerContacts:
        fields: []
        drop: []

    # When the sync runs: every (30s, 15m, 1h, ...) or cron (5 fields, or 6 with seconds) with timezone.
    schedule:
      every: 15m
      # cron: "*/15 7-19 * * 1-5"
      # timezone: Europe/Zurich

    # Failure alerts. Without webhookUrl no alert is sent. Slack/Teams webhook URLs carry a token in their
    # path: if you set one here, protect this file like a credential.
    alerts:
      # webhookUrl: https://hooks.slack.com/services/...
      format: slack             # slack | teams | generic
      # dashboardUrl: https://ml-connector.example.com   # linked from the alert
      dedupeWindow: 1h          # the same alert is not repeated within this window
      consecutiveFailures: 3    # alert after this many failed runs in a row
      onRunFailure: true
`;
}

export interface DemoConfigOptions {
  /** Base URL of the Epicor simulator, e.g. `http://127.0.0.1:8081` (plus an instance path if any). */
  readonly epicorUrl: string;
  /** Base URL of the HubSpot simulator, e.g. `http://127.0.0.1:8082`. */
  readonly hubspotUrl: string;
  readonly dataDir: string;
  readonly company?: string;
  readonly username?: string;
  readonly tier?: string;
  readonly every?: string;
}

/** A one-connection config pointing at the simulators (loopback http is allowed without a flag). */
export function demoConfig(options: DemoConfigOptions): string {
  return `# ml-connector demo: Epicor and HubSpot simulators on loopback. See docs/configuration.md.
dataDir: ${q(options.dataDir)}
log:
  level: info
connections:
  - id: demo
    name: Demo (simulators)
    epicor:
      tenantUrl: ${q(options.epicorUrl)}
      company: ${q(options.company ?? 'EPIC06')}
      auth:
        kind: basic
        username: ${q(options.username ?? 'demo')}
      timeZone: UTC
    hubspot:
      baseUrl: ${q(options.hubspotUrl)}
      auth:
        kind: private-app
      tier: ${q(options.tier ?? 'professional')}
    mapping:
      customers:
        classification: { property: lifecyclestage, value: customer }
    schedule:
      every: ${q(options.every ?? '1m')}
`;
}
