import { base, en, Faker } from '@faker-js/faker';
import { type Random, seededRandom } from '../../../src/core/random.js';
import type { Values } from '../odata/values.js';
import type { EntitySetName } from '../schema.js';
import { DAY_MS, dateText, secondsOfDay } from './time.js';

/** A generated row before the store numbers it: `modifiedWall` orders SysRevIDs and feeds UpdatedOn. */
export interface GeneratedRow {
  values: Values;
  modifiedWall: number;
}

export type GeneratedCompany = Record<EntitySetName, GeneratedRow[]>;

export interface GenerateOptions {
  seed: number;
  company: string;
  vendors: number;
  customers: number;
  /** Customers (and vendors) that share one "mass update" timestamp. */
  massUpdateSize?: number;
  /**
   * Where the generated change times end (epoch ms); default `DATA_WINDOW_END`. The demo passes "now"
   * so its cursors and lag look current; shifted by whole days so times of day stay the same.
   */
  windowEnd?: number;
}

/** Generated change times fall in this wall-clock window (tenant zone), before any test clock's "now". */
export const DATA_WINDOW_START = Date.UTC(2024, 0, 1);
export const DATA_WINDOW_END = Date.UTC(2025, 11, 31);
/** The shared timestamp of the mass-update cluster: 2025-06-30 02:00:00 tenant time. */
export const MASS_UPDATE_WALL = Date.UTC(2025, 5, 30, 2, 0, 0);

export function defaultMassUpdateSize(n: number): number {
  return Math.min(Math.max(200, Math.floor(n * 0.02)), Math.floor(n / 2));
}

interface Pools {
  companies: string[];
  firstNames: string[];
  lastNames: string[];
  streets: string[];
  cities: string[];
  states: string[];
  zips: string[];
  phones: string[];
  domains: string[];
  jobs: string[];
}

function buildPools(seed: number): Pools {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  const many = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);
  return {
    companies: many(400, () => faker.company.name()),
    firstNames: many(300, () => faker.person.firstName()),
    lastNames: many(300, () => faker.person.lastName()),
    streets: many(300, () => faker.location.streetAddress()),
    cities: many(200, () => faker.location.city()),
    states: many(50, () => faker.location.state({ abbreviated: true })),
    zips: many(300, () => faker.location.zipCode()),
    phones: many(300, () => faker.phone.number({ style: 'national' })),
    domains: many(300, () => faker.internet.domainName()),
    jobs: many(60, () => faker.person.jobTitle()),
  };
}

/** Awkward values planted on purpose (fixed positions so even 50 rows carry each kind). */
const APOSTROPHE_NAMES = ["O'Brien & Sons", "Dunkin' Supply", "L'Oréal Distribution", "Macy's Wholesale"];
const ACCENT_NAMES = ['Société Générale Équipement', 'Müller Präzisionsteile GmbH', 'José Peña y Asociados'];
const EMOJI_NAMES = ['Rocket Parts 🚀', 'Café ☕ Supplies', 'Happy Widgets 😀'];
const LONG_NAME =
  'The Extremely Long Named International Consolidated Industrial Supply and Manufacturing Holdings Company of North America LLC';
const INVALID_EMAILS = ['not-an-email', 'bob@', 'jane.doe@@example..com', 'sales at example dot com'];
const COUNTRIES: [string, number][] = [
  ['USA', 1],
  ['USA', 1],
  ['USA', 1],
  ['Canada', 2],
  ['Mexico', 3],
  ['Germany', 4],
  ['France', 5],
];

class Picker {
  constructor(
    readonly random: Random,
    /** Whole days added to every generated wall time (see `GenerateOptions.windowEnd`). */
    readonly shift = 0,
  ) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  guid(): string {
    const word = (): string =>
      Math.floor(this.random() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    const a = word();
    const b = word();
    const c = word();
    const d = word();
    const variant = (8 + (Number.parseInt(c[0] ?? '0', 16) & 3)).toString(16);
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
  /** A wall-clock time inside the data window, to the second. */
  wall(): number {
    const span = (DATA_WINDOW_END - DATA_WINDOW_START) / 1000;
    return DATA_WINDOW_START + this.shift + Math.floor(this.random() * span) * 1000;
  }
}

type Awkward = 'apostrophe' | 'accent' | 'emoji' | 'long' | 'invalidEmail' | 'empty' | undefined;

/** Fixed early positions plus ~4% of the rest. */
function awkwardKind(index: number, p: Picker): Awkward {
  const fixed: Record<number, Awkward> = {
    2: 'apostrophe',
    3: 'accent',
    5: 'emoji',
    7: 'long',
    11: 'invalidEmail',
    13: 'empty',
  };
  if (index in fixed) return fixed[index];
  if (!p.chance(0.04)) return undefined;
  return p.pick<Awkward>(['apostrophe', 'accent', 'emoji', 'long', 'invalidEmail', 'empty']);
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z0-9]+/g, '')
    .toLowerCase()
    .slice(0, 20);
}

