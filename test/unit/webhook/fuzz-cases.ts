/**
 * Malformed review bodies for the webhook fuzz test, generated from valid AdmissionReviews and
 * ConversionReviews by seeded random mutations: of the JSON value (wrong types, missing and extra
 * fields, huge strings, deep nesting, many copies), of the bytes (truncation, flipped bytes,
 * invalid UTF-8, random bytes), and of the request line and headers.
 */
import { convertPath, validatePath } from '../../../src/webhook/server.ts';
import { sampleTest } from '../validation/sample-test.ts';
import { admissionReview, conversionReview } from './harness.ts';

/** A deterministic PRNG (mulberry32): the same seed gives the same cases. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One request to send. */
export interface FuzzCase {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: Buffer;
  /** The status a header-level mutation must produce, when there is one. */
  readonly expectedStatus?: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const richTestJson = JSON.stringify(
  sampleTest((t) => {
    t.spec.scheduling = {
      nodeSelector: { tier: 'compute' },
      tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'arch', operator: 'In', values: ['amd64'] }] },
            ],
          },
        },
      },
    };
    t.spec.env = {
      secretMounts: [{ name: 'tls', mountPath: '/etc/certs' }],
      variables: [{ name: 'A', value: 'b' }],
    };
    t.spec.volumes = [{ name: 'data', emptyDir: {} }];
    t.spec.volumeMounts = [{ name: 'data', mountPath: '/data', target: 'both' }];
    t.spec.observability = { openTelemetry: { enabled: true, endpoint: 'otel:4317' } };
  }),
);

/** A valid test using most of the spec, fresh each call (cases mutate it). */
function richTest(): Json {
  return JSON.parse(richTestJson) as Json;
}

const v1Test: Json = {
  apiVersion: 'locust.io/v1',
  kind: 'LocustTest',
  metadata: { name: 'v1-test', namespace: 'default' },
  spec: {
    image: 'locustio/locust',
    masterCommandSeed: '-f /lotest/src/a.py',
    workerCommandSeed: '-f /lotest/src/a.py',
    workerReplicas: 2,
    labels: { master: { a: 'b' } },
    affinity: {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { arch: 'amd64' } },
    },
    tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
  },
};

function baseReview(random: () => number, uid: string): { path: string; value: Json } {
  const pick = random();
  const test = richTest();
  if (pick < 0.35)
    return { path: validatePath, value: admissionReview('CREATE', test, undefined, uid) as Json };
  if (pick < 0.6)
    return { path: validatePath, value: admissionReview('UPDATE', test, richTest(), uid) as Json };
  if (pick < 0.65)
    return { path: validatePath, value: admissionReview('DELETE', undefined, test, uid) as Json };
  const desired = random() < 0.5 ? 'locust.io/v1' : 'locust.io/v2';
  const objects = [test, structuredClone(v1Test), richTest()].slice(
    0,
    1 + Math.floor(random() * 3),
  );
  return { path: convertPath, value: conversionReview(objects, desired, uid) as Json };
}

function nested(depth: number, random: () => number): Json {
  let value: Json = 'leaf';
  for (let i = 0; i < depth; i++) value = random() < 0.5 ? [value] : { a: value };
  return value;
}

const oddStrings = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  'é',
  '😀'.repeat(50),
  '"\\',
  '__proto__',
  '../../etc',
  '-worker',
  'a'.repeat(64),
];

function randomValue(random: () => number): Json {
  const pick = Math.floor(random() * 14);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return [0, -1, 1.5, 1e308, -1e-308, 2 ** 53 + 1, 65536][Math.floor(random() * 7)] ?? 0;
    case 3:
      return oddStrings[Math.floor(random() * oddStrings.length)] ?? '';
    case 4:
      // Mostly long, sometimes huge (up to 200 KB): the cost of a case grows with its size.
      return 'x'.repeat(1 + Math.floor(random() * (random() < 0.1 ? 200_000 : 5_000)));
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return [1, 'a', null, { b: [] }];
    case 8:
      return nested(1 + Math.floor(random() * 260), random);
    case 9:
      return Array.from({ length: Math.floor(random() * 300) }, (_, i) => ({
        name: `v${String(i % 7)}`,
        mountPath: '/',
      }));
    case 10:
      // Own keys named like Object.prototype members, as JSON.parse creates them.
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":"x","toString":1}') as Json;
    case 11:
      return String.fromCharCode(
        ...Array.from({ length: 40 }, () => Math.floor(random() * 0x10000)),
      );
    case 12:
      return richTest();
    default:
      return { uid: 1, kind: 'LocustTest', apiVersion: 'locust.io/v2' };
  }
}

