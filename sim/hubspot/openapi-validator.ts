import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Validates HTTP bodies against HubSpot's official OpenAPI specs (copied in `sim/hubspot/openapi/`,
 * provenance in its SOURCES.txt). Used by the simulator's conformance tests and by the client's tests
 * to check the REQUESTS it sends. OpenAPI 3.0 schemas are converted to JSON Schema (`nullable`,
 * `#/components/schemas` refs, vendor keywords) and a small, documented relaxation list is applied.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface SchemaValidationResult {
  valid: boolean;
  /** The spec path template and schema that were used, e.g. `POST /crm/v3/objects/companies/batch/upsert → 200`. */
  matched?: string;
  errors: string[];
}

/**
 * Where the specs are wrong for real traffic (reference §8). Each entry names a component schema and
 * what is changed; nothing else is relaxed.
 */
export const RELAXATIONS: readonly { schema: string; change: string; apply: (s: JsonObject) => void }[] = [
  {
    schema: 'PublicObjectSearchRequest',
    change:
      'nothing required (spec requires after, filterGroups, limit, properties, sorts); sorts items may be strings or {propertyName, direction}',
    apply: (s) => {
      s['required'] = [];
      const props = s['properties'] as JsonObject | undefined;
      if (props?.['sorts']) {
        props['sorts'] = {
          type: 'array',
          items: {
            anyOf: [
              { type: 'string' },
              {
                type: 'object',
                required: ['propertyName'],
                properties: {
                  propertyName: { type: 'string' },
                  direction: { type: 'string', enum: ['ASCENDING', 'DESCENDING'] },
                },
              },
            ],
          },
        };
      }
    },
  },
  {
    schema: 'BatchReadInputSimplePublicObjectId',
    change: 'only inputs required (spec also requires properties, propertiesWithHistory)',
    apply: (s) => {
      s['required'] = ['inputs'];
    },
  },
  {
    schema: 'SimplePublicObjectInputForCreate',
    change: 'associations optional',
    apply: (s) => {
      s['required'] = ['properties'];
    },
  },
  {
    schema: 'SimplePublicObjectBatchInputForCreate',
    change: 'associations optional',
    apply: (s) => {
      s['required'] = ['properties'];
    },
  },
  {
    schema: 'BatchReadInputPropertyName',
    change: 'only inputs required (spec also requires archived, dataSensitivity)',
    apply: (s) => {
      s['required'] = ['inputs'];
    },
  },
  {
    schema: 'SimplePublicObject, SimplePublicObjectWithAssociations, SimplePublicUpsertObject',
    change: 'property values may be null (HubSpot returns null for requested properties without a value)',
    apply: () => {},
  },
];

const NULLABLE_PROPERTY_SCHEMAS = new Set([
  'SimplePublicObject',
  'SimplePublicObjectWithAssociations',
  'SimplePublicUpsertObject',
]);

const DROP_KEYS = new Set(['example', 'examples', 'xml', 'externalDocs', 'discriminator', 'deprecated']);

/** OpenAPI 3.0 schema → JSON Schema (draft-07 flavour ajv understands). */
function convert(node: Json): Json {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP_KEYS.has(key) || key.startsWith('x-') || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') {
      out[key] = value.replace('#/components/schemas/', '#/definitions/');
      continue;
    }
    out[key] = convert(value);
  }
  if ((node as JsonObject)['nullable'] === true) {
    const t = out['type'];
    if (typeof t === 'string') out['type'] = [t, 'null'];
    else if (out['$ref'] || out['allOf'] || out['oneOf'] || out['anyOf']) {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

interface SpecOperation {
  method: string;
  template: string;
  regex: RegExp;
  literalSegments: number;
  specId: string;
  operation: JsonObject;
}

function findOpenApiDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'sim', 'hubspot', 'openapi');
    if (existsSync(candidate)) return candidate;
    const here = join(dir, 'openapi');
    if (existsSync(join(here, 'SOURCES.txt'))) return here;
    dir = dirname(dir);
  }
  throw new Error('sim/hubspot/openapi not found: the spec copies are needed for validation');
}

