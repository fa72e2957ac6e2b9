/**
 * The Locust master's live statistics, as its web UI serves them at `GET /stats/requests`
 * (locust/web.py `request_stats`): runner state, users, connected workers, and per-endpoint
 * counters with the 95th and 99th response-time percentiles. Parsing is pure; fetchStats does the
 * HTTP request.
 */

/** One row of the statistics: an endpoint, or the `Aggregated` total. */
export interface EndpointStats {
  readonly method: string;
  readonly name: string;
  readonly requests: number;
  readonly failures: number;
  /** Requests per second over the whole run. */
  readonly rps: number;
  /** Requests per second over the last few seconds. */
  readonly currentRps: number;
  readonly avgMs: number;
  readonly maxMs: number;
  /** Null until there are requests. */
  readonly medianMs: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

/** An error Locust grouped by endpoint and message. */
export interface StatsError {
  readonly method: string;
  readonly name: string;
  readonly error: string;
  readonly occurrences: number;
}

/** One read of the master's statistics. */
export interface LocustStats {
  /** The runner's state: `ready`, `spawning`, `running`, `cleanup`, `stopping`, `stopped`. */
  readonly state: string;
  readonly users: number;
  /** Workers connected to the master (ready, spawning or running). */
  readonly workers: number;
  readonly endpoints: readonly EndpointStats[];
  readonly aggregated: EndpointStats;
  readonly errors: readonly StatsError[];
}

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function endpoint(row: JsonObject): EndpointStats {
  return {
    method: text(row.method),
    name: text(row.name),
    requests: numberOr(row.num_requests, 0),
    failures: numberOr(row.num_failures, 0),
    rps: numberOr(row.total_rps, 0),
    currentRps: numberOr(row.current_rps, 0),
    avgMs: numberOr(row.avg_response_time, 0),
    maxMs: numberOr(row.max_response_time, 0),
    medianMs: numberOr(row.median_response_time, null),
    p95Ms: numberOr(row['response_time_percentile_0.95'], null),
    p99Ms: numberOr(row['response_time_percentile_0.99'], null),
  };
}

const emptyTotal: EndpointStats = endpoint({ name: 'Aggregated' });

/**
 * The statistics in a `/stats/requests` answer; undefined when it does not look like one. The
 * last row is Locust's `Aggregated` total; the others are endpoints, in Locust's order.
 */
export function parseStats(json: unknown): LocustStats | undefined {
  if (!isObject(json) || typeof json.state !== 'string' || !Array.isArray(json.stats)) {
    return undefined;
  }
  const rows = json.stats.filter(isObject).map(endpoint);
  const aggregated = rows.pop() ?? emptyTotal;
  const errors = (Array.isArray(json.errors) ? json.errors : []).filter(isObject).map((e) => ({
    method: text(e.method),
    name: text(e.name),
    error: text(e.error),
    occurrences: numberOr(e.occurrences, 0),
  }));
  const workers = Array.isArray(json.workers) ? json.workers.length : 0;
  return {
    state: json.state,
    users: numberOr(json.user_count, 0),
    workers: numberOr(json.worker_count, workers),
    endpoints: rows,
    aggregated,
    errors,
  };
}

/**
 * Reads the master's statistics from its web UI on 127.0.0.1:`webPort`. Undefined while the
 * master is not answering (starting, or gone); never rejects. Locust caches this answer for 2 s.
 */
export async function fetchStats(
  webPort: number,
  signal?: AbortSignal,
): Promise<LocustStats | undefined> {
  const timeout = AbortSignal.timeout(2000);
  try {
    const response = await fetch(`http://127.0.0.1:${String(webPort)}/stats/requests`, {
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
    });
    if (!response.ok) return undefined;
    return parseStats(await response.json());
  } catch {
    return undefined;
  }
}
