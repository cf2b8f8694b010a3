// `portico run`: the operator, in a cluster (service account) or against a kubeconfig. Every flag has an
// environment variable, so the manifests configure it with env only.
import { parseArgs } from 'node:util';
import { parseCompileOptionFlags } from '../compile/options.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { startOperator } from '../operator.js';
import { findEnvoy } from '../envoy-check/find-envoy.js';
import { ENVOY_CHECK_MODES, type EnvoyCheckMode } from '../envoy-check/operator-check.js';
import { DELIVERIES, type Delivery } from '../reconcile/publisher.js';

const HELP = `usage: portico run [flags]

Watches Mappings, TLSContexts, Services and referenced Secrets; publishes Envoy config and rolls Envoy.

flags (environment variable in brackets):
  --kubeconfig PATH          kubeconfig file [KUBECONFIG]; default: in-cluster service account
  --namespace NS             namespace of the Envoy Deployment, published configs and Lease [PORTICO_NAMESPACE, POD_NAMESPACE] (portico-system)
  --deployment NAME          Envoy Deployment to roll [PORTICO_DEPLOYMENT] (portico-envoy)
  --holdoff MS               wait this long after an event before compiling [PORTICO_HOLDOFF_MS] (100)
  --max-holdoff MS           never wait longer than this after the first event [PORTICO_MAX_HOLDOFF_MS] (500)
  --http-port PORT           health, metrics and diagnostics port [PORTICO_HTTP_PORT] (8877)
  --http-host HOST           bind address [PORTICO_HTTP_HOST] (0.0.0.0)
  --log-level LEVEL          error|warn|info|debug [PORTICO_LOG_LEVEL] (info)
  --identity ID              leader election identity [POD_NAME] (hostname + random suffix)
  --lease-name NAME          leader election Lease [PORTICO_LEASE_NAME] (portico-leader)
  --lease-duration SECONDS   [PORTICO_LEASE_DURATION] (15)
  --renew-deadline SECONDS   [PORTICO_RENEW_DEADLINE] (10)
  --retry-period SECONDS     [PORTICO_RETRY_PERIOD] (2)
  --resync SECONDS           reconcile at least this often, even without events [PORTICO_RESYNC] (60)
  --request-timeout SECONDS  deadline of each Kubernetes API request [PORTICO_REQUEST_TIMEOUT] (30)

policy (docs/security.md):
  --host-ownership MODE      namespace: a host belongs to the namespace that named it first; others need its
                             PorticoReferenceGrant, and certificates must cover their hosts. open: one trusted
                             tenant, any namespace may serve any host [PORTICO_HOST_OWNERSHIP] (namespace)
  --external-name-services P deny: Mappings never route to ExternalName Services (CVE-2021-25740). allow: they
                             do, minus in-cluster names without a grant, the API server, loopback, link-local
                             and metadata addresses [PORTICO_EXTERNAL_NAME_SERVICES] (deny)
  --cluster-domain DOMAIN    the cluster's DNS domain [PORTICO_CLUSTER_DOMAIN] (cluster.local)

delivery (README "Delivery modes"):
  --delivery MODE            rollout: each config is a rollout of the Envoy Deployment. xds: Envoy pods bootstrap
                             once and every operator replica streams the published config over ADS (no restarts)
                             [PORTICO_DELIVERY] (rollout)
  --xds-port PORT            xds: the ADS server's port [PORTICO_XDS_PORT] (18000)
  --xds-insecure             xds: plaintext ADS instead of mutual TLS (a loopback test only) [PORTICO_XDS_INSECURE]
                             (default: mutual TLS from the operator's own CA, docs/security.md "The xDS channel")

the real Envoy check before publishing (README "Performance"):
  --envoy PATH               the Envoy binary [PORTICO_ENVOY] (else envoy on PATH; the image ships one);
                             without one, configs are checked against Envoy's protos only
  --envoy-check MODE         listeners: load the listeners and certificates whenever they change. full: the
                             whole config on every change (small installs). off [PORTICO_ENVOY_CHECK] (listeners)
`;

