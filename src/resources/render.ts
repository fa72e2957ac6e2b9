/** The desired state of a LocustTest: the three objects the operator creates for it. */
import type { LocustTest } from '../api/index.ts';
import { buildMasterJob, buildWorkerJob } from './jobs.ts';
import { buildMasterService } from './master-service.ts';
import type { OperatorConfig } from './operator-config.ts';
import type { RenderedResources } from './types.ts';

/**
 * Renders the master Service, master Job and worker Job of `test` under `config`. Pure and
 * deterministic: same input, same output (key order included); nothing in the output aliases the
 * input. Accepts tests not yet defaulted by the API server (absent fields take the schema
 * defaults). Throws a TypeError when the test has no `metadata.name`.
 */
export function render(test: LocustTest, config: OperatorConfig): RenderedResources {
  return {
    masterService: buildMasterService(test, config),
    masterJob: buildMasterJob(test, config),
    workerJob: buildWorkerJob(test, config),
  };
}
