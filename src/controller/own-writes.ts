/**
 * The objects this controller wrote, until its cache shows them. A reconcile queued by our own
 * first status write often starts before the watch delivers our second one; planning from that
 * stale copy re-did the transition, conflicted (409), re-read and recorded its Event twice.
 * Resource versions are opaque, so staleness is known by identity: the cache is stale exactly
 * when it still shows a version one of our writes replaced.
 */
interface Versioned {
  metadata?: { uid?: string; resourceVersion?: string } | undefined;
}

interface Entry<T> {
  replaced: Set<string>;
  latest: T;
}

export class OwnWrites<T extends Versioned> {
  private readonly entries = new Map<string, Entry<T>>();

  /** What to reconcile: our latest write while the cache still shows a version it replaced. */
  freshest(key: string, cached: T): T {
    const entry = this.entries.get(key);
    if (entry === undefined) return cached;
    const version = cached.metadata?.resourceVersion;
    if (
      entry.latest.metadata?.uid === cached.metadata?.uid &&
      version !== undefined &&
      entry.replaced.has(version)
    )
      return entry.latest;
    // The cache caught up with us, or someone else wrote since: the cache is the truth again.
    this.entries.delete(key);
    return cached;
  }

  /** Records that our write turned the versions in `replaced` into `written`. */
  wrote(key: string, replaced: readonly (string | undefined)[], written: T): void {
    const entry = this.entries.get(key) ?? { replaced: new Set<string>(), latest: written };
    const previous = entry.latest.metadata?.resourceVersion;
    if (previous !== undefined && entry.latest !== written) entry.replaced.add(previous);
    for (const version of replaced) if (version !== undefined) entry.replaced.add(version);
    entry.latest = written;
    this.entries.set(key, entry);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
