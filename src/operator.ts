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
import { startWebhookServer, type StartedWebhook } from './webhook/start.ts';

/** The webhook server's settings (`--enable-webhooks` and friends). */
export interface WebhookOptions {
  port: number;
  host: string;
  certDir: string;
  certName: string;
  keyName: string;
  certWaitTimeoutMs: number;
}

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
  /** Serve the validating and conversion webhooks (every replica, leader or not). */
  webhook: WebhookOptions | undefined;
}

/** Runs until the signal aborts (graceful) or leadership is lost (resolves with 'lost'). */
export async function runOperator(
  options: OperatorOptions,
  outerSignal: AbortSignal,
): Promise<'stopped' | 'lost'> {
  const { log } = options;
  // A fatal problem (the webhook cannot serve) stops the operator as a signal does.
  const fail = new AbortController();
  const signal = AbortSignal.any([outerSignal, fail.signal]);
  const metrics = createMetrics();
  const client = KubeClient.create({
    kubeconfig: options.kubeconfig,
    context: options.context,
    onRequest: (verb, resource, status, seconds) => {
      const code = status === 0 ? '<error>' : status;
      metrics.restClient.record(verb.toUpperCase(), code);
      metrics.apiRequests.record(verb, resource, code);
      metrics.apiRequests.latency(verb, resource, seconds);
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
  let webhook: StartedWebhook | undefined;
  let webhookFailure: unknown;
  if (options.webhook) {
    const settings = options.webhook;
    readiness.set('webhook', () => webhook?.ready() ?? false);
    // Certificates may arrive later (cert-manager); the controllers need not wait for them.
    void startWebhookServer({
      port: settings.port,
      host: settings.host,
      certDir: settings.certDir,
      certName: settings.certName,
      keyName: settings.keyName,
      certWaitTimeoutMs: settings.certWaitTimeoutMs,
      log,
      signal: servers.signal,
    }).then(
      (started) => {
        webhook = started;
        log.info({ port: started.port }, 'webhook server started');
      },
      (error: unknown) => {
        webhookFailure = error;
        log.error(
          { err: error instanceof Error ? error.message : String(error) },
          'webhook server failed',
        );
        fail.abort();
      },
    );
  }
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
  await client.close();
  servers.abort();
  await Promise.all([probes?.closed, metricsServer?.closed, webhook?.closed]);
  if (webhookFailure instanceof Error) throw webhookFailure;
  log.info({ outcome }, 'operator stopped');
  return outcome;
}
