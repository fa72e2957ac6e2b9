/**
 * In-memory Lease stores for leader-election tests: one shared "API server" that enforces
 * resourceVersion preconditions like the real one, and per-replica views that can be cut off.
 */
import type { Clock } from '../../../src/runtime/clock.ts';
import { ApiError } from '../../../src/runtime/errors.ts';
import type { Lease, LeaseStore } from '../../../src/runtime/lease.ts';

/** A write the store accepted, with the fake time it happened. */
export interface AcceptedWrite {
  at: number;
  verb: 'create' | 'update';
  lease: Lease;
}

function copy(lease: Lease): Lease {
  return structuredClone(lease);
}

/** The shared store. Every accepted write bumps the resourceVersion. */
export class MemoryLeaseStore implements LeaseStore {
  readonly writes: AcceptedWrite[] = [];
  conflicts = 0;
  private readonly leases = new Map<string, Lease>();
  private version = 0;
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** The stored Lease, for assertions. */
  lease(namespace = 'ops', name = 'lock'): Lease | undefined {
    const lease = this.leases.get(`${namespace}/${name}`);
    return lease && copy(lease);
  }

  get(namespace: string, name: string): Promise<Lease | undefined> {
    return Promise.resolve(this.lease(namespace, name));
  }

  create(lease: Lease): Promise<Lease> {
    const key = `${lease.metadata.namespace}/${lease.metadata.name}`;
    if (this.leases.has(key)) {
      this.conflicts++;
      return Promise.reject(new ApiError('AlreadyExists', `lease ${key} already exists`));
    }
    return Promise.resolve(this.accept('create', key, lease));
  }

  update(lease: Lease): Promise<Lease> {
    const key = `${lease.metadata.namespace}/${lease.metadata.name}`;
    const stored = this.leases.get(key);
    if (!stored) return Promise.reject(new ApiError('NotFound', `lease ${key} not found`));
    if (lease.metadata.resourceVersion !== stored.metadata.resourceVersion) {
      this.conflicts++;
      return Promise.reject(
        new ApiError('Conflict', `the object has been modified; please apply your changes`),
      );
    }
    return Promise.resolve(this.accept('update', key, lease));
  }

  private accept(verb: 'create' | 'update', key: string, lease: Lease): Lease {
    const saved = copy(lease);
    saved.metadata.resourceVersion = String(++this.version);
    this.leases.set(key, saved);
    this.writes.push({ at: this.clock.now(), verb, lease: copy(saved) });
    return copy(saved);
  }
}

/** A replica's view of the shared store: while `down`, every request fails as Transient. */
export class ReplicaLeaseStore implements LeaseStore {
  down = false;
  /** Fake times of successful reads, with the renewTime each one returned. */
  readonly reads: { at: number; renewTime: string | undefined }[] = [];

  private readonly shared: MemoryLeaseStore;
  private readonly clock: Clock;

  constructor(shared: MemoryLeaseStore, clock: Clock) {
    this.shared = shared;
    this.clock = clock;
  }

  async get(namespace: string, name: string): Promise<Lease | undefined> {
    await this.reachable();
    const lease = await this.shared.get(namespace, name);
    this.reads.push({ at: this.clock.now(), renewTime: lease?.spec.renewTime });
    return lease;
  }

  async create(lease: Lease): Promise<Lease> {
    await this.reachable();
    return this.shared.create(lease);
  }

  async update(lease: Lease): Promise<Lease> {
    await this.reachable();
    return this.shared.update(lease);
  }

  private reachable(): Promise<void> {
    return this.down
      ? Promise.reject(new ApiError('Transient', 'connection refused'))
      : Promise.resolve();
  }
}
