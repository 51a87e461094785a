/**
 * HubSpot side of `ping`: reachability, authentication, the scopes the connector needs (probed with
 * harmless calls: reads, an empty batch update, an empty property-group patch — a 403 MISSING_SCOPES
 * means the scope is absent, any other answer that it is granted), and the connector's properties
 * (present, unique where needed, of the right type, with our enumeration options).
 */
import type { HubSpotClient, PropertyDefinition } from '../../hubspot/index.js';
import { HubSpotAuthError, HubSpotError, HubSpotScopesError } from '../../hubspot/index.js';
import { checkProperty, existingPropertySchema } from '../../hubspot/properties.js';
import type { HubSpotObjectType } from '../../sync/model.js';
import type { PingCheck } from './types.js';

export interface PropertyState {
  readonly objectType: HubSpotObjectType;
  readonly name: string;
  readonly state: 'ok' | 'missing' | 'not-unique' | 'wrong-type' | 'missing-options' | 'not-checked';
  readonly detail?: string;
}

export interface HubSpotPingReport {
  readonly baseUrl: string;
  readonly authKind: string;
  readonly checks: readonly PingCheck[];
  readonly properties: readonly PropertyState[];
}

type Outcome = { readonly kind: 'ok' } | { readonly kind: 'error'; readonly error: unknown };

