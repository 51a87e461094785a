import type { StoredRow, Table } from './data/store.js';
import { dateTimeText } from './data/time.js';
import type { QueryRow, Value, Values } from './odata/values.js';
import type { EntitySetName, FieldDef } from './schema.js';

/**
 * Business Activity Queries served at `BaqSvc/{BaqID}/Data`: flat rows whose columns are named
 * `Table_Field`, `Calculated_<Name>`, plus a positional `RowIdent` (reference §7, sample row).
 * `Calculated_ChangedOn` is the row's last write time (what a BPM-maintained change column would hold).
 */

export interface BaqDef {
  readonly id: string;
  readonly source: EntitySetName;
  readonly table: string;
  readonly columns: readonly string[];
}

export const BAQS: readonly BaqDef[] = [
  {
    id: 'ZVendorChanges',
    source: 'Vendors',
    table: 'Vendor',
    columns: ['Company', 'VendorNum', 'VendorID', 'Name', 'EMailAddress', 'Inactive', 'SysRevID'],
  },
  {
    id: 'ZCustomerChanges',
    source: 'Customers',
    table: 'Customer',
    columns: [
      'Company',
      'CustNum',
      'CustID',
      'Name',
      'EMailAddress',
      'Inactive',
      'ChangeDate',
      'ChangeTime',
      'SysRevID',
    ],
  },
];

export function findBaq(id: string): BaqDef | undefined {
  return BAQS.find((baq) => baq.id === id);
}

/** The BAQ's columns; a column the tenant lacks (`missingColumns`) is simply not part of it. */
export function baqFields(baq: BaqDef, source: Table): FieldDef[] {
  const fields: FieldDef[] = baq.columns.flatMap((column) => {
    const field = source.fieldMap.get(column);
    return field ? [{ name: `${baq.table}_${column}`, type: field.type }] : [];
  });
  fields.push({ name: 'Calculated_ChangedOn', type: 'datetime' }, { name: 'RowIdent', type: 'string' });
  return fields;
}

const cache = new WeakMap<Table, { version: number; baq: string; rows: QueryRow[] }>();

/** The BAQ's rows (before $filter etc.), cached until the source table changes. */
export function baqRows(baq: BaqDef, source: Table): readonly QueryRow[] {
  const hit = cache.get(source);
  if (hit && hit.version === source.version && hit.baq === baq.id) return hit.rows;
  const rows = source.rows.map((row: StoredRow) => {
    const values: Values = {};
    const wall: Record<string, number> = {};
    for (const column of baq.columns) {
      if (!source.fieldMap.has(column)) continue;
      const name = `${baq.table}_${column}`;
      values[name] = row.values[column] as Value;
      const w = row.wall[column];
      if (w !== undefined) wall[name] = w;
    }
    values['Calculated_ChangedOn'] = dateTimeText(row.modifiedWall);
    wall['Calculated_ChangedOn'] = row.modifiedWall;
    values['RowIdent'] = '';
    return { values, wall };
  });
  cache.set(source, { version: source.version, baq: baq.id, rows });
  return rows;
}

/** `00000001-0000-0000-0000-000000000000` for the first row of a result, as in the captured sample. */
export function rowIdent(position: number): string {
  return `${position.toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`;
}
