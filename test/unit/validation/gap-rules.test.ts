import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validate } from '../../../src/validation/validate.ts';
import { lines, sampleTest } from './sample-test.ts';

const errorsOf = (value: unknown) => lines(validate(value).errors);
const warningsOf = (value: unknown) => lines(validate(value).warnings);

test('a name starting with a digit is rejected because the master Service name must be a DNS-1035 label', () => {
  assert.deepEqual(errorsOf(sampleTest((t) => (t.metadata.name = '1st-test'))), [
    `metadata.name: Invalid value: "1st-test": must start with a lowercase letter: the master Service name "1st-test-master" must be a DNS-1035 label (regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
  ]);
});

test('a dotted name is accepted: dots become dashes in generated names', () => {
  assert.deepEqual(errorsOf(sampleTest((t) => (t.metadata.name = 'team-a.load-test'))), []);
});

test('a name that is not a DNS-1123 subdomain is rejected as the API server would', () => {
  assert.deepEqual(errorsOf(sampleTest((t) => (t.metadata.name = 'My_Test'))), [
    "metadata.name: Invalid value: \"My_Test\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
});

test('a test without a name or generateName is rejected', () => {
  assert.deepEqual(errorsOf(sampleTest((t) => (t.metadata = {}))), [
    'metadata.name: Required value: name or generateName is required',
  ]);
});

test('mounting one Secret twice is rejected: both mounts would create the same volume', () => {
  const value = sampleTest((t) => {
    t.spec.env = {
      secretMounts: [
        { name: 'tls', mountPath: '/etc/tls' },
        { name: 'tls', mountPath: '/etc/tls2' },
      ],
    };
  });
  assert.deepEqual(errorsOf(value), [
    'spec.env.secretMounts[1].name: Duplicate value: "tls": spec.env.secretMounts[0] already mounts this Secret; both would create the volume "secret-tls" and volume names must be unique',
  ]);
});

test('a Secret name that makes an invalid volume name is rejected', () => {
  const dotted = sampleTest(
    (t) => (t.spec.env = { secretMounts: [{ name: 'tls.certs', mountPath: '/etc/tls' }] }),
  );
  assert.match(
    errorsOf(dotted).join('\n'),
    /^spec.env.secretMounts\[0\].name: Invalid value: "tls.certs": the generated volume name "secret-tls.certs" is not a valid volume name: a lowercase RFC 1123 label/,
  );
  const long = sampleTest(
    (t) => (t.spec.env = { secretMounts: [{ name: 'a'.repeat(57), mountPath: '/etc/tls' }] }),
  );
  assert.match(
    errorsOf(long).join('\n'),
    /is not a valid volume name: must be no more than 63 characters$/,
  );
  const fits = sampleTest(
    (t) => (t.spec.env = { secretMounts: [{ name: 'a'.repeat(56), mountPath: '/etc/tls' }] }),
  );
  assert.deepEqual(errorsOf(fits), []);
});

test('a secret mount and a volume mount on the same path are rejected: mount paths must be unique', () => {
  const value = sampleTest((t) => {
    t.spec.env = { secretMounts: [{ name: 'tls', mountPath: '/etc/certs' }] };
    t.spec.volumes = [{ name: 'certs', emptyDir: {} }];
    t.spec.volumeMounts = [{ name: 'certs', mountPath: '/etc/certs', target: 'worker' }];
  });
  assert.deepEqual(errorsOf(value), [
    'spec.volumeMounts[0].mountPath: Invalid value: "/etc/certs": must be unique: spec.env.secretMounts[0].mountPath already mounts this path in the worker container',
  ]);
});

test('two volume mounts on one path in different pods are accepted', () => {
  const value = sampleTest((t) => {
    t.spec.volumes = [
      { name: 'a', emptyDir: {} },
      { name: 'b', emptyDir: {} },
    ];
    t.spec.volumeMounts = [
      { name: 'a', mountPath: '/data', target: 'master' },
      { name: 'b', mountPath: '/data', target: 'worker' },
    ];
  });
  assert.deepEqual(validate(value), { errors: [], warnings: [] });
});

test('a volume mount nested in a secret mount is a warning', () => {
  const value = sampleTest((t) => {
    t.spec.env = { secretMounts: [{ name: 'tls', mountPath: '/etc/certs' }] };
    t.spec.volumes = [{ name: 'extra', emptyDir: {} }];
    t.spec.volumeMounts = [{ name: 'extra', mountPath: '/etc/certs/extra' }];
  });
  assert.deepEqual(errorsOf(value), []);
  assert.deepEqual(warningsOf(value), [
    'spec.volumeMounts[0].mountPath: mount path "/etc/certs/extra" overlaps "/etc/certs" (spec.env.secretMounts[0].mountPath) in the master and worker containers; the inner mount hides part of the outer one',
  ]);
});

test('an empty mount path is rejected', () => {
  const value = sampleTest(
    (t) => (t.spec.env = { secretMounts: [{ name: 'tls', mountPath: '' }] }),
  );
  assert.deepEqual(errorsOf(value), [
    'spec.env.secretMounts[0].mountPath: Required value: a mount path must not be empty',
  ]);
});

test('duplicate and invalid user volume names are rejected; unused volumes are warnings', () => {
  const value = sampleTest((t) => {
    t.spec.volumes = [
      { name: 'data', emptyDir: {} },
      { name: 'data', emptyDir: {} },
      { name: 'Bad_Name', emptyDir: {} },
      { name: 'spare', emptyDir: {} },
    ];
    t.spec.volumeMounts = [
      { name: 'data', mountPath: '/data' },
      { name: 'Bad_Name', mountPath: '/bad' },
    ];
  });
  const errors = errorsOf(value);
  assert.equal(errors.length, 2);
  assert.equal(
    errors[0],
    'spec.volumes[1].name: Duplicate value: "data": spec.volumes[0] has the same name; volume names must be unique',
  );
  assert.match(
    errors[1] ?? '',
    /^spec.volumes\[2\].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/,
  );
  assert.deepEqual(warningsOf(value), [
    'spec.volumes[3].name: volume "spare" is not used by any spec.volumeMounts entry, so it is added to no pod',
  ]);
});

test('an operator-managed flag in extraArgs is a warning: the user value takes precedence', () => {
  const value = sampleTest((t) => {
    t.spec.master.extraArgs = ['--headless', '--expect-workers=5'];
    t.spec.worker.extraArgs = ['--master-host', 'elsewhere'];
  });
  assert.deepEqual(errorsOf(value), []);
  assert.deepEqual(warningsOf(value), [
    'spec.master.extraArgs[1]: "--expect-workers=5" is an operator-managed flag; extraArgs come after the operator\'s flags, so this value takes precedence (Locust uses the last occurrence)',
    'spec.worker.extraArgs[0]: "--master-host" is an operator-managed flag; extraArgs come after the operator\'s flags, so this value takes precedence (Locust uses the last occurrence)',
  ]);
});

test('an operator-managed flag in a command seed is a warning: the operator value takes precedence', () => {
  const value = sampleTest((t) => (t.spec.master.command = '-f /lotest/src/a.py --autoquit 10'));
  assert.deepEqual(warningsOf(value), [
    'spec.master.command: "--autoquit" is an operator-managed flag; the operator\'s flags follow the command and take precedence where they repeat it, so set this through the test\'s spec instead',
  ]);
});

test('a name that YAML 1.1 reads as a boolean is reported as the wrong type', () => {
  const value = sampleTest((t) => Object.assign(t.metadata, { name: true }));
  assert.deepEqual(errorsOf(value), ['metadata.name: Invalid value: true: must be of type string']);
});
