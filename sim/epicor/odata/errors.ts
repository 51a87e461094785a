/** A bad `$filter`/`$orderby`/`$select`/… — answered with HTTP 400 and an ODataException-style body. */
export class ODataQueryError extends Error {
  override get name(): string {
    return 'ODataQueryError';
  }
}

/** The query names a property the row type lacks ("Could not find a property named …"). */
export class PropertyNotFoundError extends ODataQueryError {
  readonly property: string;
  readonly qualifiedType: string;

  constructor(property: string, qualifiedType: string) {
    super(`Could not find a property named '${property}' on type '${qualifiedType}'.`);
    this.property = property;
    this.qualifiedType = qualifiedType;
  }
}

export function propertyNotFound(property: string, qualifiedType: string): ODataQueryError {
  return new PropertyNotFoundError(property, qualifiedType);
}
