/**
 * Kubernetes name formats, with the API server's own explanations, for checking the names the
 * operator will derive from a test before Kubernetes rejects the generated objects.
 */

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function tooLong(value: string, max: number): string[] {
  return value.length > max ? [`must be no more than ${String(max)} characters`] : [];
}

/** Problems with `value` as an RFC 1123 label (container, volume and port names); empty if valid. */
export function dns1123LabelProblems(value: string): string[] {
  const problems = tooLong(value, 63);
  if (!dns1123Label.test(value)) {
    problems.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return problems;
}

/** Problems with `value` as an RFC 1123 subdomain (the names of most objects); empty if valid. */
export function dns1123SubdomainProblems(value: string): string[] {
  const problems = tooLong(value, 253);
  if (!dns1123Subdomain.test(value)) {
    problems.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return problems;
}

/** Problems with `value` as an RFC 1035 label (Service names); empty if valid. */
export function dns1035LabelProblems(value: string): string[] {
  const problems = tooLong(value, 63);
  if (!dns1035Label.test(value)) {
    problems.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return problems;
}

/** Problems with `value` as a label value; empty if valid. */
export function labelValueProblems(value: string): string[] {
  const problems = tooLong(value, 63);
  if (!labelValue.test(value)) {
    problems.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
  return problems;
}
