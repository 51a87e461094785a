/**
 * The slice of Epicor's tablesets the simulator serves: services, entity sets, row types, keys and the
 * columns (spelled exactly as Epicor spells them; see the reference field lists). Pure data.
 */

export type FieldType = 'string' | 'int' | 'int64' | 'decimal' | 'bool' | 'date' | 'datetime' | 'guid';

export interface FieldDef {
  readonly name: string;
  readonly type: FieldType;
}

export type EntitySetName = 'Vendors' | 'VendCntMains' | 'Customers' | 'CustCnts';
export type ServiceName = 'Erp.BO.VendorSvc' | 'Erp.BO.CustomerSvc' | 'Erp.BO.CustCntSvc';

export interface EntitySetDef {
  readonly name: EntitySetName;
  readonly service: ServiceName;
  /** Row type name inside the `Erp.Tablesets` namespace, e.g. `VendorRow`. */
  readonly rowType: string;
  /** Business object named in "Access denied (Erp.BO.Vendor.GetRows)." */
  readonly bo: string;
  readonly keys: readonly string[];
  readonly fields: readonly FieldDef[];
  /** Child collections reachable by navigation and `$expand`. */
  readonly navigations: readonly { name: string; target: EntitySetName }[];
}

function f(spec: string): FieldDef[] {
  // Compact "Name:type" list; type letters: s string, i int, I int64, d decimal, b bool, D date, T datetime, g guid.
  const types: Record<string, FieldType> = {
    s: 'string',
    i: 'int',
    I: 'int64',
    d: 'decimal',
    b: 'bool',
    D: 'date',
    T: 'datetime',
    g: 'guid',
  };
  return spec
    .trim()
    .split(/\s+/)
    .map((item) => {
      const [name = '', letter = 's'] = item.split(':');
      const type = types[letter];
      if (!type) throw new Error(`Unknown field type letter in ${item}`);
      return { name, type };
    });
}

export const VENDOR_FIELDS = f(`
  Company:s VendorID:s VendorNum:i Name:s Address1:s Address2:s Address3:s City:s State:s ZIP:s Country:s
  CountryNum:i PhoneNum:s FaxNum:s EMailAddress:s VendURL:s TermsCode:s CurrencyCode:s GroupCode:s
  Inactive:b Approved:b PayHold:b PrimPCon:i PurPoint:s TaxPayerID:s TIN:s LegalName:s Comment:s
  SysRevID:I SysRowID:g Week1Pymt_c:d Week2Pymt_c:d BitFlag:i RowMod:s`);

export const VENDCNTMAIN_FIELDS = f(`
  Company:s VendorNum:i PurPoint:s ConNum:i Name:s FirstName:s MiddleName:s LastName:s Func:s
  ContactTitle:s RoleCode:s EmailAddress:s PhoneNum:s CellPhoneNum:s FaxNum:s Inactive:b NoContact:b
  PrimaryContact:b PerConID:i PerConName:s WebSite:s CreateDate:D ChangeDate:D ChangeDcdUserID:s
  SysRevID:I SysRowID:g BitFlag:i RowMod:s`);

export const CUSTOMER_FIELDS = f(`
  Company:s CustID:s CustNum:i Name:s Address1:s Address2:s Address3:s City:s State:s Zip:s Country:s
  CountryNum:i PhoneNum:s FaxNum:s EMailAddress:s CustURL:s TermsCode:s CurrencyCode:s GroupCode:s
  SalesRepCode:s TerritoryID:s CustomerType:s Inactive:b CreditHold:b NoContact:b PrimPCon:i PrimBCon:i
  PrimSCon:i EstDate:D CreditLimit:d Comment:s Industry:s NumberOfEmployees:i ChangedBy:s ChangeDate:D
  ChangeTime:i SysRevID:I SysRowID:g SyncToExternalCRM:b ExternalCRMCustomerID:s ExternalCRMLastSync:T
  ExternalCRMSyncRequired:b CRMSegment_c:s HubSpotCompanyID_c:s BitFlag:i RowMod:s`);

export const CUSTCNT_FIELDS = f(`
  Company:s CustNum:i ShipToNum:s ConNum:i Name:s FirstName:s MiddleName:s LastName:s Prefix:s Suffix:s
  Func:s ContactTitle:s RoleCode:s EMailAddress:s PhoneNum:s CellPhoneNum:s FaxNum:s Address1:s City:s
  State:s Zip:s Country:s CorpName:s Inactive:b NoContact:b PrimaryBilling:b PrimaryPurchasing:b
  PrimaryShipping:b PerConID:i WebSite:s LinkedIn:s CreateDate:D ChangeDate:D ChangeTime:i ChangedBy:s
  SysRevID:I SysRowID:g ExternalCRMContactID:s CustNumCustID:s CustNumName:s BitFlag:i RowMod:s`);

