/** The local process runner (src/local/processes.ts) leaves nothing behind, however a child behaves. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { LocalProcessSpec } from '../../../src/local/local-plan.ts';
import { startProcesses } from '../../../src/local/processes.ts';
import { eventually } from '../../support/eventually.ts';

function shell(name: string, script: string): LocalProcessSpec {
  return { name, command: 'sh', args: ['-c', script], env: { GREETING: 'hi' }, cwd: '/' };
}

// A killed grandchild is re-parented and may stay a zombie until PID 1 reaps it; a zombie runs
// nothing, so it counts as gone. /proc tells zombies apart; kill(pid, 0) does not.
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

test(
  'a process that ignores SIGTERM is killed after the grace period, and so is its child',
  {
    timeout: 30_000,
  },
  async (t) => {
    const group = startProcesses([
      // The grandchild also ignores SIGTERM and would outlive its parent without the group kill.
      shell('stubborn', 'trap "" TERM; sleep 30 & echo "child $!"; wait'),
    ]);
    t.after(() => group.stop(0));
    const [stubborn] = group.processes;
    assert.ok(stubborn !== undefined);
    const childPid = await eventually(
      () => {
        const match = /child (\d+)/.exec(stubborn.output());
        return match?.[1] === undefined ? undefined : Number(match[1]);
      },
      { description: 'the grandchild pid', timeoutMs: 10_000, intervalMs: 20 },
    );
    assert.ok(isRunning(childPid), 'the grandchild runs before stop()');
    const started = Date.now();
    const [exit] = await group.stop(300);
    assert.ok(Date.now() - started >= 300, 'SIGTERM was given its grace period');
    assert.deepEqual(exit, { code: null, signal: 'SIGKILL' });
    await eventually(() => (isRunning(childPid) ? undefined : true), {
      description: `grandchild ${String(childPid)} to be gone`,
      timeoutMs: 5_000,
      intervalMs: 20,
    });
  },
);

test(
  'processes see their spec env over the parent env without LOCUST_ variables, and report their exit codes',
  {
    timeout: 30_000,
  },
  async (t) => {
    process.env.LOCUST_HOST = 'http://leaked.invalid';
    t.after(() => {
      delete process.env.LOCUST_HOST;
    });
    const group = startProcesses([
      shell('env', 'echo "greeting=$GREETING host=${LOCUST_HOST:-unset} path=${PATH:+set}"'),
      shell('failing', 'exit 3'),
    ]);
    t.after(() => group.stop());
    const exits = await Promise.all(group.processes.map((p) => p.exited));
    assert.deepEqual(exits, [
      { code: 0, signal: null },
      { code: 3, signal: null },
    ]);
    assert.equal(group.processes[0]?.output(), 'greeting=hi host=unset path=set\n');
    assert.deepEqual(
      await group.stop(),
      exits,
      'stop() after a natural exit reports the same exits',
    );
  },
);

test(
  'a command that does not exist ends with an error instead of hanging',
  {
    timeout: 30_000,
  },
  async (t) => {
    const group = startProcesses([
      { name: 'missing', command: '/nonexistent/locust', args: [], env: {}, cwd: '/' },
    ]);
    t.after(() => group.stop());
    const exit = await group.processes[0]?.exited;
    assert.equal(exit?.code ?? null, null);
    assert.match(exit?.error?.message ?? '', /ENOENT/);
  },
);
