/**
 * Syntax checks the operator applies to its own configuration, matching the Go operator's
 * (`resource.ParseQuantity` and `validation.IsDNS1123Subdomain` from k8s.io/apimachinery).
 */

// resource.ParseQuantity's grammar: an optional sign, an optional decimal number, then one of the
// decimal SI suffixes (n u m "" k M G T P E), a binary SI suffix (Ki … Ei) or a decimal exponent
// (e3, E-2). Go really accepts a missing number ("m", "Mi", "-", "." all parse as zero).
const quantityPattern =
  /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]*)?(?:[numkMGTPE]|([KMGTPE])i|[eE]([+-]?[0-9]+))?$/;
const int64Max = 2n ** 63n - 1n;

/**
 * True when `value` parses as a Kubernetes resource quantity (for example `250m`, `1Gi`, `1e3`),
 * exactly as Go's resource.ParseQuantity decides, quirks included.
 */
export function isQuantity(value: string): boolean {
  if (value === '') return false;
  const match = quantityPattern.exec(value);
  if (match === null) return false;
  const [, number = '', binaryPrefix, exponent] = match;
  if (exponent !== undefined) {
    // Go parses the exponent as an int64 and refuses the quantity when that overflows.
    const magnitude = BigInt(exponent.replace(/^[+-]/, ''));
    if (magnitude > (exponent.startsWith('-') ? int64Max + 1n : int64Max)) return false;
  }
  if (/[0-9]/.test(number)) return true;
  // Without digits Go only succeeds on its int64 fast path; the arbitrary-precision fallback
  // cannot parse the empty number, which is what Pi, Ei and exponents below -9 fall back to.
  if (binaryPrefix === 'P' || binaryPrefix === 'E') return false;
  return exponent === undefined || BigInt(exponent) >= -9n;
}

const dns1123SubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123SubdomainMaxLength = 253;

/** True when `value` is a DNS-1123 subdomain: lower-case alphanumerics, `-` and `.`, ≤ 253 chars. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= dns1123SubdomainMaxLength && dns1123SubdomainPattern.test(value);
}
