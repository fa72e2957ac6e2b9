/**
 * The coordination.k8s.io/v1 Lease as leader election sees it, and the store it is read from and
 * written to. Kept apart from the election logic so that kube-client can implement the store
 * without importing the elector.
 */

/** The fields of coordination.k8s.io/v1 LeaseSpec that leader election uses. */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** RFC 3339 with microseconds, e.g. `2026-01-01T00:00:00.000000Z`. */
  acquireTime?: string;
  /** RFC 3339 with microseconds; informational only, never compared with our clock. */
  renewTime?: string;
  leaseTransitions?: number;
}

/** A Lease as leader election reads and writes it; other fields a store returns are kept. */
export interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: LeaseSpec;
}

/**
 * Lease access. `get` resolves undefined when the Lease does not exist. `create` of an existing
 * name rejects with an ApiError of kind AlreadyExists; `update` with a stale resourceVersion with
 * kind Conflict. Both resolve with the stored object (carrying its new resourceVersion).
 */
export interface LeaseStore {
  get(namespace: string, name: string, signal?: AbortSignal): Promise<Lease | undefined>;
  create(lease: Lease, signal?: AbortSignal): Promise<Lease>;
  update(lease: Lease, signal?: AbortSignal): Promise<Lease>;
}

/** Formats epoch milliseconds as a Kubernetes MicroTime: `2026-01-01T00:00:00.000000Z`. */
export function formatMicroTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/Z$/, '000Z');
}

/** A copy of lease with spec fields replaced; metadata and unknown fields are kept for the write. */
export function withLeaseSpec(lease: Lease, spec: LeaseSpec): Lease {
  return { ...lease, spec: { ...lease.spec, ...spec } };
}

/**
 * The leader-election record of a spec as a comparable string. Observers compare records rather
 * than resourceVersions, so an edit of the Lease's labels does not look like a renewal.
 */
export function leaseRecordKey(spec: LeaseSpec): string {
  return JSON.stringify([
    spec.holderIdentity ?? '',
    spec.leaseDurationSeconds ?? 0,
    spec.acquireTime ?? '',
    spec.renewTime ?? '',
    spec.leaseTransitions ?? 0,
  ]);
}
