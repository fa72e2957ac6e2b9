import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocustTestSpec } from '../../../src/api/index.ts';
import { demoTest, locustContainerOf, podSpecOf, renderJobs } from './fixtures.ts';

function volumesAndMounts(overrides: Partial<LocustTestSpec>) {
  const { master, worker } = renderJobs(demoTest(overrides));
  return {
    master: {
      volumes: podSpecOf(master).volumes,
      mounts: locustContainerOf(master).volumeMounts,
    },
    worker: {
      volumes: podSpecOf(worker).volumes,
      mounts: locustContainerOf(worker).volumeMounts,
    },
  };
}

test('without test files, secrets or user volumes the pods have no volumes or mounts', () => {
  const { master, worker } = volumesAndMounts({ testFiles: {} });
  assert.deepEqual(master, { volumes: undefined, mounts: undefined });
  assert.deepEqual(worker, { volumes: undefined, mounts: undefined });
});

test('the test files ConfigMap is a per-role volume mounted at /lotest/src by default', () => {
  const { master, worker } = volumesAndMounts({ testFiles: { configMapRef: 'scripts' } });
  assert.deepEqual(master.volumes, [{ name: 'demo-master', configMap: { name: 'scripts' } }]);
  assert.deepEqual(master.mounts, [{ name: 'demo-master', mountPath: '/lotest/src' }]);
  assert.deepEqual(worker.volumes, [{ name: 'demo-worker', configMap: { name: 'scripts' } }]);
  assert.deepEqual(worker.mounts, [{ name: 'demo-worker', mountPath: '/lotest/src' }]);
});

test('the library ConfigMap is the locust-lib volume at /opt/locust/lib by default', () => {
  const { worker } = volumesAndMounts({ testFiles: { libConfigMapRef: 'lib' } });
  assert.deepEqual(worker.volumes, [{ name: 'locust-lib', configMap: { name: 'lib' } }]);
  assert.deepEqual(worker.mounts, [{ name: 'locust-lib', mountPath: '/opt/locust/lib' }]);
});

test('custom mount paths move the test files and library; empty paths fall back', () => {
  const custom = volumesAndMounts({
    testFiles: {
      configMapRef: 'scripts',
      libConfigMapRef: 'lib',
      srcMountPath: '/mnt/src',
      libMountPath: '/mnt/lib',
    },
  });
  assert.deepEqual(custom.master.mounts, [
    { name: 'demo-master', mountPath: '/mnt/src' },
    { name: 'locust-lib', mountPath: '/mnt/lib' },
  ]);
  const empty = volumesAndMounts({
    testFiles: {
      configMapRef: 'scripts',
      libConfigMapRef: 'lib',
      srcMountPath: '',
      libMountPath: '',
    },
  });
  assert.deepEqual(empty.master.mounts, [
    { name: 'demo-master', mountPath: '/lotest/src' },
    { name: 'locust-lib', mountPath: '/opt/locust/lib' },
  ]);
});

test('a test with dots in its name gets a dot-free test files volume name', () => {
  const { master } = renderJobs(demoTest({}, { name: 'team.a' }));
  assert.equal(podSpecOf(master).volumes?.[0]?.name, 'team-a-master');
  assert.equal(locustContainerOf(master).volumeMounts?.[0]?.name, 'team-a-master');
});

test('secret mounts become secret-<name> volumes, read-only unless readOnly is false', () => {
  const { master, worker } = volumesAndMounts({
    testFiles: {},
    env: {
      secretMounts: [
        { name: 'certs', mountPath: '/etc/certs' },
        { name: 'tokens', mountPath: '/etc/tokens', readOnly: true },
        { name: 'scratch', mountPath: '/scratch', readOnly: false },
      ],
    },
  });
  const volumes = [
    { name: 'secret-certs', secret: { secretName: 'certs' } },
    { name: 'secret-tokens', secret: { secretName: 'tokens' } },
    { name: 'secret-scratch', secret: { secretName: 'scratch' } },
  ];
  const mounts = [
    { name: 'secret-certs', mountPath: '/etc/certs', readOnly: true },
    { name: 'secret-tokens', mountPath: '/etc/tokens', readOnly: true },
    { name: 'secret-scratch', mountPath: '/scratch' },
  ];
  assert.deepEqual(master, { volumes, mounts });
  assert.deepEqual(worker, { volumes, mounts });
});

