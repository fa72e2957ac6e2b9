import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OwnWrites } from '../../../src/controller/own-writes.ts';

interface Obj {
  metadata: { uid: string; resourceVersion: string };
  phase: string;
}
const obj = (resourceVersion: string, phase: string, uid = 'u1'): Obj => ({
  metadata: { uid, resourceVersion },
  phase,
});

test('a cache still showing versions our writes replaced yields our latest write', () => {
  const writes = new OwnWrites<Obj>();
  const created = obj('1', '');
  const pending = obj('2', 'Pending');
  const running = obj('3', 'Running');
  writes.wrote('ns/t', ['1'], pending);
  writes.wrote('ns/t', ['2'], running);
  assert.equal(writes.freshest('ns/t', created), running);
  assert.equal(writes.freshest('ns/t', pending), running, 'a version in between is stale too');
});

test('once the cache shows our write, or a newer one, the cache is used and the entry goes', () => {
  const writes = new OwnWrites<Obj>();
  writes.wrote('ns/t', ['1'], obj('2', 'Pending'));
  const caught = obj('2', 'Pending');
  assert.equal(writes.freshest('ns/t', caught), caught);
  assert.equal(writes.size, 0);
  writes.wrote('ns/t', ['2'], obj('3', 'Running'));
  const userEdit = obj('4', 'Running');
  assert.equal(writes.freshest('ns/t', userEdit), userEdit);
  assert.equal(writes.size, 0);
});

test('a recreated object with the same name is never mistaken for ours', () => {
  const writes = new OwnWrites<Obj>();
  writes.wrote('ns/t', ['1'], obj('2', 'Running'));
  const recreated = obj('1', '', 'u2');
  assert.equal(writes.freshest('ns/t', recreated), recreated);
});

test('a version re-read after a conflict counts as replaced; forget drops the entry', () => {
  const writes = new OwnWrites<Obj>();
  writes.wrote('ns/t', ['1', '5'], obj('6', 'Running'));
  assert.equal(writes.freshest('ns/t', obj('5', 'Pending')).phase, 'Running');
  writes.forget('ns/t');
  assert.equal(writes.freshest('ns/t', obj('5', 'Pending')).phase, 'Pending');
});
