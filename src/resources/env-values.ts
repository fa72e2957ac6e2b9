/**
 * Parsers for operator environment values with the Go operator's syntax (`strconv.ParseBool`,
 * `strconv.ParseInt(v, 10, 32)`), so a value accepted or refused there is accepted or refused here.
 */

const goTrue = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const goFalse = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Parses Go bool syntax (`1/t/T/TRUE/true/True`, `0/f/F/FALSE/false/False`); undefined otherwise. */
export function parseGoBool(value: string): boolean | undefined {
  if (goTrue.has(value)) return true;
  if (goFalse.has(value)) return false;
  return undefined;
}

const int32Min = -(2 ** 31);
const int32Max = 2 ** 31 - 1;

/** Parses a base-10 int32 (optional sign, digits only, in range); undefined otherwise. */
export function parseGoInt32(value: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(value)) return undefined;
  // `+ 0` turns -0 into 0, which Go has no separate notion of.
  const parsed = Number(value) + 0;
  return parsed >= int32Min && parsed <= int32Max ? parsed : undefined;
}

/** Quotes a value the way Go's `%q` does for printable strings, for messages that match upstream. */
export function goQuote(value: string): string {
  return JSON.stringify(value);
}
