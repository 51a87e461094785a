/**
 * Checks one non-empty value against what HubSpot accepts for its property and applies the configured
 * rule when it would be rejected — so a bad value costs a warning or sets one record aside, never a
 * failed batch.
 */

import { checkEmail } from './email.js';
import type { PropertySpec } from './properties.js';
import type { TooLongRule, ValueRule, ValueRules } from './settings.js';
import { excerpt, truncateText } from './text.js';
import { toBoolString, toDateString, toDateTimeString, toDecimalString } from './values.js';

export type ValueOutcome =
  | { readonly kind: 'write'; readonly value: string; readonly warning?: string }
  | { readonly kind: 'drop'; readonly warning: string }
  | { readonly kind: 'set-aside'; readonly reason: string };

export interface CheckContext {
  readonly rules: ValueRules;
  readonly textMaxLength: number;
  readonly nameMaxLength: number;
  /** Zone for date-times without an offset. */
  readonly timeZone: string;
}

export interface CheckedSpec extends PropertySpec {
  readonly maxLength?: number | undefined;
}

function broken(rule: ValueRule, property: string, problem: string): ValueOutcome {
  return rule === 'drop'
    ? { kind: 'drop', warning: `${property}: ${problem}; value dropped` }
    : { kind: 'set-aside', reason: `${property}: ${problem}` };
}

function checkLength(
  property: string,
  value: string,
  max: number,
  rule: TooLongRule,
  warning?: string,
): ValueOutcome {
  if (value.length <= max)
    return warning === undefined ? { kind: 'write', value } : { kind: 'write', value, warning };
  const problem = `value of ${value.length} characters is over the ${max}-character limit`;
  if (rule !== 'truncate') return broken(rule, property, problem);
  return { kind: 'write', value: truncateText(value, max), warning: `${property}: ${problem}; truncated` };
}

/** `text` is trimmed and not empty. */
export function checkValue(
  property: string,
  text: string,
  spec: CheckedSpec,
  ctx: CheckContext,
): ValueOutcome {
  const { rules } = ctx;
  switch (spec.type) {
    case 'number': {
      const value = toDecimalString(text);
      return value === undefined
        ? broken(rules.invalidNumber, property, `${excerpt(text)} is not a number`)
        : { kind: 'write', value };
    }
    case 'bool': {
      const value = toBoolString(text);
      return value === undefined
        ? broken(rules.invalidOption, property, `${excerpt(text)} is not true/false`)
        : { kind: 'write', value };
    }
    case 'date': {
      const value = toDateString(text);
      return value === undefined
        ? broken(rules.invalidDate, property, `${excerpt(text)} is not a date`)
        : { kind: 'write', value };
    }
    case 'datetime': {
      const value = toDateTimeString(text, ctx.timeZone);
      return value === undefined
        ? broken(rules.invalidDate, property, `${excerpt(text)} is not a date-time`)
        : { kind: 'write', value };
    }
    case 'enumeration': {
      const options = spec.options;
      if (options === undefined || options.length === 0 || options.includes(text))
        return { kind: 'write', value: text };
      // Internal values are case-sensitive; fix the case silently when it is the only difference.
      const folded = options.filter((o) => o.toLowerCase() === text.toLowerCase());
      if (folded.length === 1 && folded[0] !== undefined) return { kind: 'write', value: folded[0] };
      const shown = options.length > 12 ? `${options.slice(0, 12).join(', ')}, …` : options.join(', ');
      return broken(rules.invalidOption, property, `${excerpt(text)} is not one of the options [${shown}]`);
    }
    case 'email': {
      const checked = checkEmail(text);
      if (!checked.ok)
        return broken(rules.invalidEmail, property, `${excerpt(text)} is not a valid email address`);
      const note = checked.note === undefined ? undefined : `${property}: ${checked.note}`;
      return checkLength(property, checked.value, ctx.textMaxLength, rules.tooLong, note);
    }
    case 'name':
    case 'text': {
      const limit = spec.maxLength ?? (spec.type === 'name' ? ctx.nameMaxLength : ctx.textMaxLength);
      return checkLength(property, text, Math.min(limit, ctx.textMaxLength), rules.tooLong);
    }
  }
}
