/** Small zod building blocks shared by the config schemas. */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { parseInterval } from '../service/schedule.js';

export const nonEmpty = z.string().trim().min(1, 'Required');

/** An IANA time zone such as `Europe/Zurich`. */
export const timeZoneSchema = nonEmpty.refine((zone) => IANAZone.isValidZone(zone), {
  message: 'not an IANA time zone (e.g. America/Chicago, Europe/Zurich, UTC)',
});

/** A duration as text (`30s`, `2m`, `1h30m`) or a number of milliseconds; the output is milliseconds. */
export const durationSchema = z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const ms = parseInterval(value);
  if (ms === undefined || ms <= 0) {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: `"${value}" is not a duration such as 30s, 2m, 1h`,
    });
    return z.NEVER;
  }
  return ms;
});

/** An http(s) URL without credentials in it (secrets never live in the config file). */
export const httpUrlSchema = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).refine(
  (url) => {
    // zod runs this even when the URL check above failed; that failure is reported already.
    if (!URL.canParse(url)) return true;
    const parsed = new URL(url);
    return parsed.username === '' && parsed.password === '';
  },
  { message: 'must not contain a user name or password; credentials live in the encrypted store' },
);

/** A connection id: lower-case letters, digits and dashes, used in URLs, metrics and log fields. */
export const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
    'a slug: 1-40 lower-case letters, digits and dashes, not starting or ending with a dash',
  );