export const ENTITY_SETS: Readonly<Record<EntitySetName, EntitySetDef>> = {
  Vendors: {
    name: 'Vendors',
    service: 'Erp.BO.VendorSvc',
    rowType: 'VendorRow',
    bo: 'Erp.BO.Vendor',
    keys: ['Company', 'VendorNum'],
    fields: VENDOR_FIELDS,
    navigations: [{ name: 'VendCntMains', target: 'VendCntMains' }],
  },
  VendCntMains: {
    name: 'VendCntMains',
    service: 'Erp.BO.VendorSvc',
    rowType: 'VendCntMainRow',
    bo: 'Erp.BO.Vendor',
    keys: ['Company', 'VendorNum', 'PurPoint', 'ConNum'],
    fields: VENDCNTMAIN_FIELDS,
    navigations: [],
  },
  Customers: {
    name: 'Customers',
    service: 'Erp.BO.CustomerSvc',
    rowType: 'CustomerRow',
    bo: 'Erp.BO.Customer',
    keys: ['Company', 'CustNum'],
    fields: CUSTOMER_FIELDS,
    navigations: [],
  },
  CustCnts: {
    name: 'CustCnts',
    service: 'Erp.BO.CustCntSvc',
    rowType: 'CustCntRow',
    bo: 'Erp.BO.CustCnt',
    keys: ['Company', 'CustNum', 'ShipToNum', 'ConNum'],
    fields: CUSTCNT_FIELDS,
    navigations: [],
  },
};

export const SERVICES: Readonly<Record<ServiceName, readonly EntitySetName[]>> = {
  'Erp.BO.VendorSvc': ['Vendors', 'VendCntMains'],
  'Erp.BO.CustomerSvc': ['Customers'],
  'Erp.BO.CustCntSvc': ['CustCnts'],
};

export function isServiceName(value: string): value is ServiceName {
  return Object.hasOwn(SERVICES, value);
}

export function isEntitySetName(value: string): value is EntitySetName {
  return Object.hasOwn(ENTITY_SETS, value);
}

/** Columns a simulated tenant lacks, per entity set (the `missingColumns` option). */
export type MissingColumns = Readonly<Partial<Record<EntitySetName, readonly string[]>>>;

/**
 * The entity set's columns plus the optional UD/BAQ-style change column, minus the columns this tenant
 * lacks (`missing`: they vanish from `$metadata`, from rows, and from what `$select`/`$filter`/`$orderby`
 * accept).
 */
export function fieldsOf(
  set: EntitySetDef,
  updatedOnColumn: string | undefined,
  missing: readonly string[] = [],
): readonly FieldDef[] {
  let out: readonly FieldDef[] = set.fields;
  if (updatedOnColumn) {
    const rowModIndex = set.fields.findIndex((field) => field.name === 'RowMod');
    const withColumn = [...set.fields];
    withColumn.splice(rowModIndex < 0 ? withColumn.length : rowModIndex, 0, {
      name: updatedOnColumn,
      type: 'datetime',
    });
    out = withColumn;
  }
  return missing.length === 0 ? out : out.filter((field) => !missing.includes(field.name));
}

/**
 * Checks a `missingColumns` option: known entity sets, columns that exist, and no key column (a row
 * without its key cannot be served). Returns a frozen copy.
 */
export function checkMissingColumns(
  missing: MissingColumns | undefined,
  updatedOnColumn: string | undefined,
): MissingColumns {
  const out: Partial<Record<EntitySetName, readonly string[]>> = {};
  for (const [name, columns] of Object.entries(missing ?? {})) {
    if (!isEntitySetName(name)) {
      throw new Error(
        `missingColumns: unknown entity set "${name}" (one of ${Object.keys(ENTITY_SETS).join(', ')}).`,
      );
    }
    const set = ENTITY_SETS[name];
    const known = new Set(fieldsOf(set, updatedOnColumn).map((f) => f.name));
    for (const column of columns ?? []) {
      if (!known.has(column)) throw new Error(`missingColumns: ${name} has no column "${column}" to remove.`);
      if (set.keys.includes(column)) {
        throw new Error(`missingColumns: "${column}" is a key of ${name} and cannot be removed.`);
      }
    }
    if (columns && columns.length > 0) out[name] = Object.freeze([...columns]);
  }
  return Object.freeze(out);
}

export function qualifiedRowType(set: EntitySetDef): string {
  return `Erp.Tablesets.${set.rowType}`;
}
