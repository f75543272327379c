import { z } from 'zod';

/** `Area/Location[/Sub]` or a bare name like `UTC`: never an offset such as `+01:00`. */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * True when `name` is an IANA time-zone name that this runtime's ICU data knows. Uses Intl rather
 * than `Intl.supportedValuesOf('timeZone')`, which lists canonical zones only and so rejects `UTC`
 * and every link name. The pattern check comes first because Node 22+ also accepts UTC offsets
 * (`+01:00`) as a `timeZone`: an offset is not a zone — it has no daylight-saving rules — and would
 * reproduce article 9's bug.
 */
export function isIanaTimeZone(name: string): boolean {
  if (!IANA_NAME.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * A zod schema for a person's or a business's IANA time zone. The value is kept as given, not
 * canonicalized: ICU's canonical names differ between Node versions (Node 20 turns `EST` into
 * `America/Panama`), and a stored value must not change meaning with a runtime upgrade.
 */
export const ianaTimeZone = () =>
  z
    .string()
    .max(64)
    .refine(isIanaTimeZone, { message: 'must be an IANA time zone name such as Europe/Paris or America/New_York' });
