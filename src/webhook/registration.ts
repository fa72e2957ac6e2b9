/**
 * How the API server finds the webhook: the ValidatingWebhookConfiguration and the CRD's
 * `spec.conversion` block. Pure builders; the installer, the local runner and the tests apply
 * what they return.
 */
import type {
  V1CustomResourceConversion,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import { apiGroup, plural } from '../api/constants.ts';
import { convertPath, validatePath } from './paths.ts';

/** Upstream's (kubebuilder manifest's) webhook name; the Helm chart used `vlocusttest.kb.io`. */
export const validatingWebhookName = 'vlocusttest-v2.kb.io';
/** Default name of the ValidatingWebhookConfiguration object. */
export const defaultValidatingConfigurationName = 'locust-operator-validating-webhook';

/** Where the API server reaches the webhook server. */
export type WebhookEndpoint =
  /** In a cluster: a Service in front of the operator's webhook port. */
  | {
      readonly service: {
        readonly namespace: string;
        readonly name: string;
        readonly port?: number;
      };
    }
  /** Local runs: a base URL such as `https://127.0.0.1:9443`; paths are appended. */
  | { readonly baseUrl: string };

/** What both builders need. */
export interface RegistrationOptions {
  readonly endpoint: WebhookEndpoint;
  /** PEM of the CA that signed the serving certificate; omitted when cert-manager injects it. */
  readonly caPem?: string;
}

/** The base URL of a webhook on a local address, bracketing IPv6 literals. */
export function localBaseUrl(port: number, host = '127.0.0.1'): string {
  return `https://${host.includes(':') ? `[${host}]` : host}:${String(port)}`;
}

/** The client config shape both APIs share (admissionregistration and apiextensions). */
function clientConfig(
  options: RegistrationOptions,
  path: string,
): {
  url?: string;
  service?: { namespace: string; name: string; path: string; port?: number };
  caBundle?: string;
} {
  // caBundle is `[]byte` in Go, so base64 of the PEM in JSON.
  const ca =
    options.caPem === undefined ? {} : { caBundle: Buffer.from(options.caPem).toString('base64') };
  const endpoint = options.endpoint;
  if ('baseUrl' in endpoint)
    return { url: `${endpoint.baseUrl.replace(/\/+$/, '')}${path}`, ...ca };
  const { namespace, name, port } = endpoint.service;
  return { service: { namespace, name, path, ...(port === undefined ? {} : { port }) }, ...ca };
}

/**
 * The ValidatingWebhookConfiguration: webhook `vlocusttest-v2.kb.io` on CREATE and UPDATE of
 * `locust.io` `locusttests`, version v2 only with `matchPolicy: Equivalent`, so a v1 request is
 * converted to v2 first and checked by the same rules (upstream's chart listed v1 too and fed v1
 * objects to a v2 handler: weak spot 16). Fail closed, no side effects, AdmissionReview v1, 10 s.
 */
export function buildValidatingWebhookConfiguration(
  options: RegistrationOptions & { readonly name?: string },
): V1ValidatingWebhookConfiguration {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: options.name ?? defaultValidatingConfigurationName },
    webhooks: [
      {
        name: validatingWebhookName,
        clientConfig: clientConfig(options, validatePath),
        rules: [
          {
            apiGroups: [apiGroup],
            apiVersions: ['v2'],
            operations: ['CREATE', 'UPDATE'],
            resources: [plural],
            scope: 'Namespaced',
          },
        ],
        matchPolicy: 'Equivalent',
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 10,
      },
    ],
  };
}

/**
 * The CRD's `spec.conversion`: the API server calls `/convert` with ConversionReview v1 whenever
 * it reads or writes a version other than the stored one (v2).
 */
export function buildCrdConversion(options: RegistrationOptions): V1CustomResourceConversion {
  return {
    strategy: 'Webhook',
    webhook: {
      clientConfig: clientConfig(options, convertPath),
      conversionReviewVersions: ['v1'],
    },
  };
}