function num(flag: string, value: string | undefined, scale = 1): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag}: expected a non-negative number, got "${value}"`);
  return Math.round(n * scale);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      kubeconfig: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      deployment: { type: 'string' },
      holdoff: { type: 'string' },
      'max-holdoff': { type: 'string' },
      'http-port': { type: 'string' },
      'http-host': { type: 'string' },
      'log-level': { type: 'string' },
      identity: { type: 'string' },
      'lease-name': { type: 'string' },
      'lease-duration': { type: 'string' },
      'renew-deadline': { type: 'string' },
      'retry-period': { type: 'string' },
      resync: { type: 'string' },
      'request-timeout': { type: 'string' },
      'host-ownership': { type: 'string' },
      'external-name-services': { type: 'string' },
      'cluster-domain': { type: 'string' },
      envoy: { type: 'string' },
      'envoy-check': { type: 'string' },
      delivery: { type: 'string' },
      'xds-port': { type: 'string' },
      'xds-insecure': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const env = process.env;
  const compile = parseCompileOptionFlags({
    hostOwnership: values['host-ownership'] ?? env.PORTICO_HOST_OWNERSHIP,
    externalNameServices: values['external-name-services'] ?? env.PORTICO_EXTERNAL_NAME_SERVICES,
    clusterDomain: values['cluster-domain'] ?? env.PORTICO_CLUSTER_DOMAIN,
  });
  const mode = values['envoy-check'] ?? env.PORTICO_ENVOY_CHECK ?? 'listeners';
  if (!ENVOY_CHECK_MODES.includes(mode as EnvoyCheckMode))
    throw new Error(`--envoy-check: expected one of ${ENVOY_CHECK_MODES.join(', ')}, got "${mode}"`);
  const found =
    mode === 'off'
      ? undefined
      : findEnvoy(values.envoy ?? env.PORTICO_ENVOY, values.envoy ? '--envoy' : 'PORTICO_ENVOY');
  if (found && 'missing' in found)
    process.stderr.write(
      `portico run: no Envoy binary (${found.missing}): configs are checked against Envoy's protos only\n`,
    );
  else if (found?.note) process.stderr.write(`portico run: ${found.note}\n`);
  const envoyCheck =
    found && !('missing' in found) ? { envoyPath: found.path, mode: mode as EnvoyCheckMode } : undefined;
  const delivery = values.delivery ?? env.PORTICO_DELIVERY ?? 'rollout';
  if (!DELIVERIES.includes(delivery as Delivery))
    throw new Error(`--delivery: expected one of ${DELIVERIES.join(', ')}, got "${delivery}"`);
  const insecure = values['xds-insecure'] ?? env.PORTICO_XDS_INSECURE === 'true';

  const operator = await startOperator({
    kubeConfig: loadKubeConfig(values.kubeconfig),
    namespace: values.namespace ?? env.PORTICO_NAMESPACE ?? env.POD_NAMESPACE ?? undefined,
    deploymentName: values.deployment ?? env.PORTICO_DEPLOYMENT,
    holdoffMs: num('--holdoff', values.holdoff ?? env.PORTICO_HOLDOFF_MS),
    maxHoldoffMs: num('--max-holdoff', values['max-holdoff'] ?? env.PORTICO_MAX_HOLDOFF_MS),
    httpPort: num('--http-port', values['http-port'] ?? env.PORTICO_HTTP_PORT),
    httpHost: values['http-host'] ?? env.PORTICO_HTTP_HOST,
    logLevel: values['log-level'] ?? env.PORTICO_LOG_LEVEL,
    identity: values.identity ?? env.POD_NAME,
    leaseName: values['lease-name'] ?? env.PORTICO_LEASE_NAME,
    leaseDurationMs: num('--lease-duration', values['lease-duration'] ?? env.PORTICO_LEASE_DURATION, 1000),
    renewDeadlineMs: num('--renew-deadline', values['renew-deadline'] ?? env.PORTICO_RENEW_DEADLINE, 1000),
    retryPeriodMs: num('--retry-period', values['retry-period'] ?? env.PORTICO_RETRY_PERIOD, 1000),
    resyncMs: num('--resync', values.resync ?? env.PORTICO_RESYNC, 1000),
    requestTimeoutMs:
      num('--request-timeout', values['request-timeout'] ?? env.PORTICO_REQUEST_TIMEOUT, 1000) || undefined,
    compile,
    envoyCheck,
    delivery: delivery as Delivery,
    xdsPort: num('--xds-port', values['xds-port'] ?? env.PORTICO_XDS_PORT),
    xdsInsecure: insecure,
  });
  // Graceful shutdown: finish the reconcile in flight, release the Lease, close watches and the HTTP server.
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      process.stderr.write(`portico run: ${signal}, shutting down\n`);
      // Lingering keep-alive sockets must not keep a stopped operator alive.
      void operator.stop().then(() => {
        setTimeout(() => process.exit(0), 1000).unref();
        resolve();
      });
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
  return 0;
}
