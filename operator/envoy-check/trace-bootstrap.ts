// Which Mappings and TLSContexts an Envoy rejection message is about, read from a published bootstrap alone
// (`portico dev` has the config the Deployment points at, not the IR it was compiled from). The bootstrap
// carries the same names trace-objects.ts looks up: a route is named `<namespace>/<name>` of its Mapping, a
// filter chain `<namespace>/<name>` of its TLSContext; a cluster (defined or only referenced) names the
// Mappings whose routes use it, a certificate file and a server name the TLSContexts that serve them, a regex
// the Mapping whose route holds it. Pure.
import { candidates, type TracedObject } from './trace-objects.js';

type Json = Record<string, any>;
type Index = Map<string, Set<string>>;
/** A regex is not a word: RE2 names it whole after its reason (`missing ): ((`), or Envoy quotes it. */
type Regexes = Map<string, string>;

const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

function add(index: Index, key: unknown, object: string): void {
  if (typeof key !== 'string' || !key) return;
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(object);
}

function connectionManagers(chain: Json): Json[] {
  return ((chain.filters ?? []) as Json[]).map((f) => f.typed_config).filter((c): c is Json => !!c?.route_config);
}

function indexRoutes(index: Index, regexes: Regexes, hcm: Json): void {
  for (const vh of (hcm.route_config?.virtual_hosts ?? []) as Json[]) {
    for (const r of (vh.routes ?? []) as Json[]) {
      const name = String(r.name ?? '');
      if (!OBJECT_NAME.test(name)) continue; // the gateway's own routes (https-redirect, ready)
      const mapping = `Mapping/${name}`;
      add(index, name, mapping);
      for (const re of [r.match?.safe_regex?.regex, r.route?.regex_rewrite?.pattern?.regex])
        if (typeof re === 'string' && re) regexes.set(re, mapping);
      add(index, r.route?.cluster, mapping);
      for (const c of (r.route?.weighted_clusters?.clusters ?? []) as Json[]) add(index, c.name, mapping);
    }
  }
}

function indexChain(index: Index, chain: Json): void {
  const name = String(chain.name ?? '');
  if (!OBJECT_NAME.test(name)) return;
  const ctx = `TLSContext/${name}`;
  add(index, name, ctx);
  for (const n of (chain.filter_chain_match?.server_names ?? []) as string[]) add(index, n, ctx);
  const common = chain.transport_socket?.typed_config?.common_tls_context;
  for (const c of (common?.tls_certificates ?? []) as Json[]) {
    for (const f of [c.certificate_chain?.filename, c.private_key?.filename]) {
      if (typeof f === 'string') add(index, f.slice(f.lastIndexOf('/') + 1), ctx);
    }
  }
}

function buildIndex(bootstrap: Json, regexes: Regexes): Index {
  const index: Index = new Map();
  for (const l of (bootstrap.static_resources?.listeners ?? []) as Json[]) {
    for (const chain of (l.filter_chains ?? []) as Json[]) {
      indexChain(index, chain);
      for (const hcm of connectionManagers(chain)) indexRoutes(index, regexes, hcm);
    }
  }
  // A cluster's address names the Mappings that use the cluster.
  for (const c of (bootstrap.static_resources?.clusters ?? []) as Json[]) {
    const users = index.get(String(c.name));
    if (!users) continue;
    for (const e of (c.load_assignment?.endpoints ?? []) as Json[]) {
      for (const lb of (e.lb_endpoints ?? []) as Json[]) {
        const address = lb.endpoint?.address?.socket_address?.address;
        for (const u of users) add(index, address, u);
      }
    }
  }
  return index;
}

export function traceInBootstrap(message: string, bootstrap: object): TracedObject[] {
  const regexes: Regexes = new Map();
  const index = buildIndex(bootstrap as Json, regexes);
  const found = new Set<string>();
  for (const c of candidates(message)) for (const o of index.get(c) ?? []) found.add(o);
  const text = message.trim();
  for (const [re, o] of regexes)
    if (text.endsWith(`: ${re}`) || text.includes(`'${re}'`) || text.includes(`\`${re}\``)) found.add(o);
  return [...found].sort().map((id) => {
    const [kind, namespace, name] = id.split('/');
    return { kind: kind as TracedObject['kind'], namespace, name };
  });
}
