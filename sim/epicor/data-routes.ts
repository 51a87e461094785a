import type { AuthService } from './auth.js';
import { baqFields, baqRows, findBaq, rowIdent } from './baq.js';
import { bindToParent, type ChildFilterQuirk, parentOf, quirkApplies } from './child-filter-quirk.js';
import type { EpicorStore, StoredRow, Table } from './data/store.js';
import { apiNotFound, EpicorHttpError, ERROR_TYPES } from './errors.js';
import { parseKey, parseSegment } from './key-predicate.js';
import { metadataXml, serviceDocument } from './metadata.js';
import { ODataQueryError } from './odata/errors.js';
import {
  type CompiledQuery,
  compileQuery,
  type QueryTarget,
  type RowSource,
  runQuery,
} from './odata/query.js';
import { RowSerializer } from './odata/serialize.js';
import type { QueryRow } from './odata/values.js';
import type { ResolvedOptions } from './options.js';
import {
  ENTITY_SETS,
  type EntitySetDef,
  type EntitySetName,
  type FieldDef,
  fieldsOf,
  isEntitySetName,
  isServiceName,
  qualifiedRowType,
  SERVICES,
} from './schema.js';

/** One request under `/{instance}/api/v2/odata/{Company}/…`, already split and decoded. */
export interface DataRequest {
  method: string;
  company: string;
  /** Decoded path segments after the company. */
  segments: readonly string[];
  query: ReadonlyMap<string, string>;
  apiKey: string | undefined;
  authorization: string | undefined;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE =
  'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
const ODATA_HEADERS = { 'OData-Version': '4.0' };

function json(body: string): HttpAnswer {
  return { status: 200, headers: { 'Content-Type': JSON_TYPE, ...ODATA_HEADERS }, body };
}

export class DataRoutes {
  readonly #store: EpicorStore;
  readonly #auth: AuthService;
  readonly #options: ResolvedOptions;
  readonly #tenantUrl: string;
  readonly #targets = new Map<string, QueryTarget>();
  readonly #serializers = new Map<string, RowSerializer>();
  readonly #quirk: () => ChildFilterQuirk | undefined;

  constructor(
    store: EpicorStore,
    auth: AuthService,
    options: ResolvedOptions,
    tenantUrl: string,
    childFilterQuirk: () => ChildFilterQuirk | undefined = () => options.childFilterQuirk,
  ) {
    this.#store = store;
    this.#auth = auth;
    this.#options = options;
    this.#tenantUrl = tenantUrl;
    this.#quirk = childFilterQuirk;
  }

  /** Authorization and API key, in that order; returns the user. Throws the matching 401. */
  authenticate(request: DataRequest): string {
    if (!request.authorization) this.#auth.authenticate(undefined);
    this.#auth.checkApiKey(request.apiKey, request.company);
    return this.#auth.authenticate(request.authorization);
  }