/** Every container (object or array) in value, with a way to set or delete one of its members. */
function containers(
  value: Json,
  out: (Json[] | { [key: string]: Json })[] = [],
  depth = 0,
): (Json[] | { [key: string]: Json })[] {
  if (typeof value !== 'object' || value === null || depth > 40) return out;
  out.push(value);
  for (const child of Array.isArray(value) ? value : Object.values(value))
    containers(child, out, depth + 1);
  return out;
}

function mutateValue(root: Json, random: () => number): void {
  const all = containers(root);
  const target = all[Math.floor(random() * all.length)];
  if (target === undefined) return;
  const keys = Array.isArray(target) ? target.map((_, i) => String(i)) : Object.keys(target);
  const key = keys[Math.floor(random() * keys.length)];
  const action = random();
  if (Array.isArray(target)) {
    const index = Number(key ?? 0);
    if (action < 0.3) target.splice(index, 1);
    else target[index] = randomValue(random);
    return;
  }
  if (action < 0.3 && key !== undefined) Reflect.deleteProperty(target, key);
  else if (action < 0.4) {
    // defineProperty, not assignment: `x.__proto__ = v` would set the prototype, not a key.
    const name = ['__proto__', 'constructor', 'extra', 'status', ''][Math.floor(random() * 5)];
    Object.defineProperty(target, name ?? 'x', {
      value: randomValue(random),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else target[key ?? 'added'] = randomValue(random);
}

/**
 * Appends 500 references to one small item of a random array: thousands of problems in one
 * object in a bounded body. Done last, as later mutations of a shared item would multiply.
 */
function amplify(root: Json, random: () => number): void {
  const arrays = containers(root).filter((c): c is Json[] => Array.isArray(c) && c.length > 0);
  const target = arrays[Math.floor(random() * arrays.length)];
  const item = target?.[Math.floor(random() * target.length)];
  if (target === undefined || item === undefined || JSON.stringify(item).length > 1000) return;
  for (let i = 0; i < 500; i++) target.push(item);
}

const invalidUtf8 = [
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xff],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe2, 0x82],
];

function mutateBytes(body: Buffer, random: () => number): Buffer {
  const action = random();
  if (action < 0.3) return body.subarray(0, Math.floor(random() * body.length));
  if (action < 0.55) {
    const copy = Buffer.from(body);
    for (let i = 0; i < 1 + random() * 8; i++)
      copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
    return copy;
  }
  if (action < 0.75) {
    const at = Math.floor(random() * body.length);
    const bad = invalidUtf8[Math.floor(random() * invalidUtf8.length)] ?? [0xff];
    return Buffer.concat([body.subarray(0, at), Buffer.from(bad), body.subarray(at)]);
  }
  if (action < 0.9)
    return Buffer.from(
      Array.from({ length: Math.floor(random() * 3000) }, () => Math.floor(random() * 256)),
    );
  return action < 0.95 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
}

/** The n-th case of a seeded run; `oversize` is the server's body limit, to aim some past it. */
export function fuzzCase(random: () => number, n: number, oversize: number): FuzzCase {
  const uid = random() < 0.02 ? '' : `fuzz-${String(n)}`;
  const { path, value } = baseReview(random, uid);
  const mutations = Math.floor(random() * 4);
  for (let i = 0; i < mutations; i++) mutateValue(value, random);
  if (random() < 0.05) amplify(value, random);
  let body: Buffer = Buffer.from(JSON.stringify(value));
  const mode = random();
  if (mode < 0.3) body = mutateBytes(body, random);
  else if (mode < 0.31) body = Buffer.concat([body, Buffer.alloc(oversize, 0x20)]);
  const header = random();
  if (header < 0.01)
    return {
      method: 'GET',
      path,
      contentType: 'application/json',
      body: Buffer.alloc(0),
      expectedStatus: 405,
    };
  if (header < 0.02)
    return { method: 'POST', path, contentType: 'text/yaml', body, expectedStatus: 415 };
  if (header < 0.03)
    return {
      method: 'POST',
      path: `${path}x`,
      contentType: 'application/json',
      body,
      expectedStatus: 404,
    };
  return { method: 'POST', path, contentType: 'application/json; charset=utf-8', body };
}
