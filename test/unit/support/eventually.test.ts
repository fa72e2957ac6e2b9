import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../support/eventually.ts';

test('eventually returns the first defined value', async () => {
  let calls = 0;
  const value = await eventually(() => (++calls >= 3 ? 'done' : undefined), {
    description: 'three calls',
    intervalMs: 1,
  });
  assert.equal(value, 'done');
  assert.equal(calls, 3);
});

test('eventually reports what it waited for and the last failure on timeout', async () => {
  await assert.rejects(
    eventually(
      () => {
        throw new Error('still pending');
      },
      { description: 'the impossible', timeoutMs: 20, intervalMs: 1 },
    ),
    /timed out after 20 ms waiting for the impossible: still pending/,
  );
});
