import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { LocustTest } from '../../../src/api/index.ts';
import { EventRecorder } from '../../../src/controller/event-recorder.ts';
import { createLogger } from '../../../src/controller/logger.ts';
import type { KubeClient } from '../../../src/runtime/kube-client.ts';

const locustTest: LocustTest = {
  apiVersion: 'locust.io/v2',
  kind: 'LocustTest',
  metadata: { name: 'demo', namespace: 'ns', uid: 'u-1', resourceVersion: '7' },
  spec: {} as LocustTest['spec'],
};

/** A client whose creates wait until the test lets them finish. */
function blockingClient(): {
  client: Pick<KubeClient, 'create'>;
  started: CoreV1Event[];
  inFlight: () => number;
  maxInFlight: () => number;
  releaseAll: () => void;
} {
  const started: CoreV1Event[] = [];
  let releases: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let released = false;
  return {
    started,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    releaseAll: () => {
      released = true;
      for (const release of releases) release();
      releases = [];
    },
    client: {
      create: async <T>(_type: unknown, _namespace: string, body: T): Promise<T> => {
        started.push(body as CoreV1Event);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        if (!released) await new Promise<void>((resolve) => releases.push(resolve));
        inFlight -= 1;
        return body;
      },
    },
  };
}

function logCapture(): { log: ReturnType<typeof createLogger>; lines: () => string[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return {
    log: createLogger('info', stream),
    lines: () => chunks.join('').split('\n').filter(Boolean),
  };
}

test('record returns at once; Events are sent in the background, two at a time', async () => {
  const api = blockingClient();
  const recorder = new EventRecorder(api.client, 'op-1', logCapture().log, () => 0);
  for (const reason of ['Created', 'Created', 'Created', 'Running', 'Succeeded'])
    recorder.record(locustTest, { type: 'Normal', reason, message: reason });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(api.inFlight(), 2);
  let flushed = false;
  const flush = recorder.flush().then(() => {
    flushed = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(flushed, false, 'flush waits for queued Events');
  api.releaseAll();
  await flush;
  assert.deepEqual(
    api.started.map((event) => event.reason),
    ['Created', 'Created', 'Created', 'Running', 'Succeeded'],
  );
  assert.equal(api.maxInFlight(), 2);
  const [first] = api.started;
  assert.equal(first?.involvedObject.uid, 'u-1');
  assert.equal(first.reportingInstance, 'op-1');
  assert.equal(first.metadata.namespace, 'ns');
});

test('a full queue drops new Events, counts them and says so in the log', async () => {
  const api = blockingClient();
  const capture = logCapture();
  const recorder = new EventRecorder(api.client, 'op-1', capture.log, () => 0, {
    maxPending: 3,
    senders: 1,
  });
  recorder.record(locustTest, { type: 'Normal', reason: 'A', message: '' });
  await new Promise((resolve) => setImmediate(resolve));
  for (const reason of ['B', 'C', 'D', 'E', 'F'])
    recorder.record(locustTest, { type: 'Normal', reason, message: '' });
  assert.equal(recorder.dropped, 2);
  api.releaseAll();
  await recorder.flush();
  assert.deepEqual(
    api.started.map((event) => event.reason),
    ['A', 'B', 'C', 'D'],
  );
  assert.ok(capture.lines().some((line) => line.includes('event queue full')));
});

test('when the queue is full a Warning takes the place of the oldest queued Normal Event', async () => {
  const api = blockingClient();
  const recorder = new EventRecorder(api.client, 'op-1', logCapture().log, () => 0, {
    maxPending: 2,
    senders: 1,
  });
  recorder.record(locustTest, { type: 'Normal', reason: 'Sending', message: '' });
  await new Promise((resolve) => setImmediate(resolve));
  recorder.record(locustTest, { type: 'Normal', reason: 'Created', message: '' });
  recorder.record(locustTest, { type: 'Normal', reason: 'TestStarted', message: '' });
  recorder.record(locustTest, { type: 'Warning', reason: 'PodFailure', message: '' });
  recorder.record(locustTest, { type: 'Warning', reason: 'TestFailed', message: '' });
  recorder.record(locustTest, { type: 'Warning', reason: 'Third', message: '' });
  assert.equal(recorder.dropped, 3);
  api.releaseAll();
  await recorder.flush();
  assert.deepEqual(
    api.started.map((event) => event.reason),
    ['Sending', 'PodFailure', 'TestFailed'],
  );
});

test('a refused Event is logged and does not stop the ones after it', async () => {
  const capture = logCapture();
  const sent: string[] = [];
  const client: Pick<KubeClient, 'create'> = {
    create: <T>(_type: unknown, _namespace: string, body: T): Promise<T> => {
      const reason = (body as CoreV1Event).reason ?? '';
      if (reason === 'Bad') return Promise.reject(new Error('forbidden'));
      sent.push(reason);
      return Promise.resolve(body);
    },
  };
  const recorder = new EventRecorder(client, 'op-1', capture.log, () => 0);
  for (const reason of ['Bad', 'Good'])
    recorder.record(locustTest, { type: 'Normal', reason, message: '' });
  await recorder.flush();
  assert.deepEqual(sent, ['Good']);
  assert.ok(capture.lines().some((line) => line.includes('could not record event')));
});

test('flush gives up at its deadline when the API server does not answer', async () => {
  const api = blockingClient();
  const recorder = new EventRecorder(api.client, 'op-1', logCapture().log, () => 0);
  recorder.record(locustTest, { type: 'Normal', reason: 'Stuck', message: '' });
  await recorder.flush(20);
  assert.equal(api.inFlight(), 1);
  api.releaseAll();
  await recorder.flush();
});
