/**
 * `npm run demo`: starts a local simulated cluster named "demo", installs the CRD, builds and runs
 * the operator, applies examples/demo/locusttest.yaml and follows the test through
 * Pending → Running → Succeeded, shows what the operator created, then deletes the test (the
 * garbage collector removes its children) and stops everything. Exits 0 only if the test
 * Succeeded along that path and everything cleaned up; clean-up also runs on Ctrl-C.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureBinaries } from './control-plane/build.ts';
import { clusterDown, clusterUp, isClusterUp } from './control-plane/cluster.ts';
import { clusterLayout } from './control-plane/layout.ts';
import { stopProcess } from './control-plane/processes.ts';
import { repoRoot } from './control-plane/versions.ts';
import { kubectlFor, waitForEstablished, type Kubectl } from './demo/kubectl.ts';
import {
  buildOperator,
  describeExit,
  startOperator,
  stopOperator,
  waitForLogMessage,
  type OperatorProcess,
} from './demo/operator-process.ts';
import {
  block,
  clockTime,
  conditionsTable,
  detail,
  seconds,
  section,
  step,
  style,
} from './demo/output.ts';
import { onParentLost } from './demo/parent-watch.ts';
import { judgeSequence, watchTest } from './demo/watch.ts';
import { deleteAndAwaitCollection } from './demo/collect.ts';

const layout = clusterLayout('demo');
const manifest = join(repoRoot, 'examples', 'demo', 'locusttest.yaml');
const test = { name: 'demo', namespace: 'default' };
const children = {
  namespace: test.namespace,
  names: [`service/${test.name}-master`, `job/${test.name}-master`, `job/${test.name}-worker`],
  podSelector: `performance-test-name=${test.name}`,
};
const demoDir = join(repoRoot, '.cache', 'demo');
const operatorLog = join(demoDir, 'operator.log');
const testDeadlineMs = 3 * 60_000;
const pollMs = 500;
const gcTimeoutMs = 90_000;

/** What has been set up so far, so clean-up undoes exactly that. */
interface Demo {
  clusterStarting: boolean;
  kubectl?: Kubectl;
  operator?: OperatorProcess;
  applied: boolean;
}

async function run(
  demo: Demo,
  signal: AbortSignal,
): Promise<{ problems: string[]; summary: string }> {
  step(`starting local cluster "${layout.name}"`);
  const bin = await ensureBinaries(detail);
  demo.clusterStarting = true;
  if (await isClusterUp(layout)) {
    // Left by a run that was killed before its clean-up: a leftover test would spoil the story.
    detail('already running (left over from an earlier run?): restarting it from a clean slate');
    await clusterDown(layout);
  }
  await clusterUp(layout, detail);
  signal.throwIfAborted();
  const kubectl = kubectlFor(layout, bin);
  demo.kubectl = kubectl;

  step('installing the CRD: kubectl apply -f deploy/crd/');
  detail(await kubectl(['apply', '-f', join(repoRoot, 'deploy', 'crd')]));
  await waitForEstablished(kubectl, signal);
  detail('Established');

  // Built after the CRD is installed, not before the cluster: the garbage collector only learns
  // of a new CRD at its next discovery sync (every 30 s), and every second the CRD exists before
  // the test is created shortens the wait for the test's children to be collected at the end.
  step('building the operator (npm run build)');
  await buildOperator();
  signal.throwIfAborted();

  // An operator left behind by a demo that was killed outright would compete with ours.
  mkdirSync(demoDir, { recursive: true });
  await stopProcess(demoDir, 'operator');
  const args = [
    '--kubeconfig',
    layout.kubeconfig,
    '--health-probe-bind-address',
    '127.0.0.1:0',
    '--pod-health-grace-period',
    '30s',
  ];
  step(`starting the operator: node dist/main.js ${args.join(' ')}`);
  detail(`JSON logs: ${operatorLog}`);
  // KUBECONFIG is dropped so nothing but --kubeconfig can point the operator at another cluster.
  const operator = startOperator({
    args,
    logFile: operatorLog,
    pidFile: join(demoDir, 'operator.pid'),
    env: { ...process.env, KUBECONFIG: undefined },
  });
  demo.operator = operator;
  await waitForLogMessage(operator, operatorLog, 'starting workers', 60_000, signal);
  detail('ready (logged "starting workers")');

  step(`kubectl apply -f ${relative(repoRoot, manifest)}`);
  demo.applied = true;
  detail(await kubectl(['apply', '-f', manifest]));

  section(`Following locusttest/${test.name} (polling every ${String(pollMs)} ms, deadline 3m)`);
  const applied = Date.now();
  const stamp = (at: number): string => `  ${clockTime(at)}  +${seconds(at - applied).padEnd(6)}`;
  const watched = await watchTest(kubectl, {
    ...test,
    intervalMs: pollMs,
    deadline: applied + testDeadlineMs,
    signal,
    onPhase: ({ phase, at }, first) => {
      console.log(
        `${stamp(at)}phase ${style('bold', phase)}${first ? ' (first poll with a phase)' : ''}`,
      );
    },
    onCondition: (c, at) => {
      console.log(`${stamp(at)}condition ${c.type}=${c.status} ${c.reason}: ${c.message}`);
    },
    onPollError: (error) => {
      console.log(`  ${clockTime()}  poll failed: ${error.message}`);
    },
  });

  section('kubectl get locusttest,svc,jobs,pods -o wide');
  block(await kubectl(['get', 'locusttest,svc,jobs,pods', '-n', test.namespace, '-o', 'wide']));
  section(`Conditions of locusttest/${test.name}`);
  block(conditionsTable(watched.conditions));
  section(`Events (kubectl get events --field-selector involvedObject.name=${test.name})`);
  block(
    await kubectl([
      'get',
      'events',
      '-n',
      test.namespace,
      '--field-selector',
      `involvedObject.name=${test.name}`,
      // creationTimestamp has one-second resolution; kubectl sorts digit strings numerically, and
      // the operator only creates Events, so resourceVersion gives their true order.
      '--sort-by=.metadata.resourceVersion',
    ]),
  );

  const verdict = judgeSequence(watched.observed);
  if (watched.timedOut) {
    return { problems: [`the test did not finish within 3m: ${verdict.summary}`], summary: '' };
  }
  return { problems: verdict.ok ? [] : [verdict.summary], summary: verdict.summary };
}

