/**
 * `locustctl apply --wait` against the local control plane with the operator running: the exit
 * code is the CI verdict (0 Succeeded, 1 Failed, 2 timeout) and the output tells a user what
 * happened; `--generate-name` gives every run its own test and ConfigMap; `status`, `logs` and
 * `delete --wait` work on what `apply` created. KWOK decides the master pod's outcome.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { testKubeconfigPath } from '../../support/cluster.ts';
import { testClients, testNamespace } from '../../support/kube.ts';
import { readTest } from '../../support/locusttests.ts';
import { ensureCrd, startOperator, waitUntilReconciling } from '../../support/operator.ts';
import { runCli } from './cli-process.ts';

const clients = testClients();

/** A manifest: the scripts ConfigMap and a LocustTest whose master KWOK ends as `outcome` says. */
function manifest(outcome: 'succeed' | 'fail' | 'run'): string {
  const annotations =
    outcome === 'run'
      ? '    annotations: {}'
      : [
          '    annotations:',
          `      sim.locust-operator.dev/outcome: ${outcome}`,
          '      sim.locust-operator.dev/after: 5s',
        ].join('\n');
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: checkout-scripts
data:
  locustfile.py: |
    from locust import HttpUser, task

    class Shopper(HttpUser):
        @task
        def browse(self):
            self.client.get("/")
---
apiVersion: locust.io/v2
kind: LocustTest
metadata:
  name: checkout
spec:
  image: locustio/locust:2.43.3
  master:
    command: --locustfile /lotest/src/locustfile.py --host https://shop.example.com
${annotations}
  worker:
    command: --locustfile /lotest/src/locustfile.py
    replicas: 2
  testFiles:
    configMapRef: checkout-scripts
`;
}

function manifestFile(t: TestContext, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'apply-wait-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const file = join(dir, 'checkout.yaml');
  writeFileSync(file, content);
  return file;
}

/** A namespace of its own with the operator watching it. */
async function withOperator(t: TestContext): Promise<string> {
  await ensureCrd(clients);
  const namespace = await testNamespace(t, clients);
  await waitUntilReconciling(startOperator(t, { namespace }));
  return namespace;
}

function cluster(namespace: string): string[] {
  return ['--kubeconfig', testKubeconfigPath(), '-n', namespace];
}

function createdName(stdout: string): string {
  const match = /^locusttest\.locust\.io\/(\S+) created$/m.exec(stdout);
  assert.ok(match?.[1] !== undefined, `no created test in\n${stdout}`);
  return match[1];
}

test(
  'apply --wait exits 0 when the test succeeds, showing conditions, Events and a log notice',
  { timeout: 180_000 },
  async (t) => {
    const namespace = await withOperator(t);
    const file = manifestFile(t, manifest('succeed'));
    const run = await runCli(t, [
      'apply',
      file,
      '--wait',
      '--generate-name',
      '--logs',
      ...cluster(namespace),
    ]);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const name = createdName(run.stdout);
    assert.match(name, /^checkout-[a-z0-9]{5}$/);
    const out = run.stdout;
    assert.match(out, /^configmap\/checkout-scripts-[a-z0-9]{5} created$/m);
    assert.match(
      out,
      new RegExp(
        `^Following ${namespace}/${name} \\(timeout 30m\\); Ctrl-C stops following, not the test$`,
        'm',
      ),
    );
    assert.match(
      out,
      /^condition WorkersConnected=True AllWorkersConnected: 2\/2 workers connected$/m,
    );
    assert.match(out, /^\d\d:\d\d Running {2}workers 2\/2$/m);
    assert.match(out, new RegExp(`^event Normal Created: Created Job ${name}-master$`, 'm'));
    assert.match(out, /^event Normal TestCompleted: Load test completed successfully$/m);
    assert.match(out, /^condition TestCompleted=True TestSucceeded: Test completed successfully$/m);
    assert.match(out, new RegExp(`^SUCCEEDED: ${namespace}/${name} completed after \\d+s$`, 'm'));
    // KWOK's nodes have no kubelet: the log request fails, once, without failing the run.
    const notices = out.split('\n').filter((line) => line.includes('is unavailable'));
    assert.equal(notices.length, 1, out);
    assert.match(
      notices[0] ?? '',
      new RegExp(
        `^locustctl: the log of pod ${name}-master-\\S+ is unavailable: .*\\(no kubelet serves logs for its node\\?\\)$`,
      ),
    );

    // The ConfigMap got a name of its own, the test points at it and owns it.
    const test1 = await readTest(clients, namespace, name);
    const configMapName = test1.spec.testFiles?.configMapRef ?? '';
    assert.match(configMapName, /^checkout-scripts-[a-z0-9]{5}$/);
    const configMap = await clients.core.readNamespacedConfigMap({
      name: configMapName,
      namespace,
    });
    assert.deepEqual(
      configMap.metadata?.ownerReferences?.map((o) => [o.kind, o.name, o.uid]),
      [['LocustTest', name, test1.metadata.uid]],
    );
  },
);

test(
  'apply --wait exits 1 when the test fails, printing the failing conditions (text and JSON)',
  { timeout: 180_000 },
  async (t) => {
    const namespace = await withOperator(t);
    const file = manifestFile(t, manifest('fail'));
    const text = await runCli(t, [
      'apply',
      file,
      '--wait',
      '--generate-name',
      ...cluster(namespace),
    ]);
    assert.equal(text.code, 1, `${text.stdout}\n${text.stderr}`);
    const name = createdName(text.stdout);
    assert.match(text.stdout, /^event Warning TestFailed: Load test execution failed$/m);
    const verdict = text.stdout.slice(text.stdout.indexOf('FAILED:'));
    assert.match(
      verdict,
      new RegExp(
        `^FAILED: ${namespace}/${name} failed after \\d+s\\nFailing conditions:\\n {2}Ready=False ResourcesFailed: Test failed\\n {2}TestCompleted=True TestFailed: Test failed\\n$`,
      ),
    );

    const json = await runCli(t, [
      'apply',
      file,
      '--wait',
      '--generate-name',
      '-o',
      'json',
      ...cluster(namespace),
    ]);
    assert.equal(json.code, 1, json.stderr);
    const objects = json.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const result = objects.at(-1);
    assert.equal(result?.type, 'result');
    assert.equal(result.outcome, 'failed');
    assert.notEqual(result.name, name, '--generate-name gives every run its own name');
    assert.deepEqual(
      (result.failingConditions as { type: string; reason: string }[]).map(
        (c) => `${c.type}/${c.reason}`,
      ),
      ['Ready/ResourcesFailed', 'TestCompleted/TestFailed'],
    );
    assert.ok(objects.some((o) => o.type === 'progress' && o.phase === 'Running'));
    assert.ok(
      objects.some(
        (o) => o.type === 'event' && o.reason === 'TestFailed' && o.eventType === 'Warning',
      ),
    );
  },
);

test(
  'apply --wait exits 2 on timeout; status, logs and delete --wait then work on the running test',
  { timeout: 180_000 },
  async (t) => {
    const namespace = await withOperator(t);
    const file = manifestFile(t, manifest('run'));
    const run = await runCli(t, [
      'apply',
      file,
      '--wait',
      '--timeout',
      '5s',
      ...cluster(namespace),
    ]);
    assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
    assert.equal(createdName(run.stdout), 'checkout');
    assert.match(run.stdout, /^configmap\/checkout-scripts created$/m);
    assert.match(
      run.stdout,
      new RegExp(
        `^TIMEOUT: ${namespace}/checkout is still Running after 5s \\(--timeout\\); it keeps running in the cluster: locustctl delete checkout -n ${namespace}$`,
        'm',
      ),
    );

    const again = await runCli(t, ['apply', file, ...cluster(namespace)]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /locusttests\.locust\.io "checkout" already exists/);
    assert.match(
      again.stderr,
      /hint: delete the existing test first \(locustctl delete checkout\) or use --generate-name/,
    );

    const status = await runCli(t, ['status', 'checkout', ...cluster(namespace)]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^Phase: {6}Running$/m);
    assert.match(status.stdout, /^Workers: {4}2\/2 connected$/m);
    assert.match(
      status.stdout,
      /^ {2}WorkersConnected {2}True {4}AllWorkersConnected {2}2\/2 workers connected$/m,
    );
    assert.match(status.stdout, /^ +\d+s +Normal +TestStarted +Load test execution started$/m);

    const logs = await runCli(t, ['logs', 'checkout', '--role', 'worker', ...cluster(namespace)]);
    assert.equal(logs.code, 1);
    assert.equal(logs.stderr.match(/is unavailable/g)?.length, 2, logs.stderr);

    const deleted = await runCli(t, ['delete', 'checkout', '--wait', ...cluster(namespace)]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(
      deleted.stdout,
      /^locusttest\.locust\.io\/checkout deleted\n(waiting for .*\n)*all objects of checkout are gone\n$/,
    );
    const configMaps = await clients.core.listNamespacedConfigMap({ namespace });
    assert.deepEqual(
      configMaps.items.map((c) => c.metadata?.name),
      ['kube-root-ca.crt'],
      'the ConfigMap apply created went with the test',
    );
    const gone = await runCli(t, ['status', 'checkout', ...cluster(namespace)]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /locusttests\.locust\.io "checkout" not found/);
  },
);

test(
  'apply --generate-name twice creates two tests, each with its own ConfigMap',
  { timeout: 120_000 },
  async (t) => {
    const namespace = await withOperator(t);
    const file = manifestFile(t, manifest('run'));
    const first = await runCli(t, ['apply', file, '--generate-name', ...cluster(namespace)]);
    const second = await runCli(t, ['apply', file, '--generate-name', ...cluster(namespace)]);
    assert.deepEqual([first.code, second.code], [0, 0], `${first.stderr}\n${second.stderr}`);
    const names = [createdName(first.stdout), createdName(second.stdout)];
    assert.notEqual(names[0], names[1]);
    const refs = await Promise.all(
      names.map(
        async (name) => (await readTest(clients, namespace, name)).spec.testFiles?.configMapRef,
      ),
    );
    assert.notEqual(refs[0], refs[1]);
  },
);
