/**
 * The one LocustTest a command runs (`run --local`, `apply`), with the ConfigMaps and Secrets
 * written beside it, validated offline exactly as `validate` does. Problems are printed as
 * `file:line: field: message` on standard error.
 */
import { apiGroup } from '../api/constants.ts';
import type { LocustTest } from '../api/index.ts';
import { checkLocustTest } from '../validation/validate.ts';
import { displayName, readManifest } from './input.ts';
import { exitCodes, type CliIo } from './io.ts';
import type { LocustTestSource } from './locust-test-documents.ts';
import { readManifestObjects, type ManifestObjects } from './manifest-objects.ts';
import { formatProblem, locate } from './problem-output.ts';

/** A valid test and what came with it. */
export interface LoadedTest {
  /** The file as it is reported (`<stdin>` for `-`). */
  readonly file: string;
  readonly source: LocustTestSource;
  /** The test with the schema defaults applied, as the operator will read it. */
  readonly test: LocustTest;
  readonly objects: ManifestObjects;
}

/** Options of loadSingleTest. */
export interface LoadOptions {
  /**
   * The object to validate instead of the manifest itself, e.g. with the generated name it will
   * get; the returned test is always the manifest's own.
   */
  readonly validateAs?: (value: unknown) => unknown;
}

/** The same object with `metadata.name` replaced (for validating a name the server will make). */
export function withName(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Readonly<Record<string, unknown>>;
  const metadata =
    typeof object.metadata === 'object' && object.metadata !== null ? object.metadata : {};
  return { ...object, metadata: { ...metadata, name } };
}

/**
 * Reads `path`, requires exactly one locust.io/v2 LocustTest in it, validates it and reads the
 * ConfigMaps and Secrets beside it. Returns an exit code after printing why when it cannot:
 * 2 for an unreadable file, a syntax error or not exactly one test; 1 for an invalid test or
 * object.
 */
export async function loadSingleTest(
  path: string,
  io: CliIo,
  options: LoadOptions = {},
): Promise<LoadedTest | number> {
  const file = displayName(path);
  const manifest = await readManifest(path, io);
  if (manifest === undefined) return exitCodes.usage;
  const [source, ...more] = manifest.tests;
  if (source === undefined || more.length > 0) {
    io.stderr(
      `locustctl: ${file} must hold exactly one LocustTest, found ${String(manifest.tests.length)}\n`,
    );
    return exitCodes.usage;
  }
  if (source.version !== 'v2') {
    io.stderr(
      `${file}:${String(source.line)}: apiVersion: Unsupported value: ${JSON.stringify(source.apiVersion)}: only ${apiGroup}/v2 is supported here; convert the manifest to v2 first\n`,
    );
    return exitCodes.invalid;
  }
  // With validateAs, the problems are those of the object the server will really store (say,
  // with its generated name); the test returned is still the manifest's own, defaulted.
  const own = checkLocustTest(source.value);
  const checked =
    options.validateAs === undefined ? own : checkLocustTest(options.validateAs(source.value));
  const problems = locate(file, source, {
    errors: checked.valid ? [] : checked.errors,
    warnings: checked.warnings,
  });
  for (const problem of problems) io.stderr(`${formatProblem(problem)}\n`);
  const objects = readManifestObjects(manifest.documents);
  for (const problem of objects.problems) io.stderr(`${file}: ${problem}\n`);
  if (!checked.valid || !own.valid || objects.problems.length > 0) return exitCodes.invalid;
  const test = own.test;
  return { file, source, test, objects };
}
