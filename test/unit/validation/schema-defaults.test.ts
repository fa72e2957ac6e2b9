import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyDefaults, parseStructuralSchema } from '../../../src/validation/structural-schema.ts';

const schema = parseStructuralSchema({
  type: 'object',
  properties: {
    testFiles: {
      type: 'object',
      properties: {
        srcMountPath: { type: 'string', default: '/lotest/src' },
        configMapRef: { type: 'string' },
      },
    },
    autoquit: {
      type: 'object',
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
        timeout: { type: 'integer', default: 60 },
      },
    },
    mounts: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, readOnly: { type: 'boolean', default: true } },
      },
    },
    byRole: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: { target: { type: 'string', default: 'both' } },
      },
    },
    note: { type: 'string', nullable: true, default: 'n' },
    label: { type: 'string' },
  },
});

test('a default is applied only when its parent object exists', () => {
  assert.deepEqual(applyDefaults(schema, {}), {
    autoquit: { enabled: true, timeout: 60 },
    note: 'n',
  });
  assert.deepEqual(applyDefaults(schema, { testFiles: {} }), {
    testFiles: { srcMountPath: '/lotest/src' },
    autoquit: { enabled: true, timeout: 60 },
    note: 'n',
  });
});

test('a value given by the user is never replaced by a default', () => {
  const defaulted = applyDefaults(schema, {
    testFiles: { srcMountPath: '/x' },
    autoquit: { enabled: false },
  });
  assert.deepEqual(defaulted, {
    testFiles: { srcMountPath: '/x' },
    autoquit: { enabled: false, timeout: 60 },
    note: 'n',
  });
});

test('defaults apply inside list items and map values', () => {
  assert.deepEqual(
    applyDefaults(schema, {
      mounts: [{ name: 'a' }, { name: 'b', readOnly: false }],
      byRole: { m: {} },
    }),
    {
      mounts: [
        { name: 'a', readOnly: true },
        { name: 'b', readOnly: false },
      ],
      byRole: { m: { target: 'both' } },
      autoquit: { enabled: true, timeout: 60 },
      note: 'n',
    },
  );
});

test('null in a non-nullable field is dropped, then defaulted if it has a default', () => {
  assert.deepEqual(applyDefaults(schema, { label: null, autoquit: null, note: null }), {
    autoquit: { enabled: true, timeout: 60 },
    note: null,
  });
});

test('the input is not changed', () => {
  const input = { testFiles: {} };
  applyDefaults(schema, input);
  assert.deepEqual(input, { testFiles: {} });
});

test('values of the wrong shape are left for validation to report', () => {
  assert.deepEqual(applyDefaults(schema, { testFiles: 'x', mounts: 3 }), {
    testFiles: 'x',
    mounts: 3,
    autoquit: { enabled: true, timeout: 60 },
    note: 'n',
  });
  assert.equal(applyDefaults(schema, 'text'), 'text');
});
