/**
 * Turns the master and worker Jobs that render() produces into local process specs, so real
 * Locust can run the operator's command lines on this machine. Pure: every local fact (paths,
 * ports) is a parameter.
 */
import type { V1Container, V1Job } from '@kubernetes/client-node';
import { constants } from '../api/index.ts';
import type { RenderedResources } from '../resources/index.ts';
import { flagValue, mountPathRewriter, replaceFlagValue } from './arg-rewrites.ts';
import { resolveEnv, type LocalEnvSources } from './env-sources.ts';

export type { LocalEnvSources } from './env-sources.ts';

/** One process to start: the program, its args, the env it adds, and where it runs. */
export interface LocalProcessSpec {
  /** `master`, `worker-1`, `worker-2`, ...; for logs and error messages. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Only the container's rendered env; the process runner decides what else is inherited. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** The facts about this machine that a pod would have had from its image and the cluster. */
export interface LocalFacts {
  /** The Locust executable standing in for the image's `locust` entrypoint. */
  readonly locustExecutable: string;
  /** Where the test-files ConfigMap's files were written (the `testFiles.srcMountPath` mount). */
  readonly testFilesDir: string;
  /** Where the library ConfigMap's files were written (the `testFiles.libMountPath` mount). */
  readonly libDir?: string;
  /** Local directories for any other container mount path (secret mounts, user volumes). */
  readonly mountDirs?: Readonly<Record<string, string>>;
  /** Working directory of every process (the image's WORKDIR in a pod). */
  readonly workDir: string;
  /** A free loopback port for the master's worker channel (5557 in a pod). */
  readonly masterPort: number;
  /** A free loopback port for the master's web UI (8089 in a pod). */
  readonly webPort: number;
  /** Worker processes to start; defaults to the worker Job's parallelism. */
  readonly workers?: number;
  /**
   * ConfigMaps and Secrets known on this machine. When given, `envFrom` and ConfigMap/Secret
   * `valueFrom` entries are resolved from them as the kubelet would; without it they are skipped.
   */
  readonly envSources?: LocalEnvSources;
}

/** The processes of one local run, and what could not be carried over from the pods. */
export interface LocalPlan {
  readonly master: LocalProcessSpec;
  readonly workers: readonly LocalProcessSpec[];
  /** Human-readable notes on what was skipped or may behave differently than in a cluster. */
  readonly warnings: readonly string[];
}

/** The image's entrypoint; a seed starting with it is not given the program name twice. */
const entrypoint = 'locust';
const loopback = '127.0.0.1';

/** The Locust container of a rendered Job: the container named like the Job (`<test>-<role>`). */
export function locustContainerOf(job: V1Job): V1Container {
  const containers = job.spec?.template.spec?.containers ?? [];
  const container =
    containers.find((candidate) => candidate.name === job.metadata?.name) ?? containers[0];
  if (container === undefined) {
    throw new Error(`Job ${job.metadata?.name ?? '(unnamed)'} has no container`);
  }
  return container;
}

/**
 * The container's plain env values, in order (a later duplicate wins, as in the kubelet). An
 * entry with `valueFrom` cannot be resolved without the cluster: it is skipped with a warning.
 * `envFrom` sources are skipped with a warning for the same reason. With `sources`, ConfigMap and
 * Secret references are resolved from them instead (see resolveEnv).
 */
export function plainEnv(
  container: V1Container,
  rewrite: (text: string) => string = (text) => text,
  sources?: LocalEnvSources,
): { env: Record<string, string>; warnings: string[] } {
  if (sources !== undefined) return resolveEnv(container, sources, rewrite);
  const env: Record<string, string> = {};
  const warnings: string[] = [];
  for (const variable of container.env ?? []) {
    if (variable.valueFrom !== undefined) {
      warnings.push(`env ${variable.name} of ${container.name} uses valueFrom; skipped`);
    } else {
      env[variable.name] = rewrite(variable.value ?? '');
    }
  }
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef === undefined ? 'Secret' : 'ConfigMap';
    warnings.push(`envFrom ${kind} ${ref?.name ?? '?'} of ${container.name} skipped`);
  }
  return { env, warnings };
}

