// The Envoy release Portico renders for and tests against: the image in manifests/base/envoy/deployment.yaml,
// the binary test/world/setup installs and the one the operator image ships (Dockerfile). A test keeps them equal.
export const PINNED_ENVOY_VERSION = '1.40.0';
