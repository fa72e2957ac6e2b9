import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFieldPath } from '../../../src/validation/field-path.ts';
import {
  parseStructuralSchema,
  validateStructural,
  type StructuralSchema,
} from '../../../src/validation/structural-schema.ts';

const schema = (json: unknown): StructuralSchema => parseStructuralSchema(json);

const workerSchema = schema({
  type: 'object',
  required: ['command', 'replicas'],
  properties: {
    command: { type: 'string', minLength: 1 },
    replicas: { type: 'integer', format: 'int32', minimum: 1, maximum: 500 },
    policy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] },
    runtimeClassName: {
      type: 'string',
      maxLength: 10,
      pattern: '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    args: { type: 'array', maxItems: 2, items: { type: 'string' } },
    ratio: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1 },
    enabled: { type: 'boolean' },
  },
});

function errorsOf(s: StructuralSchema, value: unknown): string[] {
  return validateStructural(s, value).errors.map((p) => `${p.field}: ${p.message}`);
}

test('a value that matches the schema has no problems', () => {
  const result = validateStructural(workerSchema, {
    command: 'locust',
    replicas: 3,
    policy: 'Always',
    labels: { a: 'b' },
    args: ['x'],
    ratio: 0.5,
    enabled: true,
  });
  assert.deepEqual(result, { errors: [], warnings: [] });
});

test('a missing required field is reported as Required value at its path', () => {
  assert.deepEqual(errorsOf(workerSchema, { command: 'x' }), ['replicas: Required value']);
});

test('a value of the wrong type names the value and the expected type', () => {
  assert.deepEqual(errorsOf(workerSchema, { command: 'x', replicas: 'two' }), [
    'replicas: Invalid value: "two": must be of type integer',
  ]);
  assert.deepEqual(errorsOf(workerSchema, { command: 'x', replicas: 1.5 }), [
    'replicas: Invalid value: 1.5: must be of type integer',
  ]);
  assert.deepEqual(errorsOf(workerSchema, { command: 'x', replicas: 1, enabled: 'yes' }), [
    'enabled: Invalid value: "yes": must be of type boolean',
  ]);
});

test('minimum and maximum use the API server wording', () => {
  assert.deepEqual(errorsOf(workerSchema, { command: 'x', replicas: 0 }), [
    'replicas: Invalid value: 0: should be greater than or equal to 1',
  ]);
  assert.deepEqual(errorsOf(workerSchema, { command: 'x', replicas: 501 }), [
    'replicas: Invalid value: 501: should be less than or equal to 500',
  ]);
});

test('exclusive bounds exclude the bound itself', () => {
  assert.deepEqual(errorsOf(workerSchema, { command: 'x', replicas: 1, ratio: 0 }), [
    'ratio: Invalid value: 0: should be greater than 0',
  ]);
});

test('an int32 outside the 32-bit range is rejected even without a maximum', () => {
  const s = schema({ type: 'integer', format: 'int32' });
  assert.deepEqual(errorsOf(s, 2 ** 31), [
    ': Invalid value: 2147483648: must be of format int32 (between -2147483648 and 2147483647)',
  ]);
  assert.deepEqual(errorsOf(s, -(2 ** 31)), []);
  assert.deepEqual(errorsOf(schema({ type: 'integer', format: 'int64' }), 2 ** 40), []);
});

test('an enum violation lists the supported values', () => {
  assert.deepEqual(errorsOf(workerSchema, { command: 'x', replicas: 1, policy: 'Sometimes' }), [
    'policy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
  ]);
});

test('string length and pattern are checked and name the value', () => {
  assert.deepEqual(errorsOf(workerSchema, { command: '', replicas: 1 }), [
    'command: Invalid value: "": should be at least 1 chars long',
  ]);
  assert.deepEqual(
    errorsOf(workerSchema, { command: 'x', replicas: 1, runtimeClassName: 'gVisor_Sandbox' }),
    [
      'runtimeClassName: Invalid value: "gVisor_Sandbox": should be at most 10 chars long (got 14)',
      'runtimeClassName: Invalid value: "gVisor_Sandbox": should match \'^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$\'',
    ],
  );
});

test('string length counts characters, not UTF-16 units', () => {
  assert.deepEqual(errorsOf(schema({ type: 'string', maxLength: 2 }), '😀😀'), []);
});

test('too many list items is reported with the count and the limit', () => {
  assert.deepEqual(errorsOf(workerSchema, { command: 'x', replicas: 1, args: ['a', 'b', 'c'] }), [
    'args: Too many: 3: must have at most 2 items',
  ]);
  assert.deepEqual(errorsOf(schema({ type: 'array', minItems: 1, items: {} }), []), [
    ': Invalid value: 0 items: should have at least 1 items',
  ]);
});

