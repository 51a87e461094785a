/** Every input the server accepts (path params, query strings, bodies), validated with zod. */
import { z } from 'zod';

const ACTIONS = ['created', 'updated', 'unchanged', 'failed', 'skipped', 'archived'] as const;

export const connectionIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a connection id: lower-case letters, digits and dashes');
export const numericIdSchema = z.string().regex(/^[1-9][0-9]{0,15}$/, 'a positive whole number');

export const connectionParams = z.strictObject({ id: connectionIdSchema });
export const runParams = z.strictObject({ runId: numericIdSchema });

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

export const runsQuery = z.strictObject({
  connection: connectionIdSchema.optional(),
  limit: limit(500, 50),
  before: numericIdSchema.optional(),
});

export const batchesQuery = z.strictObject({ run: numericIdSchema });

export const failuresQuery = z.strictObject({
  connection: connectionIdSchema.optional(),
  limit: limit(500, 50),
});

/** One action, or several as `action=failed&action=updated` or `action=failed,updated`. */
const actionsSchema = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    const list = (Array.isArray(value) ? value : [value])
      .flatMap((v) => v.split(','))
      .filter((v) => v !== '');
    const parsed = z.array(z.enum(ACTIONS)).safeParse(list);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: `actions are ${ACTIONS.join(', ')}` });
      return z.NEVER;
    }
    return parsed.data.length === 0 ? undefined : parsed.data;
  });

export const auditQuery = z.strictObject({
  connection: connectionIdSchema.optional().or(z.literal('').transform(() => undefined)),
  run: numericIdSchema.optional(),
  batch: numericIdSchema.optional(),
  sourceId: optionalText(300),
  hubspotId: optionalText(64),
  label: optionalText(200),
  action: actionsSchema,
  limit: limit(1000, 100),
  cursor: z
    .string()
    .regex(/^[ad][0-9a-z]{1,12}$/, 'a cursor from a previous page')
    .optional(),
});

/** The dashboard's single search box: what was typed and which field it is meant for. */
export const dashboardAuditQuery = z.strictObject({
  q: optionalText(300),
  field: z.enum(['any', 'sourceId', 'label', 'hubspotId']).default('any'),
  connection: connectionIdSchema.optional().or(z.literal('').transform(() => undefined)),
  run: numericIdSchema.optional(),
  action: actionsSchema,
  cursor: z
    .string()
    .regex(/^[ad][0-9a-z]{1,12}$/)
    .optional(),
  notice: z.string().max(40).optional(),
});

export const replayBody = z.union([
  z.strictObject({ batchId: z.union([numericIdSchema, z.number().int().positive().transform(String)]) }),
  z.strictObject({ runId: z.union([numericIdSchema, z.number().int().positive().transform(String)]) }),
  z.strictObject({ allFailed: z.literal(true) }),
]);

/** The dashboard's replay form: `target=batch&id=12`, `target=run&id=3` or `target=all`. */
export const replayForm = z.discriminatedUnion('target', [
  z.strictObject({ target: z.literal('batch'), id: numericIdSchema, _csrf: z.string().optional() }),
  z.strictObject({ target: z.literal('run'), id: numericIdSchema, _csrf: z.string().optional() }),
  z.strictObject({ target: z.literal('all'), _csrf: z.string().optional() }),
]);

/**
 * A connection's settings for POST/PUT: any JSON object here; the config schema then checks it as part of
 * the whole file and answers 422 with every problem.
 */
export const connectionBody = z.record(z.string(), z.unknown(), {
  error: 'a JSON object with the connection settings (id, epicor, hubspot, schedule, …)',
});

/** `DELETE /api/connections/:id?purge=true` also deletes what the store holds for the connection. */
export const removeConnectionQuery = z.strictObject({
  purge: z
    .enum(['true', 'false', '1', '0'], { error: 'purge is true or false' })
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

export const emptyForm = z.strictObject({ _csrf: z.string().optional() });
export const emptyJson = z.union([z.strictObject({}), z.undefined(), z.null()]);

export const loginForm = z.strictObject({
  token: z.string().min(1).max(500),
  _csrf: z.string().optional(),
  next: z.string().max(500).optional(),
});

export const noticeQuery = z.object({ notice: z.string().max(40).optional() }).loose();
