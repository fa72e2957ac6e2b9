import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocustTest, LocustTestSpec } from '../../../src/api/index.ts';
import { planLocalRun, type LocalFacts } from '../../../src/local/local-plan.ts';
import {
  defaultOperatorConfig,
  render,
  type OperatorConfig,
} from '../../../src/resources/index.ts';

function demo(overrides: Partial<LocustTestSpec> = {}): LocustTest {
  return {
    apiVersion: 'locust.io/v2',
    kind: 'LocustTest',
    metadata: { name: 'demo', namespace: 'load' },
    spec: {
      image: 'locustio/locust:2.47.0',
      master: { command: '--locustfile /lotest/src/locustfile.py --host http://127.0.0.1:9' },
      worker: { command: '--locustfile /lotest/src/locustfile.py', replicas: 2 },
      testFiles: { configMapRef: 'demo-scripts' },
      ...overrides,
    },
  };
}

const facts: LocalFacts = {
  locustExecutable: '/venv/bin/locust',
  testFilesDir: '/tmp/files',
  workDir: '/tmp/work',
  masterPort: 40001,
  webPort: 40002,
};

function plan(
  overrides: Partial<LocustTestSpec> = {},
  more: Partial<LocalFacts> = {},
  config: OperatorConfig = defaultOperatorConfig,
) {
  return planLocalRun(render(demo(overrides), config), { ...facts, ...more });
}

const master = demo().spec.master;
const worker = demo().spec.worker;

test('the master runs the rendered args with the executable, the free port and loopback binds', () => {
  const { master: spec, warnings } = plan();
  assert.equal(spec.name, 'master');
  assert.equal(spec.command, '/venv/bin/locust');
  assert.equal(spec.cwd, '/tmp/work');
  assert.deepEqual(spec.args, [
    '--locustfile',
    '/tmp/files/locustfile.py',
    '--host',
    'http://127.0.0.1:9',
    '--master',
    '--master-port=40001',
    '--expect-workers=2',
    '--autostart',
    '--autoquit',
    '60',
    '--enable-rebalancing',
    '--only-summary',
    '--master-bind-host=127.0.0.1',
    '--master-bind-port=40001',
    '--web-host=127.0.0.1',
    '--web-port=40002',
  ]);
  assert.deepEqual(warnings, []);
});

test('each worker connects to the master on 127.0.0.1 at the free port', () => {
  const { workers } = plan();
  assert.deepEqual(
    workers.map((w) => w.name),
    ['worker-1', 'worker-2'],
  );
  for (const spec of workers) {
    assert.equal(spec.command, '/venv/bin/locust');
    assert.deepEqual(spec.args, [
      '--locustfile',
      '/tmp/files/locustfile.py',
      '--worker',
      '--master-port=40001',
      '--master-host=127.0.0.1',
    ]);
  }
});

test('extraArgs pass through after the managed flags, and a two-token --master-port is rewritten too', () => {
  const { master: m, workers } = plan({
    master: { ...master, extraArgs: ['--run-time', '5s', '--master-port', '6000'] },
    worker: { ...worker, extraArgs: ['--master-host', 'elsewhere', '--processes', '2'] },
  });
  assert.deepEqual(m.args.slice(11, 16), [
    '--only-summary',
    '--run-time',
    '5s',
    '--master-port',
    '40001',
  ]);
  assert.deepEqual(workers[0]?.args.slice(2), [
    '--worker',
    '--master-port=40001',
    '--master-host=127.0.0.1',
    '--master-host',
    '127.0.0.1',
    '--processes',
    '2',
  ]);
});

test('a seed that starts with locust does not name the program twice, and says so', () => {
  const {
    master: m,
    workers,
    warnings,
  } = plan({
    master: { ...master, command: 'locust -f /lotest/src/locustfile.py' },
  });
  assert.deepEqual(m.args.slice(0, 3), ['-f', '/tmp/files/locustfile.py', '--master']);
  assert.equal(workers[0]?.args[0], '--locustfile');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /demo-master args start with "locust"/);
});

