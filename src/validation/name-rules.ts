/**
 * Checks of the test's name that the Go webhook missed (weak spot 15): the name becomes an object
 * name, the master Service name `<name>-master` (a DNS-1035 label) and a label value, and
 * Kubernetes rejects the generated objects when any of those is invalid.
 */
import { labelKeys } from '../api/constants.ts';
import { nodeName } from '../api/names.ts';
import { describeValue, type FieldProblem, type ValidationResult } from './field-problem.ts';
import { dns1035LabelProblems, dns1123SubdomainProblems, labelValueProblems } from './k8s-names.ts';
import type { RuleView } from './rule-view.ts';
import { generateNameSuffixLength } from './webhook-rules.ts';

const tooLongPrefix = 'must be no more than';

function withoutLength(problems: readonly string[]): string[] {
  // Length is rule 1's to report, with the Go webhook's message.
  return problems.filter((p) => !p.startsWith(tooLongPrefix));
}

/**
 * The name must be a DNS-1123 subdomain (the API server's rule for custom resources); given that,
 * the master Service name must be a DNS-1035 label (it may not start with a digit) and the name a
 * valid label value. For generateName, the random suffix is modelled by lowercase letters.
 */
export function checkName(view: RuleView): ValidationResult {
  const { name } = view;
  const errors: FieldProblem[] = [];
  for (const [key, value] of Object.entries(view.rawNames)) {
    if (value !== undefined && typeof value !== 'string') {
      // The metadata schema is the API server's, not the CRD's, so the type check is ours.
      const message = `Invalid value: ${describeValue(value)}: must be of type string`;
      errors.push({ field: `metadata.${key}`, message });
    }
  }
  if (errors.length > 0) return { errors, warnings: [] };
  if (name === undefined) {
    errors.push({
      field: 'metadata.name',
      message: 'Required value: name or generateName is required',
    });
    return { errors, warnings: [] };
  }
  const full =
    name.field === 'metadata.name'
      ? name.value
      : `${name.value}${'x'.repeat(generateNameSuffixLength)}`;
  const shown = JSON.stringify(name.value);
  const subdomain = dns1123SubdomainProblems(full);
  if (subdomain.length > 0) {
    errors.push({ field: name.field, message: `Invalid value: ${shown}: ${subdomain.join('; ')}` });
    return { errors, warnings: [] };
  }
  const serviceName = nodeName(full, 'master');
  if (withoutLength(dns1035LabelProblems(serviceName)).length > 0) {
    // Given a valid subdomain, the only way to fail is a leading digit.
    const generated =
      name.field === 'metadata.name' ? `"${serviceName}"` : `"${name.value}<random>-master"`;
    errors.push({
      field: name.field,
      message: `Invalid value: ${shown}: must start with a lowercase letter: the master Service name ${generated} must be a DNS-1035 label (regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    });
  }
  const label = withoutLength(labelValueProblems(full));
  if (label.length > 0) {
    errors.push({
      field: name.field,
      message: `Invalid value: ${shown}: the name is the value of the pod labels "${labelKeys.app}" and "${labelKeys.testName}": ${label.join('; ')}`,
    });
  }
  return { errors, warnings: [] };
}
