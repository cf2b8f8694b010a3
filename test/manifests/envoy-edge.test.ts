// The Envoy pod's edge settings (envoy-runtime.md §2, §3) as manifests/ declare them: workers from the CPU request,
// an overload manager whose heap limit is the memory limit, a drain that leaves the load balancers first, and a
// Service that keeps client addresses. What Envoy does with them is tested on real Envoy in test/real/edge-*.
import { expect } from 'chai';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { parseQuantity } from '../world/kubelet/downward-api.js';
import { envoyArgs, envoyContainer, envoyDeployment, flagValue, mergedBootstrapPart } from './envoy-pod-args.js';
import { findObject, renderKustomization } from './render-manifests.js';

const MiB = 2 ** 20;

describe('manifests: the Envoy pod as an edge proxy', () => {
  const deployment = envoyDeployment();
  const c = envoyContainer(deployment);
  const args = envoyArgs(c);

  it('starts one worker thread per requested CPU, rounded up (the downward API), not one per node core', () => {
    expect(flagValue(c.args, '--concurrency')).to.equal('$(ENVOY_CONCURRENCY)');
    const env = c.env!.find((e) => e.name === 'ENVOY_CONCURRENCY')!;
    expect(env.valueFrom?.resourceFieldRef).to.deep.equal({ resource: 'requests.cpu' });
    expect(flagValue(args, '--concurrency')).to.equal(String(Math.ceil(parseQuantity(c.resources!.requests!.cpu))));
  });

  it('merges an overload manager into every config: heap limit = the memory limit, 50,000 connections', () => {
    const part = mergedBootstrapPart(args);
    expect(Object.keys(part)).to.deep.equal(['overload_manager']);
    expect(validateEnvoyBootstrap(part)).to.deep.equal([]);
    const om = part.overload_manager;
    const monitor = (name: string) => om.resource_monitors.find((m: any) => m.name === name)?.typed_config;
    const limit = parseQuantity(c.resources!.limits!.memory);
    expect(monitor('envoy.resource_monitors.fixed_heap').max_heap_size_bytes).to.equal(limit);
    expect(
      monitor('envoy.resource_monitors.global_downstream_max_connections').max_active_downstream_connections,
    ).to.equal(50_000);
    const threshold = (action: string) => om.actions.find((a: any) => a.name === action).triggers[0].threshold.value;
    const shrink = threshold('envoy.overload_actions.shrink_heap');
    const stop = threshold('envoy.overload_actions.stop_accepting_requests');
    expect(shrink).to.be.below(stop);
    // What is not heap (Envoy's code, stacks: ~60 MiB measured) must fit under the limit when requests stop.
    expect((1 - stop) * limit, 'room left beside the heap').to.be.at.least(64 * MiB);
    // Only the heap drives actions: the connection monitor is proactive and may not be a trigger.
    for (const a of om.actions)
      expect(a.triggers.map((t: any) => t.name)).to.deep.equal(['envoy.resource_monitors.fixed_heap']);
  });

  it('drains in order on preStop: fail health checks, drain listeners, wait, and all within the grace period', () => {
    const [shell, flag, script] = c.lifecycle.preStop.exec.command as string[];
    expect([shell, flag]).to.deep.equal(['/bin/bash', '-c']);
    const steps = ['POST /healthcheck/fail', "POST '/drain_listeners?graceful'", 'sleep 15', 'for _ in $(seq 15)'].map(
      (s) => script.indexOf(s),
    );
    expect(
      steps.every((i) => i >= 0),
      `steps found at ${steps}`,
    ).to.equal(true);
    expect(
      [...steps].sort((a, b) => a - b),
      'in this order',
    ).to.deep.equal(steps);
    const drainTime = Number(flagValue(args, '--drain-time-s'));
    const sleep = Number(/^\s*sleep (\d+)$/m.exec(script)?.[1]);
    const waitForRequests = Number(/\$\(seq (\d+)\)/.exec(script)?.[1]);
    expect(sleep, 'listeners accept through the whole drain').to.equal(drainTime);
    const grace = deployment.spec.template.spec.terminationGracePeriodSeconds;
    expect(grace, 'grace period outlasts the preStop, with time for Envoy to exit').to.be.at.least(
      sleep + waitForRequests + 5,
    );
  });

  it('keeps the client address: externalTrafficPolicy Local on the LoadBalancer Service', async () => {
    const svc = findObject(await renderKustomization('manifests'), 'Service', 'portico-envoy');
    expect(svc.spec).to.include({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
  });
});
