// Envoy's command line in portico dev (operator/devenvoy/envoy-command.ts): the Deployment's Envoy container as
// its pod runs it (args, $(VAR) from the downward API), plus portico dev's hot-restart flags.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import {
  envoyCommand,
  expandVars,
  resourceFieldValue,
  type EnvoyContainer,
} from '../../operator/devenvoy/envoy-command.js';

const DEPLOYMENT = join(import.meta.dirname, '..', '..', 'manifests', 'base', 'envoy', 'deployment.yaml');
const manifestContainer = (): EnvoyContainer =>
  (yaml.load(readFileSync(DEPLOYMENT, 'utf8')) as any).spec.template.spec.containers.find(
    (c: any) => c.name === 'envoy',
  );
const NODE = { cpus: 8, memoryBytes: 16 * 2 ** 30 };
const EPOCH = {
  configPath: '/p/.portico/envoy/epoch-2-x/envoy.json',
  epoch: 2,
  baseId: 7,
  baseIdPath: '/p/.portico/envoy/base-id',
  socketPath: '/p/.portico/envoy/hot-restart',
};

/** The value after a flag. */
const after = (args: string[], flag: string): string | undefined =>
  args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined;

describe('devenvoy: the Envoy command line', () => {
  it("runs the manifests' container args as its pod does: -c replaced, $(VAR) from the downward API", () => {
    const { run, notes } = envoyCommand(manifestContainer(), NODE, EPOCH);
    expect(notes).to.deep.equal([]);
    expect(run.filter((a) => a === '-c')).to.have.length(1);
    expect(after(run, '-c')).to.equal(EPOCH.configPath);
    expect(after(run, '--concurrency'), 'requests.cpu 100m, rounded up').to.equal('1');
    expect(after(run, '--drain-time-s')).to.equal('15');
    expect(after(run, '--log-level')).to.equal('info');
    const overload = yaml.load(after(run, '--config-yaml')!) as any;
    expect(
      overload.overload_manager.resource_monitors[0].typed_config.max_heap_size_bytes,
      'limits.memory 1Gi',
    ).to.equal(2 ** 30);
    expect(run.join(' ')).to.not.contain('$(');
  });

  it("adds the hot-restart flags: the epoch, the base id, the socket in the private folder, an immediate drain, the parent's shutdown after drain + 5 s", () => {
    const { run } = envoyCommand(manifestContainer(), NODE, EPOCH);
    expect(after(run, '--restart-epoch')).to.equal('2');
    expect(after(run, '--base-id')).to.equal('7');
    expect(run).to.not.include('--use-dynamic-base-id');
    expect(after(run, '--socket-path')).to.equal(EPOCH.socketPath);
    expect(after(run, '--socket-mode')).to.equal('600');
    expect(after(run, '--drain-strategy')).to.equal('immediate');
    expect(after(run, '--parent-shutdown-time-s')).to.equal('20');
    const cold = envoyCommand(manifestContainer(), NODE, { ...EPOCH, epoch: 0, baseId: undefined }).run;
    expect(after(cold, '--restart-epoch')).to.equal('0');
    expect(cold).to.include('--use-dynamic-base-id');
    expect(after(cold, '--base-id-path')).to.equal(EPOCH.baseIdPath);
    expect(cold).to.not.include('--base-id');
  });

  it("validates what the pod loads (the config with --config-yaml), without hot restart, and only Envoy's reason on stderr", () => {
    const { validate, run } = envoyCommand(manifestContainer(), NODE, EPOCH);
    expect(validate.slice(0, 4)).to.deep.equal(['--mode', 'validate', '-c', EPOCH.configPath]);
    expect(after(validate, '--config-yaml')).to.equal(after(run, '--config-yaml'));
    expect(validate).to.include('--disable-hot-restart');
    expect(after(validate, '--log-level')).to.equal('critical');
    expect(after(validate, '--log-format')).to.equal('%v');
    expect(validate.filter((a) => a === '--log-level')).to.have.length(1);
    expect(validate).to.not.include('--restart-epoch');
  });

  it("drops hot-restart flags of the container (portico dev sets them), with a note; Envoy's default drain when there is none", () => {
    const container: EnvoyContainer = {
      args: [
        '--config-path=/etc/x.json',
        '--disable-hot-restart',
        '--base-id',
        '3',
        '--restart-epoch=4',
        '--log-level',
        'debug',
      ],
    };
    const { run, notes } = envoyCommand(container, NODE, EPOCH);
    expect(run.slice(0, 4)).to.deep.equal(['-c', EPOCH.configPath, '--log-level', 'debug']);
    expect(run).to.not.include('--disable-hot-restart');
    expect(run.filter((a) => a === '--base-id')).to.have.length(1);
    expect(notes).to.deep.equal([
      "the Envoy container's --disable-hot-restart is not used: portico dev sets the hot-restart flags itself",
      "the Envoy container's --base-id 3 is not used: portico dev sets the hot-restart flags itself",
      "the Envoy container's --restart-epoch 4 is not used: portico dev sets the hot-restart flags itself",
    ]);
    expect(after(run, '--parent-shutdown-time-s'), "Envoy's 600 s drain + 5").to.equal('605');
    expect(envoyCommand(undefined, NODE, EPOCH).run.slice(0, 2)).to.deep.equal(['-c', EPOCH.configPath]);
  });

  it('expands $(VAR) as the kubelet does: defined ones, $$ as $, unknown ones left as written', () => {
    expect(expandVars('$(A)-$$(A)-$(B)-$', { A: 'x' })).to.equal('x-$(A)-$(B)-$');
    const container: EnvoyContainer = {
      args: ['--concurrency', '$(CPU)', '--service-node', '$(NODE_NAME)', '--service-cluster', '$(GREETING)'],
      env: [
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'NODE_NAME', valueFrom: {} },
        { name: 'GREETING', value: 'cpu-$(CPU)' },
      ],
    };
    const { run } = envoyCommand(container, NODE, EPOCH);
    expect(after(run, '--concurrency'), "no limit: the node's").to.equal('8');
    expect(after(run, '--service-node')).to.equal('$(NODE_NAME)');
    expect(after(run, '--service-cluster')).to.equal('cpu-8');
  });

  it('computes resourceFieldRef values: the divisor, rounding up, a request defaulting to the limit', () => {
    const c: EnvoyContainer = { resources: { requests: { cpu: '250m' }, limits: { cpu: '2', memory: '512Mi' } } };
    expect(resourceFieldValue(c, 'requests.cpu', undefined, NODE)).to.equal('1');
    expect(resourceFieldValue(c, 'requests.cpu', '1m', NODE)).to.equal('250');
    expect(resourceFieldValue(c, 'limits.memory', '1Mi', NODE)).to.equal('512');
    expect(resourceFieldValue(c, 'requests.memory', undefined, NODE), 'the limit').to.equal(String(512 * 2 ** 20));
    expect(resourceFieldValue({}, 'limits.memory', undefined, NODE), 'the node').to.equal(String(NODE.memoryBytes));
    expect(resourceFieldValue(c, 'requests.ephemeral-storage', undefined, NODE)).to.equal(undefined);
  });
});
