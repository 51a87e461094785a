/**
 * The default Epicor -> HubSpot field mapping per kind. Field names are Epicor's, exactly as spelt in
 * the REST v2 rows (`ZIP` on Vendor but `Zip` on Customer; `EMailAddress` on CustCnt but `EmailAddress`
 * on VendCntMain). `@…` names are derived fields (see derived.ts). `epicor_source_id` is not listed:
 * the mapper always writes it.
 */
import type { EntityKind } from '../model.js';
import type { FieldMapping } from './settings.js';

const f = (to: string, from: string | readonly string[], rest: Partial<FieldMapping> = {}): FieldMapping => ({
  to,
  from: typeof from === 'string' ? [from] : from,
  ...rest,
});
const constant = (to: string, value: string): FieldMapping => ({
  to,
  from: [],
  transforms: [{ op: 'constant', value }],
});

function companyDefaults(zipField: string, urlField: string): FieldMapping[] {
  return [
    f('name', 'Name'),
    f('address', 'Address1'),
    f('address2', ['Address2', 'Address3'], { combine: 'join', separator: ', ' }),
    f('city', 'City'),
    f('state', 'State'),
    f('zip', zipField),
    f('country', 'Country'),
    f('phone', 'PhoneNum'),
    f('website', urlField),
    f('domain', urlField, { transforms: [{ op: 'domain' }] }),
    f('epicor_company', '@Company'),
    f('epicor_record_type', '@RecordType'),
    f('epicor_terms_code', 'TermsCode'),
    f('epicor_inactive', 'Inactive'),
  ];
}

function contactDefaults(emailFields: readonly string[]): FieldMapping[] {
  return [
    f('firstname', '@FirstName'),
    f('lastname', '@LastName'),
    f('email', emailFields),
    f('phone', 'PhoneNum'),
    f('mobilephone', 'CellPhoneNum'),
    f('jobtitle', ['ContactTitle', 'Func']),
    f('epicor_company', '@Company'),
    f('epicor_record_type', '@RecordType'),
    f('epicor_inactive', 'Inactive'),
  ];
}

export const DEFAULT_MAPPINGS: Readonly<Record<EntityKind, readonly FieldMapping[]>> = {
  vendor: [
    ...companyDefaults('ZIP', 'VendURL'),
    f('epicor_vendor_id', 'VendorID'),
    constant('type', 'VENDOR'),
  ],
  customer: [...companyDefaults('Zip', 'CustURL'), f('epicor_cust_id', 'CustID')],
  // VendCntMains spell it `EmailAddress`; `EMailAddress` is a fallback for rows from other services.
  vendorContact: contactDefaults(['EmailAddress', 'EMailAddress']),
  customerContact: contactDefaults(['EMailAddress']),
};
