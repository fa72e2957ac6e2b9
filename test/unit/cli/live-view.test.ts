import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CliIo } from '../../../src/cli/io.ts';
import { createLiveView, viewMode } from '../../../src/cli/live-view.ts';
import { formatProgress, progressJson, type ProgressSnapshot } from '../../../src/cli/progress.ts';

function fakeIo(options: Partial<CliIo> = {}): { io: CliIo; out: () => string } {
  let out = '';
  return {
    io: {
      stdout: (text) => (out += text),
      stderr: () => undefined,
      readText: () => Promise.reject(new Error('no files here')),
      env: {},
      ...options,
    },
    out: () => out,
  };
}

const running: ProgressSnapshot = {
  elapsedMs: 12_400,
  phase: 'Running',
  detail: 'running',
  workers: { connected: 2, expected: 2 },
  users: 4,
  rps: 37.25,
  requests: 412,
  failures: 3,
};

test('a progress line shows the fields it has, failures with their share', () => {
  assert.equal(
    formatProgress(running),
    '00:12 Running (running)  workers 2/2  users 4  rps 37.3  requests 412  failures 3 (0.7%)',
  );
  assert.equal(formatProgress({ elapsedMs: 0, phase: 'Pending' }), '00:00 Pending');
  assert.equal(
    formatProgress({
      elapsedMs: 61_000,
      phase: 'Running',
      workers: { connected: 1, expected: undefined },
    }),
    '01:01 Running  workers 1',
  );
});

test('the JSON progress object has a type and only the known fields', () => {
  assert.deepEqual(progressJson(running), {
    type: 'progress',
    elapsedSeconds: 12.4,
    phase: 'Running',
    detail: 'running',
    workers: { connected: 2, expected: 2 },
    users: 4,
    rps: 37.25,
    requests: 412,
    failures: 3,
  });
  assert.deepEqual(progressJson({ elapsedMs: 100, phase: 'Pending' }), {
    type: 'progress',
    elapsedSeconds: 0.1,
    phase: 'Pending',
  });
});

test('the mode is json when asked, tty only in a terminal outside CI, plain otherwise', () => {
  assert.equal(viewMode('json', fakeIo({ stdoutIsTty: true }).io), 'json');
  assert.equal(viewMode('text', fakeIo({ stdoutIsTty: true }).io), 'tty');
  assert.equal(viewMode('text', fakeIo({ stdoutIsTty: true, env: { CI: 'true' } }).io), 'plain');
  assert.equal(viewMode('text', fakeIo({ stdoutIsTty: false }).io), 'plain');
  assert.equal(viewMode('text', fakeIo().io), 'plain');
});

test('plain lines are printed on change and as a heartbeat, not for every growing counter', () => {
  let now = 0;
  const { io, out } = fakeIo();
  const view = createLiveView('plain', io, { now: () => now, heartbeatMs: 10_000 });
  view.progress({ ...running, elapsedMs: 0, requests: 10, failures: 0 });
  now = 1000;
  view.progress({ ...running, elapsedMs: 1000, requests: 20, failures: 0 }); // same key: quiet
  view.message('event Normal Created: Created Job demo-master', { type: 'event' });
  now = 2000;
  view.progress({ ...running, elapsedMs: 2000, requests: 30, failures: 1 }); // failures appear
  now = 13_000;
  view.progress({ ...running, elapsedMs: 13_000, requests: 40, failures: 1 }); // heartbeat
  now = 14_000;
  view.progress({ ...running, elapsedMs: 14_000, requests: 50, failures: 1 }); // quiet
  view.finish(); // the last state was not printed: it is now
  view.finish();
  assert.deepEqual(out().split('\n'), [
    '00:00 Running (running)  workers 2/2  users 4  rps 37.3  requests 10  failures 0 (0.0%)',
    'event Normal Created: Created Job demo-master',
    '00:02 Running (running)  workers 2/2  users 4  rps 37.3  requests 30  failures 1 (3.3%)',
    '00:13 Running (running)  workers 2/2  users 4  rps 37.3  requests 40  failures 1 (2.5%)',
    '00:14 Running (running)  workers 2/2  users 4  rps 37.3  requests 50  failures 1 (2.0%)',
    '',
  ]);
});

test('a terminal gets one status line redrawn in place, news above it, and the last state kept', () => {
  const { io, out } = fakeIo({ stdoutIsTty: true, columns: 30 });
  const view = createLiveView('tty', io, { now: () => 0 });
  view.progress({ elapsedMs: 0, phase: 'Pending' });
  view.progress({ elapsedMs: 1000, phase: 'Running', workers: { connected: 2, expected: 2 } });
  view.message('a notice', { type: 'notice' });
  view.finish();
  view.message('after the end', { type: 'notice' });
  const clear = '\r\u001b[2K';
  assert.equal(
    out(),
    `${clear}00:00 Pending` +
      `${clear}00:01 Running  workers 2/2` +
      `${clear}a notice\n00:01 Running  workers 2/2` +
      `${clear}00:01 Running  workers 2/2\n` +
      `${clear}after the end\n`,
  );
});

test('json mode writes one object per line: progress when it changed, messages as given', () => {
  const { io, out } = fakeIo();
  const view = createLiveView('json', io, { now: () => 0 });
  view.progress({ elapsedMs: 0, phase: 'Pending' });
  view.progress({ elapsedMs: 500, phase: 'Pending' });
  view.message('ignored text', { type: 'event', reason: 'Created' });
  view.finish();
  assert.deepEqual(
    out()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown),
    [
      { type: 'progress', elapsedSeconds: 0, phase: 'Pending' },
      { type: 'event', reason: 'Created' },
      { type: 'progress', elapsedSeconds: 0.5, phase: 'Pending' },
    ],
  );
});
