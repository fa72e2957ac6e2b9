/** The pure parts of the admission handler: how problems become a Status and warnings. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatWarnings,
  invalidStatus,
  reviewAdmission,
} from '../../../src/webhook/admission-review.ts';
import { admissionReview } from './harness.ts';

const problem = (i: number) => ({ field: `spec.volumes[${String(i)}].name`, message: 'is bad' });

test('warnings are "<field>: <message>", or the message alone for the whole object', () => {
  assert.deepEqual(formatWarnings([problem(0), { field: '', message: 'deprecated' }]), [
    'spec.volumes[0].name: is bad',
    'deprecated',
  ]);
});

test('many warnings stay within the API server’s 4 KiB budget and say how many were left out', () => {
  const warnings = formatWarnings(Array.from({ length: 500 }, (_, i) => problem(i)));
  assert.ok(warnings.join('').length <= 4096);
  assert.match(warnings.at(-1) ?? '', /^\d+ more warnings omitted$/);
  const shown = warnings.length - 1;
  assert.equal(warnings.at(-1), `${String(500 - shown)} more warnings omitted`);
});

test('a rejection lists at most 50 problems in its message and causes, and counts the rest', () => {
  const status = invalidStatus(
    't',
    Array.from({ length: 120 }, (_, i) => problem(i)),
  );
  assert.match(String(status.message), /; and 70 more$/);
  assert.equal((status.details as { causes: unknown[] }).causes.length, 50);
});

test('a rejection quotes the name as the API server does, even an odd one', () => {
  const status = invalidStatus('a"b', [problem(0)]);
  assert.equal(
    status.message,
    'LocustTest.locust.io "a\\"b" is invalid: spec.volumes[0].name: is bad',
  );
});

test('the handler asks the v2 validator about CREATE (no old object) and UPDATE (with it)', () => {
  const seen: unknown[][] = [];
  const validators = {
    v1: () => ({ errors: [], warnings: [] }),
    v2: (...args: unknown[]) => {
      seen.push(args);
      return { errors: [], warnings: [] };
    },
  };
  reviewAdmission(admissionReview('CREATE', { a: 1 }), validators);
  reviewAdmission(admissionReview('UPDATE', { a: 2 }, { a: 1 }), validators);
  assert.deepEqual(seen, [[{ a: 1 }], [{ a: 2 }, { a: 1 }]]);
});
