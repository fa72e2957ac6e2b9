/**
 * The operator's Prometheus metrics, under controller-runtime's and client-go's names, labels,
 * help texts and buckets, so dashboards and alerts written for the Go operator keep working.
 * The runtime reports through small recorder objects and never touches prom-client itself.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** controller-runtime's `result` label of `controller_runtime_reconcile_total`. */
export type ReconcileResult = 'success' | 'error' | 'requeue' | 'requeue_after';

const reconcileResults: readonly ReconcileResult[] = [
  'success',
  'error',
  'requeue',
  'requeue_after',
];

/** controller-runtime's reconcile-time buckets (seconds). */
const reconcileTimeBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
  1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/** client-go's rest_client_request_duration_seconds buckets. */
const requestLatencyBuckets = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

/** client-go's workqueue latency buckets: 10 ns to 1000 s, by powers of ten. */
const workQueueBuckets = Array.from({ length: 12 }, (_, i) => 1e-8 * 10 ** i);

/** What a controller reports about its reconciles and workers. */
export interface ReconcileRecorder {
  /** One finished reconcile: counts it by result (errors also in the errors total) and times it. */
  observe(result: ReconcileResult, seconds: number): void;
  /** `controller_runtime_max_concurrent_reconciles`: the configured number of workers. */
  setMaxConcurrentReconciles(workers: number): void;
  /** `controller_runtime_active_workers` goes up by one while a worker runs a reconcile. */
  workerStarted(): void;
  /** ...and down by one when it finishes. */
  workerFinished(): void;
}

/** What a work queue reports; the method names are those of work-queue.ts's WorkQueueMetrics. */
export interface WorkQueueRecorder {
  depth(depth: number): void;
  adds(): void;
  queueLatency(seconds: number): void;
  workDuration(seconds: number): void;
  retries(): void;
  unfinishedWork(seconds: number): void;
  longestRunningProcessor(seconds: number): void;
}

/** What the API client reports for each response (or failure to get one). */
export interface RestClientRecorder {
  /**
   * Counts one request. `code` is the HTTP status, or `<error>` (client-go's value) when no
   * response came; `method` is upper case; `host` is the API server's host:port.
   */
  record(method: string, code: number | string, host?: string): void;
}

/**
 * What the API client reports for each request by resource, which client-go's metric lacks; the
 * benchmark (bench/) divides it by the number of tests to find the requests each test costs.
 */
export interface ApiRequestRecorder {
  /**
   * Counts one request. `verb` is the client's (`get`, `list`, `watch`, `create`, `update`,
   * `patch`, `delete`), `resource` the plural (e.g. `jobs`), `code` as in {@link RestClientRecorder}.
   */
  record(verb: string, resource: string, code: number | string): void;
  /** Seconds until the response headers arrived (for a watch: until it was accepted). */
  latency(verb: string, resource: string, seconds: number): void;
}

/** Whether this replica holds the named Lease. */
export interface LeaderElectionRecorder {
  set(isLeader: boolean): void;
}

/** One labelled value of a gauge computed at scrape time. */
export interface GaugeSample<L extends string> {
  labels: Partial<Record<L, string>>;
  value: number;
}

/** A gauge whose values are computed at scrape time, for operator-specific state. */
export interface CollectedGauge<L extends string> {
  /** E.g. `locust_operator_tests`. */
  name: string;
  help: string;
  labelNames: readonly L[];
  /** Every current sample; label sets it omits disappear from the output. */
  collect: () => Iterable<GaugeSample<L>> | Promise<Iterable<GaugeSample<L>>>;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Add prom-client's process_* and nodejs_* collectors. Default true. */
  defaultMetrics?: boolean;
  /** Told when a collected gauge's callback fails (the scrape then shows its previous values). */
  onCollectError?: (name: string, error: unknown) => void;
}

