/**
 * Pods by the test they belong to, kept current from the Pod informer's events, so a reconcile
 * finds its pods without scanning every cached pod.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { objectKey } from '../runtime/informer.ts';

export class PodIndex {
  private readonly byTest = new Map<string, Map<string, V1Pod>>();
  private readonly testOfPod = new Map<string, string>();

  constructor(private readonly testKeyOf: (pod: V1Pod) => string | undefined) {}

  /** Records the pod's current state (also moves it if its test changed). */
  upsert(pod: V1Pod): string | undefined {
    const podKey = objectKey(pod);
    const testKey = this.testKeyOf(pod);
    const previous = this.testOfPod.get(podKey);
    if (previous !== undefined && previous !== testKey) this.remove(pod);
    if (testKey === undefined) return undefined;
    let pods = this.byTest.get(testKey);
    if (!pods) {
      pods = new Map();
      this.byTest.set(testKey, pods);
    }
    pods.set(podKey, pod);
    this.testOfPod.set(podKey, testKey);
    return testKey;
  }

  /** Forgets the pod; returns the test it belonged to. */
  remove(pod: V1Pod): string | undefined {
    const podKey = objectKey(pod);
    const testKey = this.testOfPod.get(podKey);
    if (testKey === undefined) return undefined;
    this.testOfPod.delete(podKey);
    const pods = this.byTest.get(testKey);
    pods?.delete(podKey);
    if (pods?.size === 0) this.byTest.delete(testKey);
    return testKey;
  }

  podsOf(testKey: string): V1Pod[] {
    return [...(this.byTest.get(testKey)?.values() ?? [])];
  }
}
