/** Kubeconfig files with embedded credentials for the local cluster's components. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function base64File(path: string): string {
  return readFileSync(path).toString('base64');
}

/** Writes a kubeconfig for the identity whose cert/key stem is given, pointing at the API server. */
export function writeKubeconfig(
  path: string,
  pkiDir: string,
  identity: string,
  server: string,
  clusterName: string,
): void {
  const context = `locust-${clusterName}`;
  const content = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `  - name: ${context}`,
    '    cluster:',
    `      server: ${server}`,
    `      certificate-authority-data: ${base64File(join(pkiDir, 'ca.crt'))}`,
    'users:',
    `  - name: ${identity}`,
    '    user:',
    `      client-certificate-data: ${base64File(join(pkiDir, `${identity}.crt`))}`,
    `      client-key-data: ${base64File(join(pkiDir, `${identity}.key`))}`,
    'contexts:',
    `  - name: ${context}`,
    '    context:',
    `      cluster: ${context}`,
    `      user: ${identity}`,
    '      namespace: default',
    `current-context: ${context}`,
    '',
  ].join('\n');
  writeFileSync(path, content, { mode: 0o600 });
}
