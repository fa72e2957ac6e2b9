/** The ConfigMaps and Secrets read from a manifest or from --secret-file, and where tests name them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { referencedConfigMaps, renameConfigMapRefs } from '../../../src/cli/config-map-refs.ts';
import { readManifestObjects } from '../../../src/cli/manifest-objects.ts';
import {
  parseEnvFile,
  parseSecretFileArgument,
  parseSecretText,
} from '../../../src/cli/secret-files.ts';
import { parseYamlDocuments } from '../../../src/cli/yaml-documents.ts';

test('ConfigMaps and Secrets come from top-level documents and List items; others are listed', () => {
  const objects = readManifestObjects(
    parseYamlDocuments(`
apiVersion: v1
kind: ConfigMap
metadata: {name: scripts, namespace: load}
data: {locustfile.py: "print(1)"}
binaryData: {logo.png: iVBO}
---
kind: List
items:
  - apiVersion: v1
    kind: Secret
    metadata: {name: creds}
    data: {token: c2VjcmV0}
    stringData: {user: alice, token: plain-wins}
  - kind: Service
    metadata: {name: svc}
---
kind: LocustTest
metadata: {name: demo}
`),
  );
  assert.deepEqual(objects.problems, []);
  assert.deepEqual(objects.others, ['Service/svc']);
  const [configMap] = objects.configMaps;
  assert.ok(configMap !== undefined);
  assert.equal(configMap.name, 'scripts');
  assert.equal(configMap.namespace, 'load');
  assert.deepEqual(configMap.data, { 'locustfile.py': 'print(1)' });
  assert.deepEqual([...(configMap.binaryData['logo.png'] ?? [])], [0x89, 0x50, 0x4e]);
  assert.deepEqual(objects.secrets, [
    { name: 'creds', data: { token: 'plain-wins', user: 'alice' } },
  ]);
});

test('values kubectl would refuse are problems: numbers in data, bad base64', () => {
  const objects = readManifestObjects(
    parseYamlDocuments(`
kind: ConfigMap
metadata: {name: cm}
data: {port: 8080, ok: "1"}
---
kind: Secret
metadata: {name: s}
data: {token: "not base64!"}
`),
  );
  assert.deepEqual(objects.problems, [
    'ConfigMap cm: data.port must be a string (quote it)',
    'Secret s: data.token is not valid base64',
  ]);
  assert.deepEqual(objects.configMaps[0]?.data, { ok: '1' });
});

test('--secret-file takes NAME=PATH, splitting at the first =', () => {
  assert.deepEqual(parseSecretFileArgument('creds=./a=b.env'), {
    name: 'creds',
    path: './a=b.env',
  });
  for (const bad of ['creds', '=path', 'creds='])
    assert.equal(parseSecretFileArgument(bad), undefined);
});

test('a secret file is a Secret manifest (YAML or JSON) when it is one, else an env file', () => {
  const yaml = parseSecretText(
    'api',
    'apiVersion: v1\nkind: Secret\nmetadata: {name: other}\ndata: {KEY: dmFsdWU=}\n',
  );
  assert.deepEqual(yaml, { secret: { name: 'api', data: { KEY: 'value' } }, problems: [] });
  const json = parseSecretText('api', '{"kind": "Secret", "stringData": {"KEY": "v"}}');
  assert.deepEqual(json.secret.data, { KEY: 'v' });
  const env = parseSecretText(
    'api',
    '# tokens\nTOKEN=abc=def\n\n  QUOTED="kept"\nURL=http://x:1/y\n',
  );
  assert.deepEqual(env, {
    secret: { name: 'api', data: { TOKEN: 'abc=def', QUOTED: '"kept"', URL: 'http://x:1/y' } },
    problems: [],
  });
  assert.deepEqual(parseEnvFile('A=1\nnot a pair\n=x\n').problems, [
    'line 2: expected KEY=VALUE',
    'line 3: expected KEY=VALUE',
  ]);
});

const manifest = {
  apiVersion: 'locust.io/v2',
  kind: 'LocustTest',
  metadata: { name: 'demo' },
  spec: {
    testFiles: { configMapRef: 'scripts', libConfigMapRef: 'lib' },
    env: {
      configMapRefs: [{ name: 'settings' }, { name: 'unrelated' }],
      variables: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'settings', key: 'a' } } }],
    },
    volumes: [
      { name: 'v1', configMap: { name: 'scripts' } },
      {
        name: 'v2',
        projected: { sources: [{ configMap: { name: 'lib' } }, { secret: { name: 'lib' } }] },
      },
    ],
  },
};

test('every ConfigMap reference of a test is found and renamed; the original is untouched', () => {
  assert.deepEqual([...referencedConfigMaps(manifest)].sort(), [
    'lib',
    'scripts',
    'settings',
    'unrelated',
  ]);
  const renamed = renameConfigMapRefs(
    manifest,
    new Map([
      ['scripts', 'scripts-abcde'],
      ['lib', 'lib-fghij'],
      ['settings', 'settings-klmno'],
    ]),
  );
  assert.deepEqual(renamed, {
    ...manifest,
    spec: {
      testFiles: { configMapRef: 'scripts-abcde', libConfigMapRef: 'lib-fghij' },
      env: {
        configMapRefs: [{ name: 'settings-klmno' }, { name: 'unrelated' }],
        variables: [
          { name: 'A', valueFrom: { configMapKeyRef: { name: 'settings-klmno', key: 'a' } } },
        ],
      },
      volumes: [
        { name: 'v1', configMap: { name: 'scripts-abcde' } },
        // A Secret that happens to share a ConfigMap's name is not a ConfigMap reference.
        {
          name: 'v2',
          projected: {
            sources: [{ configMap: { name: 'lib-fghij' } }, { secret: { name: 'lib' } }],
          },
        },
      ],
    },
  });
  assert.equal(manifest.spec.testFiles.configMapRef, 'scripts');
});