/** The metrics of one operator process; {@link createMetrics} builds it on a fresh registry. */
export interface OperatorMetrics {
  /** The registry `/metrics` serves: `metrics()` renders it, `contentType` labels it. */
  readonly registry: Registry;
  /** The recorder of one controller (e.g. `locusttest`); the same object on every call. */
  reconcile(controller: string): ReconcileRecorder;
  /** The recorder of one work queue, by queue name; the same object on every call. */
  workQueue(name: string): WorkQueueRecorder;
  readonly restClient: RestClientRecorder;
  /** `locust_operator_api_requests_total{verb,resource,code}`. */
  readonly apiRequests: ApiRequestRecorder;
  /** The recorder of one Lease, by its name; starts at 0 (follower). */
  leaderElection(name: string): LeaderElectionRecorder;
  /** Registers a gauge computed at scrape time. Names must be unique in the registry. */
  registerGauge<L extends string>(gauge: CollectedGauge<L>): void;
}

/**
 * Builds the operator's metrics on a new registry (never prom-client's global one, so tests and
 * several managers in one process do not collide).
 */
export function createMetrics(options: MetricsOptions = {}): OperatorMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const controller = ['controller'] as const;
  const name = ['name'] as const;

  const reconcileTotal = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'] as const,
    registers,
  });
  const reconcileErrors = new Counter({
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Total number of reconciliation errors per controller',
    labelNames: controller,
    registers,
  });
  const reconcileTime = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: controller,
    buckets: reconcileTimeBuckets,
    registers,
  });
  const maxConcurrent = new Gauge({
    name: 'controller_runtime_max_concurrent_reconciles',
    help: 'Maximum number of concurrent reconciles per controller',
    labelNames: controller,
    registers,
  });
  const activeWorkers = new Gauge({
    name: 'controller_runtime_active_workers',
    help: 'Number of currently used workers per controller',
    labelNames: controller,
    registers,
  });

  const gauge = (metric: string, help: string): Gauge<'name'> =>
    new Gauge({ name: `workqueue_${metric}`, help, labelNames: name, registers });
  const counter = (metric: string, help: string): Counter<'name'> =>
    new Counter({ name: `workqueue_${metric}`, help, labelNames: name, registers });
  const histogram = (metric: string, help: string): Histogram<'name'> =>
    new Histogram({
      name: `workqueue_${metric}`,
      help,
      labelNames: name,
      buckets: workQueueBuckets,
      registers,
    });
  const depth = gauge('depth', 'Current depth of workqueue');
  const adds = counter('adds_total', 'Total number of adds handled by workqueue');
  const queueLatency = histogram(
    'queue_duration_seconds',
    'How long in seconds an item stays in workqueue before being requested',
  );
  const workDuration = histogram(
    'work_duration_seconds',
    'How long in seconds processing an item from workqueue takes.',
  );
  const unfinished = gauge(
    'unfinished_work_seconds',
    "How many seconds of work has been done that is in progress and hasn't been observed by " +
      'work_duration. Large values indicate stuck threads. One can deduce the number of stuck ' +
      'threads by observing the rate at which this increases.',
  );
  const longest = gauge(
    'longest_running_processor_seconds',
    'How many seconds has the longest running processor for workqueue been running.',
  );
  const retries = counter('retries_total', 'Total number of retries handled by workqueue');

  const restRequests = new Counter({
    name: 'rest_client_requests_total',
    help: 'Number of HTTP requests, partitioned by status code, method, and host.',
    labelNames: ['code', 'method', 'host'] as const,
    registers,
  });
  const apiRequests = new Counter({
    name: 'locust_operator_api_requests_total',
    help: 'Number of Kubernetes API requests, partitioned by verb, resource and status code.',
    labelNames: ['verb', 'resource', 'code'] as const,
    registers,
  });
  const apiRequestLatency = new Histogram({
    name: 'locust_operator_api_request_duration_seconds',
    help: 'Kubernetes API request latency until the response headers, by verb and resource.',
    labelNames: ['verb', 'resource'] as const,
    buckets: requestLatencyBuckets,
    registers,
  });
  const leaderStatus = new Gauge({
    name: 'leader_election_master_status',
    help:
      'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, ' +
      "1 indicates master. 'name' is the string used to identify the lease. Please make sure " +
      'to group by name.',
    labelNames: name,
    registers,
  });

  const reconcilers = new Map<string, ReconcileRecorder>();
  const queues = new Map<string, WorkQueueRecorder>();
  const leases = new Map<string, LeaderElectionRecorder>();

  return {
    registry,
    reconcile: (controllerName) =>
      memo(reconcilers, controllerName, () => {
        const labels = { controller: controllerName };
        // Zeroed series from the start, as controller-runtime does, so rate() and "is the
        // metric present" checks work before the first reconcile.
        for (const result of reconcileResults) reconcileTotal.inc({ ...labels, result }, 0);
        reconcileErrors.inc(labels, 0);
        activeWorkers.set(labels, 0);
        return {
          observe(result, seconds) {
            reconcileTotal.inc({ ...labels, result });
            if (result === 'error') reconcileErrors.inc(labels);
            reconcileTime.observe(labels, seconds);
          },
          setMaxConcurrentReconciles: (workers) => {
            maxConcurrent.set(labels, workers);
          },
          workerStarted: () => {
            activeWorkers.inc(labels);
          },
          workerFinished: () => {
            activeWorkers.dec(labels);
          },
        };
      }),
    workQueue: (queueName) =>
      memo(queues, queueName, () => {
        const labels = { name: queueName };
        for (const metric of [depth, unfinished, longest]) metric.set(labels, 0);
        for (const metric of [adds, retries]) metric.inc(labels, 0);
        return {
          depth: (value) => {
            depth.set(labels, value);
          },
          adds: () => {
            adds.inc(labels);
          },
          queueLatency: (seconds) => {
            queueLatency.observe(labels, seconds);
          },
          workDuration: (seconds) => {
            workDuration.observe(labels, seconds);
          },
          retries: () => {
            retries.inc(labels);
          },
          unfinishedWork: (seconds) => {
            unfinished.set(labels, seconds);
          },
          longestRunningProcessor: (seconds) => {
            longest.set(labels, seconds);
          },
        };
      }),
    restClient: {
      record(method, code, host = '') {
        restRequests.inc({ code: String(code), method, host });
      },
    },
    apiRequests: {
      record(verb, resource, code) {
        apiRequests.inc({ verb, resource, code: String(code) });
      },
      latency(verb, resource, seconds) {
        apiRequestLatency.observe({ verb, resource }, seconds);
      },
    },
    leaderElection: (leaseName) =>
      memo(leases, leaseName, () => {
        leaderStatus.set({ name: leaseName }, 0);
        return {
          set: (isLeader) => {
            leaderStatus.set({ name: leaseName }, isLeader ? 1 : 0);
          },
        };
      }),
    registerGauge: (definition) => {
      registerCollectedGauge(registry, definition, options.onCollectError);
    },
  };
}

function registerCollectedGauge<L extends string>(
  registry: Registry,
  definition: CollectedGauge<L>,
  onError: ((name: string, error: unknown) => void) | undefined,
): void {
  new Gauge<L>({
    name: definition.name,
    help: definition.help,
    labelNames: definition.labelNames,
    registers: [registry],
    async collect() {
      try {
        const samples = [...(await definition.collect())];
        // Reset only once the new samples are in hand: a failed callback keeps the last values.
        this.reset();
        for (const sample of samples) this.set(sample.labels, sample.value);
      } catch (error) {
        onError?.(definition.name, error);
      }
    },
  });
}

function memo<V>(cache: Map<string, V>, key: string, build: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = build();
    cache.set(key, value);
  }
  return value;
}