  handle(request: DataRequest, username: string): HttpAnswer {
    if (request.method !== 'GET') {
      throw new EpicorHttpError(
        405,
        ERROR_TYPES.api,
        `The requested resource does not support http method '${request.method}'.`,
      );
    }
    const [service = '', ...rest] = request.segments;
    const tables = this.#store.tables(request.company);
    if (!tables) throw apiNotFound(`Company ${request.company} is not valid.`);
    const serviceUrl = `${this.#tenantUrl}/api/v2/odata/${encodeURIComponent(request.company)}/${service}`;
    if (service === 'BaqSvc')
      return this.#baq(request, rest, serviceUrl, username, tables.Vendors, tables.Customers);
    if (!isServiceName(service)) throw apiNotFound(`Service "${service}" is not found.`);
    if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
      return json(serviceDocument(service, serviceUrl));
    }
    if (rest.length === 1 && rest[0] === '$metadata') {
      return {
        status: 200,
        headers: { 'Content-Type': 'application/xml; charset=utf-8', ...ODATA_HEADERS },
        body: metadataXml(service, this.#options.updatedOnColumn, this.#options.missingColumns),
      };
    }
    const { name, keyText } = parseSegment(rest[0] ?? '');
    if (!isEntitySetName(name) || !SERVICES[service].includes(name)) {
      throw apiNotFound(`Resource "${name}" is not found in service "${service}".`);
    }
    const def = ENTITY_SETS[name];
    const table = tables[name];
    const context = `${serviceUrl}/$metadata#`;
    if (keyText === undefined) {
      if (rest.length > 1)
        throw apiNotFound(`Resource "${rest.join('/')}" is not found in service "${service}".`);
      this.#auth.checkAccess(username, service, def.bo, 'GetRows');
      const target = this.#target(name);
      const quirk = this.#quirk();
      const filter = request.query.get('$filter');
      const parent = parentOf(name);
      if (parent && quirkApplies(quirk, name, filter)) {
        // Reference §3.5: the filter is bound to the parent type; the answer is empty or a 400.
        bindToParent(filter ?? '', this.#target(parent.name), quirk.mode);
        const others = new Map([...request.query].filter(([option]) => option !== '$filter'));
        const query = compileQuery(others, target);
        const empty: readonly StoredRow[] = [];
        return this.#collection(
          `${context}${name}${selectSuffix(query)}`,
          table,
          empty,
          target,
          query,
          this.#options.defaultTop,
          tables,
        );
      }
      const query = compileQuery(request.query, target);
      return this.#collection(
        `${context}${name}${selectSuffix(query)}`,
        table,
        {
          rows: table.rows,
          leadingKey: def.keys[1] as string,
          sortedBy: (column, compare) => table.sortedBy(column, compare),
        },
        target,
        query,
        this.#options.defaultTop,
        tables,
      );
    }
    const key = parseKey(keyText, def, table.fieldMap);
    this.#auth.checkAccess(username, service, def.bo, 'GetByID');
    const row = table.get(key);
    if (!row || key['Company'] !== request.company) {
      throw new EpicorHttpError(404, ERROR_TYPES.notFound, `${def.rowType.replace(/Row$/, '')} not found.`);
    }
    if (rest.length === 1) {
      const target = this.#target(name);
      const query = compileQuery(request.query, target);
      const body = this.#renderRow(
        row,
        table,
        query,
        tables,
        `"@odata.context":${JSON.stringify(`${context}${name}/$entity`)}`,
      );
      return json(body);
    }
    const navigation = def.navigations.find((nav) => nav.name === rest[1]);
    if (!navigation || rest.length > 2) {
      throw new ODataQueryError(
        `Could not find a property named '${rest[1] ?? ''}' on type '${qualifiedRowType(def)}'.`,
      );
    }
    const childTable = tables[navigation.target];
    const target = this.#target(navigation.target);
    const query = compileQuery(request.query, target);
    const children = this.#children(def, row, childTable);
    return this.#collection(
      `${context}${navigation.target}${selectSuffix(query)}`,
      childTable,
      children,
      target,
      query,
      this.#options.defaultTop,
      tables,
    );
  }

  #children(def: EntitySetDef, parent: StoredRow, childTable: Table): readonly StoredRow[] {
    const column = def.keys[1] as string;
    return childTable.group(column, parent.values[column] ?? null);
  }

  #collection(
    context: string,
    table: Table,
    rows: RowSource<StoredRow> | readonly StoredRow[],
    target: QueryTarget,
    query: CompiledQuery,
    defaultTop: number,
    tables: Readonly<Record<EntitySetName, Table>>,
  ): HttpAnswer {
    const result = runQuery(rows, query, target, defaultTop);
    const items = result.rows.map((row) => this.#renderRow(row, table, query, tables));
    const count = result.count === undefined ? '' : `"@odata.count":${result.count},`;
    return json(`{"@odata.context":${JSON.stringify(context)},${count}"value":[${items.join(',')}]}`);
  }

  #renderRow(
    row: StoredRow,
    table: Table,
    query: CompiledQuery,
    tables: Readonly<Record<EntitySetName, Table>>,
    prefix?: string,
  ): string {
    const serializer = this.#serializer(table.def.name, table.fields);
    const expansions = query.expand.map((expand) => {
      const nav = table.def.navigations.find((n) => n.name === expand.navigation);
      if (!nav) throw new ODataQueryError(`Could not find a property named '${expand.navigation}'.`);
      const childTable = tables[nav.target];
      const children = this.#children(table.def, row, childTable);
      const result = runQuery(children, expand.query, this.#target(nav.target), Number.MAX_SAFE_INTEGER);
      const items = result.rows.map((child) => this.#renderRow(child, childTable, expand.query, tables));
      const count =
        result.count === undefined ? '' : `${JSON.stringify(`${nav.name}@odata.count`)}:${result.count},`;
      return `${count}${JSON.stringify(nav.name)}:[${items.join(',')}]`;
    });
    const extra = [prefix, ...expansions].filter((part) => part !== undefined && part !== '').join(',');
    const body = serializer.render(row.values, query.select ?? table.fields.map((f) => f.name));
    if (extra === '') return body;
    // The context annotation goes first, expansions last.
    const inner = body.slice(1, -1);
    const head = prefix ? `${prefix}${inner ? ',' : ''}` : '';
    const tail = expansions.length > 0 ? `${inner || head ? ',' : ''}${expansions.join(',')}` : '';
    return `{${head}${inner}${tail}}`;
  }

  #serializer(name: string, fields: readonly FieldDef[]): RowSerializer {
    let serializer = this.#serializers.get(name);
    if (!serializer) {
      serializer = new RowSerializer(fields);
      this.#serializers.set(name, serializer);
    }
    return serializer;
  }

  #target(name: EntitySetName): QueryTarget {
    const cached = this.#targets.get(name);
    if (cached) return cached;
    const def = ENTITY_SETS[name];
    const navigations = new Map<string, QueryTarget>();
    for (const nav of def.navigations) navigations.set(nav.name, this.#target(nav.target));
    const fieldList = fieldsOf(def, this.#options.updatedOnColumn, this.#options.missingColumns[name]);
    const target: QueryTarget = {
      qualifiedType: qualifiedRowType(def),
      fields: new Map(fieldList.map((f) => [f.name, f])),
      fieldList,
      navigations,
      timeZone: this.#options.timeZone,
      dateTimeLiterals: this.#options.dateTimeLiterals,
      stringComparison: this.#options.stringComparison,
    };
    this.#targets.set(name, target);
    return target;
  }

  #baq(
    request: DataRequest,
    rest: readonly string[],
    serviceUrl: string,
    username: string,
    vendors: Table,
    customers: Table,
  ): HttpAnswer {
    const [id = '', data, ...more] = rest;
    const baq = findBaq(id);
    if (!baq) throw apiNotFound(`BAQ "${id}" is not found.`);
    this.#auth.checkAccess(username, 'BaqSvc', `BaqSvc/${id}`, 'Execute');
    if (data === undefined || data === '') {
      return json(
        JSON.stringify({
          '@odata.context': `${serviceUrl}/${id}/$metadata`,
          value: [{ name: 'Data', kind: 'EntitySet', url: 'Data' }],
        }),
      );
    }
    if (data !== 'Data' || more.length > 0) throw apiNotFound(`Resource "${rest.join('/')}" is not found.`);
    const source = baq.source === 'Vendors' ? vendors : customers;
    const fields = baqFields(baq, source);
    const target: QueryTarget = {
      qualifiedType: `Ice.Tablesets.${id}Row`,
      fields: new Map(fields.map((f) => [f.name, f])),
      fieldList: fields,
      navigations: new Map(),
      timeZone: this.#options.timeZone,
      dateTimeLiterals: this.#options.dateTimeLiterals,
      stringComparison: this.#options.stringComparison,
    };
    // BAQ parameters (non-$ query names) are accepted and ignored: these BAQs declare none.
    const options = new Map([...request.query].filter(([name]) => name.startsWith('$')));
    const query = compileQuery(options, target);
    if (query.expand.length > 0) throw new ODataQueryError('$expand is not supported on BAQ results.');
    const result = runQuery<QueryRow>(baqRows(baq, source), query, target, this.#options.defaultTop);
    const serializer = new RowSerializer(fields);
    const items = result.rows.map((row, i) =>
      serializer.render({ ...row.values, RowIdent: rowIdent(query.skip + i + 1) }, query.select),
    );
    const count = result.count === undefined ? '' : `"@odata.count":${result.count},`;
    const context = `${serviceUrl}/${id}/$metadata#Data${selectSuffix(query)}`;
    return json(`{"@odata.context":${JSON.stringify(context)},${count}"value":[${items.join(',')}]}`);
  }
}

function selectSuffix(query: CompiledQuery): string {
  const parts = [...(query.select ?? []), ...query.expand.map((e) => `${e.navigation}()`)];
  return query.select === undefined && query.expand.length === 0 ? '' : `(${parts.join(',')})`;
}
