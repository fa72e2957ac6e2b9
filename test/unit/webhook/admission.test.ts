/**
 * The validating webhook over real HTTPS: AdmissionReviews for the upstream samples, rejections
 * naming every field, warnings, update ratcheting, and the operations that pass unchecked.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { LocustTest } from '../../../src/api/v2/schema.ts';
import { validatePath } from '../../../src/webhook/server.ts';
import { sampleTest } from '../validation/sample-test.ts';
import {
  admissionReview,
  postJson,
  responseOf,
  startTestServer,
  type TestServer,
} from './harness.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const compatDir = process.env.LOCUST_COMPAT_DIR ?? join(repoRoot, '..', 'shared', 'compat');
const samplesDir = join(compatDir, 'upstream-samples', 'samples');

function upstreamSamples(): [string, unknown][] {
  if (!existsSync(samplesDir)) return [];
  return readdirSync(samplesDir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(samplesDir, file), 'utf8'))
        .map((document): unknown => document.toJS() as unknown)
        .filter((value) => (value as { kind?: unknown } | null)?.kind === 'LocustTest')
        .map((value): [string, unknown] => [file, value]),
    );
}

/** A test with two problems: a name too long for its Jobs, and OTel on without an endpoint. */
function twoProblems(): LocustTest {
  return sampleTest((t) => {
    t.metadata.name = 'a'.repeat(57);
    t.spec.observability = { openTelemetry: { enabled: true, endpoint: '' } };
  });
}

