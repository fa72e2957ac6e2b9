import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterLayout } from '../../../scripts/control-plane/layout.ts';

test('clusters with different names use disjoint loopback ports', () => {
  const names = ['local', 'demo', 'bench', 'rbac', 'ci-1', 'ci-2'];
  const seen = new Map<number, string>();
  for (const name of names) {
    for (const port of Object.values(clusterLayout(name).ports)) {
      assert.equal(
        seen.get(port),
        undefined,
        `port ${String(port)} of ${name} is also used by ${seen.get(port) ?? ''}`,
      );
      seen.set(port, name);
    }
  }
});

test('a cluster keeps its state under .cache/clusters/<name>', () => {
  const layout = clusterLayout('demo');
  assert.match(layout.dir, /\.cache\/clusters\/demo$/);
  assert.ok(layout.kubeconfig.startsWith(layout.dir));
});
