/**
 * Where one named local cluster keeps its state and which loopback ports it uses. Clusters with
 * different names (the test suite's, the demo's, the benchmark's) use disjoint port ranges so they
 * can run side by side.
 */
import { join } from 'node:path';
import { clustersDir } from './versions.ts';

export type ClusterPorts = Record<
  'etcdClient' | 'etcdPeer' | 'apiserver' | 'controllerManager' | 'scheduler' | 'kwok',
  number
>;

export interface ClusterLayout {
  name: string;
  dir: string;
  pkiDir: string;
  logDir: string;
  etcdDataDir: string;
  /** Admin kubeconfig (system:masters) with embedded credentials. */
  kubeconfig: string;
  ports: ClusterPorts;
}

const knownClusters = ['local', 'demo', 'bench', 'rbac'];

/** Cluster name from LOCUST_CLUSTER, default "local". */
export function clusterName(): string {
  const name = process.env.LOCUST_CLUSTER ?? 'local';
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(name)) {
    throw new Error(
      `LOCUST_CLUSTER=${name}: use lowercase letters, digits and dashes (at most 31)`,
    );
  }
  return name;
}

function slot(name: string): number {
  const known = knownClusters.indexOf(name);
  if (known >= 0) return known;
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) % 1000;
  return knownClusters.length + (hash % 40);
}

export function clusterLayout(name: string = clusterName()): ClusterLayout {
  const dir = join(clustersDir, name);
  const base = 21000 + slot(name) * 20;
  return {
    name,
    dir,
    pkiDir: join(dir, 'pki'),
    logDir: join(dir, 'logs'),
    etcdDataDir: join(dir, 'etcd'),
    kubeconfig: join(dir, 'kubeconfig'),
    ports: {
      etcdClient: base,
      etcdPeer: base + 1,
      apiserver: base + 2,
      controllerManager: base + 3,
      scheduler: base + 4,
      kwok: base + 5,
    },
  };
}