export class OpenApiValidator {
  readonly #ajv: InstanceType<typeof AjvModule.default>;
  readonly #operations: SpecOperation[] = [];
  readonly #specs = new Map<string, JsonObject>();
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(dir = findOpenApiDir()) {
    this.#ajv = new AjvModule.default({ strict: false, allErrors: true, logger: false });
    addFormatsModule.default(this.#ajv);
    this.#ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    this.#ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const spec = JSON.parse(readFileSync(join(dir, file), 'utf8')) as JsonObject;
      const specId = `https://sim.invalid/hubspot-openapi/${file}`;
      const components = (spec['components'] ?? {}) as JsonObject;
      const schemas = convert((components['schemas'] ?? {}) as Json) as JsonObject;
      for (const r of RELAXATIONS) {
        const target = schemas[r.schema];
        if (target && typeof target === 'object' && !Array.isArray(target)) r.apply(target);
      }
      for (const name of NULLABLE_PROPERTY_SCHEMAS) {
        const s = schemas[name] as JsonObject | undefined;
        const props = s?.['properties'] as JsonObject | undefined;
        const values = props?.['properties'] as JsonObject | undefined;
        if (values) values['additionalProperties'] = { type: ['string', 'null'] };
      }
      this.#ajv.addSchema({ $id: specId, definitions: schemas });
      this.#specs.set(specId, spec);
      const paths = (spec['paths'] ?? {}) as JsonObject;
      for (const [template, item] of Object.entries(paths)) {
        for (const [method, op] of Object.entries(item as JsonObject)) {
          if (typeof op !== 'object' || op === null || Array.isArray(op)) continue;
          const segments = template.split('/').filter(Boolean);
          const pattern = segments.map((s) =>
            s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
          );
          this.#operations.push({
            method: method.toUpperCase(),
            template,
            regex: new RegExp(`^/${pattern.join('/')}/?$`),
            literalSegments: segments.filter((s) => !s.startsWith('{')).length,
            specId,
            operation: op,
          });
        }
      }
    }
  }

  #find(path: string, method: string): SpecOperation | undefined {
    const clean = path.split('?')[0] ?? path;
    const candidates = this.#operations.filter(
      (o) => o.method === method.toUpperCase() && o.regex.test(clean),
    );
    candidates.sort((a, b) => b.literalSegments - a.literalSegments);
    return candidates[0];
  }

  #resolve(specId: string, node: Json | undefined): JsonObject | undefined {
    let current = node;
    for (let i = 0; i < 5 && current && typeof current === 'object' && !Array.isArray(current); i++) {
      const ref = (current as JsonObject)['$ref'];
      if (typeof ref !== 'string') return current as JsonObject;
      const parts = ref.replace(/^#\//, '').split('/');
      let target: Json | undefined = this.#specs.get(specId) ?? null;
      for (const p of parts) {
        target =
          target && typeof target === 'object' && !Array.isArray(target)
            ? (target as JsonObject)[p]
            : undefined;
      }
      current = target;
    }
    return undefined;
  }

  #validate(
    key: string,
    specId: string,
    schema: Json,
    body: unknown,
    matched: string,
  ): SchemaValidationResult {
    let fn = this.#compiled.get(key);
    if (!fn) {
      fn = this.#ajv.compile(rebaseRefs(convert(schema), specId));
      this.#compiled.set(key, fn);
    }
    const valid = fn(body) === true;
    return {
      valid,
      matched,
      errors: valid
        ? []
        : (fn.errors ?? []).map(
            (e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`,
          ),
    };
  }

  /** Validates a response body for `method path` (concrete or template path) and status. */
  validateResponse(path: string, method: string, status: number, body: unknown): SchemaValidationResult {
    const op = this.#find(path, method);
    if (!op) return { valid: false, errors: [`no spec operation for ${method} ${path}`] };
    const responses = (op.operation['responses'] ?? {}) as JsonObject;
    const statusKey = String(status);
    const response = this.#resolve(
      op.specId,
      responses[statusKey] ?? (status >= 400 ? responses['default'] : undefined),
    );
    const matched = `${method.toUpperCase()} ${op.template} → ${responses[statusKey] ? statusKey : 'default'}`;
    if (!response)
      return { valid: false, matched, errors: [`status ${status} is not declared for ${op.template}`] };
    const content = response['content'] as JsonObject | undefined;
    const media = content
      ? ((content['application/json'] ?? Object.values(content)[0]) as JsonObject)
      : undefined;
    const schema = media?.['schema'];
    if (schema === undefined) {
      const empty = body === undefined || body === null || body === '';
      return { valid: empty, matched, errors: empty ? [] : ['the spec declares no body for this status'] };
    }
    return this.#validate(
      `res:${op.specId}:${method}:${op.template}:${statusKey}`,
      op.specId,
      schema,
      body,
      matched,
    );
  }

  /** Validates a request body for `method path` against the spec's requestBody schema (relaxed). */
  validateRequest(path: string, method: string, body: unknown): SchemaValidationResult {
    const op = this.#find(path, method);
    if (!op) return { valid: false, errors: [`no spec operation for ${method} ${path}`] };
    const requestBody = this.#resolve(op.specId, op.operation['requestBody']);
    const matched = `${method.toUpperCase()} ${op.template} (request)`;
    const content = requestBody?.['content'] as JsonObject | undefined;
    const media = content
      ? ((content['application/json'] ?? Object.values(content)[0]) as JsonObject)
      : undefined;
    const schema = media?.['schema'];
    if (schema === undefined) {
      const empty = body === undefined || body === null || body === '';
      return { valid: empty, matched, errors: empty ? [] : ['the spec declares no request body'] };
    }
    return this.#validate(`req:${op.specId}:${method}:${op.template}`, op.specId, schema, body, matched);
  }
}

function rebaseRefs(node: Json, specId: string): JsonObject {
  const walk = (n: Json): Json => {
    if (Array.isArray(n)) return n.map(walk);
    if (n === null || typeof n !== 'object') return n;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(n)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${specId}${v}` : walk(v);
    }
    return out;
  };
  return walk(node) as JsonObject;
}

let shared: OpenApiValidator | undefined;

function validator(): OpenApiValidator {
  shared ??= new OpenApiValidator();
  return shared;
}

/** Validates a response body against the official spec (shared, lazily built validator). */
export function validateResponse(
  path: string,
  method: string,
  status: number,
  body: unknown,
): SchemaValidationResult {
  return validator().validateResponse(path, method, status, body);
}

/** Validates a request body against the official spec, with the documented relaxations. */
export function validateRequest(path: string, method: string, body: unknown): SchemaValidationResult {
  return validator().validateRequest(path, method, body);
}
