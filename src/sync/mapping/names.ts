/**
 * First/last name of an Epicor contact. Epicor contacts carry `FirstName`/`LastName` but many rows only
 * fill the full-name column `Name`; then the full name is split:
 * - "Last, First"  -> first "First", last "Last";
 * - one word       -> first name only (HubSpot shows contacts by first name when there is no last);
 * - several words  -> the last word is the last name, the rest the first name; a trailing suffix
 *   (Jr., Sr., II, III, IV, PhD…) stays with the last name ("Martin Luther King Jr." -> "Martin Luther" /
 *   "King Jr."), and lower-case surname particles (van, de, von, da…) stay with the last name
 *   ("Ludwig van Beethoven" -> "Ludwig" / "van Beethoven").
 */
export interface PersonName {
  readonly firstName: string;
  readonly lastName: string;
}

const PARTICLES = new Set([
  'van',
  'von',
  'de',
  'der',
  'den',
  'da',
  'das',
  'di',
  'do',
  'dos',
  'du',
  'del',
  'della',
  'la',
  'le',
  'ter',
  'ten',
  'bin',
  'al',
]);
const SUFFIXES = new Set([
  'jr',
  'jr.',
  'sr',
  'sr.',
  'ii',
  'iii',
  'iv',
  'v',
  'phd',
  'ph.d.',
  'md',
  'm.d.',
  'esq',
  'esq.',
]);

export function splitFullName(fullName: string): PersonName {
  const name = fullName.trim().replace(/\s+/g, ' ');
  if (name === '') return { firstName: '', lastName: '' };
  const comma = name.indexOf(',');
  if (comma > 0) {
    const last = name.slice(0, comma).trim();
    const first = name.slice(comma + 1).trim();
    // "Smith, Jr." style: the part after the comma is a suffix, not a first name.
    if (first !== '' && !SUFFIXES.has(first.toLowerCase())) return { firstName: first, lastName: last };
    // "Smith, Jr.": a surname with a suffix and no first name.
    if (first !== '') return { firstName: '', lastName: `${last} ${first}` };
  }
  const words = name.split(' ');
  if (words.length === 1) return { firstName: name, lastName: '' };
  let lastStart = words.length - 1;
  const tail = words[lastStart] ?? '';
  if (words.length >= 3 && SUFFIXES.has(tail.toLowerCase().replace(/,$/, ''))) lastStart -= 1;
  while (lastStart > 1 && PARTICLES.has(words[lastStart - 1] ?? '')) lastStart -= 1;
  return { firstName: words.slice(0, lastStart).join(' '), lastName: words.slice(lastStart).join(' ') };
}

/** `FirstName`/`LastName` when either is filled, else `Name` split. */
export function personName(fields: Readonly<Record<string, unknown>>): PersonName {
  const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
  const firstName = text(fields['FirstName']);
  const lastName = text(fields['LastName']);
  if (firstName !== '' || lastName !== '') return { firstName, lastName };
  return splitFullName(text(fields['Name']));
}
