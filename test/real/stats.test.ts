// Issue 17 on the real world: two Envoy replicas (manifests/), three Services (one healthy with two endpoints, one
// whose upstream answers 500 when asked to, one with no ready endpoints) and a Mapping whose Service does not
// exist; a known number of requests through the portico-envoy Service; then the operator's /portico/v1/stats and
// /metrics (read from its pod, and through the API server's pod proxy with the real kubectl) report exactly those
// numbers, summed over both Envoy pods. Deleting an Envoy pod, and killing the Envoy process inside another (its
// container restarts with counters at zero), neither loses nor doubles a request (docs/statistics.md).
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { gatewayRequest } from '../support/gateway-client.js';
import { eventually } from '../support/test-cluster.js';
import { scrapeEnvoyStats } from '../../operator/stats/envoy-scrape.js';
import type { StatsReport } from '../../operator/stats/stats-report.js';
import { realWorld, PORTICO_NAMESPACE, type World } from '../world/world.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';

const NS = 'stats-world';
const ENVOY_PODS = `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Denvoy`;
const OPERATOR_PODS = `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Doperator`;

interface PodView {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  status?: {
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { name: string; containerID?: string; restartCount: number; ready: boolean }[];
  };
}

/** Requests sent, per Mapping: what the figures must add up to. */
interface Sent {
  healthy: number;
  flakyOk: number;
  flaky500: number;
  empty: number;
  missing: number;
}

const emptyYaml = `apiVersion: v1
kind: Service
metadata: {name: empty, namespace: ${NS}}
spec:
  selector: {app: nothing-runs-this}
  ports: [{name: http, port: 80, targetPort: 8080}]
`;

/** `pid` (the container's process: its wrapper execs Envoy) or its descendants that run Envoy. */
function envoyProcesses(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(
        readFileSync(`/proc/${entry}/stat`, 'utf8')
          .replace(/^.*\) /, '')
          .split(' ')[1],
      );
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const found: number[] = [];
  const visit = (p: number) => {
    const argv0 = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0];
    if (argv0 === 'envoy' || argv0.endsWith('/envoy')) found.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return found;
}