async function call(
  client: HubSpotClient,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<Outcome> {
  try {
    await client.http.request({
      method,
      path,
      ...(body === undefined ? {} : { body }),
      ...(signal ? { signal } : {}),
    });
    return { kind: 'ok' };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { kind: 'error', error };
  }
}

const isNetwork = (error: unknown): boolean => error instanceof HubSpotError && error.status === undefined;
/**
 * An answer that says nothing about scopes: no answer, 401, rate limits, server errors. Anything else
 * (2xx, 400 validation, 404) got past HubSpot's scope check.
 */
const inconclusive = (error: unknown): boolean =>
  !(error instanceof HubSpotError) ||
  error.status === undefined ||
  error.status === 401 ||
  error.status === 429 ||
  error.status === 423 ||
  error.status >= 500 ||
  error instanceof HubSpotAuthError;
const codeOf = (error: unknown): string => (error instanceof HubSpotError ? error.code : 'ERR_UNEXPECTED');
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

interface ScopeProbe {
  readonly scope: string;
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly path: string;
  readonly body?: unknown;
}

function probes(group: string): ScopeProbe[] {
  const list: ScopeProbe[] = [];
  for (const object of ['companies', 'contacts'] as const) {
    list.push({
      scope: `crm.objects.${object}.read`,
      method: 'GET',
      path: `/crm/v3/objects/${object}?limit=1`,
    });
    list.push({
      scope: `crm.objects.${object}.write`,
      method: 'POST',
      path: `/crm/v3/objects/${object}/batch/update`,
      body: { inputs: [] },
    });
  }
  for (const object of ['companies', 'contacts'] as const) {
    const groupPath = `/crm/v3/properties/${object}/groups/${encodeURIComponent(group)}`;
    list.push({ scope: `crm.schemas.${object}.read`, method: 'GET', path: groupPath });
    list.push({ scope: `crm.schemas.${object}.write`, method: 'PATCH', path: groupPath, body: {} });
  }
  return list;
}

const SCOPE_FIX =
  'add the missing scopes to the private app (HubSpot → Settings → Integrations → Private Apps → Scopes) or re-authorise the OAuth app with them, then store the new token with `ml-connector credentials set hubspot`';

/** Merges the client's default definitions with the mapping's (same object+name: the mapping's wins). */
export function allDefinitions(
  client: HubSpotClient,
  extra: readonly PropertyDefinition[],
): PropertyDefinition[] {
  const byKey = new Map<string, PropertyDefinition>();
  for (const d of [...client.defaultPropertyDefinitions(), ...extra])
    byKey.set(`${d.objectType}.${d.name}`, d);
  return [...byKey.values()];
}

async function propertyState(
  client: HubSpotClient,
  definition: PropertyDefinition,
  signal?: AbortSignal,
): Promise<PropertyState> {
  const base = { objectType: definition.objectType, name: definition.name };
  let body: unknown;
  try {
    const response = await client.http.request({
      method: 'GET',
      path: `/crm/v3/properties/${definition.objectType}/${encodeURIComponent(definition.name)}`,
      ...(signal ? { signal } : {}),
    });
    body = response.body;
  } catch (error) {
    if (signal?.aborted) throw error;
    if (error instanceof HubSpotError && error.status === 404) return { ...base, state: 'missing' };
    return { ...base, state: 'not-checked', detail: codeOf(error) };
  }
  const parsed = existingPropertySchema.safeParse(body);
  if (!parsed.success) return { ...base, state: 'not-checked', detail: 'unreadable definition' };
  if (parsed.data.archived === true) return { ...base, state: 'missing', detail: 'archived' };
  const check = checkProperty(definition, parsed.data);
  switch (check.kind) {
    case 'ok':
      return { ...base, state: 'ok' };
    case 'not-unique':
      return { ...base, state: 'not-unique', detail: 'hasUniqueValue is false' };
    case 'wrong-type':
      return {
        ...base,
        state: 'wrong-type',
        detail: `is ${check.actual}, needs ${definition.type}/${definition.fieldType}`,
      };
    case 'missing-options':
      return { ...base, state: 'missing-options' };
  }
}

function propertyChecks(states: readonly PropertyState[], connectionId: string): PingCheck[] {
  const checks: PingCheck[] = [];
  for (const objectType of ['companies', 'contacts'] as const) {
    const mine = states.filter((s) => s.objectType === objectType);
    if (mine.length === 0) continue;
    const name = `properties:${objectType}`;
    const list = (state: PropertyState['state']) =>
      mine.filter((s) => s.state === state).map((s) => (s.detail ? `${s.name} (${s.detail})` : s.name));
    const broken = [...list('not-unique'), ...list('wrong-type')];
    const missing = list('missing');
    const options = list('missing-options');
    const unchecked = list('not-checked');
    if (broken.length > 0) {
      checks.push({
        name,
        status: 'fail',
        code: 'ERR_HUBSPOT_PROPERTY',
        message: `incompatible: ${broken.join(', ')}`,
        fix: "HubSpot cannot change a property's type or make it unique: archive or rename it in HubSpot (Settings → Properties), then run `ml-connector setup`",
      });
    } else if (unchecked.length > 0) {
      checks.push({ name, status: 'skip', message: `not checked: ${unchecked.join(', ')}` });
    } else if (missing.length > 0 || options.length > 0) {
      checks.push({
        name,
        status: 'warn',
        message: [
          missing.length > 0 ? `not created yet: ${missing.join(', ')}` : '',
          options.length > 0 ? `missing options: ${options.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
        fix: `run \`ml-connector setup --connection ${connectionId}\` (a sync also creates them)`,
      });
    } else {
      checks.push({ name, status: 'pass', message: `${mine.length} properties present and compatible` });
    }
  }
  return checks;
}

export async function checkHubSpot(
  client: HubSpotClient,
  options: {
    readonly definitions: readonly PropertyDefinition[];
    readonly connectionId: string;
    readonly signal?: AbortSignal;
  },
): Promise<HubSpotPingReport> {
  const report = (checks: PingCheck[], properties: PropertyState[] = []): HubSpotPingReport => ({
    baseUrl: client.config.baseUrl,
    authKind: client.config.auth.kind,
    checks,
    properties,
  });
  const connectionFix = `store a valid one with \`ml-connector credentials set hubspot --connection ${options.connectionId}\``;
  const list = probes(client.config.propertyGroup.name);
  const [first, ...rest] = list;
  if (first === undefined) return report([]);
  const checks: PingCheck[] = [];
  const firstOutcome = await call(client, first.method, first.path, first.body, options.signal);
  if (firstOutcome.kind === 'error' && isNetwork(firstOutcome.error)) {
    return report([
      {
        name: 'reachability',
        status: 'fail',
        code: codeOf(firstOutcome.error),
        message: messageOf(firstOutcome.error),
        fix: `check hubspot.baseUrl (${client.config.baseUrl}), DNS, proxy and firewall from this host`,
      },
      { name: 'auth', status: 'skip', message: 'not checked: HubSpot did not answer' },
    ]);
  }
  checks.push({ name: 'reachability', status: 'pass', message: `${client.config.baseUrl} answered` });
  if (firstOutcome.kind === 'error' && firstOutcome.error instanceof HubSpotAuthError) {
    checks.push({
      name: 'auth',
      status: 'fail',
      code: codeOf(firstOutcome.error),
      message: messageOf(firstOutcome.error),
      fix:
        client.config.auth.kind === 'oauth'
          ? `check hubspot.auth.clientId and the stored client secret and refresh token; ${connectionFix}`
          : `the access token is wrong, revoked or from another portal; ${connectionFix}`,
    });
    return report(checks);
  }
  if (
    firstOutcome.kind === 'error' &&
    !(firstOutcome.error instanceof HubSpotScopesError) &&
    inconclusive(firstOutcome.error)
  ) {
    checks.push({
      name: 'auth',
      status: 'skip',
      code: codeOf(firstOutcome.error),
      message: `not confirmed: ${messageOf(firstOutcome.error)}`,
    });
  } else {
    checks.push({ name: 'auth', status: 'pass', message: `${client.config.auth.kind} token accepted` });
  }

  const scopeResults: { probe: ScopeProbe; outcome: Outcome }[] = [{ probe: first, outcome: firstOutcome }];
  for (const probe of rest) {
    scopeResults.push({
      probe,
      outcome: await call(client, probe.method, probe.path, probe.body, options.signal),
    });
  }
  const schemaReadMissing = new Set<string>();
  for (const { probe, outcome } of scopeResults) {
    const name = `scope:${probe.scope}`;
    if (outcome.kind === 'error' && outcome.error instanceof HubSpotScopesError) {
      if (probe.scope.startsWith('crm.schemas.') && probe.scope.endsWith('.read'))
        schemaReadMissing.add(probe.scope);
      const said =
        outcome.error.missingScopes.length > 0
          ? ` (HubSpot asked for ${outcome.error.missingScopes.join(' or ')})`
          : '';
      checks.push({
        name,
        status: 'fail',
        code: outcome.error.code,
        message: `not granted${said}`,
        fix: SCOPE_FIX,
      });
    } else if (outcome.kind === 'error' && inconclusive(outcome.error)) {
      checks.push({
        name,
        status: 'skip',
        code: codeOf(outcome.error),
        message: `not confirmed: ${messageOf(outcome.error)}`,
      });
    } else {
      checks.push({ name, status: 'pass', message: 'granted' });
    }
  }

  const states: PropertyState[] = [];
  for (const definition of options.definitions) {
    if (schemaReadMissing.has(`crm.schemas.${definition.objectType}.read`)) {
      states.push({
        objectType: definition.objectType,
        name: definition.name,
        state: 'not-checked',
        detail: 'no schema read scope',
      });
      continue;
    }
    states.push(await propertyState(client, definition, options.signal));
  }
  checks.push(...propertyChecks(states, options.connectionId));
  return report(checks, states);
}
