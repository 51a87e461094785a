import { createRequire } from 'node:module';
import { wallMsInZone } from '../data/time.js';
import type { FieldDef } from '../schema.js';
import { ODataQueryError, propertyNotFound } from './errors.js';
import { compareStrings, EDM_TYPES, type QueryRow, type StringComparison } from './values.js';

/**
 * `$filter` → predicate. Parsing is odata-v4-parser's (a maintained OData v4 ABNF parser); this module
 * type-checks the tree against the row type, as Epicor's OData layer does, and compiles it to closures.
 */

interface Token {
  type: string;
  value: unknown;
  raw: string;
}

const require = createRequire(import.meta.url);
const parser = require('odata-v4-parser') as { filter(source: string): Token };

export interface FilterContext {
  /** `Erp.Tablesets.VendorRow`, used in error messages. */
  readonly qualifiedType: string;
  readonly fields: ReadonlyMap<string, FieldDef>;
  /** Zone of naive date/datetime values. */
  readonly timeZone: string;
  /**
   * How a datetime literal with an offset meets a naive column: `tenant-zone` converts the instant to the
   * tenant's wall clock; `ignore-offset` compares the literal's own wall-clock digits. UNCONFIRMED.
   */
  readonly dateTimeLiterals: 'tenant-zone' | 'ignore-offset';
  readonly stringComparison: StringComparison;
}

export type Predicate = (row: QueryRow) => boolean;

/**
 * A top-level conjunct `Column gt|ge literal` (or `literal lt|le Column`): over rows sorted ascending by
 * that column it is false…false,true…true, so the first matching row can be found by binary search.
 */
export interface LowerBound {
  readonly column: string;
  readonly test: Predicate;
}

export interface CompiledFilter {
  readonly predicate: Predicate;
  readonly lowerBounds: readonly LowerBound[];
}

type Category = 'string' | 'guid' | 'number' | 'bigint' | 'bool' | 'time' | 'null';
type Scalar = string | number | bigint | boolean | null;

interface Operand {
  readonly category: Category;
  /** Edm type name for messages. */
  readonly edm: string;
  readonly get: (row: QueryRow) => Scalar;
  /** For integer literals: the exact value, so bigint columns compare without precision loss. */
  readonly exactInteger?: bigint;
  readonly constant: boolean;
}

const COMPARISONS: Record<string, { op: string; kind: string }> = {
  EqualsExpression: { op: 'eq', kind: 'Equal' },
  NotEqualsExpression: { op: 'ne', kind: 'NotEqual' },
  LesserThanExpression: { op: 'lt', kind: 'LessThan' },
  LesserOrEqualsExpression: { op: 'le', kind: 'LessThanOrEqual' },
  GreaterThanExpression: { op: 'gt', kind: 'GreaterThan' },
  GreaterOrEqualsExpression: { op: 'ge', kind: 'GreaterThanOrEqual' },
};

const INTEGER_EDM = new Set(['Edm.SByte', 'Edm.Byte', 'Edm.Int16', 'Edm.Int32', 'Edm.Int64']);
const DECIMAL_EDM = new Set(['Edm.Decimal', 'Edm.Double', 'Edm.Single']);

/** Parses and compiles a `$filter`; throws ODataQueryError (→ HTTP 400) on any problem. */
export function compileFilter(source: string, context: FilterContext): Predicate {
  return compileFilterWithBounds(source, context).predicate;
}

/** Like compileFilter, plus the lower bounds a sorted index can use to skip ahead. */
export function compileFilterWithBounds(source: string, context: FilterContext): CompiledFilter {
  let tree: Token;
  try {
    tree = parser.filter(source);
  } catch (error) {
    const match = /at (\d+)/.exec(error instanceof Error ? error.message : '');
    throw new ODataQueryError(`Syntax error at position ${match?.[1] ?? 0} in '${source}'.`);
  }
  if (tree.raw.length !== source.length) {
    throw new ODataQueryError(`Syntax error at position ${tree.raw.length} in '${source}'.`);
  }
  const normalized = fixNotPrecedence(tree);
  const predicate = compileBoolean(normalized, context);
  const lowerBounds: LowerBound[] = [];
  collectLowerBounds(normalized, context, lowerBounds);
  return { predicate, lowerBounds };
}

