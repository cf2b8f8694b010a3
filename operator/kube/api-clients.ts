// API clients whose every request has a deadline. client-node 1.4 sends requests with no timeout at all, so one
// request to an API server that accepted the connection and then went silent (a network partition, a hung
// load balancer, a server restarting behind a proxy) would never settle, and the reconcile, the Lease renewal
// or the informer list waiting on it would stall for good. A middleware gives each request an AbortSignal
// that fires after `timeoutMs` (covering connect, headers and body); the caller sees an ordinary rejection and
// retries as after any other API error.
import {
  createConfiguration,
  KubernetesObjectApi,
  ServerConfiguration,
  type Configuration,
  type KubeConfig,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';

/** Default deadline of one API request (client-go has no default either; 30 s is kubectl's usual --request-timeout). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

type ApiType<T> = new (config: Configuration) => T;

function timedConfiguration(kc: KubeConfig, timeoutMs: number): Configuration {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no active cluster in the kubeconfig');
  return createConfiguration({
    baseServer: new ServerConfiguration<{ [key: string]: string }>(cluster.server, {}),
    authMethods: { default: kc },
    // Exactly one middleware: the generated clients reverse() the middleware array in place on every call.
    promiseMiddleware: [
      {
        pre: async (ctx: RequestContext) => {
          ctx.setSignal(AbortSignal.timeout(timeoutMs) as never);
          return ctx;
        },
        post: async (rsp: ResponseContext) => rsp,
      },
    ],
  });
}

/** kc.makeApiClient(Api), with a deadline on every request. */
export function makeTimedApiClient<T>(kc: KubeConfig, api: ApiType<T>, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): T {
  return new api(timedConfiguration(kc, timeoutMs));
}

/** KubernetesObjectApi.makeApiClient(kc), with a deadline on every request (discovery included). */
export function makeTimedObjectApi(kc: KubeConfig, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): KubernetesObjectApi {
  return new TimedObjectApi(kc, timeoutMs);
}

class TimedObjectApi extends KubernetesObjectApi {
  constructor(kc: KubeConfig, timeoutMs: number) {
    super(timedConfiguration(kc, timeoutMs));
    this.setDefaultNamespace(kc);
  }
}
