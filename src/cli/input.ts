/**
 * Reads the files named on the command line and finds their LocustTests, reporting unreadable
 * files and YAML syntax errors as `file:line:column: ...` on standard error.
 */
import { findLocustTests, type LocustTestSource } from './locust-test-documents.ts';
import type { CliIo } from './io.ts';
import { parseYamlDocuments, YamlSyntaxError } from './yaml-documents.ts';

/** The name a file is reported under (`-` is standard input). */
export function displayName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

/** The LocustTests of one file, or `undefined` after reporting why the file could not be used. */
export async function readLocustTests(
  path: string,
  io: CliIo,
): Promise<LocustTestSource[] | undefined> {
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
    return findLocustTests(parseYamlDocuments(text));
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    io.stderr(
      `${name}:${String(error.line)}:${String(error.column)}: YAML syntax error: ${error.message}\n`,
    );
    return undefined;
  }
}