/**
 * odata-v4-parser follows the ABNF literally (`notExpr = "not" RWS boolCommonExpr`), so `not A and B`
 * comes back as `not (A and B)`. OData's precedence table (and Microsoft.OData, which Epicor runs) binds
 * `not` tighter than `and`/`or`: push each `not` down onto the leftmost operand of the chain it swallowed.
 */
function fixNotPrecedence(token: Token): Token {
  switch (token.type) {
    case 'AndExpression':
    case 'OrExpression': {
      const { left, right } = pair(token);
      return { ...token, value: { left: fixNotPrecedence(left), right: fixNotPrecedence(right) } };
    }
    case 'NotExpression': {
      const inner = fixNotPrecedence(child(token));
      return negateLeftmost(inner, token.raw);
    }
    case 'BoolParenExpression':
    case 'ParenExpression':
    case 'CommonExpression':
      return { ...token, value: fixNotPrecedence(child(token)) };
    default:
      return token;
  }
}

function negateLeftmost(token: Token, raw: string): Token {
  if (token.type === 'AndExpression' || token.type === 'OrExpression') {
    const { left, right } = pair(token);
    return { ...token, value: { left: negateLeftmost(left, `not ${left.raw}`), right } };
  }
  return { type: 'NotExpression', value: token, raw };
}

function isPropertyToken(token: Token): boolean {
  return ['FirstMemberExpression', 'MemberExpression', 'PropertyPathExpression'].includes(token.type);
}

/**
 * Lower bounds implied by a filter, per column. `and` keeps the bounds of both sides; `or` keeps a column
 * only when every side bounds it (the weaker bound, as their `or`); `Col eq v` bounds `Col ge v`. Each
 * bound is monotone over rows sorted by its column, which is all the index seek needs.
 */
function lowerBoundsOf(token: Token, context: FilterContext): Map<string, Predicate> {
  switch (token.type) {
    case 'AndExpression': {
      const { left, right } = pair(token);
      const a = lowerBoundsOf(left, context);
      for (const [column, test] of lowerBoundsOf(right, context)) {
        const other = a.get(column);
        a.set(column, other ? (row) => other(row) && test(row) : test);
      }
      return a;
    }
    case 'OrExpression': {
      const { left, right } = pair(token);
      const a = lowerBoundsOf(left, context);
      const b = lowerBoundsOf(right, context);
      const out = new Map<string, Predicate>();
      for (const [column, testA] of a) {
        const testB = b.get(column);
        if (testB) out.set(column, (row) => testA(row) || testB(row));
      }
      return out;
    }
    case 'BoolParenExpression':
    case 'CommonExpression':
    case 'ParenExpression':
      return lowerBoundsOf(child(token), context);
    default: {
      const comparison = COMPARISONS[token.type];
      const out = new Map<string, Predicate>();
      if (!comparison) return out;
      const { left, right } = pair(token);
      const propertyLeft = isPropertyToken(left) && right.type === 'Literal' && right.value !== 'null';
      const propertyRight = isPropertyToken(right) && left.type === 'Literal' && left.value !== 'null';
      if (!propertyLeft && !propertyRight) return out;
      const column = propertyName(propertyLeft ? left : right, context);
      const op = comparison.op;
      if ((propertyLeft && (op === 'gt' || op === 'ge')) || (propertyRight && (op === 'lt' || op === 'le'))) {
        out.set(column, compileComparison(token, comparison, context));
      } else if (op === 'eq') {
        const ge = propertyLeft
          ? COMPARISONS['GreaterOrEqualsExpression']
          : COMPARISONS['LesserOrEqualsExpression'];
        if (ge) out.set(column, compileComparison(token, ge, context));
      }
      return out;
    }
  }
}

