/**
 * The master and worker command lines the operator renders, run as real Locust processes on
 * loopback (src/local): they connect, run the load, quit by themselves, and exit with the code the
 * master Job's outcome is judged by.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { LocustTest } from '../../../src/api/index.ts';
import { freeLoopbackPorts } from '../../../src/local/free-port.ts';
import { locustContainerOf, planLocalRun } from '../../../src/local/local-plan.ts';
import { startProcesses, type RunningProcess } from '../../../src/local/processes.ts';
import { defaultOperatorConfig, render } from '../../../src/resources/index.ts';
import { eventually } from '../../support/eventually.ts';
import {
  locustBinary,
  startTargetServer,
  visitorLocustfile,
  type TargetServer,
} from '../../support/locust.ts';

const users = 4;

const locustfile = visitorLocustfile.join('\n');

function basicTest(targetUrl: string, runTime: string, autoquitSeconds: number): LocustTest {
  return {
    apiVersion: 'locust.io/v2',
    kind: 'LocustTest',
    metadata: { name: 'rendered', namespace: 'local' },
    spec: {
      image: 'locustio/locust:2.47.0',
      master: {
        command: `--locustfile /lotest/src/locustfile.py --host ${targetUrl}`,
        autoquit: { enabled: true, timeout: autoquitSeconds },
        extraArgs: ['--run-time', runTime, '--users', String(users), '--spawn-rate', String(users)],
      },
      worker: { command: '--locustfile /lotest/src/locustfile.py', replicas: 2 },
      testFiles: { configMapRef: 'demo' },
    },
  };
}

function tempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

interface LocalRun {
  masterArgs: readonly string[];
  renderedMasterArgs: readonly string[];
  master: RunningProcess;
  workers: readonly RunningProcess[];
}

/** Renders `locustTest`, writes the "ConfigMap", and runs master and workers until all have quit. */
async function runRendered(t: TestContext, locustTest: LocustTest): Promise<LocalRun> {
  const rendered = render(locustTest, defaultOperatorConfig);
  const files = tempDir(t, 'rendered-files-');
  writeFileSync(join(files, 'locustfile.py'), locustfile);
  // An empty working directory, so no locust.conf or pyproject.toml next to it changes options.
  const workDir = tempDir(t, 'rendered-work-');
  const [masterPort, webPort] = await freeLoopbackPorts(2);
  assert.ok(masterPort !== undefined && webPort !== undefined);
  const plan = planLocalRun(rendered, {
    locustExecutable: locustBinary,
    testFilesDir: files,
    workDir,
    masterPort,
    webPort,
  });
  assert.deepEqual(plan.warnings, []);
  const group = startProcesses([plan.master, ...plan.workers]);
  t.after(() => group.stop(2000));
  const [master, ...workers] = group.processes;
  assert.ok(master !== undefined);
  const outputs = () =>
    group.processes.map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join('\n');
  // Bounded: run time + autoquit + start-up; the processes must end on their own well before.
  await eventually(
    () => {
      const running = group.processes.filter((p) => p.exit() === undefined);
      if (running.length === 0) return true;
      throw new Error(`still running: ${running.map((p) => p.name).join(', ')}\n${outputs()}`);
    },
    { description: 'master and workers to quit by themselves', timeoutMs: 60_000 },
  );
  return {
    masterArgs: plan.master.args,
    renderedMasterArgs: locustContainerOf(rendered.masterJob).args ?? [],
    master,
    workers,
  };
}

/** The request count of the `Aggregated` row of Locust's final stats table. */
function aggregatedRequests(output: string): { requests: number; failures: number } {
  const match = /^\s+Aggregated\s+(\d+)\s+(\d+)\(/m.exec(output);
  assert.ok(match?.[1] !== undefined && match[2] !== undefined, `no Aggregated row in\n${output}`);
  return { requests: Number(match[1]), failures: Number(match[2]) };
}

async function target(t: TestContext, status = 200): Promise<TargetServer> {
  const server = await startTargetServer(() => status);
  t.after(() => server.close());
  return server;
}

function assertManagedFlagsInSpecOrder(args: readonly string[], masterPort: string): void {
  const start = args.indexOf('--master');
  assert.ok(start > 0, `--master follows the seed in ${args.join(' ')}`);
  assert.deepEqual(args.slice(start, start + 8), [
    '--master',
    `--master-port=${masterPort}`,
    '--expect-workers=2',
    '--autostart',
    '--autoquit',
    '5',
    '--enable-rebalancing',
    '--only-summary',
  ]);
}

test(
  'rendered master and worker commands run a distributed test that quits by itself with exit code 0',
  {
    timeout: 120_000,
  },
  async (t) => {
    const server = await target(t);
    const run = await runRendered(t, basicTest(server.url, '5s', 5));

    assertManagedFlagsInSpecOrder(run.renderedMasterArgs, '5557');
    const localPort = run.masterArgs.find((a) => a.startsWith('--master-port='))?.split('=')[1];
    assertManagedFlagsInSpecOrder(run.masterArgs, localPort ?? '?');

    const masterOutput = run.master.output();
    assert.deepEqual(run.master.exit(), { code: 0, signal: null }, masterOutput);
    assert.match(masterOutput, /2 workers connected/);
    assert.match(masterOutput, /--autoquit time reached, shutting down/);
    for (const worker of run.workers) {
      assert.deepEqual(worker.exit(), { code: 0, signal: null }, worker.output());
      // They quit because the master told them to, not because they lost it.
      assert.match(worker.output(), /Got quit message from master/);
    }

    const summary = aggregatedRequests(masterOutput);
    assert.equal(summary.failures, 0);
    assert.ok(summary.requests > 0, 'the master reports requests');
    assert.deepEqual([...server.hits.keys()], ['/']);
    // Stopping a user kills its greenlet; a request already sent then reaches the server but is
    // never recorded. Each user has at most one request in flight, so the server may see up to
    // `users` more than the summary, never fewer.
    const seen = server.total();
    t.diagnostic(
      `server saw ${String(seen)} requests, the master reported ${String(summary.requests)}`,
    );
    assert.ok(
      seen >= summary.requests && seen - summary.requests <= users,
      `server saw ${String(seen)}, the master reported ${String(summary.requests)}`,
    );
  },
);

test(
  'rendered commands against a target answering 500 make the master exit 1 while workers exit 0',
  {
    timeout: 120_000,
  },
  async (t) => {
    const server = await target(t, 500);
    const run = await runRendered(t, basicTest(server.url, '2s', 1));

    const masterOutput = run.master.output();
    assert.deepEqual(run.master.exit(), { code: 1, signal: null }, masterOutput);
    const summary = aggregatedRequests(masterOutput);
    assert.ok(summary.requests > 0);
    assert.equal(summary.failures, summary.requests, 'every request failed');
    assert.match(masterOutput, /500 Server Error/);
    // Workers ship their errors to the master with their stats and exit 0: the master alone
    // decides the outcome, as the operator judges a test by its master Job.
    for (const worker of run.workers) {
      assert.deepEqual(worker.exit(), { code: 0, signal: null }, worker.output());
    }
    assert.ok(server.total() >= summary.requests);
  },
);
