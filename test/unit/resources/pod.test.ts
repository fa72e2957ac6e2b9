import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocustTestSpec } from '../../../src/api/index.ts';
import { defaultOperatorConfig, render } from '../../../src/resources/index.ts';
import {
  configWith,
  demoTest,
  demoUid,
  locustContainerOf,
  podSpecOf,
  renderJobs,
} from './fixtures.ts';

test('every object is owned by the test as its controller', () => {
  const rendered = render(demoTest(), defaultOperatorConfig);
  for (const object of [rendered.masterService, rendered.masterJob, rendered.workerJob]) {
    assert.equal(object.metadata?.namespace, 'load');
    assert.deepEqual(object.metadata.ownerReferences, [
      {
        apiVersion: 'locust.io/v2',
        kind: 'LocustTest',
        name: 'demo',
        uid: demoUid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  }
});

test('a manifest without namespace or uid renders without them', () => {
  const test = demoTest();
  const { masterService } = render({ ...test, metadata: { name: 'demo' } }, defaultOperatorConfig);
  assert.equal('namespace' in (masterService.metadata ?? {}), false);
  assert.deepEqual(masterService.metadata?.ownerReferences, [
    {
      apiVersion: 'locust.io/v2',
      kind: 'LocustTest',
      name: 'demo',
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
});

test('a test without a name cannot be rendered', () => {
  const test = demoTest();
  assert.throws(
    () => render({ ...test, metadata: { namespace: 'x' } }, defaultOperatorConfig),
    /without metadata\.name/,
  );
});

test('Jobs run once: backoffLimit 0, restartPolicy Never, master parallelism 1, workers replicas', () => {
  const { master, worker } = renderJobs(demoTest({ worker: { command: 'x', replicas: 7 } }));
  assert.equal(master.spec?.parallelism, 1);
  assert.equal(worker.spec?.parallelism, 7);
  for (const job of [master, worker]) {
    assert.equal(job.spec?.backoffLimit, 0);
    assert.equal(podSpecOf(job).restartPolicy, 'Never');
    assert.equal('completions' in (job.spec ?? {}), false);
    assert.equal('ttlSecondsAfterFinished' in (job.spec ?? {}), false);
  }
});

for (const ttl of [0, 3600]) {
  test(`a configured TTL of ${ttl} seconds is set on both Jobs`, () => {
    const { master, worker } = renderJobs(
      demoTest(),
      configWith({ jobTtlSecondsAfterFinished: ttl }),
    );
    assert.equal(master.spec?.ttlSecondsAfterFinished, ttl);
    assert.equal(worker.spec?.ttlSecondsAfterFinished, ttl);
  });
}

const pullPolicyCases: { name: string; policy: string | undefined; expected: string }[] = [
  { name: 'absent defaults to IfNotPresent', policy: undefined, expected: 'IfNotPresent' },
  {
    name: 'empty (converted from v1) defaults to IfNotPresent',
    policy: '',
    expected: 'IfNotPresent',
  },
  { name: 'Always is kept', policy: 'Always', expected: 'Always' },
  { name: 'Never is kept', policy: 'Never', expected: 'Never' },
];

for (const { name, policy, expected } of pullPolicyCases) {
  test(`image pull policy: ${name}`, () => {
    const overrides =
      policy === undefined
        ? {}
        : { imagePullPolicy: policy as NonNullable<LocustTestSpec['imagePullPolicy']> };
    const { master, worker } = renderJobs(demoTest(overrides));
    assert.equal(locustContainerOf(master).imagePullPolicy, expected);
    assert.equal(locustContainerOf(worker).imagePullPolicy, expected);
  });
}

test('image pull secrets are copied to both pods, and omitted when empty', () => {
  const secrets = [{ name: 'registry' }, { name: 'mirror' }];
  const { master, worker } = renderJobs(demoTest({ imagePullSecrets: secrets }));
  assert.deepEqual(podSpecOf(master).imagePullSecrets, secrets);
  assert.deepEqual(podSpecOf(worker).imagePullSecrets, secrets);
  const empty = renderJobs(demoTest({ imagePullSecrets: [] }));
  assert.equal('imagePullSecrets' in podSpecOf(empty.master), false);
});

test('the Locust container uses the image, no command, and the role’s ports', () => {
  const { master, worker } = renderJobs(demoTest());
  for (const job of [master, worker]) {
    assert.equal(locustContainerOf(job).image, 'locustio/locust:2.43.3');
    assert.equal('command' in locustContainerOf(job), false);
    assert.equal(podSpecOf(job).containers.length, 1);
  }
  assert.deepEqual(locustContainerOf(master).ports, [
    { containerPort: 5557 },
    { containerPort: 5558 },
    { containerPort: 8089 },
  ]);
  assert.deepEqual(locustContainerOf(worker).ports, [{ containerPort: 8080 }]);
});

test('by default pods get a RuntimeDefault seccomp profile and containers no security context', () => {
  const { master, worker } = renderJobs(demoTest());
  for (const job of [master, worker]) {
    assert.deepEqual(podSpecOf(job).securityContext, {
      seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.equal('securityContext' in locustContainerOf(job), false);
  }
});

test('security contexts from the test replace the defaults completely', () => {
  const security: LocustTestSpec['security'] = {
    podSecurityContext: { runAsNonRoot: true, runAsUser: 1000 },
    containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  };
  const { master, worker } = renderJobs(demoTest({ security }));
  for (const job of [master, worker]) {
    assert.deepEqual(podSpecOf(job).securityContext, security.podSecurityContext);
    assert.deepEqual(locustContainerOf(job).securityContext, security.containerSecurityContext);
  }
  const exporter = podSpecOf(master).initContainers?.[0];
  assert.deepEqual(exporter?.securityContext, {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
  });
});

test('an empty pod security context is an explicit opt-out of the seccomp default', () => {
  const { master } = renderJobs(demoTest({ security: { podSecurityContext: {} } }));
  assert.deepEqual(podSpecOf(master).securityContext, {});
});

test('rendering is deterministic and the output shares nothing with the input', () => {
  const test = demoTest({
    env: { variables: [{ name: 'A', value: '1' }] },
    volumes: [{ name: 'v', emptyDir: {} }],
    volumeMounts: [{ name: 'v', mountPath: '/v' }],
    security: { podSecurityContext: { runAsUser: 1 } },
    scheduling: { tolerations: [{ key: 'k', operator: 'Exists' }] },
  });
  const snapshot = structuredClone(test);
  const config = configWith({ tolerationsInjection: true });
  const first = render(test, config);
  assert.equal(JSON.stringify(first), JSON.stringify(render(test, config)));
  const pod = podSpecOf(first.masterJob);
  const container = locustContainerOf(first.masterJob);
  container.env?.push({ name: 'B' });
  const userVolume = pod.volumes?.find((volume) => volume.name === 'v');
  const userMount = container.volumeMounts?.find((mount) => mount.name === 'v');
  assert.ok(userVolume && userMount && pod.securityContext);
  userVolume.emptyDir = { medium: 'Memory' };
  userMount.mountPath = '/elsewhere';
  pod.tolerations?.push({ key: 'other' });
  pod.securityContext.runAsUser = 2;
  assert.deepEqual(test, snapshot);
});
