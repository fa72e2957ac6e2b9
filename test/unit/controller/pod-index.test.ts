import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { PodIndex } from '../../../src/controller/pod-index.ts';

const pod = (name: string, testName?: string): V1Pod => ({
  metadata: {
    name,
    namespace: 'ns',
    ...(testName ? { labels: { 'performance-test-name': testName } } : {}),
  },
});
const index = (): PodIndex =>
  new PodIndex((p) => {
    const label = p.metadata?.labels?.['performance-test-name'];
    return label ? `ns/${label}` : undefined;
  });

test('pods are found by their test and forgotten when deleted', () => {
  const pods = index();
  assert.equal(pods.upsert(pod('a-master', 'a')), 'ns/a');
  pods.upsert(pod('a-worker', 'a'));
  pods.upsert(pod('b-master', 'b'));
  assert.deepEqual(
    pods
      .podsOf('ns/a')
      .map((p) => p.metadata?.name)
      .sort(),
    ['a-master', 'a-worker'],
  );
  assert.equal(pods.remove(pod('a-master', 'a')), 'ns/a');
  assert.deepEqual(
    pods.podsOf('ns/a').map((p) => p.metadata?.name),
    ['a-worker'],
  );
});

test('a pod whose test changes moves, and a pod of no test is not indexed', () => {
  const pods = index();
  pods.upsert(pod('x', 'a'));
  pods.upsert(pod('x', 'b'));
  assert.deepEqual(pods.podsOf('ns/a'), []);
  assert.equal(pods.podsOf('ns/b').length, 1);
  assert.equal(pods.upsert(pod('y')), undefined);
  assert.equal(pods.remove(pod('y')), undefined);
});
