// The embedded API server against the real kube-apiserver, difference by difference: the same kubectl (v1.36, the
// real world's) runs the same script of commands against both, in a fresh namespace on each, and every output
// is compared after normalising what must differ (ages, resourceVersions, UIDs, timestamps, server addresses).
// A difference is either fixed in operator/apiserver/ or listed in KNOWN with its reason; the test fails on a
// new difference and on a listed one that has gone (so the list stays true).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runKubectl } from '../support/kubectl-runner.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';
import { REPO_ROOT } from '../world/kubelet/images.js';
import { realWorld, type World } from '../world/world.js';
import { kubectlParityScript, type ParityStep } from './support/parity-script.js';

/** Differences we know of and keep, by step name, with why. */
const KNOWN: Record<string, string> = {};

/**
 * JSON on stdout compared as data: key order (kube-apiserver serialises custom resources with sorted keys), the
 * order of discovery's `resources` (Go map order there) and of managedFields entries are not compared.
 */
function managedKey(entry: unknown): string {
  const e = entry as { time?: string; manager?: string; operation?: string; subresource?: string };
  return `${e.manager ?? ''} ${e.operation ?? ''} ${e.subresource ?? ''}`;
}

function canonicalJson(text: string): string {
  const canon = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) {
      const items = v.map((x) => canon(x));
      if (key === 'resources') return items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      // kube-apiserver's order of entries varies from run to run (times are masked anyway): order them by manager.
      if (key === 'managedFields') return items.sort((a, b) => managedKey(a).localeCompare(managedKey(b)));
      return items;
    }
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, canon((v as Record<string, unknown>)[k], k)]),
      );
    return v;
  };
  try {
    return JSON.stringify(canon(JSON.parse(text)));
  } catch {
    return text;
  }
}

interface Outcome {
  code: number;
  out: string;
}

function normalise(text: string, server: string): string {
  return (
    text
      .replaceAll(server, '<server>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      // kubectl diff's temporary folders and file times.
      .replace(/\/tmp\/(LIVE|MERGED)-\d+/g, '/tmp/$1-<n>')
      .replace(/\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \+0000/g, '\t<mtime>')
      .replace(/resourceVersion: "?\d+"?/g, 'resourceVersion: <rv>')
      .replace(/"resourceVersion":\s*"\d+"/g, '"resourceVersion": "<rv>"')
      .replace(/"continue":\s*"[^"]+"/g, '"continue":"<token>"')
      .replace(/"storageVersionHash":\s*"[^"]+"/g, '"storageVersionHash":"<hash>"')
      .replace(/\b\d+(\.\d+)?(ms|s|m|h|d)(\d+s)?\b/g, '<age>')
      .replace(/[ \t]+$/gm, '')
  );
}

describe('real world: the embedded API server answers kubectl as kube-apiserver does', function () {
  this.timeout(240_000);
  let world: World;
  let embedded: TestCluster;
  const results = new Map<string, { real: Outcome; embedded: Outcome }>();
  const NS = 'parity';

  before(async function () {
    world = await realWorld();
    await world.installPortico();
    embedded = await startTestCluster({ crds: true });
    const widgets = readFileSync(join(REPO_ROOT, 'test', 'apiserver', 'fixtures', 'widgets-crd.yaml'), 'utf8');
    const run = async (kubeconfig: string, server: string, step: ParityStep): Promise<Outcome> => {
      const r = await runKubectl(world.bin.kubectl, kubeconfig, world.runDir, step.args, {
        stdin: step.stdin,
        timeoutMs: 30_000,
      }).done;
      return { code: r.code, out: normalise(`${canonicalJson(r.stdout)}\n--- stderr\n${r.stderr}`, server) };
    };
    const setup: ParityStep[] = [
      { name: 'setup: widgets CRD', args: ['apply', '-f', '-'], stdin: widgets },
      { name: 'setup: namespace', args: ['create', 'namespace', NS] },
    ];
    for (const [kubeconfig, server] of [
      [world.controlPlane.adminKubeconfig, world.controlPlane.url],
      [embedded.kubeconfigPath, embedded.url],
    ] as const) {
      for (const s of setup) await run(kubeconfig, server, s);
      // A CRD serves its resource once Established; give both the same start.
      await runKubectl(world.bin.kubectl, kubeconfig, world.runDir, [
        'wait',
        '--for=condition=Established',
        'crd/widgets.example.portico.dev',
        '--timeout=60s',
      ]).done;
    }
    for (const step of kubectlParityScript(NS)) {
      const real = await run(world.controlPlane.adminKubeconfig, world.controlPlane.url, step);
      const emb = await run(embedded.kubeconfigPath, embedded.url, step);
      results.set(step.name, { real, embedded: emb });
    }
  });

  after(async () => {
    await embedded?.stop();
  });

  it('prints the same for every step of the script, except the known differences', function () {
    const differences: string[] = [];
    for (const [name, r] of results) {
      const same = r.real.code === r.embedded.code && r.real.out === r.embedded.out;
      if (!same && !(name in KNOWN)) {
        differences.push(
          `${name}:\n  kube-apiserver (exit ${r.real.code}):\n${indent(r.real.out)}\n  embedded (exit ${r.embedded.code}):\n${indent(r.embedded.out)}`,
        );
      }
    }
    expect(differences, `${differences.length} new difference(s):\n\n${differences.join('\n\n')}`).to.deep.equal([]);
  });

  it('still differs where KNOWN says it does (remove an entry once it is fixed)', function () {
    const gone = Object.keys(KNOWN).filter((name) => {
      const r = results.get(name);
      return !r || (r.real.code === r.embedded.code && r.real.out === r.embedded.out);
    });
    expect(gone).to.deep.equal([]);
  });
});

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `    | ${l}`)
    .join('\n');
}
