/** Names of the objects generated for a test. */

export type Role = 'master' | 'worker';

/**
 * The name of a generated object for a role: `<test>-<role>` with dots replaced by dashes, used
 * for the master Service, both Jobs, the Locust containers and the test-files volume.
 */
export function nodeName(testName: string, role: Role): string {
  return `${testName}-${role}`.replaceAll('.', '-');
}