function collectLowerBounds(token: Token, context: FilterContext, out: LowerBound[]): void {
  for (const [column, test] of lowerBoundsOf(token, context)) out.push({ column, test });
}

function child(token: Token): Token {
  return token.value as Token;
}

function pair(token: Token): { left: Token; right: Token } {
  return token.value as { left: Token; right: Token };
}

function compileBoolean(token: Token, context: FilterContext): Predicate {
  switch (token.type) {
    case 'AndExpression': {
      const { left, right } = pair(token);
      const a = compileBoolean(left, context);
      const b = compileBoolean(right, context);
      return (row) => a(row) && b(row);
    }
    case 'OrExpression': {
      const { left, right } = pair(token);
      const a = compileBoolean(left, context);
      const b = compileBoolean(right, context);
      return (row) => a(row) || b(row);
    }
    case 'NotExpression': {
      const inner = compileBoolean(child(token), context);
      return (row) => !inner(row);
    }
    case 'BoolParenExpression':
    case 'ParenExpression':
    case 'CommonExpression':
      return compileBoolean(child(token), context);
    case 'MethodCallExpression':
      return compileBooleanMethod(token, context);
    case 'Literal': {
      if (token.value === 'Edm.Boolean') {
        const constant = token.raw.toLowerCase() === 'true';
        return () => constant;
      }
      break;
    }
    case 'FirstMemberExpression':
    case 'MemberExpression':
    case 'PropertyPathExpression': {
      const operand = compileOperand(token, context);
      if (operand.category === 'bool') return (row) => operand.get(row) === true;
      break;
    }
    default: {
      const comparison = COMPARISONS[token.type];
      if (comparison) return compileComparison(token, comparison, context);
      throw new ODataQueryError(`The query expression '${token.raw}' is not supported.`);
    }
  }
  throw new ODataQueryError(
    `The expression '${token.raw}' does not evaluate to a boolean value; $filter needs a boolean expression.`,
  );
}

