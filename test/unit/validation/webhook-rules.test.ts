import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validate } from '../../../src/validation/validate.ts';
import { lines, sampleTest } from './sample-test.ts';

const errorsOf = (value: unknown) => lines(validate(value).errors);

test('the sample test is accepted without problems', () => {
  assert.deepEqual(validate(sampleTest()), { errors: [], warnings: [] });
});

test('rule 1 accepts a name of 56 characters', () => {
  assert.deepEqual(errorsOf(sampleTest((t) => (t.metadata.name = 'a'.repeat(56)))), []);
});

test('rule 1 rejects a name of 57 characters with the Go message', () => {
  const name = 'a'.repeat(57);
  assert.deepEqual(errorsOf(sampleTest((t) => (t.metadata.name = name))), [
    `metadata.name: name "${name}" is too long: generated Job names would exceed 63 characters (max CR name length is 56)`,
  ]);
});

test('rule 1 counts the random suffix of generateName', () => {
  const accepted = sampleTest((t) => {
    delete t.metadata.name;
    t.metadata.generateName = `${'a'.repeat(50)}-`;
  });
  assert.deepEqual(errorsOf(accepted), []);
  const rejected = sampleTest((t) => {
    delete t.metadata.name;
    t.metadata.generateName = `${'a'.repeat(51)}-`;
  });
  assert.match(
    errorsOf(rejected).join('\n'),
    /^metadata.generateName: generateName "a+-" is too long: .*max generateName length is 51/,
  );
});

test('rule 2 rejects a secret mount on or under the test-files path', () => {
  const value = sampleTest((t) => {
    t.spec.env = { secretMounts: [{ name: 'certs', mountPath: '/lotest/src/certs/' }] };
  });
  assert.deepEqual(errorsOf(value), [
    'spec.env.secretMounts[0].mountPath: secretMount path "/lotest/src/certs/" conflicts with reserved path "/lotest/src"; operator uses this path for test files',
  ]);
});

test('rule 2 accepts a secret mount beside the test-files path', () => {
  const value = sampleTest((t) => {
    t.spec.env = { secretMounts: [{ name: 'certs', mountPath: '/lotest/srcs' }] };
  });
  assert.deepEqual(errorsOf(value), []);
});

test('rule 2 reserves both default paths when no test files are configured', () => {
  const value = sampleTest((t) => {
    delete t.spec.testFiles;
    t.spec.env = { secretMounts: [{ name: 'lib', mountPath: '/opt/locust' }] };
  });
  assert.deepEqual(errorsOf(value), [
    'spec.env.secretMounts[0].mountPath: secretMount path "/opt/locust" conflicts with reserved path "/opt/locust/lib"; operator uses this path for test files',
  ]);
});

test('rule 2 follows a custom srcMountPath', () => {
  const value = sampleTest((t) => {
    t.spec.testFiles = { configMapRef: 'x', srcMountPath: '/tests' };
    t.spec.env = { secretMounts: [{ name: 's', mountPath: '/lotest/src' }] };
  });
  assert.deepEqual(errorsOf(value), []);
});

test('rule 3 rejects reserved and generated volume names', () => {
  const value = sampleTest((t) => {
    t.spec.volumes = [
      { name: 'secret-x', emptyDir: {} },
      { name: 'locust-lib', emptyDir: {} },
      { name: 'demo-master', emptyDir: {} },
      { name: 'demo-worker', emptyDir: {} },
      { name: 'data', emptyDir: {} },
    ];
    t.spec.volumeMounts = ['secret-x', 'locust-lib', 'demo-master', 'demo-worker', 'data'].map(
      (name) => ({
        name,
        mountPath: `/mnt/${name}`,
      }),
    );
  });
  assert.deepEqual(errorsOf(value), [
    'spec.volumes[0].name: volume name "secret-x" uses reserved prefix "secret-"',
    'spec.volumes[1].name: volume name "locust-lib" is reserved by the operator',
    'spec.volumes[2].name: volume name "demo-master" conflicts with operator-generated name',
    'spec.volumes[3].name: volume name "demo-worker" conflicts with operator-generated name',
  ]);
});

test('rule 4 rejects a volume mount over a reserved path', () => {
  const value = sampleTest((t) => {
    t.spec.volumes = [{ name: 'data', emptyDir: {} }];
    t.spec.volumeMounts = [{ name: 'data', mountPath: '/lotest', target: 'worker' }];
  });
  assert.deepEqual(errorsOf(value), [
    'spec.volumeMounts[0].mountPath: volumeMount path "/lotest" conflicts with reserved path "/lotest/src"',
  ]);
});

test('rule 5 rejects a mount of an undefined volume and lists the defined ones', () => {
  const value = sampleTest((t) => {
    t.spec.volumes = [{ name: 'data', emptyDir: {} }];
    t.spec.volumeMounts = [
      { name: 'data', mountPath: '/data' },
      { name: 'dat', mountPath: '/dat' },
    ];
  });
  assert.deepEqual(errorsOf(value), [
    'spec.volumeMounts[1].name: volumeMount "dat" references undefined volume; defined volumes: "data"',
  ]);
  const none = sampleTest((t) => (t.spec.volumeMounts = [{ name: 'x', mountPath: '/x' }]));
  assert.deepEqual(errorsOf(none), [
    'spec.volumeMounts[0].name: volumeMount "x" references undefined volume; spec.volumes defines no volumes',
  ]);
});

test('rule 6 requires an endpoint when OpenTelemetry is enabled', () => {
  const enabled = sampleTest((t) => (t.spec.observability = { openTelemetry: { enabled: true } }));
  assert.deepEqual(errorsOf(enabled), [
    'spec.observability.openTelemetry.endpoint: Required value: observability.openTelemetry.endpoint is required when OpenTelemetry is enabled',
  ]);
  const empty = sampleTest(
    (t) => (t.spec.observability = { openTelemetry: { enabled: true, endpoint: '' } }),
  );
  assert.equal(errorsOf(empty).length, 1);
  const ok = sampleTest(
    (t) => (t.spec.observability = { openTelemetry: { enabled: true, endpoint: 'otel:4317' } }),
  );
  assert.deepEqual(errorsOf(ok), []);
  const disabled = sampleTest(
    (t) => (t.spec.observability = { openTelemetry: { enabled: false } }),
  );
  assert.deepEqual(errorsOf(disabled), []);
});
