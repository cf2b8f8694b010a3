// The part of a config the operator-side check loads into Envoy: the listeners with their filter chains, TLS
// contexts and certificates, each connection manager keeping an empty route table, and no clusters. Envoy
// refuses there what Portico cannot see for itself (a certificate BoringSSL will not load, filter chains it
// finds ambiguous); the route tables, which grow with the Mappings, are what the test suite holds to real Envoy
// (test/envoy-real). Loading the skeleton costs about what an empty config does, at any number of Mappings.
// Pure; the bootstrap is read, never changed (its sub-objects are shared).
import { TypeUrls } from '../envoy/constants.js';

type Json = Record<string, unknown>;

function withoutRoutes(filter: Json): Json {
  const typed = filter.typed_config as Json | undefined;
  if (
    !typed ||
    typed['@type'] !== TypeUrls.HttpConnectionManager ||
    typeof typed.route_config !== 'object' ||
    typed.route_config === null
  )
    return filter;
  const routes = typed.route_config as Json;
  return { ...filter, typed_config: { ...typed, route_config: { name: routes.name, virtual_hosts: [] } } };
}

export function listenerSkeleton(bootstrap: object): Json {
  const b = bootstrap as Json;
  const resources = (b.static_resources ?? {}) as Json;
  const listeners = ((resources.listeners ?? []) as Json[]).map((l) => ({
    ...l,
    filter_chains: ((l.filter_chains ?? []) as Json[]).map((fc) => ({
      ...fc,
      filters: ((fc.filters ?? []) as Json[]).map(withoutRoutes),
    })),
  }));
  return { ...b, static_resources: { ...resources, listeners, clusters: [] } };
}
