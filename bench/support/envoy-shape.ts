// Counts what Envoy would hold from a rendered bootstrap: listeners, filter chains, route configurations,
// virtual hosts and route entries (every copy counted, as Envoy keeps every copy).

export interface ConfigShape {
  listeners: number;
  filterChains: number;
  routeConfigs: number;
  virtualHosts: number;
  routeEntries: number;
  clusters: number;
  largestVirtualHost: number;
}

export function configShape(bootstrap: unknown): ConfigShape {
  const shape: ConfigShape = {
    listeners: 0,
    filterChains: 0,
    routeConfigs: 0,
    virtualHosts: 0,
    routeEntries: 0,
    clusters: 0,
    largestVirtualHost: 0,
  };
  const sr = (bootstrap as { static_resources?: { listeners?: unknown[]; clusters?: unknown[] } })?.static_resources;
  shape.listeners = sr?.listeners?.length ?? 0;
  shape.clusters = sr?.clusters?.length ?? 0;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.filter_chains)) shape.filterChains += o.filter_chains.length;
    if (Array.isArray(o.virtual_hosts)) {
      shape.routeConfigs++;
      for (const vh of o.virtual_hosts as Array<{ routes?: unknown[] }>) {
        const n = vh.routes?.length ?? 0;
        shape.virtualHosts++;
        shape.routeEntries += n;
        shape.largestVirtualHost = Math.max(shape.largestVirtualHost, n);
      }
      return;
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(sr?.listeners);
  return shape;
}
