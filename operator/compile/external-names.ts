// ExternalName Services: may a Mapping route to `spec.externalName`, and at which address? An ExternalName is
// a Service whose owner picks any DNS name, so without these checks it reaches around every boundary the
// gateway keeps (CVE-2021-25740): another namespace's Service, the Kubernetes API server, the Envoy pod's own
// admin interface on loopback, or the node's cloud metadata endpoint. The rules (docs/security.md):
//  - off unless the operator allows ExternalName Services (--external-name-services=allow);
//  - IP literals are parsed as resolvers parse them (ip-literals.ts); loopback, unspecified, link-local,
//    metadata, broadcast and multicast addresses are refused; a Service's ClusterIP is that Service;
//  - in-cluster names (`*.svc`, `*.svc.<cluster domain>`, anything under the cluster domain) are references to
//    that Service's namespace and need its PorticoReferenceGrant, exactly like `spec.service: name.namespace`;
//    the API server (`kubernetes.default…`) is never a target;
//  - every other name is published as an absolute name (trailing dot), so the Envoy pod's resolv.conf search
//    domains can never turn `billing.payments` into `billing.payments.svc.cluster.local`.
import type { ExternalNamePolicy } from './options.js';
import { forbiddenIpProblem, formatIp, parseIpLiteral } from './ip-literals.js';
import { GRANT_KIND, type ReferenceGrantIndex } from './reference-grants.js';

export interface ExternalNameContext {
  policy: ExternalNamePolicy;
  clusterDomain: string;
  grants: ReferenceGrantIndex;
  /** Canonical ClusterIP → `namespace/name` of the Service that holds it. */
  clusterIps: ReadonlyMap<string, string>;
  /** The namespace of the Mapping that routes here (the referrer a grant must name). */
  mappingNamespace: string;
}

export type ExternalNameVerdict = { ok: true; address: string } | { ok: false; message: string };

const API_SERVER = 'default/kubernetes';
const LOOPBACK_NAMES = /^(localhost|.*\.localhost)$/;
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'instance-data', 'instance-data.ec2.internal']);
/** A name made only of IPv4-ish parts ("1.2.3.4.5", "0x1g" is not): never sent to DNS as if it were a host name. */
const NUMERIC_NAME = /^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*$/;

export const EXTERNAL_NAME_FLAG = '--external-name-services=allow';

/** The in-cluster Service a name under the cluster domain points at, or why it is not one. */
function inClusterService(
  name: string,
  clusterDomain: string,
): { namespace: string; service: string } | { problem: string } | undefined {
  const svcSuffixes = [`.svc.${clusterDomain}`, '.svc'];
  const suffix = svcSuffixes.find((s) => name.endsWith(s));
  if (!suffix) {
    if (name === clusterDomain || name.endsWith(`.${clusterDomain}`))
      return {
        problem: `a name inside the cluster domain ${clusterDomain} that is not <service>.<namespace>.svc.${clusterDomain}`,
      };
    return undefined;
  }
  const labels = name.slice(0, -suffix.length).split('.');
  // service.namespace, or endpoint.service.namespace (a headless Service's pod)
  if (labels.length === 2 || labels.length === 3)
    return { service: labels[labels.length - 2], namespace: labels[labels.length - 1] };
  return { problem: `an in-cluster name that is not <service>.<namespace>.svc.${clusterDomain}` };
}

function isApiServerName(name: string, clusterDomain: string): boolean {
  return (
    name === 'kubernetes.default' ||
    name === 'kubernetes.default.svc' ||
    name === `kubernetes.default.svc.${clusterDomain}`
  );
}

/**
 * `serviceId` is the ExternalName Service (`namespace/name`); messages start with what it points at, so the
 * caller can prefix `spec.service: Service <id> `.
 */
export function checkExternalName(
  externalName: string,
  serviceId: string,
  ctx: ExternalNameContext,
): ExternalNameVerdict {
  if (ctx.policy !== 'allow')
    return {
      ok: false,
      message: `is an ExternalName Service, and this gateway does not route to ExternalName Services (they can point past every namespace boundary, CVE-2021-25740); the operator enables them with ${EXTERNAL_NAME_FLAG} (docs/security.md)`,
    };
  const serviceNamespace = serviceId.slice(0, serviceId.indexOf('/'));
  const name = externalName.trim().toLowerCase().replace(/\.$/, '');
  const shown = JSON.stringify(externalName.slice(0, 253));
  const never = (what: string): ExternalNameVerdict => ({
    ok: false,
    message: `is an ExternalName for ${shown}, ${what}, which the gateway never routes to`,
  });

  // A reference to an in-cluster Service obeys the same grants as spec.service would.
  const reference = (namespace: string, service: string, address: string): ExternalNameVerdict => {
    if (`${namespace}/${service}` === API_SERVER) return never('the Kubernetes API server');
    if (
      namespace === ctx.mappingNamespace ||
      namespace === serviceNamespace ||
      ctx.grants.permits('Mapping', ctx.mappingNamespace, 'Service', namespace, service)
    )
      return { ok: true, address };
    return {
      ok: false,
      message:
        `is an ExternalName for ${shown}, which is Service ${namespace}/${service} in another namespace, and no ${GRANT_KIND} in namespace ${namespace} ` +
        `allows Mappings from namespace ${ctx.mappingNamespace} to use it (spec.from: [{kind: Mapping, namespace: ${ctx.mappingNamespace}}], spec.to: [{kind: Service, name: ${service}}])`,
    };
  };

  const ip = parseIpLiteral(name);
  if (ip) {
    const problem = forbiddenIpProblem(ip);
    if (problem) return never(problem);
    const canonical = formatIp(ip);
    const holder = ctx.clusterIps.get(canonical);
    if (holder) {
      const slash = holder.indexOf('/');
      return reference(holder.slice(0, slash), holder.slice(slash + 1), canonical);
    }
    return { ok: true, address: canonical };
  }
  if (NUMERIC_NAME.test(name)) return never('a numeric name that is not an IP address a resolver reads the same way');
  if (LOOPBACK_NAMES.test(name)) return never('a loopback name');
  if (METADATA_NAMES.has(name)) return never('a cloud metadata endpoint');
  if (isApiServerName(name, ctx.clusterDomain)) return never('the Kubernetes API server');
  const inCluster = inClusterService(name, ctx.clusterDomain);
  if (inCluster && 'problem' in inCluster) return never(inCluster.problem);
  if (inCluster)
    return reference(inCluster.namespace, inCluster.service, `${name.replace(/\.svc$/, `.svc.${ctx.clusterDomain}`)}.`);
  return { ok: true, address: `${name}.` };
}

/**
 * For `spec.service: example.com:443`, which reads as Service `example` in namespace `com`: how an external
 * host is reached instead.
 */
export function externalHostHint(host: string, policy: ExternalNamePolicy): string {
  const shown = JSON.stringify(host.slice(0, 253));
  return (
    `(if ${shown} is an external host: a Mapping reaches external hosts through an ExternalName Service, e.g. ` +
    `{kind: Service, spec: {type: ExternalName, externalName: ${host.slice(0, 253)}}} in this namespace, named in spec.service` +
    `${policy === 'allow' ? '' : `; the operator serves those only when run with ${EXTERNAL_NAME_FLAG}`})`
  );
}
