/**
 * `locustctl apply FILE [--wait]`: creates the LocustTest in FILE (and the ConfigMaps beside it)
 * in a cluster and, with --wait, follows it to a CI verdict: 0 Succeeded, 1 Failed, 2 timeout.
 */
import { exitCodes, type CliIo } from '../io.ts';
import { adoptConfigMaps, applyConfigMaps, createTest, deleteCreated } from '../apply-objects.ts';
import { connect, reportClusterError, type ClusterOptions } from '../cluster-target.ts';
import { formatDuration } from '../duration.ts';
import { followVerdict } from '../follow-verdict.ts';
import { createLiveView, viewMode, type LiveView } from '../live-view.ts';
import { loadSingleTest, withName, type LoadedTest } from '../single-test.ts';
import { referencedConfigMaps } from '../config-map-refs.ts';
import { isApiError } from '../../runtime/errors.ts';
import type { KubeClient } from '../../runtime/kube-client.ts';
import { resourceTypes } from '../../runtime/resources.ts';
import { followTest } from '../test-follower.ts';

/** The command-line options of `apply`. */
export interface ApplyOptions extends ClusterOptions {
  readonly wait?: boolean;
  /** Milliseconds to wait for a verdict. */
  readonly timeout: number;
  readonly generateName?: boolean;
  readonly logs?: boolean;
  readonly output: 'text' | 'json';
}

// Five characters the API server appends to a generateName; validating with them checks that
// the generated names (and `<name>-worker`) stay within their limits.
const generatedSuffix = '-xxxxx';

/** Stops following on Ctrl-C, SIGTERM or a hang-up; the test itself keeps running. */
function stopOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const abort = () => {
    controller.abort();
  };
  for (const signal of signals) process.on(signal, abort);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const signal of signals) process.removeListener(signal, abort);
    },
  };
}

function announce(view: LiveView, kind: string, name: string, namespace: string, action: string) {
  view.message(`${kind}/${name} ${action}`, { type: action, kind, name, namespace });
}

/** Runs the command; returns the process exit code. */
export async function applyCommand(
  file: string,
  options: ApplyOptions,
  io: CliIo,
): Promise<number> {
  const generateName = options.generateName === true;
  const loaded = await loadSingleTest(
    file,
    io,
    generateName
      ? { validateAs: (value) => withName(value, `${nameOf(value)}${generatedSuffix}`) }
      : {},
  );
  if (typeof loaded === 'number') return loaded;
  const target = connect(options, io);
  if (target === undefined) return exitCodes.usage;
  const own = loaded.test.metadata.namespace;
  if (own !== undefined && target.namespaceGiven && own !== target.namespace) {
    io.stderr(
      `locustctl: the namespace from the provided object "${own}" does not match the namespace "${target.namespace}"; pass --namespace=${own} or remove metadata.namespace\n`,
    );
    return exitCodes.usage;
  }
  const namespace = own ?? target.namespace;
  const stray = loaded.objects.configMaps.filter(
    (c) => c.namespace !== undefined && c.namespace !== namespace,
  );
  for (const configMap of stray) {
    io.stderr(
      `locustctl: ConfigMap ${configMap.name} is in namespace ${configMap.namespace ?? ''}, the test in ${namespace}; pods can only mount their own namespace's\n`,
    );
  }
  if (stray.length > 0) return exitCodes.usage;
  for (const other of loaded.objects.others)
    io.stderr(
      `locustctl: warning: ${other} is not applied (only the LocustTest and ConfigMaps are)\n`,
    );
  if (loaded.objects.secrets.length > 0)
    io.stderr(
      'locustctl: warning: Secrets in the file are not applied; create them with kubectl\n',
    );

  const { client } = target;
  await warnAboutMissingConfigMaps(client, namespace, loaded, io);
  const view = createLiveView(viewMode(options.output, io), io, { now: Date.now });
  let applied;
  try {
    applied = await applyConfigMaps(client, namespace, loaded.objects.configMaps, generateName);
  } catch (error) {
    return reportClusterError('cannot create ConfigMap', error, io);
  }
  let test;
  try {
    test = await createTest(client, namespace, loaded.source.value, {
      generateName,
      renames: applied.renames,
    });
    await adoptConfigMaps(client, namespace, test, applied.applied);
  } catch (error) {
    await deleteCreated(client, namespace, applied.applied);
    const code = reportClusterError('cannot create LocustTest', error, io);
    if (!generateName)
      io.stderr(
        `locustctl: hint: delete the existing test first (locustctl delete ${nameOf(loaded.source.value)}) or use --generate-name\n`,
      );
    return code;
  }
  const name = test.metadata.name ?? '';
  for (const { name: cm, action } of applied.applied)
    announce(view, 'configmap', cm, namespace, action);
  announce(view, 'locusttest.locust.io', name, namespace, 'created');
  if (options.wait !== true) return exitCodes.ok;

  view.message(
    `Following ${namespace}/${name} (timeout ${formatDuration(options.timeout)}); Ctrl-C stops following, not the test`,
    { type: 'following', name, namespace, timeoutSeconds: options.timeout / 1000 },
  );
  const started = Date.now();
  const stop = stopOnSignals();
  try {
    const result = await followTest(client, namespace, name, {
      view,
      timeoutMs: options.timeout,
      now: Date.now,
      signal: stop.signal,
      logs: options.logs === true,
    });
    view.finish();
    const verdict = followVerdict(result, {
      namespace,
      name,
      elapsedMs: Date.now() - started,
      timeoutMs: options.timeout,
    });
    io.stdout(
      options.output === 'json'
        ? `${JSON.stringify(verdict.json)}\n`
        : `${verdict.lines.join('\n')}\n`,
    );
    return verdict.exitCode;
  } catch (error) {
    view.finish();
    return reportClusterError(`following ${namespace}/${name}`, error, io);
  } finally {
    stop.dispose();
  }
}

// The classic CI mistake: the test names a ConfigMap that nobody created. Its pods would wait
// for it silently (until the operator's pod-health grace period), so say so now.
async function warnAboutMissingConfigMaps(
  client: KubeClient,
  namespace: string,
  loaded: LoadedTest,
  io: CliIo,
): Promise<void> {
  const given = new Set(loaded.objects.configMaps.map((c) => c.name));
  for (const name of referencedConfigMaps(loaded.source.value)) {
    if (given.has(name)) continue;
    try {
      await client.get(resourceTypes.configMaps, namespace, name);
    } catch (error) {
      if (!isApiError(error, 'NotFound')) return;
      io.stderr(
        `locustctl: warning: ConfigMap ${name} is neither in the file nor in namespace ${namespace}; the pods will wait for it\n`,
      );
    }
  }
}

function nameOf(value: unknown): string {
  const metadata = (value as { metadata?: { name?: unknown } } | null)?.metadata;
  return typeof metadata?.name === 'string' ? metadata.name : '';
}