test('mount paths are rewritten as whole paths after =, commas and colons, and nowhere else', () => {
  const { master: m, warnings } = plan({
    master: {
      ...master,
      command: '--locustfile=/lotest/src/a.py,/lotest/src/b.py --x /lotest/srcfoo --y /lotest/src',
      autoquit: { enabled: false },
    },
    testFiles: { configMapRef: 'demo-scripts', libConfigMapRef: 'lib' },
    env: { variables: [{ name: 'PYTHONPATH', value: '/opt/locust/lib:/lotest/src/x' }] },
  });
  assert.deepEqual(m.args.slice(0, 5), [
    '--locustfile=/tmp/files/a.py,/tmp/files/b.py',
    '--x',
    '/lotest/srcfoo',
    '--y',
    '/tmp/files',
  ]);
  // No libDir was given: the lib mount stays as is, with a warning.
  assert.equal(m.env.PYTHONPATH, '/opt/locust/lib:/tmp/files/x');
  assert.ok(warnings.includes('mount /opt/locust/lib of demo-master has no local directory'));
});

test('custom mount paths, the library directory and extra mounts map to their local directories', () => {
  const { master: m, warnings } = plan(
    {
      master: { ...master, command: '-f /src/main.py --lib /lib/helpers --cert /certs/ca.pem' },
      testFiles: {
        configMapRef: 'demo-scripts',
        srcMountPath: '/src/',
        libConfigMapRef: 'lib',
        libMountPath: '/lib',
      },
      env: { secretMounts: [{ name: 'tls', mountPath: '/certs' }] },
    },
    { libDir: '/tmp/lib', mountDirs: { '/certs': '/tmp/certs' } },
  );
  assert.deepEqual(m.args.slice(0, 6), [
    '-f',
    '/tmp/files/main.py',
    '--lib',
    '/tmp/lib/helpers',
    '--cert',
    '/tmp/certs/ca.pem',
  ]);
  assert.deepEqual(warnings, []);
});

test('a mount without a local directory is left as is and reported', () => {
  const { warnings } = plan({ env: { secretMounts: [{ name: 'tls', mountPath: '/certs' }] } });
  assert.deepEqual(warnings, [
    'mount /certs of demo-master has no local directory',
    'mount /certs of demo-worker has no local directory',
  ]);
});

test('env carries the rendered plain values in order and skips valueFrom and envFrom with warnings', () => {
  const {
    master: m,
    workers,
    warnings,
  } = plan(
    {
      env: {
        variables: [
          { name: 'KAFKA_USERNAME', value: 'override' },
          { name: 'EMPTY' },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
        configMapRefs: [{ name: 'settings' }],
        secretRefs: [{ name: 'creds', prefix: 'X_' }],
      },
    },
    {},
    {
      ...defaultOperatorConfig,
      kafka: {
        bootstrapServers: 'kafka:9092',
        securityEnabled: false,
        securityProtocol: 'PLAINTEXT',
        saslMechanism: '',
        saslJaasConfig: '',
        username: 'user',
        password: '',
      },
    },
  );
  assert.equal(m.env.KAFKA_BOOTSTRAP_SERVERS, 'kafka:9092');
  assert.equal(m.env.KAFKA_SECURITY_ENABLED, 'false');
  assert.equal(m.env.KAFKA_USERNAME, 'override', 'a later duplicate wins, as in the kubelet');
  assert.equal(m.env.EMPTY, '');
  assert.equal('POD' in m.env, false);
  assert.deepEqual(workers[0]?.env, m.env);
  assert.deepEqual(warnings, [
    'env POD of demo-master uses valueFrom; skipped',
    'envFrom ConfigMap settings of demo-master skipped',
    'envFrom Secret creds of demo-master skipped',
    'env POD of demo-worker uses valueFrom; skipped',
    'envFrom ConfigMap settings of demo-worker skipped',
    'envFrom Secret creds of demo-worker skipped',
  ]);
});

test('the worker count defaults to the Job parallelism, can be set, and too few are reported', () => {
  assert.equal(plan({ worker: { ...worker, replicas: 3 } }).workers.length, 3);
  const fewer = plan({}, { workers: 1 });
  assert.equal(fewer.workers.length, 1);
  assert.deepEqual(fewer.warnings, ['the master expects 2 workers but only 1 will run']);
});

test('$(VAR) references in args are reported, since only the kubelet expands them', () => {
  const { warnings } = plan({ master: { ...master, extraArgs: ['--tags', '$(TAGS)'] } });
  assert.deepEqual(warnings, [
    'demo-master args use $(VAR) references, which only the kubelet expands',
  ]);
});
