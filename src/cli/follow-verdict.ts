/**
 * The verdict of `apply --wait`: exit code 0 Succeeded, 1 Failed (with the conditions that say
 * why) or deleted while followed, 2 timed out, 130 when the user stopped following; as text lines
 * and as the final JSON object. Pure.
 */
import type { LocustTest } from '../api/index.ts';
import { formatDuration } from './duration.ts';
import type { FollowResult } from './test-follower.ts';
import { formatCondition, isFailingCondition } from './test-status.ts';

/** Exit codes of a followed test. */
export const followExitCodes = {
  succeeded: 0,
  failed: 1,
  timeout: 2,
  /** 128 + SIGINT, as a shell reports a Ctrl-C. */
  interrupted: 130,
} as const;

/** The verdict of one follow. */
export interface FollowVerdict {
  readonly exitCode: number;
  readonly lines: readonly string[];
  readonly json: Readonly<Record<string, unknown>>;
}

/** Where the test is and how long it was followed, for the messages. */
export interface FollowContext {
  readonly namespace: string;
  readonly name: string;
  readonly elapsedMs: number;
  readonly timeoutMs: number;
}

function failingConditions(test: LocustTest | undefined) {
  return (test?.status?.conditions ?? []).filter(isFailingCondition);
}

/** The verdict for `result`. */
export function followVerdict(result: FollowResult, context: FollowContext): FollowVerdict {
  const ref = `${context.namespace}/${context.name}`;
  const after = formatDuration(context.elapsedMs);
  const deleteHint = `locustctl delete ${context.name} -n ${context.namespace}`;
  const base = {
    type: 'result',
    name: context.name,
    namespace: context.namespace,
    durationSeconds: Math.round(context.elapsedMs / 100) / 10,
  };
  switch (result.kind) {
    case 'finished': {
      const phase = result.test.status?.phase ?? '';
      if (phase === 'Succeeded') {
        return {
          exitCode: followExitCodes.succeeded,
          lines: [`SUCCEEDED: ${ref} completed after ${after}`],
          json: { ...base, outcome: 'succeeded', phase, exitCode: followExitCodes.succeeded },
        };
      }
      const failing = failingConditions(result.test);
      return {
        exitCode: followExitCodes.failed,
        lines: [
          `FAILED: ${ref} failed after ${after}`,
          ...(failing.length === 0
            ? []
            : ['Failing conditions:', ...failing.map((c) => `  ${formatCondition(c)}`)]),
        ],
        json: {
          ...base,
          outcome: 'failed',
          phase,
          exitCode: followExitCodes.failed,
          failingConditions: failing,
        },
      };
    }
    case 'deleted':
      return {
        exitCode: followExitCodes.failed,
        lines: [`FAILED: ${ref} was deleted while it was followed`],
        json: { ...base, outcome: 'deleted', exitCode: followExitCodes.failed },
      };
    case 'timeout': {
      const phase = result.test?.status?.phase ?? 'Pending';
      return {
        exitCode: followExitCodes.timeout,
        lines: [
          `TIMEOUT: ${ref} is still ${phase} after ${formatDuration(context.timeoutMs)} (--timeout); it keeps running in the cluster: ${deleteHint}`,
          ...failingConditions(result.test).map((c) => `  ${formatCondition(c)}`),
        ],
        json: { ...base, outcome: 'timeout', phase, exitCode: followExitCodes.timeout },
      };
    }
    case 'interrupted': {
      const phase = result.test?.status?.phase ?? 'Pending';
      return {
        exitCode: followExitCodes.interrupted,
        lines: [
          `Stopped following ${ref} (${phase}); it keeps running in the cluster: ${deleteHint}`,
        ],
        json: { ...base, outcome: 'interrupted', phase, exitCode: followExitCodes.interrupted },
      };
    }
  }
}