// Which local directory stands in for each of the container's mounts; mounts without one are
// reported, since a path under them will not exist here.
function localMounts(
  container: V1Container,
  facts: LocalFacts,
): { mounts: Map<string, string>; warnings: string[] } {
  const mounts = new Map<string, string>();
  const warnings: string[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const localDir =
      facts.mountDirs?.[mount.mountPath] ??
      (mount.name === container.name ? facts.testFilesDir : undefined) ??
      (mount.name === constants.libVolumeName ? facts.libDir : undefined);
    if (localDir === undefined) {
      warnings.push(`mount ${mount.mountPath} of ${container.name} has no local directory`);
    } else {
      mounts.set(mount.mountPath, localDir);
    }
  }
  return { mounts, warnings };
}

// The image runs `locust <args>`; locally the executable is the program, and a seed that already
// starts with `locust` (as some upstream fixtures do) must not name it twice.
function withoutEntrypoint(args: readonly string[]): string[] {
  return args[0] === entrypoint ? args.slice(1) : [...args];
}

function localProcess(
  name: string,
  job: V1Job,
  facts: LocalFacts,
  adjustArgs: (args: string[]) => string[],
): { spec: LocalProcessSpec; warnings: string[] } {
  const container = locustContainerOf(job);
  const rendered = container.args ?? [];
  const { mounts, warnings } = localMounts(container, facts);
  const rewrite = mountPathRewriter(mounts);
  const { env, warnings: envWarnings } = plainEnv(container, rewrite, facts.envSources);
  warnings.push(...envWarnings);
  if (rendered[0] === entrypoint) {
    warnings.push(
      `${container.name} args start with "locust": the image's entrypoint makes that ` +
        '"locust locust ...", where Locust takes the second "locust" as a User class name',
    );
  }
  if (rendered.some((arg) => arg.includes('$('))) {
    warnings.push(`${container.name} args use $(VAR) references, which only the kubelet expands`);
  }
  const args = adjustArgs(withoutEntrypoint(rendered).map(rewrite));
  return {
    spec: { name, command: facts.locustExecutable, args, env, cwd: facts.workDir },
    warnings,
  };
}

/**
 * The local processes for a rendered test: one master and `facts.workers` workers, each running
 * `facts.locustExecutable` with the container's args exactly as rendered, except that
 * - a leading `locust` token is dropped (the executable already is Locust);
 * - every `--master-port` value (master and workers) becomes `facts.masterPort`, and every worker
 *   `--master-host` becomes 127.0.0.1;
 * - container mount paths in args and env values become their local directories;
 * - the master gets `--master-bind-host=127.0.0.1 --master-bind-port=<masterPort>
 *   --web-host=127.0.0.1 --web-port=<webPort>` appended, so it listens on loopback only and on
 *   free ports (Locust's master listens on `--master-bind-port`, not `--master-port`, and
 *   `--autostart` still serves the web UI, on all interfaces by default).
 * Env is the container's plain `value`s; `valueFrom` and `envFrom` are skipped with a warning.
 */
export function planLocalRun(
  rendered: Pick<RenderedResources, 'masterJob' | 'workerJob'>,
  facts: LocalFacts,
): LocalPlan {
  const port = String(facts.masterPort);
  const master = localProcess('master', rendered.masterJob, facts, (args) => [
    ...replaceFlagValue(args, '--master-port', port),
    `--master-bind-host=${loopback}`,
    `--master-bind-port=${port}`,
    `--web-host=${loopback}`,
    `--web-port=${String(facts.webPort)}`,
  ]);
  const worker = localProcess('worker', rendered.workerJob, facts, (args) =>
    replaceFlagValue(replaceFlagValue(args, '--master-host', loopback), '--master-port', port),
  );
  const count = facts.workers ?? rendered.workerJob.spec?.parallelism ?? 1;
  const warnings = [...master.warnings, ...worker.warnings];
  const expected = flagValue(master.spec.args, '--expect-workers');
  if (expected !== undefined && Number(expected) > count) {
    warnings.push(`the master expects ${expected} workers but only ${String(count)} will run`);
  }
  return {
    master: master.spec,
    workers: Array.from({ length: count }, (_, i) => ({
      ...worker.spec,
      name: `worker-${String(i + 1)}`,
    })),
    warnings,
  };
}
