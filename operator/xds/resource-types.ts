// The xDS resource types Portico serves over ADS, in the order a change is pushed: clusters and their
// endpoints and secrets before the listeners and routes that use them (make before break), as Envoy's xDS
// protocol docs recommend for state-of-the-world ADS.
const T = 'type.googleapis.com/';

export const XdsTypes = {
  cluster: `${T}envoy.config.cluster.v3.Cluster`,
  endpoint: `${T}envoy.config.endpoint.v3.ClusterLoadAssignment`,
  secret: `${T}envoy.extensions.transport_sockets.tls.v3.Secret`,
  listener: `${T}envoy.config.listener.v3.Listener`,
  route: `${T}envoy.config.route.v3.RouteConfiguration`,
} as const;

export type XdsTypeUrl = (typeof XdsTypes)[keyof typeof XdsTypes];

export const PUSH_ORDER: readonly XdsTypeUrl[] = [
  XdsTypes.cluster,
  XdsTypes.endpoint,
  XdsTypes.secret,
  XdsTypes.listener,
  XdsTypes.route,
];

/** LDS and CDS are wildcard subscriptions (every resource); the others are asked for by name. */
export const WILDCARD_TYPES: ReadonlySet<string> = new Set([XdsTypes.listener, XdsTypes.cluster]);

export const shortType = (typeUrl: string): string =>
  ({
    [XdsTypes.cluster]: 'CDS',
    [XdsTypes.endpoint]: 'EDS',
    [XdsTypes.secret]: 'SDS',
    [XdsTypes.listener]: 'LDS',
    [XdsTypes.route]: 'RDS',
  })[typeUrl] ?? typeUrl;

/** Where an xDS-fed Envoy finds a resource: on the ADS stream, v3. */
export const ADS_CONFIG_SOURCE = { ads: {}, resource_api_version: 'V3' } as const;
