import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatClock, formatDuration, parseDuration } from '../../../src/cli/duration.ts';

test('durations are read in Go syntax: units, combinations, fractions and a bare 0', () => {
  const cases: [string, number][] = [
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['1m30s250ms', 90_250],
    ['.5s', 500],
    ['0', 0],
    ['0s', 0],
  ];
  for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
});

test('anything else is not a duration: bare numbers, negatives, unknown units, spaces, empty', () => {
  for (const text of ['', '30', '-5s', '5d', '5 s', ' 5s', '5s ', 's', '1h-30m', '5S', '1e3s']) {
    assert.equal(parseDuration(text), undefined, JSON.stringify(text));
  }
});

test('durations are printed rounded to seconds, as Go prints them, and as a steady clock', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(499), '0s');
  assert.equal(formatDuration(14_600), '15s');
  assert.equal(formatDuration(30 * 60_000), '30m');
  assert.equal(formatDuration(3_723_000), '1h2m3s');
  assert.equal(formatClock(0), '00:00');
  assert.equal(formatClock(65_900), '01:05');
  assert.equal(formatClock(3_723_000), '1:02:03');
});
