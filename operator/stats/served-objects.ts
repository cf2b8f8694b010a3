// What the config being served holds, for the statistics: its Services (from the clusters), its Mappings (from
// the routes), and which Services Envoy reaches through their ClusterIP (the cluster's address is the Service's
// cluster DNS name; an ExternalName's is an absolute name ending in "." or an IP literal). Pure.
import type { GatewayIR } from '../compile/ir.js';
import { allRoutes } from '../compile/ir-queries.js';

export interface ServedStatsObjects {
  services: string[];
  mappings: string[];
  clusterIpServices: Set<string>;
}

export function servedStatsObjects(ir: GatewayIR): ServedStatsObjects {
  const services = new Set<string>();
  const clusterIpServices = new Set<string>();
  for (const c of ir.clusters) {
    const [namespace, service] = c.name.split('_');
    const id = `${namespace}/${service}`;
    services.add(id);
    if (!c.address.endsWith('.') && !/^[0-9.]+$|:/.test(c.address)) clusterIpServices.add(id);
  }
  const mappings = new Set<string>();
  for (const r of allRoutes(ir)) for (const m of r.members) mappings.add(m.name);
  return { services: [...services].sort(), mappings: [...mappings].sort(), clusterIpServices };
}
