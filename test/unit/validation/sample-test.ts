/** A valid locust.io/v2 LocustTest to start each case from, and a way to see only messages. */
import type { LocustTest } from '../../../src/api/v2/schema.ts';
import type { ValidationResult } from '../../../src/validation/field-problem.ts';

/** A fresh, valid test; `edit` changes it in place before it is returned. */
export function sampleTest(edit: (test: LocustTest) => void = () => undefined): LocustTest {
  const test: LocustTest = {
    apiVersion: 'locust.io/v2',
    kind: 'LocustTest',
    metadata: { name: 'demo', namespace: 'load' },
    spec: {
      image: 'locustio/locust:2.43.3',
      master: { command: '--locustfile /lotest/src/locustfile.py --host https://t' },
      worker: { command: '--locustfile /lotest/src/locustfile.py', replicas: 2 },
      testFiles: { configMapRef: 'demo-scripts' },
    },
  };
  edit(test);
  return test;
}

/** `field: message` lines, for compact assertions. */
export function lines(problems: ValidationResult['errors']): string[] {
  return problems.map((p) => `${p.field}: ${p.message}`);
}