function compileComparison(
  token: Token,
  comparison: { op: string; kind: string },
  context: FilterContext,
): Predicate {
  const { left, right } = pair(token);
  let a = compileOperand(left, context);
  let b = compileOperand(right, context);
  const incompatible = (): ODataQueryError =>
    new ODataQueryError(
      `A binary operator with incompatible types was detected. Found operand types '${a.edm}' and '${b.edm}' for operator kind '${comparison.kind}'.`,
    );
  if (a.category !== 'null' && b.category !== 'null') {
    if (a.category === 'bigint' || b.category === 'bigint') {
      [a, b] = unifyBigint(a, b, incompatible);
    } else if (a.category !== b.category) {
      throw incompatible();
    }
  }
  const compare =
    a.category === 'string' || b.category === 'string'
      ? (compareStrings(context.stringComparison) as (x: Scalar, y: Scalar) => number)
      : (x: Scalar, y: Scalar) =>
          (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
  const getA = a.get;
  const getB = b.get;
  switch (comparison.op) {
    case 'eq':
      return (row) => {
        const x = getA(row);
        const y = getB(row);
        if (x === null || y === null) return x === y;
        return compare(x, y) === 0;
      };
    case 'ne':
      return (row) => {
        const x = getA(row);
        const y = getB(row);
        if (x === null || y === null) return x !== y;
        return compare(x, y) !== 0;
      };
    default: {
      const test =
        comparison.op === 'lt'
          ? (c: number) => c < 0
          : comparison.op === 'le'
            ? (c: number) => c <= 0
            : comparison.op === 'gt'
              ? (c: number) => c > 0
              : (c: number) => c >= 0;
      return (row) => {
        const x = getA(row);
        const y = getB(row);
        if (x === null || y === null) return false;
        return test(compare(x, y));
      };
    }
  }
}

/** A bigint column meets an integer literal exactly, or a decimal literal as a JS number. */
function unifyBigint(a: Operand, b: Operand, incompatible: () => ODataQueryError): [Operand, Operand] {
  const convert = (operand: Operand): Operand => {
    if (operand.category === 'bigint') return operand;
    if (operand.exactInteger !== undefined) {
      const exact = operand.exactInteger;
      return { ...operand, category: 'bigint', get: () => exact };
    }
    if (operand.category === 'number') return operand;
    throw incompatible();
  };
  const x = convert(a);
  const y = convert(b);
  if (x.category === y.category) return [x, y];
  // bigint against a decimal: compare as numbers.
  const asNumber = (operand: Operand): Operand => {
    if (operand.category === 'number') return operand;
    const get = operand.get;
    return {
      ...operand,
      category: 'number',
      get: (row) => {
        const value = get(row);
        return value === null ? null : Number(value);
      },
    };
  };
  return [asNumber(x), asNumber(y)];
}

function propertyName(token: Token, context: FilterContext): string {
  // FirstMemberExpression → MemberExpression → PropertyPathExpression → ODataIdentifier
  let node: Token | undefined = token;
  while (node && node.type !== 'PropertyPathExpression') node = child(node);
  if (!node) throw new ODataQueryError(`The query expression '${token.raw}' is not supported.`);
  const path = node.value as { current?: Token; next?: Token } | Token;
  if ('current' in path && path.current) {
    throw new ODataQueryError(`Navigation paths are not supported in $filter: '${token.raw}'.`);
  }
  const identifier = path as Token;
  const name = (identifier.value as { name?: string }).name ?? identifier.raw;
  if (!context.fields.has(name)) throw propertyNotFound(name, context.qualifiedType);
  return name;
}

function compileOperand(token: Token, context: FilterContext): Operand {
  switch (token.type) {
    case 'Literal':
      return compileLiteral(token, context);
    case 'BoolParenExpression':
    case 'ParenExpression':
    case 'CommonExpression':
      return compileOperand(child(token), context);
    case 'MethodCallExpression':
      return compileStringMethod(token, context);
    case 'FirstMemberExpression':
    case 'MemberExpression':
    case 'PropertyPathExpression': {
      const name = propertyName(token, context);
      const field = context.fields.get(name) as FieldDef;
      const edm = EDM_TYPES[field.type];
      switch (field.type) {
        case 'date':
        case 'datetime':
          return {
            category: 'time',
            edm,
            constant: false,
            get: (row) => {
              const wall = row.wall[name];
              return wall === undefined || Number.isNaN(wall) ? null : wall;
            },
          };
        case 'int':
        case 'decimal':
          return {
            category: 'number',
            edm,
            constant: false,
            get: (row) => row.values[name] as number | null,
          };
        case 'int64':
          return {
            category: 'bigint',
            edm,
            constant: false,
            get: (row) => row.values[name] as bigint | null,
          };
        case 'bool':
          return { category: 'bool', edm, constant: false, get: (row) => row.values[name] as boolean | null };
        case 'guid':
          return {
            category: 'guid',
            edm,
            constant: false,
            get: (row) => {
              const value = row.values[name];
              return typeof value === 'string' ? value.toLowerCase() : null;
            },
          };
        default:
          return {
            category: 'string',
            edm,
            constant: false,
            get: (row) => row.values[name] as string | null,
          };
      }
    }
    default:
      throw new ODataQueryError(`The query expression '${token.raw}' is not supported here.`);
  }
}

function constant(category: Category, edm: string, value: Scalar, exactInteger?: bigint): Operand {
  return exactInteger === undefined
    ? { category, edm, constant: true, get: () => value }
    : { category, edm, constant: true, get: () => value, exactInteger };
}

function compileLiteral(token: Token, context: FilterContext): Operand {
  const edm = String(token.value);
  const raw = token.raw;
  if (edm === 'null') return constant('null', 'null', null);
  if (edm === 'Edm.String') return constant('string', edm, raw.slice(1, -1).replace(/''/g, "'"));
  if (edm === 'Edm.Boolean') return constant('bool', edm, raw.toLowerCase() === 'true');
  if (edm === 'Edm.Guid') return constant('guid', edm, raw.toLowerCase());
  if (INTEGER_EDM.has(edm)) return constant('number', edm, Number(raw), BigInt(raw));
  if (DECIMAL_EDM.has(edm)) {
    const value = Number(raw.replace(/[mMdDfF]$/, ''));
    if (!Number.isFinite(value)) throw new ODataQueryError(`Invalid numeric literal '${raw}'.`);
    return constant('number', edm, value);
  }
  if (edm === 'Edm.Date') return constant('time', edm, dateLiteralWall(raw));
  if (edm === 'Edm.DateTimeOffset') return constant('time', edm, dateTimeLiteralWall(raw, context));
  throw new ODataQueryError(`Literals of type '${edm}' are not supported: '${raw}'.`);
}

function checkCalendar(raw: string, year: number, month: number, day: number): void {
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new ODataQueryError(`The date literal '${raw}' is not a valid date.`);
  }
}

