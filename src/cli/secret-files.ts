/**
 * `--secret-file NAME=PATH`: the keys of a Secret a local run needs, from a file that is either a
 * Secret manifest (YAML or JSON, `data` base64 and/or `stringData`) or an env file (`KEY=VALUE`
 * lines, as `kubectl create secret generic --from-env-file` reads them). Pure.
 */
import { readSecret, type SecretObject } from './manifest-objects.ts';
import { parseYamlDocuments, YamlSyntaxError, type SourceDocument } from './yaml-documents.ts';

/** A parsed `NAME=PATH` argument. */
export interface SecretFileArgument {
  readonly name: string;
  readonly path: string;
}

/** Splits `NAME=PATH` at the first `=`; undefined when either side is empty. */
export function parseSecretFileArgument(text: string): SecretFileArgument | undefined {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) return undefined;
  return { name: text.slice(0, at), path: text.slice(at + 1) };
}

/**
 * The keys of an env file: one `KEY=VALUE` per line, the value taken literally (no quotes
 * removed, as kubectl does); blank lines and lines starting with `#` are skipped; leading
 * whitespace before the key is ignored. Lines without `=` or with an empty key are problems.
 */
export function parseEnvFile(text: string): { data: Record<string, string>; problems: string[] } {
  const data: Record<string, string> = {};
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#')) return;
    const at = line.indexOf('=');
    if (at <= 0) {
      problems.push(`line ${String(index + 1)}: expected KEY=VALUE`);
      return;
    }
    data[line.slice(0, at)] = line.slice(at + 1);
  });
  return { data, problems };
}

function isSecretManifest(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'Secret';
}

/**
 * The Secret `name` from the text of a `--secret-file`: a Secret manifest when the text is one
 * YAML/JSON object of kind Secret (its own name is not required to match: the argument names it),
 * else an env file.
 */
export function parseSecretText(
  name: string,
  text: string,
): { secret: SecretObject; problems: string[] } {
  let documents: SourceDocument[];
  try {
    documents = parseYamlDocuments(text);
  } catch (error) {
    // An env file with a stray ':' or quote is not YAML; that is fine, it is read as env lines.
    if (!(error instanceof YamlSyntaxError)) throw error;
    documents = [];
  }
  const [first] = documents;
  if (documents.length === 1 && first !== undefined && isSecretManifest(first.value)) {
    const problems: string[] = [];
    const { data } = readSecret(first.value, problems);
    return { secret: { name, data }, problems };
  }
  const { data, problems } = parseEnvFile(text);
  return { secret: { name, data }, problems };
}