test('list items and map values are checked at indexed and keyed paths', () => {
  assert.deepEqual(
    errorsOf(workerSchema, { command: 'x', replicas: 1, args: ['a', 2], labels: { 'a.b/c': 3 } }),
    [
      'args[1]: Invalid value: 2: must be of type string',
      'labels[a.b/c]: Invalid value: 3: must be of type string',
    ],
  );
});

test('unknown fields are warnings, not errors, named as kubectl names them', () => {
  const result = validateStructural(workerSchema, { command: 'x', replicas: 1, replica: 2 });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.warnings, [{ field: 'replica', message: 'unknown field "replica"' }]);
});

test('x-kubernetes-preserve-unknown-fields keeps undeclared fields without warnings', () => {
  const s = schema({
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    properties: { a: { type: 'string' } },
  });
  assert.deepEqual(validateStructural(s, { a: 'x', b: { c: 1 } }), { errors: [], warnings: [] });
  assert.deepEqual(errorsOf(s, { a: 1 }), ['a: Invalid value: 1: must be of type string']);
});

test('x-kubernetes-int-or-string accepts integers and strings only', () => {
  const s = schema({
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
  });
  assert.deepEqual(errorsOf(s, 3), []);
  assert.deepEqual(errorsOf(s, '50%'), []);
  assert.deepEqual(errorsOf(s, 1.5), [': Invalid value: 1.5: must be of type integer or string']);
  assert.deepEqual(errorsOf(s, true), [': Invalid value: true: must be of type integer or string']);
});

test('null is accepted only where nullable is set', () => {
  const s = schema({
    type: 'object',
    properties: { a: { type: 'string', nullable: true }, b: { type: 'string' } },
  });
  assert.deepEqual(errorsOf(s, { a: null }), []);
  assert.deepEqual(errorsOf(s, { b: null }), ['b: Invalid value: null: must be of type string']);
});

test('a resource root allows apiVersion, kind and any metadata field', () => {
  const s = schema({
    type: 'object',
    properties: { metadata: { type: 'object' }, spec: { type: 'object', properties: {} } },
  });
  const value = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a', labels: {} }, spec: {} };
  assert.deepEqual(validateStructural(s, value, { resource: true }), { errors: [], warnings: [] });
  assert.deepEqual(
    validateStructural(s, value).warnings.map((w) => w.field),
    ['apiVersion', 'kind', 'metadata.name', 'metadata.labels'],
  );
});

test('list-type map and set reject duplicate entries', () => {
  const map = schema({
    type: 'array',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['name'],
    items: { type: 'object', properties: { name: { type: 'string' }, v: { type: 'string' } } },
  });
  assert.deepEqual(errorsOf(map, [{ name: 'a' }, { name: 'b' }, { name: 'a', v: 'x' }]), [
    '[2]: Duplicate value: {"name":"a"}',
  ]);
  const set = schema({ type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } });
  assert.deepEqual(errorsOf(set, ['a', 'a']), ['[1]: Duplicate value: "a"']);
});

test('anyOf, oneOf and not are evaluated on the value', () => {
  const anyOf = schema({ type: 'string', anyOf: [{ minLength: 3 }, { enum: ['x'] }] });
  assert.deepEqual(errorsOf(anyOf, 'x'), []);
  assert.deepEqual(errorsOf(anyOf, 'ab'), [
    ': Invalid value: "ab": must match at least one schema in anyOf',
  ]);
  const not = schema({ type: 'string', not: { enum: ['forbidden'] } });
  assert.deepEqual(errorsOf(not, 'forbidden'), [
    ': Invalid value: "forbidden": must not match the schema in not',
  ]);
});

test('date-time strings must be RFC 3339', () => {
  const s = schema({ type: 'string', format: 'date-time' });
  assert.deepEqual(errorsOf(s, '2026-01-15T10:00:00Z'), []);
  assert.deepEqual(errorsOf(s, 'yesterday'), [
    ': Invalid value: "yesterday": must be of format date-time (RFC 3339)',
  ]);
});

test('a malformed schema is refused with the path of the bad keyword', () => {
  assert.throws(
    () => parseStructuralSchema({ type: 'object', properties: { a: { type: 'text' } } }),
    /invalid structural schema at \.properties\.a: unsupported type "text"/,
  );
  assert.throws(() => parseStructuralSchema({ required: 'a' }), /required must be a list/);
});

test('field paths parse back into properties, indexes and map keys', () => {
  assert.deepEqual(parseFieldPath('spec.volumes[0].name'), ['spec', 'volumes', 0, 'name']);
  assert.deepEqual(parseFieldPath('spec.master.labels[prometheus.io/port]'), [
    'spec',
    'master',
    'labels',
    'prometheus.io/port',
  ]);
  assert.deepEqual(parseFieldPath(''), []);
});
