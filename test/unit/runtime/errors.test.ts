import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApiError,
  classify,
  errorKind,
  isApiError,
  isRetryable,
  type ApiErrorKind,
} from '../../../src/runtime/errors.ts';

test('API failures are classified by status code, and 409 by its reason', () => {
  const table: [number | undefined, string | undefined, ApiErrorKind][] = [
    [404, undefined, 'NotFound'],
    [409, 'Conflict', 'Conflict'],
    [409, undefined, 'Conflict'],
    [409, 'AlreadyExists', 'AlreadyExists'],
    [410, 'Expired', 'Gone'],
    [410, undefined, 'Gone'],
    [422, 'Invalid', 'Invalid'],
    [400, 'BadRequest', 'Invalid'],
    [403, 'Forbidden', 'Forbidden'],
    [401, 'Unauthorized', 'Forbidden'],
    [429, 'TooManyRequests', 'Transient'],
    [408, undefined, 'Transient'],
    [500, 'InternalError', 'Transient'],
    [503, 'ServiceUnavailable', 'Transient'],
    [504, 'Timeout', 'Transient'],
    [undefined, undefined, 'Transient'],
    [0, undefined, 'Transient'],
  ];
  for (const [status, reason, kind] of table) {
    assert.equal(classify(status, reason), kind, `${String(status)} ${reason ?? ''}`);
  }
});

test('an ApiError carries its kind, status and cause for callers and logs', () => {
  const cause = new Error('socket hang up');
  const error = ApiError.fromStatus(409, 'leases "lock" already exists', {
    reason: 'AlreadyExists',
    cause,
  });
  assert.equal(error.kind, 'AlreadyExists');
  assert.equal(error.statusCode, 409);
  assert.equal(error.cause, cause);
  assert.equal(errorKind(error), 'AlreadyExists');
  assert.equal(errorKind(new Error('bug')), undefined);
  assert.ok(isApiError(error, 'AlreadyExists'));
  assert.ok(!isApiError(error, 'Conflict'));
  assert.ok(isRetryable('Transient') && isRetryable('Conflict'));
  assert.ok(!isRetryable('Invalid') && !isRetryable('Forbidden'));
});
