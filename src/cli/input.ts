/**
 * Reads the files named on the command line and finds their LocustTests, reporting unreadable
 * files and YAML syntax errors as `file:line:column: ...` on standard error.
 */
import { findLocustTests, type LocustTestSource } from './locust-test-documents.ts';
import type { CliIo } from './io.ts';
import { parseYamlDocuments, YamlSyntaxError, type SourceDocument } from './yaml-documents.ts';

/** The name a file is reported under (`-` is standard input). */
export function displayName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

/** The LocustTests of one file, or `undefined` after reporting why the file could not be used. */
export async function readLocustTests(
  path: string,
  io: CliIo,
): Promise<LocustTestSource[] | undefined> {
  const manifest = await readManifest(path, io);
  return manifest === undefined ? undefined : [...manifest.tests];
}

/** A file's documents and its LocustTests, for commands that also use the objects around them. */
export interface Manifest {
  readonly documents: readonly SourceDocument[];
  readonly tests: readonly LocustTestSource[];
}

/** The documents of one file, or `undefined` after reporting why the file could not be used. */
export async function readManifest(path: string, io: CliIo): Promise<Manifest | undefined> {
  const name = displayName(path);
  let text: string;
  try {
    text = await io.readText(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr(`locustctl: cannot read ${name}: ${reason}\n`);
    return undefined;
  }
  try {
    const documents = parseYamlDocuments(text);
    return { documents, tests: findLocustTests(documents) };
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    io.stderr(
      `${name}:${String(error.line)}:${String(error.column)}: YAML syntax error: ${error.message}\n`,
    );
    return undefined;
  }
}
