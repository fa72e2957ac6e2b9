/**
 * The conversion webhook over real HTTPS: ConversionReviews v1 → v2 and v2 → v1 answered with
 * every object converted in order, failures reported in `result`, and the uid echoed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { convertLocustTest } from '../../../src/api/conversion.ts';
import { convertPath } from '../../../src/webhook/server.ts';
import { sampleTest } from '../validation/sample-test.ts';
import {
  conversionReview,
  postJson,
  responseOf,
  startTestServer,
  type TestServer,
} from './harness.ts';

/** The upstream e2e v1 fixture, as the API server stores metadata. */
const v1Test = {
  apiVersion: 'locust.io/v1',
  kind: 'LocustTest',
  metadata: { name: 'e2e-test-v1', namespace: 'default', uid: 'a-uid', resourceVersion: '7' },
  spec: {
    masterCommandSeed: '-f /lotest/src/locustfile.py',
    workerCommandSeed: '-f /lotest/src/locustfile.py',
    workerReplicas: 1,
    image: 'locustio/locust:latest',
    configMap: 'e2e-test-configmap',
  },
};

describe('the conversion webhook', () => {
  let server: TestServer;
  const convert = async (objects: unknown[], desired: string, uid = 'conv-1') => {
    const answer = await postJson(
      server.port,
      server.ca,
      convertPath,
      conversionReview(objects, desired, uid),
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.apiVersion, 'apiextensions.k8s.io/v1');
    assert.equal(answer.body.kind, 'ConversionReview');
    const response = responseOf(answer.body);
    assert.equal(response.uid, uid);
    return response;
  };

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
  });

  test('converts a v1 test to v2 as upstream maps it, keeping metadata', async () => {
    const response = await convert([v1Test], 'locust.io/v2');
    assert.deepEqual(response.result, { status: 'Success' });
    const converted = (response.convertedObjects as Record<string, unknown>[])[0] ?? {};
    assert.equal(converted.apiVersion, 'locust.io/v2');
    assert.deepEqual(converted.metadata, v1Test.metadata);
    const spec = converted.spec as {
      master: { command: string; autostart: boolean };
      worker: { replicas: number };
      testFiles: { configMapRef: string };
    };
    assert.equal(spec.master.command, '-f /lotest/src/locustfile.py');
    assert.equal(spec.master.autostart, true);
    assert.equal(spec.worker.replicas, 1);
    assert.equal(spec.testFiles.configMapRef, 'e2e-test-configmap');
  });

  test('converts a v2 test to v1', async () => {
    const v2 = sampleTest((t) => (t.spec.worker.replicas = 3));
    const response = await convert([v2], 'locust.io/v1');
    const converted = (response.convertedObjects as Record<string, unknown>[])[0] ?? {};
    assert.equal(converted.apiVersion, 'locust.io/v1');
    const spec = converted.spec as { workerReplicas: number; masterCommandSeed: string };
    assert.equal(spec.workerReplicas, 3);
    assert.equal(spec.masterCommandSeed, v2.spec.master.command);
  });

  test('converts a mixed list in order, exactly as convertLocustTest does', async () => {
    const objects = [v1Test, sampleTest(), { ...v1Test, metadata: { name: 'second' } }];
    const response = await convert(objects, 'locust.io/v2');
    assert.deepEqual(
      response.convertedObjects,
      objects.map((o) => convertLocustTest(o, 'locust.io/v2')),
    );
  });

  test('an empty list converts to an empty list', async () => {
    const response = await convert([], 'locust.io/v1');
    assert.deepEqual(response, {
      uid: 'conv-1',
      convertedObjects: [],
      result: { status: 'Success' },
    });
  });

  test('an object that cannot be converted fails the review, naming the object and field', async () => {
    const broken = {
      ...v1Test,
      metadata: { name: 'broken', namespace: 'ns' },
      spec: { ...v1Test.spec, tolerations: 'none' },
    };
    const response = await convert([v1Test, broken], 'locust.io/v2', 'conv-2');
    assert.equal(response.convertedObjects, undefined);
    const result = response.result as { status: string; message: string };
    assert.equal(result.status, 'Failure');
    assert.match(
      result.message,
      /^converting objects\[1\] \(ns\/broken\) to locust\.io\/v2: spec\.tolerations: must be an array/,
    );
  });

  test('another kind fails the review', async () => {
    const response = await convert(
      [{ apiVersion: 'v1', kind: 'Pod', metadata: {} }],
      'locust.io/v1',
    );
    assert.match((response.result as { message: string }).message, /kind: must be LocustTest/);
  });

  test('an unknown desired version fails the review', async () => {
    const response = await convert([v1Test], 'locust.io/v3');
    const result = response.result as { status: string; message: string };
    assert.equal(result.status, 'Failure');
    assert.match(result.message, /"locust\.io\/v3".*locust\.io\/v1 and locust\.io\/v2/);
  });

  test('logs each review with its outcome', () => {
    const lines = server.logs.lines.filter((l) => l.msg === 'webhook review answered');
    assert.ok(lines.some((l) => l.uid === 'conv-2' && l.result === 'Failure' && l.level === 30));
    assert.ok(lines.some((l) => l.uid === 'conv-1' && l.result === 'Success'));
  });
});

test('a converter bug (not a ConversionError) is a 500, not a Failure result', async () => {
  const server = await startTestServer({
    convert: () => {
      throw new TypeError('cannot read properties of undefined');
    },
  });
  try {
    const answer = await postJson(
      server.port,
      server.ca,
      convertPath,
      conversionReview([v1Test], 'locust.io/v2'),
    );
    assert.equal(answer.status, 500);
  } finally {
    await server.stop();
  }
});

test('a null scalar the converter does not expect counts as absent: a Success result, not a 500', async () => {
  const server = await startTestServer();
  try {
    const v2 = sampleTest() as unknown as { spec: { testFiles: Record<string, unknown> } };
    v2.spec.testFiles.configMapRef = null;
    const answer = await postJson(
      server.port,
      server.ca,
      convertPath,
      conversionReview([v2], 'locust.io/v1'),
    );
    assert.equal(answer.status, 200);
    assert.equal((responseOf(answer.body).result as { status: string }).status, 'Success');
  } finally {
    await server.stop();
  }
});
