/**
 * The operator process, wired: informers and the LocustTest controller, leader election (only the
 * controller is gated by it), probes and metrics on every replica, and an orderly shutdown:
 * stop taking work, drain in-flight reconciles, release the lease, close servers.
 */
import { LocustTestController } from './controller/locusttest-controller.ts';
import type { Logger } from './controller/logger.ts';
import type { OperatorConfig } from './resources/index.ts';
import { serveMetrics, serveProbes, type HealthCheck } from './runtime/health.ts';
import { KubeClient } from './runtime/kube-client.ts';
import { kubeLeaseStore } from './runtime/kube-lease-store.ts';
import { LeaderElector, defaultIdentity } from './runtime/leader-election.ts';
import { createMetrics } from './runtime/metrics.ts';

export interface OperatorOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  config: OperatorConfig;
  log: Logger;
  leaderElect: boolean;
  leaderElectionNamespace: string | undefined;
  leaderElectionId: string;
  healthProbeBindAddress: string;
  metricsBindAddress: string;
  maxConcurrentReconciles: number;
  podHealthGracePeriodMs: number;
  shutdownTimeoutMs: number;
  /** Watch only this namespace; undefined: the whole cluster. */
  watchNamespace: string | undefined;
}

/** Runs until the signal aborts (graceful) or leadership is lost (resolves with 'lost'). */
export async function runOperator(
  options: OperatorOptions,
  signal: AbortSignal,
): Promise<'stopped' | 'lost'> {
  const { log } = options;
  const metrics = createMetrics();
  const client = KubeClient.create({
    kubeconfig: options.kubeconfig,
    context: options.context,
    onRequest: (verb, _resource, status) => {
      metrics.restClient.record(verb.toUpperCase(), status === 0 ? '<error>' : status);
    },
  });
  const identity = defaultIdentity();
  const reconcileMetrics = metrics.reconcile('locusttest');
  reconcileMetrics.setMaxConcurrentReconciles(options.maxConcurrentReconciles);
  const controller = new LocustTestController({
    client,
    config: options.config,
    log,
    concurrency: options.maxConcurrentReconciles,
    namespace: options.watchNamespace,
    podGracePeriodMs: options.podHealthGracePeriodMs,
    instance: identity,
    queueMetrics: metrics.workQueue('locusttest'),
    onReconcile: (result, seconds) => {
      reconcileMetrics.observe(result, seconds);
    },
    onActiveWorkers: (delta) => {
      if (delta > 0) reconcileMetrics.workerStarted();
      else reconcileMetrics.workerFinished();
    },
  });
  metrics.registerGauge({
    name: 'locust_operator_tests',
    help: 'LocustTests in the informer cache, by phase',
    labelNames: ['phase'] as const,
    collect: () => {
      const counts = new Map<string, number>();
      for (const test of controller.tests.list()) {
        const phase = test.status?.phase ?? 'Unknown';
        counts.set(phase, (counts.get(phase) ?? 0) + 1);
      }
      return [...counts].map(([phase, value]) => ({ labels: { phase }, value }));
    },
  });

  const servers = new AbortController();
  const readiness = new Map<string, HealthCheck>([
    ['informers-synced', () => controller.hasSynced()],
  ]);
  const probes = await serveProbes({
    bindAddress: options.healthProbeBindAddress,
    signal: servers.signal,
    readiness,
  });
  const metricsServer = await serveMetrics({
    bindAddress: options.metricsBindAddress,
    signal: servers.signal,
    source: metrics.registry,
  });
  log.info(
    {
      identity,
      probes: probes ? `${probes.host}:${String(probes.port)}` : 'off',
      metrics: metricsServer ? `${metricsServer.host}:${String(metricsServer.port)}` : 'off',
    },
    'operator starting',
  );

  const informers = new AbortController();
  const informersDone = controller.startInformers(informers.signal);
  const work = new AbortController();
  let outcome: 'stopped' | 'lost' = 'stopped';

  const lead = async (leadership: AbortSignal): Promise<void> => {
    log.info({ identity }, 'leading: starting controllers');
    const stop = (): void => {
      work.abort();
    };
    leadership.addEventListener('abort', stop, { once: true });
    await controller.run(work.signal);
  };

  if (options.leaderElect) {
    const namespace = options.leaderElectionNamespace ?? client.currentNamespace();
    const leaderMetrics = metrics.leaderElection(options.leaderElectionId);
    const elector = new LeaderElector({
      store: kubeLeaseStore(client),
      namespace,
      name: options.leaderElectionId,
      identity,
      onStartedLeading: async (leadership) => {
        leaderMetrics.set(true);
        await lead(leadership);
      },
      onStoppedLeading: () => {
        leaderMetrics.set(false);
      },
      onNewLeader: (leader) => {
        log.info({ leader }, 'observed leader');
      },
      onError: (error, during) => {
        log.debug({ during, err: String(error) }, 'leader election');
      },
    });
    const election = new AbortController();
    signal.addEventListener(
      'abort',
      () => {
        // Drain first, then release the lease so the successor never overlaps with us.
        void controller.drain(options.shutdownTimeoutMs).finally(() => {
          work.abort();
          election.abort();
        });
      },
      { once: true },
    );
    await elector.run(election.signal);
    if (!signal.aborted) {
      outcome = 'lost';
      log.error({ identity }, 'leadership lost: exiting');
    }
  } else {
    signal.addEventListener(
      'abort',
      () => {
        void controller.drain(options.shutdownTimeoutMs).finally(() => {
          work.abort();
        });
      },
      { once: true },
    );
    await lead(signal);
  }
  work.abort();
  informers.abort();
  await informersDone;
  servers.abort();
  await Promise.all([probes?.closed, metricsServer?.closed]);
  log.info({ outcome }, 'operator stopped');
  return outcome;
}
