import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkLocustTest, validate, validateV1 } from '../../../src/validation/validate.ts';
import { lines, sampleTest } from './sample-test.ts';

test('every failing rule is reported, schema errors first, then the webhook rules in order', () => {
  const value = sampleTest((t) => {
    t.metadata.name = 'x'.repeat(60);
    t.spec.worker.replicas = 0;
    t.spec.env = { secretMounts: [{ name: 's', mountPath: '/lotest/src' }] };
    t.spec.volumes = [{ name: 'locust-lib', emptyDir: {} }];
    t.spec.volumeMounts = [
      { name: 'locust-lib', mountPath: '/lotest/src/lib' },
      { name: 'nope', mountPath: '/nope' },
    ];
    t.spec.observability = { openTelemetry: { enabled: true } };
  });
  assert.deepEqual(
    validate(value).errors.map((p) => p.field),
    [
      'spec.worker.replicas',
      'metadata.name',
      'spec.env.secretMounts[0].mountPath',
      'spec.volumes[0].name',
      'spec.volumeMounts[0].mountPath',
      'spec.volumeMounts[1].name',
      'spec.observability.openTelemetry.endpoint',
    ],
  );
});

test('rules still run when the schema check fails on an unrelated field', () => {
  const value = sampleTest((t) => {
    t.spec.image = 3 as unknown as string;
    t.spec.volumeMounts = [{ name: 'ghost', mountPath: '/g' }];
  });
  assert.deepEqual(lines(validate(value).errors), [
    'spec.image: Invalid value: 3: must be of type string',
    'spec.volumeMounts[0].name: volumeMount "ghost" references undefined volume; spec.volumes defines no volumes',
  ]);
});

test('schema validation runs on the defaulted object, as the API server validates it', () => {
  const value = sampleTest((t) => (t.spec.master.autoquit = {} as { enabled: boolean }));
  assert.deepEqual(validate(value), { errors: [], warnings: [] });
});

test('unknown fields are warnings, not errors', () => {
  const value = sampleTest((t) => Object.assign(t.spec.worker, { replica: 3 }));
  assert.deepEqual(validate(value), {
    errors: [],
    warnings: [{ field: 'spec.worker.replica', message: 'unknown field "spec.worker.replica"' }],
  });
});

test('a status in a new manifest is a warning: the API server ignores it', () => {
  const value = { ...sampleTest(), status: { phase: 'Bogus' } };
  assert.deepEqual(validate(value), {
    errors: [],
    warnings: [
      {
        field: 'status',
        message:
          'ignored: the API server drops status sent with a new object; only the operator writes it',
      },
    ],
  });
});

test('an update that changes nothing does not fail for problems the object already had', () => {
  const old = sampleTest((t) => {
    t.metadata.name = 'y'.repeat(60);
    t.spec.volumeMounts = [{ name: 'ghost', mountPath: '/g' }];
  });
  const withFinalizer = sampleTest((t) => {
    t.metadata.name = 'y'.repeat(60);
    t.metadata.finalizers = ['locust.io/cleanup'];
    t.spec.volumeMounts = [{ name: 'ghost', mountPath: '/g' }];
  });
  const result = validate(withFinalizer, old);
  assert.deepEqual(result.errors, []);
  assert.equal(result.warnings.length, 2);
  assert.match(
    result.warnings[0]?.message ?? '',
    /\(already invalid before this update; not blocking it\)$/,
  );
});

test('an update may not introduce a new problem', () => {
  const old = sampleTest((t) => (t.metadata.name = 'y'.repeat(60)));
  const edited = sampleTest((t) => {
    t.metadata.name = 'y'.repeat(60);
    t.spec.worker.replicas = 0;
  });
  assert.deepEqual(lines(validate(edited, old).errors), [
    'spec.worker.replicas: Invalid value: 0: should be greater than or equal to 1',
  ]);
});

test('an update does not enforce immutability: the operator reports drift instead', () => {
  const old = sampleTest();
  const edited = sampleTest((t) => {
    t.spec.worker.replicas = 7;
    t.spec.image = 'locustio/locust:2.44.0';
  });
  assert.deepEqual(validate(edited, old), { errors: [], warnings: [] });
});

test('a v1 test is checked against the v1 schema and warned about as deprecated', () => {
  const v1 = {
    apiVersion: 'locust.io/v1',
    kind: 'LocustTest',
    metadata: { name: 'e2e-test-v1' },
    spec: {
      masterCommandSeed: 'locust',
      workerCommandSeed: 'locust',
      workerReplicas: 0,
      image: 'x',
    },
  };
  const result = validateV1(v1);
  assert.deepEqual(lines(result.errors), [
    'spec.workerReplicas: Invalid value: 0: should be greater than or equal to 1',
  ]);
  assert.deepEqual(lines(result.warnings), [
    'apiVersion: locust.io/v1 LocustTest is deprecated, migrate to locust.io/v2',
  ]);
});

test('checkLocustTest returns the test with the API server defaults when valid', () => {
  const checked = checkLocustTest(sampleTest((t) => (t.spec.master.autoquit = { enabled: true })));
  assert.ok(checked.valid);
  assert.equal(checked.test.spec.imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(checked.test.spec.master.autoquit, { enabled: true, timeout: 60 });
  assert.equal(checked.test.spec.testFiles?.srcMountPath, '/lotest/src');
});

test('checkLocustTest refuses an invalid test or another kind', () => {
  assert.equal(checkLocustTest(sampleTest((t) => (t.spec.worker.replicas = 0))).valid, false);
  assert.equal(checkLocustTest({ ...sampleTest(), apiVersion: 'locust.io/v1' }).valid, false);
});
