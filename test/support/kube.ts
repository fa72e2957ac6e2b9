/**
 * Kubernetes clients for tests, loaded from the test cluster's kubeconfig, and a fresh namespace
 * per test that is deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import {
  ApiException,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  AdmissionregistrationV1Api,
  ApiextensionsV1Api,
  CustomObjectsApi,
  CoordinationV1Api,
  VersionApi,
} from '@kubernetes/client-node';
import { eventually } from './eventually.ts';
import { testKubeconfigPath } from './cluster.ts';

export function loadTestKubeConfig(path: string = testKubeconfigPath()): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(path);
  return kubeConfig;
}

export interface TestClients {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  batch: BatchV1Api;
  apps: AppsV1Api;
  rbac: RbacAuthorizationV1Api;
  admission: AdmissionregistrationV1Api;
  apiextensions: ApiextensionsV1Api;
  custom: CustomObjectsApi;
  coordination: CoordinationV1Api;
  version: VersionApi;
}

export function testClients(kubeConfig: KubeConfig = loadTestKubeConfig()): TestClients {
  return {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    batch: kubeConfig.makeApiClient(BatchV1Api),
    apps: kubeConfig.makeApiClient(AppsV1Api),
    rbac: kubeConfig.makeApiClient(RbacAuthorizationV1Api),
    admission: kubeConfig.makeApiClient(AdmissionregistrationV1Api),
    apiextensions: kubeConfig.makeApiClient(ApiextensionsV1Api),
    custom: kubeConfig.makeApiClient(CustomObjectsApi),
    coordination: kubeConfig.makeApiClient(CoordinationV1Api),
    version: kubeConfig.makeApiClient(VersionApi),
  };
}

/** The HTTP status of a client error, or undefined for anything else. */
export function statusCodeOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusCodeOf(error) === 404;
}

/** The object, or null when the API server answers NotFound. */
export async function orNullIfNotFound<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * Creates a namespace unique to this test, waits until pods can be admitted into it (its default
 * ServiceAccount exists), and deletes it when the test ends.
 */
export async function testNamespace(t: TestContext, clients: TestClients): Promise<string> {
  const slug = t.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40)
    .replace(/-$/, '');
  const name = `t-${slug}-${randomBytes(3).toString('hex')}`;
  await clients.core.createNamespace({
    body: { metadata: { name, labels: { 'locust-operator.dev/test-namespace': 'true' } } },
  });
  t.after(async () => {
    await clients.core.deleteNamespace({ name }).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  });
  await eventually(
    async () => {
      await clients.core.readNamespacedServiceAccount({ name: 'default', namespace: name });
      return true;
    },
    { description: `the default ServiceAccount in namespace ${name}`, timeoutMs: 60_000 },
  );
  return name;
}