function orgName(kind: Awkward, p: Picker, pools: Pools): string {
  switch (kind) {
    case 'apostrophe':
      return p.pick(APOSTROPHE_NAMES);
    case 'accent':
      return p.pick(ACCENT_NAMES);
    case 'emoji':
      return p.pick(EMOJI_NAMES);
    case 'long':
      return LONG_NAME;
    default:
      return p.pick(pools.companies);
  }
}

function contactRows(
  p: Picker,
  pools: Pools,
  count: number,
  parentModified: number,
  kindOf: (i: number) => Awkward,
): {
  first: string;
  middle: string;
  last: string;
  email: string;
  phone: string;
  title: string;
  modified: number;
  created: number;
  kind: Awkward;
}[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = kindOf(i);
    const first = kind === 'empty' ? '' : kind === 'accent' ? 'Zoë' : p.pick(pools.firstNames);
    const last =
      kind === 'apostrophe'
        ? "O'Brien"
        : kind === 'accent'
          ? 'Núñez'
          : kind === 'empty'
            ? ''
            : p.pick(pools.lastNames);
    const domain = p.pick(pools.domains);
    const email =
      kind === 'invalidEmail'
        ? p.pick(INVALID_EMAILS)
        : kind === 'empty'
          ? ''
          : kind === 'apostrophe'
            ? `${first.toLowerCase()}.o'brien@${domain}`
            : `${slug(first)}.${slug(last)}@${domain}`;
    const created = p.wall();
    const modified = Math.max(created, p.chance(0.5) ? parentModified : p.wall());
    return {
      first,
      middle: p.chance(0.2) ? `${p.pick(pools.firstNames).slice(0, 1)}.` : '',
      last: kind === 'emoji' ? `${last} 🙂` : last,
      email,
      phone: kind === 'empty' ? '' : p.pick(pools.phones),
      title: kind === 'empty' ? '' : p.pick(pools.jobs),
      modified,
      created,
      kind,
    };
  });
}

function clusterMembers(n: number, size: number, p: Picker): Set<number> {
  const members = new Set<number>();
  if (size <= 0 || n <= 0) return members;
  // A contiguous run from a seeded start: a mass update usually touches a block of records.
  const start = p.int(0, Math.max(0, n - size));
  for (let i = start; i < Math.min(n, start + size); i++) members.add(i);
  return members;
}

/**
 * Deterministic vendors, vendor contacts, customers and customer contacts for one company. Same seed and
 * counts ⇒ the same rows, byte for byte.
 */
