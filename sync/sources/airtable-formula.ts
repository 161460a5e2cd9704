/**
 * Airtable formulas built from names organizers choose (a column called `Status}` or a value with quotes must not
 * break, or widen, the filter). Used for `filterByFormula`; the mapping always checks the rows again.
 */

/** `{Field name}`, with `}` and `\` escaped. */
export function fieldRef(name: string): string {
  return `{${name.replace(/[\\}]/g, '\\$&')}}`;
}

/** A double-quoted formula string literal. */
export function stringLiteral(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** True for records whose `field`, trimmed and in any case, is `value` (e.g. Status is "Accepted" or " accepted"). */
export function equalsIgnoringCase(field: string, value: string): string {
  return `LOWER(TRIM(${fieldRef(field)}))=${stringLiteral(value.trim().toLowerCase())}`;
}
