/**
 * `locustctl logs NAME [--role worker] [-f]`: the Locust container log of the test's master pod
 * (or of every worker pod, each line prefixed with its pod). Exit 0 when every log was read,
 * 1 when there is no pod yet or a log cannot be had (KWOK's fake nodes serve none).
 */
import type { Role } from '../../api/index.ts';
import { connect, reportClusterError, type ClusterOptions } from '../cluster-target.ts';
import { exitCodes, type CliIo } from '../io.ts';
import { describeLogError, readPodLog, rolePods } from '../pod-logs.ts';

/** The command-line options of `logs`. */
export interface LogsOptions extends ClusterOptions {
  readonly role: Role;
  readonly follow?: boolean;
}

/** Runs the command; returns the process exit code. */
export async function logsCommand(name: string, options: LogsOptions, io: CliIo): Promise<number> {
  const target = connect(options, io);
  if (target === undefined) return exitCodes.usage;
  const { client, namespace } = target;
  let pods;
  try {
    pods = await rolePods(client, namespace, name, options.role);
  } catch (error) {
    return reportClusterError(`pods of ${namespace}/${name}`, error, io);
  }
  // A master Job has one pod; an older one (before a recreation) is not the log anyone wants.
  if (options.role === 'master') pods = pods.slice(-1);
  if (pods.length === 0) {
    io.stderr(`locustctl: ${namespace}/${name} has no ${options.role} pod (yet)\n`);
    return exitCodes.invalid;
  }
  const prefixed = pods.length > 1;
  const results = await Promise.all(
    pods.map(async (pod) => {
      const podName = pod.metadata?.name ?? '';
      try {
        await readPodLog(
          client,
          namespace,
          pod,
          { testName: name, role: options.role, follow: options.follow === true },
          (line) => {
            io.stdout(prefixed ? `[${podName}] ${line}\n` : `${line}\n`);
          },
        );
        return true;
      } catch (error) {
        io.stderr(`locustctl: ${describeLogError(podName, error)}\n`);
        return false;
      }
    }),
  );
  return results.every(Boolean) ? exitCodes.ok : exitCodes.invalid;
}
