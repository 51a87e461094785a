/** A bad `$filter`/`$orderby`/`$select`/… — answered with HTTP 400 and an ODataException-style body. */
export class ODataQueryError extends Error {
  override get name(): string {
    return 'ODataQueryError';
  }
}

export function propertyNotFound(property: string, qualifiedType: string): ODataQueryError {
  return new ODataQueryError(`Could not find a property named '${property}' on type '${qualifiedType}'.`);
}
