/** The leader-election LeaseStore over the API server. */
import { isApiError } from './errors.ts';
import type { KubeClient } from './kube-client.ts';
import type { Lease, LeaseStore } from './lease.ts';
import { resourceTypes } from './resources.ts';

export function kubeLeaseStore(client: KubeClient): LeaseStore {
  const type = resourceTypes.leases;
  return {
    async get(namespace, name) {
      try {
        return await client.get<Lease>(type, namespace, name);
      } catch (error) {
        if (isApiError(error, 'NotFound')) return undefined;
        throw error;
      }
    },
    create: (lease) =>
      client.create<Lease & { apiVersion: string; kind: string }>(type, lease.metadata.namespace, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        ...lease,
      }),
    update: (lease) =>
      client.update<Lease>(type, lease.metadata.namespace, lease.metadata.name, lease),
  };
}
