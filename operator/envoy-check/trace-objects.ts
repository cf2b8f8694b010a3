// Which Mappings and TLSContexts an Envoy rejection message is about. Envoy names what it refuses by the
// config's own names: a route (`<namespace>/<name>` of its Mapping), a cluster (`<ns>_<svc>_<port>[_tls]`, used
// by some Mappings), a filter chain (`<namespace>/<name>` of its TLSContext), a certificate file
// (`<ns>_<secret>.crt`, served by some TLSContexts), a server name or domain, a regex. Every word and quoted
// string of the message is looked up in an index of those names. Pure.
import type { GatewayIR } from '../compile/ir.js';
import { allRoutes, tlsChains } from '../compile/ir-queries.js';

export interface TracedObject {
  kind: 'Mapping' | 'TLSContext';
  namespace: string;
  name: string;
}

type Index = Map<string, Set<string>>;

function add(index: Index, key: string, object: string): void {
  if (!key) return;
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(object);
}

function buildIndex(ir: GatewayIR): Index {
  const index: Index = new Map();
  const clusterUsers = new Map<string, Set<string>>();
  for (const r of allRoutes(ir)) {
    const host = r.match.host;
    for (const member of r.members) {
      const mapping = `Mapping/${member.name}`;
      add(index, member.name, mapping);
      // A domain names the Mappings that asked for it, not the host-less ones on every vhost.
      if (host.kind !== 'any') add(index, host.kind === 'exact' ? host.host : host.pattern, mapping);
      if (r.match.path.kind === 'regex') add(index, r.match.path.value, mapping);
      if (member.action.kind !== 'forward') continue;
      if (member.action.rewrite.kind === 'regex') add(index, member.action.rewrite.pattern, mapping);
      let users = clusterUsers.get(member.action.cluster);
      if (!users) clusterUsers.set(member.action.cluster, (users = new Set()));
      users.add(mapping);
    }
  }
  for (const c of ir.clusters) {
    for (const m of clusterUsers.get(c.name) ?? []) {
      add(index, c.name, m);
      add(index, c.address, m);
      add(index, c.address.replace(/\.$/, ''), m);
    }
  }
  for (const t of tlsChains(ir)) {
    const ctx = `TLSContext/${t.name}`;
    add(index, t.name, ctx);
    add(index, t.tls.certFile, ctx);
    add(index, t.tls.keyFile, ctx);
    for (const n of t.serverNames) add(index, n, ctx);
  }
  return index;
}

/** The words and quoted strings of a message, each also as a file's base name when it is a path. */
export function candidates(message: string): string[] {
  const out = new Set<string>();
  for (const m of message.matchAll(/'([^']*)'|"([^"]*)"/g)) out.add(m[1] ?? m[2]);
  for (const word of message.split(/[\s,;]+/)) {
    const w = word.replace(/^[('"[{]+/, '').replace(/[)'"\]}:.]+$/, '');
    out.add(w);
    out.add(word.replace(/^[('"[{]+/, '').replace(/[)'"\]},:;]+$/, '')); // a domain may end in "."
  }
  // A file path (/etc/portico/certs/<ns>_<secret>.crt) names its certificate by the base name.
  for (const c of [...out]) if (c.startsWith('/')) out.add(c.slice(c.lastIndexOf('/') + 1));
  return [...out].filter(Boolean);
}

export function traceEnvoyMessage(message: string, ir: GatewayIR): TracedObject[] {
  const index = buildIndex(ir);
  const found = new Set<string>();
  for (const c of candidates(message)) for (const o of index.get(c) ?? []) found.add(o);
  return [...found].sort().map((id) => {
    const [kind, namespace, name] = id.split('/');
    return { kind: kind as TracedObject['kind'], namespace, name };
  });
}
