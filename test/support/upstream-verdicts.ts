/**
 * Applies every upstream v2 LocustTest sample into a namespace with kubectl and asserts upstream's
 * verdict: valid samples are accepted, invalid ones rejected with a message naming the field.
 */
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { invalidSampleFiles, upstreamSamples } from './compat.ts';
import { kubectl } from './kubectl.ts';

/** Returns how many samples were applied. */
export function applyUpstreamV2Samples(namespace: string): number {
  const samples = upstreamSamples().filter(
    ({ document }) => document.kind === 'LocustTest' && document.apiVersion === 'locust.io/v2',
  );
  for (const { file, document } of samples) {
    const metadata = { ...(document.metadata as Record<string, unknown>), namespace };
    const applied = kubectl(['apply', '-f', '-'], stringify({ ...document, metadata }));
    if (invalidSampleFiles.includes(file)) {
      assert.notEqual(applied.status, 0, `${file} was accepted`);
      assert.match(
        applied.stderr,
        /spec\.(worker\.replicas|scheduling\.runtimeClassName)/,
        `${file}: ${applied.stderr}`,
      );
    } else {
      assert.equal(applied.status, 0, `${file}: ${applied.stderr}`);
    }
  }
  return samples.length;
}
