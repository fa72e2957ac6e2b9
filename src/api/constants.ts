/**
 * Every name the operator shares with users, clusters and the Go operator: the API identity, label
 * and annotation keys, finalizer, condition types and reasons, event reasons. One module, so a
 * spelling lives in one place.
 */
export const apiGroup = 'locust.io';
export const kind = 'LocustTest';
export const listKind = 'LocustTestList';
export const plural = 'locusttests';
export const singular = 'locusttest';
export const shortNames = ['lotest'];
export const crdName = `${plural}.${apiGroup}`;
export const storageVersion = 'v2';
export const v1DeprecationWarning =
  'locust.io/v1 LocustTest is deprecated, migrate to locust.io/v2';

/** Pod-template (and Job) label keys, as the Go operator sets them; users select pods by them. */
export const labelKeys = {
  app: 'app',
  podName: 'performance-test-pod-name',
  managedBy: 'managed-by',
  testName: 'performance-test-name',
} as const;
export const managedByValue = 'locust-k8s-operator';
/** Label keys users cannot override through spec.master.labels / spec.worker.labels. */
export const protectedLabelKeys: readonly string[] = [
  labelKeys.podName,
  labelKeys.managedBy,
  // Pod health and the CLI select a test's pods by it, so users may not change it (upstream could).
  labelKeys.testName,
];

/** Finalizer added by the Go operator; honoured and removed so its CRs can be deleted. */
export const legacyFinalizer = 'locust.io/cleanup';

export const masterPort = 5557;
export const masterBindPort = 5558;
export const webUiPort = 8089;
export const workerPort = 8080;

export const metricsExporterContainerName = 'locust-metrics-exporter';
export const libVolumeName = 'locust-lib';
export const secretVolumePrefix = 'secret-';
export const defaultSrcMountPath = '/lotest/src';
export const defaultLibMountPath = '/opt/locust/lib';

/** The longest suffix appended to a test's name, `-worker`; names stay within 63 characters. */
export const longestNameSuffix = '-worker';
export const maxGeneratedNameLength = 63;
export const maxTestNameLength = maxGeneratedNameLength - longestNameSuffix.length;

export const conditionTypes = {
  ready: 'Ready',
  workersConnected: 'WorkersConnected',
  testCompleted: 'TestCompleted',
  podsHealthy: 'PodsHealthy',
  specDrifted: 'SpecDrifted',
} as const;
