/**
 * `locustctl render FILE`: prints, as multi-document YAML, the Service and Jobs the operator would
 * create for each LocustTest in FILE, through the operator's own render(). Tests are validated
 * first; an invalid one is not rendered (exit 1, problems on stderr as `validate` prints them).
 */
import { stringify } from 'yaml';
import { apiGroup } from '../../api/constants.ts';
import {
  chartDefaultOperatorConfig,
  defaultOperatorConfig,
  describeOperatorConfigErrors,
  operatorConfigFromEnv,
  type OperatorConfig,
} from '../../resources/operator-config.ts';
import { render } from '../../resources/render.ts';
import type { ValidationResult } from '../../validation/field-problem.ts';
import { checkLocustTest } from '../../validation/validate.ts';
import { displayName, readLocustTests } from '../input.ts';
import { exitCodes, type CliIo, type ExitCode } from '../io.ts';
import type { LocustTestSource } from '../locust-test-documents.ts';
import { formatProblem, locate } from '../problem-output.ts';

/** The command-line options of `render`. */
export interface RenderOptions {
  /** Overrides the manifests' namespaces; without it, a manifest's own or `default`. */
  readonly namespace?: string;
  /** Read the operator settings from the environment, as the operator does at startup. */
  readonly configFromEnv?: boolean;
  /** Use the Helm chart's default operator settings instead of the binary's. */
  readonly chartDefaults?: boolean;
}

const defaultNamespace = 'default';

function operatorConfig(options: RenderOptions, io: CliIo): OperatorConfig | undefined {
  if (options.configFromEnv === true && options.chartDefaults === true) {
    io.stderr('locustctl: --config-from-env and --chart-defaults cannot be combined\n');
    return undefined;
  }
  if (options.chartDefaults === true) return chartDefaultOperatorConfig;
  if (options.configFromEnv !== true) return defaultOperatorConfig;
  const { config, errors, warnings } = operatorConfigFromEnv(io.env);
  for (const warning of warnings) io.stderr(`locustctl: warning: ${warning}\n`);
  if (errors.length === 0) return config;
  io.stderr(`locustctl: ${describeOperatorConfigErrors(errors)}\n`);
  return undefined;
}

/** The manifest with the namespace it would be created in, as the API server would set it. */
function inNamespace(value: unknown, namespace: string | undefined): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Readonly<Record<string, unknown>>;
  const metadata = object.metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return value;
  const current = (metadata as Readonly<Record<string, unknown>>).namespace;
  const resolved =
    namespace ?? (typeof current === 'string' && current !== '' ? current : defaultNamespace);
  return { ...object, metadata: { ...metadata, namespace: resolved } };
}

function renderSource(
  source: LocustTestSource,
  options: RenderOptions,
  config: OperatorConfig,
): { documents: string[]; result: ValidationResult } {
  if (source.version !== 'v2') {
    const message = `Unsupported value: ${JSON.stringify(source.apiVersion)}: render supports ${apiGroup}/v2 only; convert the manifest to v2 first`;
    return { documents: [], result: { errors: [{ field: 'apiVersion', message }], warnings: [] } };
  }
  const checked = checkLocustTest(inNamespace(source.value, options.namespace));
  if (!checked.valid) return { documents: [], result: checked };
  const { masterService, masterJob, workerJob } = render(checked.test, config);
  // YAML 1.1 output quotes strings such as "yes" that kubectl would otherwise read as booleans.
  const documents = [masterService, masterJob, workerJob].map((object) =>
    stringify(object, { version: '1.1', lineWidth: 0 }),
  );
  return { documents, result: { errors: [], warnings: checked.warnings } };
}

/** Runs the command; returns the process exit code. */
export async function renderCommand(
  file: string,
  options: RenderOptions,
  io: CliIo,
): Promise<ExitCode> {
  const config = operatorConfig(options, io);
  if (config === undefined) return exitCodes.usage;
  const sources = await readLocustTests(file, io);
  if (sources === undefined) return exitCodes.usage;
  if (sources.length === 0) {
    io.stderr(`locustctl: no LocustTest found in ${displayName(file)}\n`);
    return exitCodes.ok;
  }
  const documents: string[] = [];
  let invalid = false;
  for (const source of sources) {
    const rendered = renderSource(source, options, config);
    for (const problem of locate(displayName(file), source, rendered.result)) {
      io.stderr(`${formatProblem(problem)}\n`);
    }
    invalid ||= rendered.result.errors.length > 0;
    documents.push(...rendered.documents);
  }
  // All or nothing: a partial set of objects piped into `kubectl apply` would be worse than none.
  if (invalid) return exitCodes.invalid;
  io.stdout(documents.map((document) => `---\n${document}`).join(''));
  return exitCodes.ok;
}
