/**
 * Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and ranks functions by self time: the
 * time spent in the function's own code, not in what it calls, which is where a hot spot shows.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../scripts/control-plane/versions.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface FunctionTime {
  name: string;
  location: string;
  selfMs: number;
}

function location(frame: CallFrame): string {
  if (frame.url === '') return '';
  let path = frame.url;
  if (path.startsWith('file://')) path = relative(repoRoot, fileURLToPath(path));
  return `${path}:${String(frame.lineNumber + 1)}`;
}

/** Self time per function (same name and place), largest first, and the profile's length. */
export function selfTimes(profile: CpuProfile): { functions: FunctionTime[]; totalMs: number } {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the gap BEFORE sample i, so sample i lasted until sample i + 1.
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i];
    if (id === undefined) continue;
    const duration = deltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, duration));
  }
  const functions = new Map<string, FunctionTime>();
  for (const [id, us] of selfUs) {
    const frame = byNode.get(id)?.callFrame;
    if (!frame) continue;
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const where = location(frame);
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, location: where, selfMs: 0 };
    entry.selfMs += us / 1000;
    functions.set(key, entry);
  }
  return {
    functions: [...functions.values()].sort((a, b) => b.selfMs - a.selfMs),
    totalMs: (profile.endTime - profile.startTime) / 1000,
  };
}

/** Where a function lives, coarsely: our code, a dependency, Node.js itself, or V8's bookkeeping. */
export function area(fn: FunctionTime): string {
  if (fn.location === '') return fn.name.startsWith('(') ? fn.name : '(native)';
  if (fn.location.startsWith('node:')) return 'node: internals';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(fn.location);
  if (dependency?.[1]) return dependency[1];
  if (fn.location.startsWith('dist/') || fn.location.startsWith('src/')) return 'operator (dist/)';
  return fn.location.split('/')[0] ?? fn.location;
}

/** The top `top` functions by self time, and self time by area, as text tables. */
export function summariseProfile(file: string, top: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const { functions, totalMs } = selfTimes(profile);
  const busyMs = functions.filter((f) => f.name !== '(idle)').reduce((sum, f) => sum + f.selfMs, 0);
  const pct = (ms: number, of: number): string => `${((100 * ms) / of).toFixed(1)}%`;
  const lines = [
    `profile: ${String(Math.round(totalMs / 1000))} s recorded, ${(busyMs / 1000).toFixed(1)} s not idle`,
    '',
    `top ${String(top)} functions by self time (% of non-idle time):`,
    '',
    '| self ms | % busy | function | where |',
    '| ---: | ---: | --- | --- |',
  ];
  for (const fn of functions.filter((f) => f.name !== '(idle)').slice(0, top)) {
    lines.push(
      `| ${fn.selfMs.toFixed(0)} | ${pct(fn.selfMs, busyMs)} | ${fn.name} | ${fn.location} |`,
    );
  }
  const byArea = new Map<string, number>();
  for (const fn of functions) {
    if (fn.name === '(idle)') continue;
    byArea.set(area(fn), (byArea.get(area(fn)) ?? 0) + fn.selfMs);
  }
  lines.push('', 'self time by area:', '', '| self ms | % busy | area |', '| ---: | ---: | --- |');
  for (const [name, ms] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`| ${ms.toFixed(0)} | ${pct(ms, busyMs)} | ${name} |`);
  }
  return `${lines.join('\n')}\n`;
}