/** Undoes whatever `run` set up; returns the problems it met (never throws). */
async function cleanUp(demo: Demo, signal: AbortSignal): Promise<string[]> {
  const problems: string[] = [];
  if (!demo.clusterStarting) return problems;
  section('Clean-up');
  const attempt = async (what: string, action: () => Promise<void>): Promise<void> => {
    try {
      await action();
    } catch (error) {
      const message = signal.aborted
        ? 'interrupted'
        : error instanceof Error
          ? error.message
          : String(error);
      problems.push(`${what}: ${message}`);
      detail(`failed: ${message}`);
    }
  };
  const { kubectl, operator } = demo;
  if (demo.applied && kubectl && signal.aborted) {
    step(
      'interrupted: skipping the deletion of the test (stopping the cluster removes everything)',
    );
  } else if (demo.applied && kubectl) {
    await attempt('deleting the test', () =>
      deleteAndAwaitCollection(kubectl, manifest, {
        ...children,
        intervalMs: pollMs,
        timeoutMs: gcTimeoutMs,
        signal,
      }),
    );
  }
  if (operator) {
    await attempt('stopping the operator', async () => {
      step('stopping the operator (SIGTERM)');
      const started = Date.now();
      const exit = await stopOperator(operator, 15_000);
      detail(
        `${describeExit(exit)} after ${seconds(Date.now() - started)}${exit.killed ? ' (SIGKILL: it ignored SIGTERM for 15s)' : ''}`,
      );
      rmSync(join(demoDir, 'operator.pid'), { force: true });
      if (exit.code !== 0) throw new Error(`the operator ended with ${describeExit(exit)}`);
    });
  }
  await attempt('stopping the cluster', async () => {
    step(`stopping local cluster "${layout.name}"`);
    await clusterDown(layout);
    detail(`stopped; component logs kept in ${layout.logDir}`);
  });
  return problems;
}

async function main(): Promise<number> {
  const interrupt = new AbortController();
  let lastSignalAt = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    // One Ctrl-C arrives twice (from the terminal and forwarded by npm); count it once.
    if (Date.now() - lastSignalAt < 1000) return;
    lastSignalAt = Date.now();
    if (interrupt.signal.aborted) {
      console.log(`\n${name}: still cleaning up (the demo cluster must be stopped), please wait`);
      return;
    }
    console.log(`\n${name}: interrupted, cleaning up`);
    interrupt.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  onParentLost(() => {
    onSignal('SIGTERM');
  });

  console.log(style('bold', 'locust-operator demo: one LocustTest on a local simulated cluster'));
  const started = Date.now();
  const demo: Demo = { clusterStarting: false, applied: false };
  // A crash must not leave the operator, which runs in its own process group, behind.
  process.on('exit', () => {
    const child = demo.operator?.child;
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let problems: string[];
  let summary = '';
  try {
    ({ problems, summary } = await run(demo, interrupt.signal));
  } catch (error) {
    problems = interrupt.signal.aborted
      ? ['interrupted before the test finished']
      : [error instanceof Error ? error.message : String(error)];
  }
  problems.push(...(await cleanUp(demo, interrupt.signal)));

  section('Result');
  if (problems.length === 0) {
    console.log(
      `${style('green', 'PASS')}: ${summary}; children garbage-collected; everything stopped.`,
    );
  } else {
    console.log(style('red', 'FAIL:'));
    for (const problem of problems) console.log(`  - ${problem}`);
    if (demo.operator) console.log(`  operator logs: ${operatorLog}`);
    if (demo.clusterStarting) console.log(`  cluster logs: ${layout.logDir}`);
  }
  console.log(`total ${seconds(Date.now() - started)}`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
