/**
 * The local control plane for integration tests: brought up once per run by the test runner
 * (scripts/run-tests.ts), reused when already running.
 */
import { clusterUp } from '../../scripts/control-plane/cluster.ts';
import { clusterLayout, type ClusterLayout } from '../../scripts/control-plane/layout.ts';

/** Starts the cluster named by LOCUST_CLUSTER (default "local") unless it is running. */
export async function ensureCluster(): Promise<ClusterLayout> {
  return clusterUp(clusterLayout());
}

/** The admin kubeconfig of the test cluster: KUBECONFIG when the runner set it, else the default. */
export function testKubeconfigPath(): string {
  return process.env.KUBECONFIG ?? clusterLayout().kubeconfig;
}
