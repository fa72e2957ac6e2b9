import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocustTestSpec } from '../../../src/api/index.ts';
import { findManagedFlagOverrides, splitCommandSeed } from '../../../src/resources/index.ts';
import { demoTest, locustContainerOf, otelOn, renderJobs } from './fixtures.ts';

const seed = ['--locustfile', '/lotest/src/locustfile.py', '--host', 'https://t'];
const tail = ['--enable-rebalancing', '--only-summary'];

function masterArgs(overrides: Partial<LocustTestSpec>): string[] | undefined {
  return locustContainerOf(renderJobs(demoTest(overrides)).master).args;
}

function workerArgs(overrides: Partial<LocustTestSpec>): string[] | undefined {
  return locustContainerOf(renderJobs(demoTest(overrides)).worker).args;
}

const master = demoTest().spec.master;

const masterCases: { name: string; overrides: Partial<LocustTestSpec>; args: string[] }[] = [
  {
    name: 'absent autostart and autoquit give --autostart and --autoquit 60',
    overrides: {},
    args: [
      ...seed,
      '--master',
      '--master-port=5557',
      '--expect-workers=2',
      '--autostart',
      '--autoquit',
      '60',
      ...tail,
    ],
  },
  {
    name: 'autostart false drops --autostart',
    overrides: { master: { ...master, autostart: false } },
    args: [
      ...seed,
      '--master',
      '--master-port=5557',
      '--expect-workers=2',
      '--autoquit',
      '60',
      ...tail,
    ],
  },
  {
    name: 'autoquit enabled false drops --autoquit and its timeout',
    overrides: { master: { ...master, autoquit: { enabled: false, timeout: 30 } } },
    args: [...seed, '--master', '--master-port=5557', '--expect-workers=2', '--autostart', ...tail],
  },
  {
    name: 'an autoquit timeout is passed as its own arg',
    overrides: { master: { ...master, autoquit: { enabled: true, timeout: 300 } } },
    args: [
      ...seed,
      '--master',
      '--master-port=5557',
      '--expect-workers=2',
      '--autostart',
      '--autoquit',
      '300',
      ...tail,
    ],
  },
  {
    name: 'an autoquit timeout of 0 is kept',
    overrides: { master: { ...master, autoquit: { enabled: true, timeout: 0 } } },
    args: [
      ...seed,
      '--master',
      '--master-port=5557',
      '--expect-workers=2',
      '--autostart',
      '--autoquit',
      '0',
      ...tail,
    ],
  },
  {
    name: 'an autoquit without timeout (not yet defaulted) waits 60 seconds',
    overrides: { master: { ...master, autoquit: { enabled: true } } },
    args: [
      ...seed,
      '--master',
      '--master-port=5557',
      '--expect-workers=2',
      '--autostart',
      '--autoquit',
      '60',
      ...tail,
    ],
  },
  {
    name: 'a negative autoquit timeout falls back to 60',
    overrides: { master: { ...master, autoquit: { enabled: true, timeout: -5 } } },
    args: [
      ...seed,
      '--master',
      '--master-port=5557',
      '--expect-workers=2',
      '--autostart',
      '--autoquit',
      '60',
      ...tail,
    ],
  },
  {
    name: 'OpenTelemetry adds --otel right after the seed',
    overrides: otelOn,
    args: [
      ...seed,
      '--otel',
      '--master',
      '--master-port=5557',
      '--expect-workers=2',
      '--autostart',
      '--autoquit',
      '60',
      ...tail,
    ],
  },
  {
    name: 'extraArgs are appended verbatim after the operator flags, managed flags included',
    overrides: { master: { ...master, extraArgs: ['--csv=/tmp/out', '--autoquit', '5', 'a b'] } },
    args: [
      ...seed,
      '--master',
      '--master-port=5557',
      '--expect-workers=2',
      '--autostart',
      '--autoquit',
      '60',
      ...tail,
      '--csv=/tmp/out',
      '--autoquit',
      '5',
      'a b',
    ],
  },
  {
    name: 'expect-workers follows the worker replicas',
    overrides: { worker: { command: 'x', replicas: 17 } },
    args: [
      ...seed,
      '--master',
      '--master-port=5557',
      '--expect-workers=17',
      '--autostart',
      '--autoquit',
      '60',
      ...tail,
    ],
  },
];

for (const { name, overrides, args } of masterCases) {
  test(`master args: ${name}`, () => {
    assert.deepEqual(masterArgs(overrides), args);
  });
}

const workerSeed = ['--locustfile', '/lotest/src/locustfile.py'];
const workerCases: { name: string; overrides: Partial<LocustTestSpec>; args: string[] }[] = [
  {
    name: 'the seed is followed by --worker, the master port and the master host',
    overrides: {},
    args: [...workerSeed, '--worker', '--master-port=5557', '--master-host=demo-master'],
  },
  {
    name: 'OpenTelemetry adds --otel right after the seed',
    overrides: otelOn,
    args: [...workerSeed, '--otel', '--worker', '--master-port=5557', '--master-host=demo-master'],
  },
  {
    name: 'extraArgs are appended verbatim',
    overrides: {
      worker: { command: 'locust', replicas: 1, extraArgs: ['--worker', '-L', 'DEBUG'] },
    },
    args: [
      'locust',
      '--worker',
      '--master-port=5557',
      '--master-host=demo-master',
      '--worker',
      '-L',
      'DEBUG',
    ],
  },
];

for (const { name, overrides, args } of workerCases) {
  test(`worker args: ${name}`, () => {
    assert.deepEqual(workerArgs(overrides), args);
  });
}

test('the worker master-host uses the dot-free master name', () => {
  const { worker } = renderJobs(demoTest({}, { name: 'team-a.load-test' }));
  assert.ok(locustContainerOf(worker).args?.includes('--master-host=team-a-load-test-master'));
});

test('a command seed splits on runs of any whitespace and keeps quotes literal', () => {
  assert.deepEqual(splitCommandSeed('  -f\t/a.py \n --tags "x y"\u00a0--z\u0085w  '), [
    '-f',
    '/a.py',
    '--tags',
    '"x',
    'y"',
    '--z',
    'w',
  ]);
  assert.deepEqual(splitCommandSeed('   '), []);
  assert.deepEqual(splitCommandSeed('a\ufeffb'), ['a\ufeffb']);
});

test('managed-flag overrides are found in both the bare and the = form, and nothing else', () => {
  assert.deepEqual(
    findManagedFlagOverrides([
      '--master-port=6000',
      '--autoquit',
      '10',
      '--master-portal',
      '--otel',
      '--only-summary=1',
      '--expect-workers-max-wait=5',
    ]),
    ['--master-port=6000', '--autoquit', '--otel', '--only-summary=1'],
  );
  assert.deepEqual(findManagedFlagOverrides(undefined), []);
});
