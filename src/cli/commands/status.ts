/**
 * `locustctl status NAME`: a LocustTest's phase, workers, conditions and recent Events, as text or
 * (`-o json`) one object. Exit 0 when the test exists, 1 when it does not.
 */
import type { LocustTest } from '../../api/index.ts';
import { resourceTypes } from '../../runtime/resources.ts';
import { connect, reportClusterError, type ClusterOptions } from '../cluster-target.ts';
import { formatDuration } from '../duration.ts';
import { exitCodes, type CliIo } from '../io.ts';
import { listTestEvents } from '../test-follower.ts';
import { formatConditions, formatEvents, statusJson, type TestEvent } from '../test-status.ts';

/** The command-line options of `status`. */
export interface StatusOptions extends ClusterOptions {
  readonly output: 'text' | 'json';
}

/** Recent Events shown in text output; JSON has them all. */
const recentEvents = 10;

/** The text form of `status`, at `now`. */
export function formatStatus(
  test: LocustTest,
  events: readonly TestEvent[],
  now: number,
): string[] {
  const status = test.status ?? {};
  const { startTime, completionTime } = status;
  const took =
    startTime !== undefined && completionTime !== undefined
      ? ` (${formatDuration(Date.parse(completionTime) - Date.parse(startTime))})`
      : '';
  const workers =
    status.expectedWorkers === undefined
      ? 'unknown'
      : `${String(status.connectedWorkers ?? 0)}/${String(status.expectedWorkers)} connected`;
  const lines = [
    `Name:       ${test.metadata.name ?? ''}`,
    `Namespace:  ${test.metadata.namespace ?? ''}`,
    `Phase:      ${status.phase ?? 'Pending'}`,
    `Workers:    ${workers}`,
    `Started:    ${startTime ?? '-'}`,
    `Completed:  ${completionTime ?? '-'}${took}`,
  ];
  const conditions = status.conditions ?? [];
  lines.push(
    'Conditions:',
    ...(conditions.length === 0 ? ['  <none>'] : formatConditions(conditions).map((l) => `  ${l}`)),
  );
  const recent = events.slice(-recentEvents);
  lines.push(
    'Events:',
    ...(recent.length === 0 ? ['  <none>'] : formatEvents(recent, now).map((l) => `  ${l}`)),
  );
  return lines;
}

/** Runs the command; returns the process exit code. */
export async function statusCommand(
  name: string,
  options: StatusOptions,
  io: CliIo,
): Promise<number> {
  const target = connect(options, io);
  if (target === undefined) return exitCodes.usage;
  const { client, namespace } = target;
  try {
    const test = await client.get<LocustTest>(resourceTypes.locustTests, namespace, name);
    const events = await listTestEvents(client, namespace, name);
    io.stdout(
      options.output === 'json'
        ? `${JSON.stringify(statusJson(test, events), null, 2)}\n`
        : `${formatStatus(test, events, Date.now()).join('\n')}\n`,
    );
    return exitCodes.ok;
  } catch (error) {
    return reportClusterError(`status of ${namespace}/${name}`, error, io);
  }
}
