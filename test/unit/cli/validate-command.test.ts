import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manifest, runInProcess, tempFile } from './cli-harness.ts';

test('validate exits 0 and prints nothing on stdout for valid tests', async () => {
  const file = tempFile(`${manifest('a')}---\n${manifest('b')}`);
  const run = await runInProcess(['validate', file]);
  assert.equal(run.code, 0);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, 'locustctl: 2 LocustTests checked: 0 errors, 0 warnings\n');
});

test('validate prints file:line: field: message with the line of the offending field', async () => {
  const file = tempFile(`# a ConfigMap first, which is ignored
apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  locustfile.py: "print()"
---
${manifest('ok')}---
${manifest('bad', 0)}`);
  const run = await runInProcess(['validate', file]);
  assert.equal(run.code, 1);
  // The second LocustTest starts on line 24; replicas is its 10th line.
  assert.equal(
    run.stdout,
    `${file}:33: spec.worker.replicas: Invalid value: 0: should be greater than or equal to 1\n`,
  );
});

test('a missing field is reported at the line of its nearest present parent', async () => {
  const file = tempFile(manifest('x').replace('    replicas: 2\n', ''));
  const run = await runInProcess(['validate', file]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, `${file}:9: spec.worker.replicas: Required value\n`);
});

test('warnings are printed with warning: and do not fail validation', async () => {
  const file = tempFile(
    manifest('w').replace(
      '    replicas: 2\n',
      '    replicas: 2\n    extraArgs: ["--only-summary"]\n    replica: 3\n',
    ),
  );
  const run = await runInProcess(['validate', file]);
  assert.equal(run.code, 0);
  assert.deepEqual(run.stdout.trimEnd().split('\n'), [
    `${file}:13: warning: spec.worker.replica: unknown field "spec.worker.replica"`,
    `${file}:12: warning: spec.worker.extraArgs[0]: "--only-summary" is an operator-managed flag; extraArgs come after the operator's flags, so this value takes precedence (Locust uses the last occurrence)`,
  ]);
});

test('all errors of a test are reported, not only the first', async () => {
  const file = tempFile(
    manifest('1st').replace('    replicas: 2\n', '    replicas: 0\n') +
      '  observability:\n    openTelemetry:\n      enabled: true\n',
  );
  const run = await runInProcess(['validate', file]);
  assert.equal(run.code, 1);
  const fields = run.stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.split(': ')[1]);
  // Schema errors, then the Go webhook's rules in order, then the checks it lacked.
  assert.deepEqual(fields, [
    'spec.worker.replicas',
    'spec.observability.openTelemetry.endpoint',
    'metadata.name',
  ]);
});

test('a YAML 1.1 boolean where a string belongs is caught, as kubectl would send it', async () => {
  const file = tempFile(
    manifest('yaml').replace('configMapRef: yaml-scripts', 'configMapRef: yes'),
  );
  const run = await runInProcess(['validate', file]);
  assert.equal(run.code, 1);
  assert.equal(
    run.stdout,
    `${file}:13: spec.testFiles.configMapRef: Invalid value: true: must be of type string\n`,
  );
});

test('a v1 test is checked and warned about as deprecated', async () => {
  const file = tempFile(`apiVersion: locust.io/v1
kind: LocustTest
metadata:
  name: old
spec:
  masterCommandSeed: locust
  workerCommandSeed: locust
  workerReplicas: 1
  image: locustio/locust
`);
  const run = await runInProcess(['validate', file]);
  assert.equal(run.code, 0);
  assert.equal(
    run.stdout,
    `${file}:1: warning: apiVersion: locust.io/v1 LocustTest is deprecated, migrate to locust.io/v2\n`,
  );
});

test('an unknown LocustTest apiVersion is an error', async () => {
  const file = tempFile(manifest('v3').replace('locust.io/v2', 'locust.io/v3'));
  const run = await runInProcess(['validate', file]);
  assert.equal(run.code, 1);
  assert.match(
    run.stdout,
    /:1: apiVersion: Unsupported value: "locust.io\/v3": supported values: "locust.io\/v2", "locust.io\/v1"\n$/,
  );
});

test('LocustTests inside a List are validated at their own lines', async () => {
  const items = manifest('in-list', 0)
    .split('\n')
    .filter((line) => line !== '')
    .map((line, index) => (index === 0 ? `  - ${line}` : `    ${line}`))
    .join('\n');
  const file = tempFile(`apiVersion: v1\nkind: List\nitems:\n${items}\n`);
  const run = await runInProcess(['validate', file]);
  assert.equal(run.code, 1);
  assert.equal(
    run.stdout,
    `${file}:14: spec.worker.replicas: Invalid value: 0: should be greater than or equal to 1
`,
  );
});

test('- reads the manifest from standard input', async () => {
  const run = await runInProcess(['validate', '-'], { stdin: manifest('piped', 0) });
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^<stdin>:11: spec.worker.replicas: /);
});

test('a YAML syntax error exits 2 with the line of the error', async () => {
  const file = tempFile(`${manifest('s')}---\nkind: LocustTest\nmetadata:\n  name: [unclosed\n`);
  const run = await runInProcess(['validate', file]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, new RegExp(`^${file}:1[0-9]:\\d+: YAML syntax error: `));
});

test('an unreadable file exits 2, after checking the readable ones', async () => {
  const good = tempFile(manifest('g', 0));
  const run = await runInProcess(['validate', '/nonexistent/locusttest.yaml', good]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^locustctl: cannot read \/nonexistent\/locusttest.yaml: ENOENT/);
  assert.match(run.stdout, /spec.worker.replicas/);
});

test('usage errors exit 2', async () => {
  assert.equal((await runInProcess(['validate'])).code, 2);
  assert.equal((await runInProcess(['validate', '--no-such-flag', 'x'])).code, 2);
  assert.equal((await runInProcess(['no-such-command'])).code, 2);
  assert.equal((await runInProcess([])).code, 2);
});

test('--output json prints the located problems as a JSON array', async () => {
  const file = tempFile(manifest('j', 0));
  const run = await runInProcess(['validate', '--output', 'json', file]);
  assert.equal(run.code, 1);
  assert.deepEqual(JSON.parse(run.stdout), [
    {
      file,
      line: 11,
      severity: 'error',
      field: 'spec.worker.replicas',
      message: 'Invalid value: 0: should be greater than or equal to 1',
    },
  ]);
});

test('a file without LocustTests is fine and says so', async () => {
  const file = tempFile('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
  const run = await runInProcess(['validate', file]);
  assert.equal(run.code, 0);
  assert.equal(run.stderr, `locustctl: no LocustTest found in ${file}\n`);
});
