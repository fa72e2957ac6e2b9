/**
 * Pinned versions and locations of the local control plane. The Go wrapper module in ./go pins the
 * exact module versions (go.mod/go.sum); these constants must agree with it and feed the version
 * ldflags so the API server reports its real version.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const kubernetesVersion = 'v1.36.3';
export const kwokVersion = 'v0.8.0';

/** Repository root (this file lives in scripts/control-plane). */
export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const goModuleDir = join(import.meta.dirname, 'go');

/**
 * Built binaries live outside the checkout so fresh clones reuse them; override with
 * LOCUST_OPERATOR_CACHE. Per-cluster runtime state (certificates, etcd data, logs) lives in the
 * checkout's ignored .cache directory.
 */
export const toolCacheDir = resolve(
  process.env.LOCUST_OPERATOR_CACHE ?? join(homedir(), '.cache', 'locust-operator'),
);
export const clustersDir = join(repoRoot, '.cache', 'clusters');

export const binaries = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
  'kwokctl',
] as const;
export type Binary = (typeof binaries)[number];

/** Go packages built for each binary, relative to the wrapper module. */
export const binaryPackages: Record<Binary, string> = {
  etcd: './cmd/etcd',
  'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
  'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
  'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
  kubectl: 'k8s.io/kubernetes/cmd/kubectl',
  kwok: 'sigs.k8s.io/kwok/cmd/kwok',
  kwokctl: 'sigs.k8s.io/kwok/cmd/kwokctl',
};

export function kubernetesLdflags(): string {
  const [major, minor] = kubernetesVersion.replace(/^v/, '').split('.');
  const pkg = 'k8s.io/component-base/version';
  const kwokPkg = 'sigs.k8s.io/kwok/pkg/consts';
  return [
    '-s -w',
    `-X ${pkg}.gitVersion=${kubernetesVersion}`,
    `-X ${pkg}.gitMajor=${major ?? ''}`,
    `-X ${pkg}.gitMinor=${minor ?? ''}`,
    `-X ${pkg}.gitTreeState=clean`,
    `-X ${kwokPkg}.Version=${kwokVersion.replace(/^v/, '')}`,
    `-X ${kwokPkg}.KubeVersion=${kubernetesVersion.replace(/^v/, '')}`,
  ].join(' ');
}
