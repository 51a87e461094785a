import { z } from 'zod';

/**
 * Defensive parsing of HubSpot error bodies. The docs say every field "should be treated as optional",
 * `context` values are arrays of strings, and property-level detail is a JSON array embedded as text in
 * `message` ("Property values were not valid: [{…}]"). Nothing here throws.
 */

const detailSchema = z.looseObject({
  message: z.string().optional(),
  code: z.string().optional(),
  in: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});

const errorBodySchema = z.looseObject({
  status: z.unknown().optional(),
  message: z.string().optional(),
  category: z.string().optional(),
  subCategory: z.unknown().optional(),
  correlationId: z.string().optional(),
  errorType: z.string().optional(),
  policyName: z.string().optional(),
  error: z.string().optional(),
  id: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

export interface HubSpotErrorBody {
  message?: string;
  category?: string;
  correlationId?: string;
  errorType?: string;
  policyName?: string;
  /** Top-level `error` code some bodies carry (UNCONFIRMED for HubSpot itself). */
  error?: string;
  /** `context` with every value coerced to a string array. */
  context: Record<string, string[]>;
  details: { message?: string; code?: string; context: Record<string, string[]> }[];
}

export interface PropertyValueError {
  /** Inner code such as INVALID_EMAIL, INVALID_OPTION, PROPERTY_DOESNT_EXIST. */
  code?: string;
  /** The property the value was for (sometimes missing). */
  name?: string;
  message?: string;
}

function toStringArrays(record: Record<string, unknown> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!record) return out;
  for (const [key, value] of Object.entries(record)) {
    if (Array.isArray(value)) out[key] = value.filter((v) => v !== null && v !== undefined).map(String);
    else if (value !== null && value !== undefined && typeof value !== 'object') out[key] = [String(value)];
  }
  return out;
}

/** Parses a body (already JSON-decoded, or raw text) into the fields the client reads. */
export function parseErrorBody(body: unknown): HubSpotErrorBody {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return { message: body.slice(0, 500), context: {}, details: [] };
    }
  }
  const parsed = errorBodySchema.safeParse(value);
  if (!parsed.success) return { context: {}, details: [] };
  const data = parsed.data;
  const details = (data.errors ?? []).flatMap((item) => {
    const detail = detailSchema.safeParse(item);
    if (!detail.success) return [];
    return [
      {
        ...(detail.data.message === undefined ? {} : { message: detail.data.message }),
        ...(detail.data.code === undefined ? {} : { code: detail.data.code }),
        context: toStringArrays(detail.data.context),
      },
    ];
  });
  return {
    ...(data.message === undefined ? {} : { message: data.message }),
    ...(data.category === undefined ? {} : { category: data.category }),
    ...(data.correlationId === undefined ? {} : { correlationId: data.correlationId }),
    ...(data.errorType === undefined ? {} : { errorType: data.errorType }),
    ...(data.policyName === undefined ? {} : { policyName: data.policyName }),
    ...(data.error === undefined ? {} : { error: data.error }),
    context: toStringArrays(data.context),
    details,
  };
}

const innerErrorSchema = z.looseObject({
  error: z.string().optional(),
  name: z.string().optional(),
  message: z.string().optional(),
});

/**
 * Extracts the per-property errors embedded as a JSON array in a validation message. Tolerates a
 * missing array, trailing text, a single object instead of an array, and unparseable text (→ []).
 */
export function parsePropertyErrors(message: string | undefined): PropertyValueError[] {
  if (!message) return [];
  const start = message.search(/[[{]/);
  if (start < 0) return [];
  const candidates = [message.slice(start)];
  const lastBracket = Math.max(message.lastIndexOf(']'), message.lastIndexOf('}'));
  if (lastBracket > start) candidates.push(message.slice(start, lastBracket + 1));
  for (const text of candidates) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    const items = Array.isArray(value) ? value : [value];
    return items.flatMap((item) => {
      const parsed = innerErrorSchema.safeParse(item);
      if (!parsed.success) return [];
      const out: PropertyValueError = {};
      if (parsed.data.error !== undefined) out.code = parsed.data.error;
      if (parsed.data.name !== undefined) out.name = parsed.data.name;
      if (parsed.data.message !== undefined) out.message = parsed.data.message;
      return [out];
    });
  }
  return [];
}

/** Missing scopes from a 403 body: `requiredGranularScopes`, older `requiredScopes`, or `missingScopes`. */
export function extractMissingScopes(body: HubSpotErrorBody): string[] {
  const keys = ['requiredGranularScopes', 'requiredScopes', 'missingScopes'];
  const scopes = new Set<string>();
  const contexts = [body.context, ...body.details.map((d) => d.context)];
  for (const context of contexts) {
    for (const key of keys) for (const scope of context[key] ?? []) scopes.add(scope);
  }
  return [...scopes];
}

/** True when a 429 body names the daily policy. */
export function isDailyLimit(body: HubSpotErrorBody): boolean {
  return body.policyName === 'DAILY' || /daily limit/i.test(body.message ?? '');
}

/** True when a 400 says the upsert key is not a unique property ("non-unique 0-2 property X"). */
export function isNonUniqueIdPropertyError(body: HubSpotErrorBody): boolean {
  return /non-unique .*property/i.test(body.message ?? '');
}

/** The first inner property error code (or the top-level `error`) for per-record reports. */
export function primaryErrorCode(body: HubSpotErrorBody): string | undefined {
  const inner = parsePropertyErrors(body.message);
  return (
    inner.find((e) => e.code !== undefined)?.code ?? body.error ?? body.details.find((d) => d.code)?.code
  );
}
