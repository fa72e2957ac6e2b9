// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Modules that must stay pure: no I/O, no clock, no environment. */
const pureLayers = ['src/api/**', 'src/resources/**', 'src/status/**', 'src/validation/**'];
const impureModules = [
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'node:net',
  'node:http',
  'node:https',
  'node:process',
  'node:os',
  'fs',
  'child_process',
  'net',
  'http',
  'https',
  'process',
  'os',
];
/** Type-only imports of the client's models are fine everywhere; runtime imports are not. */
const clientLibrary = { name: '@kubernetes/client-node', allowTypeImports: true };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', '.venv/', 'scripts/control-plane/go/'] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      // @kubernetes/client-node models are plain data classes; object literals are how they are built.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/no-misused-spread': [
        'error',
        {
          allow: [
            {
              from: 'package',
              package: '@kubernetes/client-node',
              name: [
                'V1Pod',
                'V1Job',
                'V1Service',
                'V1PodStatus',
                'V1CustomResourceDefinition',
                'V1CustomResourceDefinitionSpec',
              ],
            },
          ],
        },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: pureLayers,
    rules: {
      'no-restricted-imports': ['error', { paths: [...impureModules, clientLibrary] }],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'fetch'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pure code takes now as a parameter.' },
      ],
    },
  },
  {
    // Only the runtime's kube-client may talk to the Kubernetes client library.
    files: ['src/**'],
    ignores: ['src/runtime/kube-client.ts', ...pureLayers],
    rules: {
      'no-restricted-imports': ['error', { paths: [clientLibrary] }],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
