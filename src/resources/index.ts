/** Desired state: (LocustTest, OperatorConfig) → the Service and Jobs the operator creates. */
export { render } from './render.ts';
export type { RenderedResources } from './types.ts';
export * from './operator-config.ts';
export { findManagedFlagOverrides, operatorManagedFlags, splitCommandSeed } from './args.ts';
export { protectedPodLabelKeys } from './labels.ts';
export { isOpenTelemetryEnabled } from './otel.ts';
export { isDns1123Subdomain, isQuantity } from './quantity.ts';