export function generateCompany(options: GenerateOptions): GeneratedCompany {
  const shift =
    options.windowEnd === undefined ? 0 : Math.floor((options.windowEnd - DATA_WINDOW_END) / DAY_MS) * DAY_MS;
  const p = new Picker(seededRandom(options.seed), shift);
  const pools = buildPools(options.seed);
  const company = options.company;
  const out: GeneratedCompany = { Vendors: [], VendCntMains: [], Customers: [], CustCnts: [] };

  const vendorCluster = clusterMembers(
    options.vendors,
    options.massUpdateSize ?? defaultMassUpdateSize(options.vendors),
    p,
  );
  let vendorNum = 0;
  for (let i = 0; i < options.vendors; i++) {
    vendorNum += i > 0 && p.chance(0.05) ? p.int(2, 4) : 1;
    const kind = awkwardKind(i, p);
    const name = orgName(kind, p, pools);
    const [country, countryNum] = p.pick(COUNTRIES);
    const modified = vendorCluster.has(i) ? MASS_UPDATE_WALL + p.shift : p.wall();
    const domain = p.pick(pools.domains);
    const contacts = contactRows(p, pools, p.int(0, 3), modified, (c) => (c === 0 ? kind : undefined));
    const email = kind === 'invalidEmail' ? p.pick(INVALID_EMAILS) : kind === 'empty' ? '' : `ap@${domain}`;
    out.Vendors.push({
      modifiedWall: modified,
      values: {
        Company: company,
        VendorID: kind === 'apostrophe' ? `OBRIEN'S${vendorNum}` : `V${String(vendorNum).padStart(5, '0')}`,
        VendorNum: vendorNum,
        Name: name,
        Address1: kind === 'empty' ? '' : p.pick(pools.streets),
        Address2: p.chance(0.15) ? `Suite ${p.int(100, 999)}` : '',
        Address3: '',
        City: kind === 'empty' ? '' : p.pick(pools.cities),
        State: kind === 'empty' ? '' : p.pick(pools.states),
        ZIP: kind === 'empty' ? '' : p.pick(pools.zips),
        Country: kind === 'empty' ? '' : country,
        CountryNum: kind === 'empty' ? 0 : countryNum,
        PhoneNum: kind === 'empty' ? '' : p.pick(pools.phones),
        FaxNum: p.chance(0.2) ? p.pick(pools.phones) : '',
        EMailAddress: email,
        VendURL: kind === 'empty' ? '' : p.chance(0.2) ? domain : `https://www.${domain}`,
        TermsCode: p.pick(['NET30', 'NET45', 'NET60', 'COD']),
        CurrencyCode: country === 'USA' ? 'USD' : p.pick(['USD', 'CAD', 'MXN', 'EUR']),
        GroupCode: p.pick(['', 'RAW', 'SVC', 'MRO']),
        Inactive: p.chance(0.08),
        Approved: p.chance(0.9),
        PayHold: p.chance(0.03),
        PrimPCon: contacts.length > 0 ? 1 : 0,
        PurPoint: '',
        TaxPayerID: p.chance(0.6) ? `${p.int(10, 99)}-${p.int(1000000, 9999999)}` : '',
        TIN: '',
        LegalName: kind === 'empty' ? '' : name,
        Comment: p.chance(0.1) ? 'Preferred supplier.\nCall before shipping.' : '',
        SysRowID: p.guid(),
        Week1Pymt_c: p.chance(0.3) ? p.int(0, 500000) / 100 : 0,
        Week2Pymt_c: 0,
        BitFlag: 0,
        RowMod: '',
      },
    });
    contacts.forEach((c, index) => {
      const conNum = index + 1;
      out.VendCntMains.push({
        modifiedWall: c.modified,
        values: {
          Company: company,
          VendorNum: vendorNum,
          PurPoint: '',
          ConNum: conNum,
          Name: [c.first, c.middle, c.last].filter((part) => part !== '').join(' '),
          FirstName: c.first,
          MiddleName: c.middle,
          LastName: c.last,
          Func: c.title,
          ContactTitle: c.title,
          RoleCode: p.pick(['', 'PURCH', 'AP', 'SALES']),
          EmailAddress: c.email,
          PhoneNum: c.phone,
          CellPhoneNum: p.chance(0.3) ? p.pick(pools.phones) : '',
          FaxNum: '',
          Inactive: p.chance(0.05),
          NoContact: p.chance(0.03),
          PrimaryContact: conNum === 1,
          PerConID: 0,
          PerConName: '',
          WebSite: '',
          CreateDate: dateText(c.created),
          ChangeDate: dateText(c.modified),
          ChangeDcdUserID: p.pick(['manager', 'jsmith', 'purch01']),
          SysRowID: p.guid(),
          BitFlag: 0,
          RowMod: '',
        },
      });
    });
  }

  const customerCluster = clusterMembers(
    options.customers,
    options.massUpdateSize ?? defaultMassUpdateSize(options.customers),
    p,
  );
  let custNum = 0;
  for (let i = 0; i < options.customers; i++) {
    custNum += i > 0 && p.chance(0.05) ? p.int(2, 4) : 1;
    const kind = awkwardKind(i, p);
    const name = orgName(kind, p, pools);
    const [country, countryNum] = p.pick(COUNTRIES);
    const inCluster = customerCluster.has(i);
    const modified = inCluster ? MASS_UPDATE_WALL + p.shift : p.wall();
    const domain = p.pick(pools.domains);
    const contacts = contactRows(p, pools, p.int(0, 3), modified, (c) => (c === 0 ? kind : undefined));
    const custId = kind === 'apostrophe' ? `OBRIEN'S${custNum}` : `C${String(custNum).padStart(5, '0')}`;
    const est = p.wall() - p.int(0, 3000) * DAY_MS;
    out.Customers.push({
      modifiedWall: modified,
      values: {
        Company: company,
        CustID: custId,
        CustNum: custNum,
        Name: name,
        Address1: kind === 'empty' ? '' : p.pick(pools.streets),
        Address2: p.chance(0.15) ? `Floor ${p.int(2, 40)}` : '',
        Address3: '',
        City: kind === 'empty' ? '' : p.pick(pools.cities),
        State: kind === 'empty' ? '' : p.pick(pools.states),
        Zip: kind === 'empty' ? '' : p.pick(pools.zips),
        Country: kind === 'empty' ? '' : country,
        CountryNum: kind === 'empty' ? 0 : countryNum,
        PhoneNum: kind === 'empty' ? '' : p.pick(pools.phones),
        FaxNum: p.chance(0.2) ? p.pick(pools.phones) : '',
        EMailAddress:
          kind === 'invalidEmail' ? p.pick(INVALID_EMAILS) : kind === 'empty' ? '' : `info@${domain}`,
        CustURL: kind === 'empty' ? '' : p.chance(0.2) ? `www.${domain}` : `https://${domain}`,
        TermsCode: p.pick(['NET30', 'NET45', 'NET60', 'CIA']),
        CurrencyCode: country === 'USA' ? 'USD' : p.pick(['USD', 'CAD', 'MXN', 'EUR']),
        GroupCode: p.pick(['', 'DIST', 'OEM', 'RETL']),
        SalesRepCode: p.pick(['', 'REP01', 'REP02', 'REP03']),
        TerritoryID: p.pick(['', 'EAST', 'WEST', 'CENT']),
        CustomerType: p.chance(0.85) ? 'CUS' : p.pick(['PRO', 'SUS']),
        Inactive: p.chance(0.08),
        CreditHold: p.chance(0.04),
        NoContact: p.chance(0.03),
        PrimPCon: contacts.length > 0 ? 1 : 0,
        PrimBCon: contacts.length > 1 ? 2 : contacts.length > 0 ? 1 : 0,
        PrimSCon: 0,
        EstDate: p.chance(0.2) ? null : dateText(est),
        CreditLimit: p.int(0, 100) * 1000,
        Comment: '',
        Industry: p.pick(['', 'Manufacturing', 'Retail', 'Aerospace', 'Food & Beverage']),
        NumberOfEmployees: p.int(0, 5000),
        ChangedBy: inCluster ? 'massupdate' : p.pick(['manager', 'jsmith', 'sales01']),
        ChangeDate: dateText(modified),
        ChangeTime: secondsOfDay(modified),
        SysRowID: p.guid(),
        SyncToExternalCRM: false,
        ExternalCRMCustomerID: '',
        ExternalCRMLastSync: null,
        ExternalCRMSyncRequired: false,
        CRMSegment_c: p.pick(['', 'A', 'B', 'C']),
        HubSpotCompanyID_c: '',
        BitFlag: 0,
        RowMod: '',
      },
    });
    contacts.forEach((c, index) => {
      const conNum = index + 1;
      const shipTo = p.chance(0.15) ? `ST${p.int(1, 3)}` : '';
      out.CustCnts.push({
        modifiedWall: c.modified,
        values: {
          Company: company,
          CustNum: custNum,
          ShipToNum: shipTo,
          ConNum: conNum,
          Name: [c.first, c.middle, c.last].filter((part) => part !== '').join(' '),
          FirstName: c.first,
          MiddleName: c.middle,
          LastName: c.last,
          Prefix: p.chance(0.1) ? p.pick(['Mr.', 'Ms.', 'Dr.']) : '',
          Suffix: '',
          Func: c.title,
          ContactTitle: c.title,
          RoleCode: p.pick(['', 'BUYER', 'AP', 'ENG']),
          EMailAddress: c.email,
          PhoneNum: c.phone,
          CellPhoneNum: p.chance(0.3) ? p.pick(pools.phones) : '',
          FaxNum: '',
          Address1: '',
          City: '',
          State: '',
          Zip: '',
          Country: '',
          CorpName: name,
          Inactive: p.chance(0.05),
          NoContact: p.chance(0.03),
          PrimaryBilling: conNum === 2 || (conNum === 1 && contacts.length === 1),
          PrimaryPurchasing: conNum === 1,
          PrimaryShipping: false,
          PerConID: 0,
          WebSite: '',
          LinkedIn: p.chance(0.2) ? `https://www.linkedin.com/in/${slug(c.first)}-${slug(c.last)}` : '',
          CreateDate: dateText(c.created),
          ChangeDate: dateText(c.modified),
          ChangeTime: secondsOfDay(c.modified),
          ChangedBy: p.pick(['manager', 'jsmith', 'sales01']),
          SysRowID: p.guid(),
          ExternalCRMContactID: '',
          CustNumCustID: custId,
          CustNumName: name,
          BitFlag: 0,
          RowMod: '',
        },
      });
    });
  }
  return out;
}
