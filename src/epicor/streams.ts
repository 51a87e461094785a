import type { EntityKind } from '../sync/model.js';
import type { ChangeStrategy, EpicorSettings, KeyField, StreamSettings } from './settings.js';
import { baqPath, canonicalServiceName, servicePath } from './urls.js';

/** Everything the scanner needs to read one stream, with defaults applied. */
export interface ResolvedStream {
  readonly kind: EntityKind;
  readonly sourceType: 'entitySet' | 'baq' | 'vendorExpand';
  /** Service-relative path: `Erp.BO.VendorSvc/Vendors` or `BaqSvc/{id}/Data`. */
  readonly path: string;
  /** For `$metadata`: the service (`Erp.BO.VendorSvc`) and entity set; undefined for BAQs. */
  readonly service: string | undefined;
  readonly entitySet: string | undefined;
  /** Key of the rows paged over (for vendorExpand: the parent vendor's key). */
  readonly keyFields: readonly KeyField[];
  readonly change: ChangeStrategy;
  readonly resume: 'inclusive' | 'exclusive';
  readonly select: readonly string[] | undefined;
  readonly pageSize: number;
  readonly baqParameters: Readonly<Record<string, string>>;
  /** vendorExpand only: the navigation expanded and the key of the child (contact) records. */
  readonly expand: { readonly navigation: string; readonly childKeyFields: readonly KeyField[] } | undefined;
}

interface StreamDefault {
  service: string;
  entitySet: string;
  keyFields: KeyField[];
  change: ChangeStrategy;
}

const int = (name: string): KeyField => ({ name, type: 'int' });
const str = (name: string): KeyField => ({ name, type: 'string' });

/**
 * Defaults from the reference (§4, §5): vendors carry only SysRevID; customers and customer contacts
 * ChangeDate+ChangeTime; vendor contacts ChangeDate alone. `Company` is not part of the key strings:
 * the Company is fixed by the URL.
 */
export const STREAM_DEFAULTS: Readonly<Record<EntityKind, StreamDefault>> = {
  vendor: {
    service: 'Erp.BO.VendorSvc',
    entitySet: 'Vendors',
    keyFields: [int('VendorNum')],
    change: { strategy: 'sysRevId', field: 'SysRevID' },
  },
  customer: {
    service: 'Erp.BO.CustomerSvc',
    entitySet: 'Customers',
    keyFields: [int('CustNum')],
    change: { strategy: 'changeDateTime', dateField: 'ChangeDate', timeField: 'ChangeTime' },
  },
  vendorContact: {
    service: 'Erp.BO.VendorSvc',
    entitySet: 'VendCntMains',
    keyFields: [int('VendorNum'), str('PurPoint'), int('ConNum')],
    change: { strategy: 'changeDate', field: 'ChangeDate' },
  },
  customerContact: {
    service: 'Erp.BO.CustCntSvc',
    entitySet: 'CustCnts',
    keyFields: [int('CustNum'), str('ShipToNum'), int('ConNum')],
    change: { strategy: 'changeDateTime', dateField: 'ChangeDate', timeField: 'ChangeTime' },
  },
};

export function resolveStream(settings: EpicorSettings, kind: EntityKind): ResolvedStream {
  const defaults = STREAM_DEFAULTS[kind];
  const stream: StreamSettings = settings.streams[kind] ?? {};
  const source = stream.source ?? { type: 'entitySet' as const };
  const pageSize = stream.pageSize ?? settings.pageSize;
  const change = stream.change ?? defaults.change;
  const resume = stream.resume ?? (change.strategy === 'sysRevId' ? 'exclusive' : 'inclusive');
  const select = stream.select;
  switch (source.type) {
    case 'entitySet': {
      const service = canonicalServiceName(source.service ?? defaults.service);
      const entitySet = source.entitySet ?? defaults.entitySet;
      return {
        kind,
        sourceType: 'entitySet',
        path: servicePath(service, entitySet),
        service,
        entitySet,
        keyFields: source.keyFields ?? defaults.keyFields,
        change,
        resume,
        select,
        pageSize,
        baqParameters: {},
        expand: undefined,
      };
    }
    case 'baq':
      return {
        kind,
        sourceType: 'baq',
        path: baqPath(source.baqId),
        service: undefined,
        entitySet: undefined,
        keyFields: source.keyFields,
        change,
        resume,
        select,
        pageSize,
        baqParameters: source.parameters,
        expand: undefined,
      };
    case 'vendorExpand': {
      if (kind !== 'vendorContact') {
        throw new TypeError(`source type "vendorExpand" only applies to vendorContact, not ${kind}`);
      }
      const vendor = STREAM_DEFAULTS.vendor;
      return {
        kind,
        sourceType: 'vendorExpand',
        path: servicePath(vendor.service, vendor.entitySet),
        service: vendor.service,
        entitySet: vendor.entitySet,
        keyFields: vendor.keyFields,
        // The parent row carries no contact change marker: an expanded read is always a full scan.
        change: { strategy: 'full' },
        resume: 'exclusive',
        select,
        pageSize,
        baqParameters: {},
        expand: { navigation: source.navigation, childKeyFields: defaults.keyFields },
      };
    }
  }
}