describe('the validating webhook', () => {
  let server: TestServer;
  const review = async (body: unknown, path = validatePath) => {
    const answer = await postJson(server.port, server.ca, path, body);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return { body: answer.body, response: responseOf(answer.body) };
  };

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
  });

  const samples = upstreamSamples();
  test('the upstream samples are present', () => {
    assert.ok(samples.length >= 6, `expected the upstream samples in ${samplesDir}`);
  });
  for (const [file, sample] of samples) {
    test(`admits the upstream sample ${file} with no warnings, echoing uid, apiVersion and kind`, async () => {
      const { body, response } = await review(
        admissionReview('CREATE', sample, undefined, 'uid-1'),
      );
      assert.equal(body.apiVersion, 'admission.k8s.io/v1');
      assert.equal(body.kind, 'AdmissionReview');
      assert.deepEqual(response, { uid: 'uid-1', allowed: true });
    });
  }

  test('denies an invalid test with 422 Invalid, naming both fields in one message', async () => {
    const { response } = await review(admissionReview('CREATE', twoProblems(), undefined, 'uid-2'));
    assert.equal(response.uid, 'uid-2');
    assert.equal(response.allowed, false);
    const status = response.status as Record<string, unknown>;
    assert.equal(status.code, 422);
    assert.equal(status.reason, 'Invalid');
    assert.equal(status.status, 'Failure');
    const message = String(status.message);
    assert.match(message, new RegExp(`^LocustTest\\.locust\\.io "${'a'.repeat(57)}" is invalid: `));
    assert.match(message, /metadata\.name: name "a+" is too long/);
    assert.match(message, /; spec\.observability\.openTelemetry\.endpoint: Required value/);
    const details = status.details as { causes: { field: string }[]; kind: string; group: string };
    assert.deepEqual(
      details.causes.map((c) => c.field),
      ['metadata.name', 'spec.observability.openTelemetry.endpoint'],
    );
    assert.equal(details.group, 'locust.io');
    assert.equal(details.kind, 'LocustTest');
  });

  test('returns warnings as "<field>: <message>" and still admits', async () => {
    const test = sampleTest() as unknown as { spec: Record<string, unknown> };
    test.spec.colour = 'blue';
    const { response } = await review(admissionReview('CREATE', test));
    assert.equal(response.allowed, true);
    assert.deepEqual(response.warnings, ['spec.colour: unknown field "spec.colour"']);
  });

  test('returns warnings alongside a denial', async () => {
    const test = twoProblems() as unknown as { spec: Record<string, unknown> };
    test.spec.colour = 'blue';
    const { response } = await review(admissionReview('CREATE', test));
    assert.equal(response.allowed, false);
    assert.deepEqual(response.warnings, ['spec.colour: unknown field "spec.colour"']);
  });

  test('keeps each warning within 256 characters', async () => {
    const test = sampleTest() as unknown as { spec: Record<string, unknown> };
    test.spec['x'.repeat(400)] = 1;
    const { response } = await review(admissionReview('CREATE', test));
    const warnings = response.warnings as string[];
    assert.equal(warnings.length, 1);
    assert.ok(
      warnings[0] !== undefined && warnings[0].length <= 256 && warnings[0].endsWith('...'),
    );
  });

  test('an UPDATE keeps a problem the stored object already had, as a warning', async () => {
    const old = twoProblems();
    const edited = twoProblems();
    edited.metadata.finalizers = ['locust.io/cleanup'];
    const { response } = await review(admissionReview('UPDATE', edited, old));
    assert.equal(response.allowed, true);
    const warnings = response.warnings as string[];
    assert.equal(warnings.length, 2);
    for (const warning of warnings) assert.match(warning, /already invalid before this update/);
  });

  test('an UPDATE that introduces a problem is denied, naming only the new field', async () => {
    const old = sampleTest();
    const edited = sampleTest((t) => {
      t.spec.observability = { openTelemetry: { enabled: true, endpoint: '' } };
    });
    const { response } = await review(admissionReview('UPDATE', edited, old));
    assert.equal(response.allowed, false);
    const message = String((response.status as Record<string, unknown>).message);
    assert.match(message, /^LocustTest\.locust\.io "demo" is invalid: spec\.observability/);
  });

  test('allows DELETE and CONNECT without looking at the object', async () => {
    for (const operation of ['DELETE', 'CONNECT'] as const) {
      const { response } = await review(admissionReview(operation, undefined, twoProblems(), 'u'));
      assert.deepEqual(response, { uid: 'u', allowed: true });
    }
  });

  test('allows a status subresource write unchecked', async () => {
    const body = admissionReview('UPDATE', twoProblems(), twoProblems());
    (body.request as Record<string, unknown>).subResource = 'status';
    const { response } = await review(body);
    assert.equal(response.allowed, true);
  });

  test('validates a v1 request (a registration that lists v1) with the v1 rules', async () => {
    const body = admissionReview('CREATE', {
      apiVersion: 'locust.io/v1',
      kind: 'LocustTest',
      metadata: { name: 'v1-test' },
      spec: {
        image: 'locustio/locust',
        masterCommandSeed: 'm',
        workerCommandSeed: 'w',
        workerReplicas: 1,
      },
    });
    (body.request as Record<string, unknown>).kind = {
      group: 'locust.io',
      version: 'v1',
      kind: 'LocustTest',
    };
    const { response } = await review(body);
    assert.equal(response.allowed, true);
    assert.match(String((response.warnings as string[])[0]), /deprecated/);
  });

  test('refuses (400 in the review) an object of another kind, an unknown operation or no object', async () => {
    const cases: [string, (request: Record<string, unknown>) => void][] = [
      ['another kind', (r) => (r.kind = { group: 'apps', version: 'v1', kind: 'Deployment' })],
      ['an unknown operation', (r) => (r.operation = 'PATCH')],
      ['no object', (r) => delete r.object],
    ];
    for (const [what, edit] of cases) {
      const body = admissionReview('CREATE', sampleTest(), undefined, 'u4');
      edit(body.request as Record<string, unknown>);
      const { response } = await review(body);
      assert.equal(response.uid, 'u4', what);
      assert.equal(response.allowed, false, what);
      assert.equal((response.status as Record<string, unknown>).code, 400, what);
    }
  });

  test('ignores the query string the API server appends (?timeout=10s)', async () => {
    const { response } = await review(
      admissionReview('CREATE', sampleTest()),
      `${validatePath}?timeout=10s`,
    );
    assert.equal(response.allowed, true);
  });

  test('logs every review with its uid and verdict', () => {
    const reviewed = server.logs.lines.filter((l) => l.msg === 'webhook review answered');
    assert.ok(reviewed.some((l) => l.uid === 'uid-2' && l.allowed === false && l.status === 200));
    assert.ok(reviewed.some((l) => l.uid === 'uid-1' && l.allowed === true));
  });
});