describe('real world: per-Service and per-Mapping statistics from every Envoy', function () {
  this.timeout(600_000);
  let world: World;
  let gateway: string;
  const sent: Sent = { healthy: 0, flakyOk: 0, flaky500: 0, empty: 0, missing: 0 };

  const apply = async (doc: string) => {
    const r = await world.kubectl(['apply', '-f', '-'], { stdin: doc });
    expect(r.code, r.stderr).to.equal(0);
  };
  const envoyPods = async () => (await world.rest.must<{ items: PodView[] }>('GET', ENVOY_PODS)).items;
  const ready = (p: PodView) =>
    !p.metadata.deletionTimestamp && !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  const operator = async (): Promise<string> => {
    const pods = (await world.rest.must<{ items: PodView[] }>('GET', OPERATOR_PODS)).items.filter(ready);
    expect(pods, 'a Ready operator pod').to.have.length.greaterThan(0);
    return `http://${pods[0].status!.podIP}:8877`;
  };
  const stats = async (): Promise<StatsReport> => {
    const r = await gatewayRequest(await operator(), { path: '/portico/v1/stats' });
    expect(r.status, r.text).to.equal(200);
    return r.json as StatsReport;
  };
  const send = async (what: keyof Sent, n: number) => {
    const path = {
      healthy: '/stats-healthy/x',
      flakyOk: '/stats-flaky/x',
      flaky500: '/stats-flaky/x',
      empty: '/stats-empty/x',
      missing: '/stats-missing/x',
    }[what];
    const headers: Record<string, string> = what === 'flaky500' ? { 'x-set-response-status-code': '500' } : {};
    const expected = { healthy: 200, flakyOk: 200, flaky500: 500, empty: 503, missing: 503 }[what];
    for (let i = 0; i < n; i++) {
      // A new connection each: the Service spreads them over both Envoy pods.
      const r = await gatewayRequest(gateway, { path, headers });
      expect(r.status, `${what} #${i}: ${r.text}`).to.equal(expected);
    }
    sent[what] += n;
  };
  const sendBatch = async (scale: number) => {
    await send('healthy', 10 * scale);
    await send('flakyOk', 4 * scale);
    await send('flaky500', 3 * scale);
    await send('empty', 2 * scale);
    await send('missing', 2 * scale);
  };
  const expectExact = (r: StatsReport) => {
    const flaky = sent.flakyOk + sent.flaky500;
    expect(r.services[`${NS}/healthy`], 'healthy').to.deep.equal({
      healthy_members: 2,
      total_members: 2,
      members_from: 'endpointslices',
      requests: sent.healthy,
      upstream_ok: sent.healthy,
      upstream_bad: 0,
    });
    expect(r.services[`${NS}/flaky`], 'flaky').to.deep.equal({
      healthy_members: 1,
      total_members: 1,
      members_from: 'endpointslices',
      requests: flaky,
      upstream_ok: sent.flakyOk,
      upstream_bad: sent.flaky500,
    });
    expect(r.services[`${NS}/empty`], 'empty').to.deep.equal({
      healthy_members: 0,
      total_members: 0,
      members_from: 'endpointslices',
      requests: sent.empty,
      upstream_ok: 0,
      upstream_bad: sent.empty,
    });
    expect(r.mappings[`${NS}/to-healthy`]).to.deep.equal({
      requests: sent.healthy,
      upstream_ok: sent.healthy,
      upstream_bad: 0,
      no_backend: 0,
    });
    expect(r.mappings[`${NS}/to-flaky`]).to.deep.equal({
      requests: flaky,
      upstream_ok: sent.flakyOk,
      upstream_bad: sent.flaky500,
      no_backend: 0,
    });
    expect(r.mappings[`${NS}/to-empty`]).to.deep.equal({
      requests: sent.empty,
      upstream_ok: 0,
      upstream_bad: sent.empty,
      no_backend: 0,
    });
    expect(r.mappings[`${NS}/to-missing`]).to.deep.equal({
      requests: sent.missing,
      upstream_ok: 0,
      upstream_bad: 0,
      no_backend: sent.missing,
    });
  };
  /** The figures settle once every Envoy pod answers (a pod starting up, or an Envoy restarting, has not yet). */
  const settledStats = () =>
    eventually(
      'every Envoy pod’s stats to answer',
      async () => {
        const r = await stats();
        const pods = (await envoyPods()).filter((p) => !p.metadata.deletionTimestamp);
        return r.envoys.length === pods.length && r.envoys.every((e) => e.up) ? r : undefined;
      },
      60_000,
      500,
    );

  before(async function () {
    world = await realWorld();
    await world.installPortico();
    gateway = world.gatewayUrl('http');
    await apply(namespaceYaml(NS));
    await apply(echoBackendYaml('healthy', NS, { replicas: 2 }));
    await apply(echoBackendYaml('flaky', NS));
    await apply(emptyYaml);
    await world.waitForRollout(NS, 'healthy');
    await world.waitForRollout(NS, 'flaky');
    for (const [name, service] of [
      ['to-healthy', 'healthy'],
      ['to-flaky', 'flaky'],
      ['to-empty', 'empty'],
      ['to-missing', 'no-such-service'],
    ]) {
      // Prefixes no other test of the shared world uses (the same host-less prefix in another namespace conflicts).
      await apply(mappingYaml(name, NS, { prefix: `/stats-${name.slice(3)}/`, service }));
    }
    await world.settled();
    // The EndpointSlice controller has listed both healthy pods.
    await eventually(
      'the healthy Service’s two endpoints',
      async () => (await stats()).services[`${NS}/healthy`]?.healthy_members === 2,
      60_000,
      500,
    );
  });

  it('reports exactly the requests sent, summed over both Envoy pods, per Service and per Mapping', async function () {
    await sendBatch(1);
    const r = await settledStats();
    expectExact(r);
    const pods = (await envoyPods()).filter(ready);
    expect(pods, 'two Envoy replicas').to.have.length(2);
    expect(r.envoys.map((e) => e.pod).sort()).to.deep.equal(pods.map((p) => p.metadata.name).sort());
    // Each pod served part of it, and the parts add up: read each one's stats listener directly.
    const perPod = await Promise.all(pods.map((p) => scrapeEnvoyStats(`http://${p.status!.podIP}:8003`)));
    const healthyOn = perPod.map((s) => s.counters.get(`cluster.${NS}_healthy_80.upstream_rq_completed`) ?? 0);
    expect(
      healthyOn.every((n) => n > 0),
      `both pods took /healthy/ requests: ${healthyOn}`,
    ).to.equal(true);
    expect(healthyOn[0] + healthyOn[1]).to.equal(sent.healthy);
    console.log(
      `      /portico/v1/stats (this namespace):\n${JSON.stringify({ ...r, services: Object.fromEntries(Object.entries(r.services).filter(([k]) => k.startsWith(`${NS}/`))), mappings: Object.fromEntries(Object.entries(r.mappings).filter(([k]) => k.startsWith(`${NS}/`))) }, null, 2).replace(/^/gm, '      ')}`,
    );
  });

  it('an Envoy pod’s stats listener answers GET /stats and nothing else of the admin', async function () {
    const [pod] = (await envoyPods()).filter(ready);
    const base = `http://${pod.status!.podIP}:8003`;
    expect((await gatewayRequest(base, { path: '/stats?filter=^server%5C.uptime$' })).text).to.match(
      /^server\.uptime: \d+/,
    );
    for (const [method, path] of [
      ['POST', '/stats'],
      ['GET', '/stats/prometheus'],
      ['GET', '/config_dump'],
      ['POST', '/quitquitquit'],
      ['GET', '/ready'],
      ['GET', '/x/../config_dump'],
      ['POST', '/reset_counters'],
    ]) {
      expect((await gatewayRequest(base, { method, path })).status, `${method} ${path}`).to.equal(404);
    }
  });

  it('/metrics has the same figures, one series per Service and per Mapping', async function () {
    const r = await gatewayRequest(await operator(), { path: '/metrics' });
    expect(r.status).to.equal(200);
    const series = (name: string, label: string, id: string) => {
      const m = new RegExp(`^${name}\\{${label}="${id.replace('/', '\\/')}"\\} (\\d+)$`, 'm').exec(r.text);
      return m ? Number(m[1]) : undefined;
    };
    expect(series('portico_service_requests_total', 'service', `${NS}/healthy`)).to.equal(sent.healthy);
    expect(series('portico_service_upstream_bad_total', 'service', `${NS}/flaky`)).to.equal(sent.flaky500);
    expect(series('portico_service_upstream_ok_total', 'service', `${NS}/flaky`)).to.equal(sent.flakyOk);
    expect(series('portico_service_healthy_members', 'service', `${NS}/healthy`)).to.equal(2);
    expect(series('portico_service_healthy_members', 'service', `${NS}/empty`)).to.equal(0);
    expect(series('portico_mapping_no_backend_total', 'mapping', `${NS}/to-missing`)).to.equal(sent.missing);
    expect(series('portico_mapping_upstream_bad_total', 'mapping', `${NS}/to-empty`)).to.equal(sent.empty);
    expect(series('portico_mapping_requests_total', 'mapping', `${NS}/to-flaky`)).to.equal(
      sent.flakyOk + sent.flaky500,
    );
    const lines = r.text
      .split('\n')
      .filter((l) => l.startsWith('portico_mapping_requests_total{') && l.includes(`"${NS}/to-healthy"`));
    expect(lines, 'one series per Mapping').to.have.length(1);
    expect((r.text.match(/^portico_envoy_up\{pod="[^"]+"\} 1$/gm) ?? []).length).to.equal(2);
  });

  it('reads the same through the API server with kubectl get --raw (the pod proxy), no port-forward needed', async function () {
    const pods = (await world.rest.must<{ items: PodView[] }>('GET', OPERATOR_PODS)).items.filter(ready);
    const r = await world.kubectl([
      'get',
      '--raw',
      `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods/${pods[0].metadata.name}:8877/proxy/portico/v1/stats`,
    ]);
    expect(r.code, r.stderr).to.equal(0);
    expectExact(JSON.parse(r.stdout) as StatsReport);
  });

  it('a deleted Envoy pod’s requests are neither lost nor counted twice', async function () {
    await sendBatch(1);
    expectExact(await settledStats());
    const [victim] = (await envoyPods()).filter(ready);
    const del = await world.kubectl([
      '-n',
      PORTICO_NAMESPACE,
      'delete',
      'pod',
      victim.metadata.name,
      '--wait=true',
      '--timeout=120s',
    ]);
    expect(del.code, del.stderr).to.equal(0);
    await world.waitForRollout(PORTICO_NAMESPACE, 'portico-envoy');
    const after = await settledStats();
    expect(after.envoys.map((e) => e.pod)).to.not.include(victim.metadata.name);
    expectExact(after);
    await sendBatch(1);
    expectExact(await settledStats());
  });

  it('an Envoy that restarts inside its pod (counters back at zero) is neither lost nor counted twice', async function () {
    await sendBatch(1);
    expectExact(await settledStats());
    const [pod] = (await envoyPods()).filter(ready);
    const status = pod.status!.containerStatuses!.find((c) => c.name === 'envoy')!;
    const wrapper = Number(/^world:\/\/(\d+)$/.exec(status.containerID ?? '')?.[1]);
    const envoys = envoyProcesses(wrapper);
    expect(envoys, `the Envoy process of ${pod.metadata.name}`).to.have.length(1);
    process.kill(envoys[0], 'SIGKILL');
    await eventually(
      `${pod.metadata.name}'s Envoy to restart and be Ready`,
      async () => {
        const p = (await envoyPods()).find((x) => x.metadata.uid === pod.metadata.uid);
        const c = p?.status?.containerStatuses?.find((x) => x.name === 'envoy');
        return c && c.restartCount > status.restartCount && c.ready;
      },
      120_000,
      500,
    );
    expectExact(await settledStats());
    await sendBatch(1);
    expectExact(await settledStats());
  });
});
