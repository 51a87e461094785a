import type { PropertyDefinition } from './default-properties.js';
import type { PropertyIssue } from './errors.js';

function issue(name: string, error: string, message: string): PropertyIssue {
  return { isValid: false, message, error, name, localizedErrorMessage: message };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks one value against its definition and returns the stored form, or an issue. Values are strings
 * (numbers and booleans sent as JSON are coerced first by the caller); an empty string clears.
 */
export function checkValue(
  def: PropertyDefinition,
  value: string,
  isEmail: boolean,
): PropertyIssue | undefined {
  if (value === '') return undefined;
  if (isEmail && !EMAIL.test(value)) {
    return issue(def.name, 'INVALID_EMAIL', `Email address ${value} is invalid`);
  }
  switch (def.type) {
    case 'number':
      if (!NUMBER.test(value.trim()))
        return issue(def.name, 'INVALID_NUMBER', `${value} was not a valid number.`);
      return undefined;
    case 'bool':
      if (value !== 'true' && value !== 'false') {
        return issue(def.name, 'INVALID_BOOLEAN', `${value} was not a valid boolean. Use true or false.`);
      }
      return undefined;
    case 'enumeration': {
      const allowed = def.options.map((o) => o.value);
      const parts = def.fieldType === 'checkbox' ? value.split(';') : [value];
      const bad = parts.find((p) => !allowed.includes(p));
      if (bad !== undefined) {
        return issue(
          def.name,
          'INVALID_OPTION',
          `${bad} was not one of the allowed options: [${allowed.join(', ')}]`,
        );
      }
      return undefined;
    }
    case 'date':
    case 'datetime': {
      const asNumber = Number(value);
      const ok = /^\d+$/.test(value)
        ? Number.isFinite(asNumber)
        : ISO_DATE.test(value) || !Number.isNaN(Date.parse(value));
      if (!ok) return issue(def.name, 'INVALID_DATE', `${value} is not a valid date.`);
      if (def.type === 'date' && /^\d+$/.test(value) && asNumber % 86_400_000 !== 0) {
        return issue(
          def.name,
          'INVALID_DATE',
          `${value} is not midnight UTC; date properties need a day boundary.`,
        );
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export type PropertyInput = Record<string, string | number | boolean | null>;

/**
 * Validates a write's properties. Returns the normalised values to store (read-only ones dropped) and
 * every issue found. Unknown properties give `PROPERTY_DOESNT_EXIST`.
 */
export function validateProperties(
  input: PropertyInput,
  lookup: (name: string) => PropertyDefinition | undefined,
  emailProperty: string | undefined,
): { values: Record<string, string>; issues: PropertyIssue[] } {
  const values: Record<string, string> = {};
  const issues: PropertyIssue[] = [];
  for (const [name, raw] of Object.entries(input)) {
    const def = lookup(name);
    if (!def || def.archived) {
      issues.push(issue(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`));
      continue;
    }
    if (def.readOnlyValue) continue;
    const value = raw === null ? '' : String(raw);
    const problem = checkValue(def, value, name === emailProperty || def.textDisplayHint === 'email');
    if (problem) issues.push(problem);
    else values[name] = name === emailProperty ? value.trim().toLowerCase() : value;
  }
  return { values, issues };
}
