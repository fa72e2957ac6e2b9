/**
 * Which cluster and namespace a command talks to, chosen as kubectl chooses them: `--kubeconfig`
 * else KUBECONFIG (a list of files, merged) else ~/.kube/config else in-cluster; `--context` else
 * the current context; `-n` else the context's namespace else `default`. And how API failures are
 * told to the user.
 */
import { ApiError } from '../runtime/errors.ts';
import { KubeClient } from '../runtime/kube-client.ts';
import { exitCodes, type CliIo } from './io.ts';

/** The kubectl-style options of every cluster command. */
export interface ClusterOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
}

/** A client and the namespace to work in. */
export interface ClusterTarget {
  readonly client: KubeClient;
  readonly namespace: string;
  /** True when the namespace came from `-n`, which then must agree with a manifest's own. */
  readonly namespaceGiven: boolean;
}

/** Exit code for a cluster that cannot be used (unreachable, credentials refused, no CRD). */
export const clusterErrorExitCode = 3;

/** Connects as kubectl would; undefined after printing why the kubeconfig cannot be used. */
export function connect(options: ClusterOptions, io: CliIo): ClusterTarget | undefined {
  let client: KubeClient;
  try {
    client = KubeClient.create({ kubeconfig: options.kubeconfig, context: options.context });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // An unknown --context surfaces as "no current cluster"; name the likely cause.
    const hint = options.context === undefined ? '' : ` (is there a context "${options.context}"?)`;
    io.stderr(`locustctl: cannot use the kubeconfig: ${reason}${hint}\n`);
    return undefined;
  }
  const namespace = options.namespace ?? client.currentNamespace();
  return { client, namespace, namespaceGiven: options.namespace !== undefined };
}

/**
 * Prints an error from talking to the cluster and returns the exit code for it: 1 when the
 * server refused the request itself (invalid, already exists, not found), 3 when the cluster
 * could not be used (unreachable, forbidden, an unexpected error).
 */
export function reportClusterError(what: string, error: unknown, io: CliIo): number {
  if (error instanceof ApiError) {
    io.stderr(`locustctl: ${what}: ${error.message}\n`);
    const userError = ['Invalid', 'AlreadyExists', 'NotFound', 'Conflict'].includes(error.kind);
    return userError ? exitCodes.invalid : clusterErrorExitCode;
  }
  const reason = error instanceof Error ? error.message : String(error);
  io.stderr(`locustctl: ${what}: ${reason}\n`);
  return clusterErrorExitCode;
}
