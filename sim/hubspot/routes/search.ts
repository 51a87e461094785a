import { validationError } from '../errors.js';
import { QUERY_PROPERTIES } from '../object-types.js';
import { objectTypeParam, type RouteContext, type RouteResult, type SimRoute } from '../route-types.js';
import { parseBody, searchBody } from '../schemas.js';
import { checkFilterLimits, matchesGroups, matchesQuery, parseSorts, sortResults } from '../search.js';
import { readProperties } from '../serialize.js';

function search(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const body = parseBody(searchBody, ctx.body);
  const limits = state.settings.searchLimits;
  const limit = body.limit ?? 10;
  if (limit < 0 || limit > limits.maxLimit) {
    throw validationError(`limit must be between 0 and ${limits.maxLimit}; got ${limit}.`);
  }
  if (body.query !== undefined && body.query.length > 3000) {
    throw validationError('The search query string may be at most 3000 characters.');
  }
  const after = body.after === undefined || body.after === '' ? 0 : Number(body.after);
  if (!Number.isInteger(after) || after < 0)
    throw validationError(`Invalid after value: ${String(body.after)}`);
  if (after + limit > limits.maxResults) {
    throw validationError(
      `The search endpoints are limited to ${limits.maxResults} total results for any given query; after + limit (${after + limit}) is beyond that.`,
      { subCategory: 'SEARCH_RESULT_LIMIT_EXCEEDED' },
    );
  }
  checkFilterLimits(body.filterGroups, limits);
  const sorts = parseSorts(body.sorts);
  const typeOf = (name: string) => state.properties.get(type, name)?.type;
  const now = state.now();
  const rows: {
    id: string;
    props: Readonly<Record<string, string>>;
    createdAt: number;
    updatedAt: number;
  }[] = [];
  for (const record of state.objects.all(type)) {
    const view = state.objects.searchView(record, now);
    if (!view || view.archived) continue;
    if (!matchesGroups(view.properties, body.filterGroups, typeOf)) continue;
    if (body.query && !matchesQuery(view.properties, body.query, QUERY_PROPERTIES[type])) continue;
    rows.push({
      id: record.id,
      props: view.properties,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
  }
  sortResults(rows, sorts[0], typeOf);
  const page = rows.slice(after, after + limit);
  const requested = body.properties && body.properties.length > 0 ? body.properties : undefined;
  const results = page.map((row) => ({
    id: row.id,
    properties: readProperties(state, type, row.props, requested),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    archived: false,
  }));
  const responseBody: Record<string, unknown> = { total: rows.length, results };
  const next = after + page.length;
  if (next < rows.length && page.length > 0) responseBody['paging'] = { next: { after: String(next) } };
  return { status: 200, body: responseBody };
}

/** `POST /crm/v3/objects/{type}/search` (url and scopes filled in by the object routes). */
export const searchRoute: Omit<SimRoute, 'url'> = {
  method: 'POST',
  auth: 'api',
  rate: 'search',
  handler: search,
};