function dateLiteralWall(raw: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!match) throw new ODataQueryError(`Invalid date literal '${raw}'.`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  checkCalendar(raw, year, month, day);
  return Date.UTC(year, month - 1, day);
}

function dateTimeLiteralWall(raw: string, context: FilterContext): number {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})$/i.exec(raw);
  if (!match) throw new ODataQueryError(`Invalid DateTimeOffset literal '${raw}'.`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  checkCalendar(raw, year, month, day);
  const ms = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const wallOfLiteral = Date.UTC(
    year,
    month - 1,
    day,
    Number(match[4]),
    Number(match[5]),
    Number(match[6] ?? 0),
    ms,
  );
  const zone = (match[8] ?? 'Z').toUpperCase();
  const offsetMinutes =
    zone === 'Z'
      ? 0
      : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  if (context.dateTimeLiterals === 'ignore-offset') return wallOfLiteral;
  const instant = wallOfLiteral - offsetMinutes * 60_000;
  return wallMsInZone(instant, context.timeZone);
}

interface MethodCall {
  method: string;
  parameters: Token[];
}

function compileBooleanMethod(token: Token, context: FilterContext): Predicate {
  const { method, parameters } = token.value as MethodCall;
  if (!['contains', 'startswith', 'endswith'].includes(method) || parameters.length !== 2) {
    throw new ODataQueryError(`Unknown function '${method}' or wrong number of arguments in '${token.raw}'.`);
  }
  const [first, second] = parameters.map((parameter) => compileOperand(parameter, context));
  if (first?.category !== 'string' || second?.category !== 'string') {
    throw new ODataQueryError(`The function '${method}' needs two string arguments in '${token.raw}'.`);
  }
  const insensitive = context.stringComparison === 'case-insensitive';
  const norm = (value: Scalar): string | null =>
    typeof value === 'string' ? (insensitive ? value.toLowerCase() : value) : null;
  const test =
    method === 'contains'
      ? (a: string, b: string) => a.includes(b)
      : method === 'startswith'
        ? (a: string, b: string) => a.startsWith(b)
        : (a: string, b: string) => a.endsWith(b);
  return (row) => {
    const a = norm(first.get(row));
    const b = norm(second.get(row));
    return a !== null && b !== null && test(a, b);
  };
}

function compileStringMethod(token: Token, context: FilterContext): Operand {
  const { method, parameters } = token.value as MethodCall;
  if (!['tolower', 'toupper', 'trim'].includes(method) || parameters.length !== 1 || !parameters[0]) {
    throw new ODataQueryError(`Unknown function '${method}' or wrong number of arguments in '${token.raw}'.`);
  }
  const inner = compileOperand(parameters[0], context);
  if (inner.category !== 'string') {
    throw new ODataQueryError(`The function '${method}' needs a string argument in '${token.raw}'.`);
  }
  const apply =
    method === 'tolower'
      ? (s: string) => s.toLowerCase()
      : method === 'toupper'
        ? (s: string) => s.toUpperCase()
        : (s: string) => s.trim();
  return {
    category: 'string',
    edm: 'Edm.String',
    constant: false,
    get: (row) => {
      const value = inner.get(row);
      return typeof value === 'string' ? apply(value) : null;
    },
  };
}