const userVolumes: LocustTestSpec['volumes'] = [
  { name: 'results', emptyDir: {} },
  { name: 'shared', emptyDir: { medium: 'Memory' } },
  { name: 'certs', secret: { secretName: 'tls', defaultMode: 0o400 } },
  { name: 'default-target', emptyDir: {} },
  { name: 'unmounted', emptyDir: {} },
];
const userMounts: LocustTestSpec['volumeMounts'] = [
  { name: 'results', mountPath: '/results', target: 'master' },
  { name: 'shared', mountPath: '/shared', target: 'both', subPath: 'x' },
  { name: 'certs', mountPath: '/certs', readOnly: true, target: 'worker' },
  { name: 'default-target', mountPath: '/d' },
];

test('user volumes go only to the pods a mount targets, mounts keep their fields without target', () => {
  const { master, worker } = volumesAndMounts({ volumes: userVolumes, volumeMounts: userMounts });
  assert.deepEqual(master.volumes, [
    { name: 'demo-master', configMap: { name: 'demo-scripts' } },
    { name: 'results', emptyDir: {} },
    { name: 'shared', emptyDir: { medium: 'Memory' } },
    { name: 'default-target', emptyDir: {} },
  ]);
  assert.deepEqual(master.mounts, [
    { name: 'demo-master', mountPath: '/lotest/src' },
    { name: 'results', mountPath: '/results' },
    { name: 'shared', mountPath: '/shared', subPath: 'x' },
    { name: 'default-target', mountPath: '/d' },
  ]);
  assert.deepEqual(worker.volumes, [
    { name: 'demo-worker', configMap: { name: 'demo-scripts' } },
    { name: 'shared', emptyDir: { medium: 'Memory' } },
    { name: 'certs', secret: { secretName: 'tls', defaultMode: 0o400 } },
    { name: 'default-target', emptyDir: {} },
  ]);
  assert.deepEqual(worker.mounts, [
    { name: 'demo-worker', mountPath: '/lotest/src' },
    { name: 'shared', mountPath: '/shared', subPath: 'x' },
    { name: 'certs', mountPath: '/certs', readOnly: true },
    { name: 'default-target', mountPath: '/d' },
  ]);
});

test('a mount with an unknown target applies nowhere, and its volume is left out', () => {
  const { master, worker } = volumesAndMounts({
    testFiles: {},
    volumes: [{ name: 'v', emptyDir: {} }],
    // An unknown target can only come from an unvalidated manifest.
    volumeMounts: [{ name: 'v', mountPath: '/v', target: 'nobody' as 'both' }],
  });
  assert.deepEqual(master, { volumes: undefined, mounts: undefined });
  assert.deepEqual(worker, { volumes: undefined, mounts: undefined });
});

test('the volume order is test files, library, secrets, then user volumes', () => {
  const { master } = volumesAndMounts({
    testFiles: { configMapRef: 'scripts', libConfigMapRef: 'lib' },
    env: { secretMounts: [{ name: 's', mountPath: '/s' }] },
    volumes: [{ name: 'u', emptyDir: {} }],
    volumeMounts: [{ name: 'u', mountPath: '/u' }],
  });
  assert.deepEqual(
    master.volumes?.map((volume) => volume.name),
    ['demo-master', 'locust-lib', 'secret-s', 'u'],
  );
  assert.deepEqual(
    master.mounts?.map((mount) => mount.name),
    ['demo-master', 'locust-lib', 'secret-s', 'u'],
  );
});
