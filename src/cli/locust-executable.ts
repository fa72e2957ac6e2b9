/**
 * Which Locust a local run uses: `--locust PATH`, else `locust` on PATH, else the project's own
 * virtualenv (`.venv/bin/locust`, made by `npm run setup:locust`), so a fresh clone works.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// src/cli/ and dist/cli/ are both two levels below the package root.
const projectLocust = fileURLToPath(new URL('../../.venv/bin/locust', import.meta.url));

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The candidates, in the order they are tried. */
export function locustCandidates(pathVariable: string | undefined): string[] {
  const onPath = (pathVariable ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'locust'));
  return [...onPath, projectLocust];
}

/**
 * The Locust executable: `explicit` when given (checked), else the first executable candidate.
 * Undefined, with the places looked at, when there is none.
 */
export async function findLocust(
  explicit: string | undefined,
  pathVariable: string | undefined,
): Promise<{ path: string } | { missing: string[] }> {
  if (explicit !== undefined) {
    return (await isExecutable(explicit)) ? { path: explicit } : { missing: [explicit] };
  }
  const candidates = locustCandidates(pathVariable);
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) return { path: candidate };
  }
  return { missing: ['locust on PATH', projectLocust] };
}
