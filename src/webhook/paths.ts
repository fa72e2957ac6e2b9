/** The webhook server's paths, shared by the server and the registration builders. */

/** The validating webhook's path, as kubebuilder names it and upstream registers it. */
export const validatePath = '/validate-locust-io-v2-locusttest';
/** The conversion webhook's path. */
export const convertPath = '/convert';
