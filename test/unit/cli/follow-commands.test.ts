/** run, apply, status, logs and delete: what they refuse before touching Locust or a cluster. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manifest, runInProcess, tempFile } from './cli-harness.ts';

// A kubeconfig whose server refuses connections: enough to pick a namespace, never to talk.
const unreachable = tempFile(
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'c', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } },
    ],
    users: [{ name: 'u', user: { token: 't' } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'from-context' } }],
    'current-context': 'x',
  }),
  'kubeconfig',
);

test('the help lists every command, each with its exit statuses', async () => {
  const help = await runInProcess(['--help']);
  for (const command of ['run', 'apply', 'status', 'logs', 'delete']) {
    assert.match(help.stdout, new RegExp(`^  ${command} \\[options\\]`, 'm'), command);
    const own = await runInProcess([command, '--help']);
    assert.equal(own.code, 0);
    assert.match(own.stdout, /Exit status:/);
  }
});

test('run without --local says where the cluster mode is', async () => {
  const run = await runInProcess(['run', tempFile(manifest('demo'))]);
  assert.equal(run.code, 2);
  assert.equal(
    run.stderr,
    'locustctl: run needs --local (to run a test in a cluster, use apply --wait)\n',
  );
});

test('run --local needs the test files: from the file or --files', async () => {
  const run = await runInProcess([
    'run',
    '--local',
    '--locust',
    '/bin/true',
    tempFile(manifest('demo')),
  ]);
  assert.equal(run.code, 2);
  assert.equal(
    run.stderr,
    'locustctl: ConfigMap demo-scripts (spec.testFiles.configMapRef) is not in the file: add it there or pass --files DIR\n',
  );
});

test('run --local refuses bad --secret-file and --workers values and a missing Locust', async () => {
  const file = tempFile(manifest('demo'));
  const secret = await runInProcess(['run', '--local', '--secret-file', 'creds', file]);
  assert.deepEqual(
    [secret.code, secret.stderr],
    [2, 'locustctl: --secret-file creds: expected NAME=PATH\n'],
  );
  const workers = await runInProcess(['run', '--local', '--workers', '0', file]);
  assert.equal(workers.code, 2);
  assert.match(
    workers.stderr,
    /--workers <N>' argument '0' is invalid\. expected a whole number of at least 1/,
  );
  const locust = await runInProcess(['run', '--local', '--locust', '/nonexistent/locust', file]);
  assert.equal(locust.code, 2);
  assert.match(locust.stderr, /Locust not found \(looked for \/nonexistent\/locust\)/);
});

test('run and apply take exactly one valid v2 LocustTest', async () => {
  const two = tempFile(`${manifest('a')}---\n${manifest('b')}`);
  const run = await runInProcess(['run', '--local', two]);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, `locustctl: ${two} must hold exactly one LocustTest, found 2\n`);
  const invalid = await runInProcess([
    'apply',
    '--kubeconfig',
    unreachable,
    tempFile(manifest('bad', 0)),
  ]);
  assert.equal(invalid.code, 1);
  assert.match(
    invalid.stderr,
    /:11: spec\.worker\.replicas: Invalid value: 0: should be greater than or equal to 1\n$/,
  );
});

test('--generate-name validates the name the server will make, suffix included', async () => {
  const longName = 'a'.repeat(52);
  const plain = await runInProcess([
    'apply',
    '--kubeconfig',
    unreachable,
    tempFile(manifest(longName)),
  ]);
  assert.equal(
    plain.code,
    3,
    'the 52-character name itself is valid: the command got as far as the cluster',
  );
  const generated = await runInProcess([
    'apply',
    '--generate-name',
    '--kubeconfig',
    unreachable,
    tempFile(manifest(longName)),
  ]);
  assert.equal(generated.code, 1);
  assert.match(generated.stderr, /metadata\.name: .*56/);
});

test('apply refuses a -n that contradicts the manifest, as kubectl does', async () => {
  const file = tempFile(
    manifest('demo').replace('  name: demo\n', '  name: demo\n  namespace: load\n'),
  );
  const run = await runInProcess(['apply', '-n', 'other', '--kubeconfig', unreachable, file]);
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /the namespace from the provided object "load" does not match the namespace "other"/,
  );
});

test('an unreachable cluster exits 3, naming the namespace from the context', async () => {
  const status = await runInProcess(['status', 'demo', '--kubeconfig', unreachable]);
  assert.equal(status.code, 3);
  assert.match(status.stderr, /^locustctl: status of from-context\/demo: get locusttests: /);
  const context = await runInProcess([
    'status',
    'demo',
    '--kubeconfig',
    unreachable,
    '--context',
    'nope',
  ]);
  assert.equal(context.code, 2);
  assert.match(context.stderr, /cannot use the kubeconfig: .*\(is there a context "nope"\?\)/);
});

test('durations are checked when the command line is read', async () => {
  const run = await runInProcess(['apply', '--wait', '--timeout', '5x', 'file.yaml']);
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /--timeout <duration>' argument '5x' is invalid\. expected a duration such as 90s, 10m or 1h30m/,
  );
});
