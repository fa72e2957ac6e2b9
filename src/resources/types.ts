/** What render() produces: the three objects the operator creates for a LocustTest. */
import type { V1Job, V1Service } from '@kubernetes/client-node';

export interface RenderedResources {
  masterService: V1Service;
  masterJob: V1Job;
  workerJob: V1Job;
}
