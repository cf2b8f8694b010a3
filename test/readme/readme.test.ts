// The README is the front door, so its commands are tested. A fenced block preceded by
// `<!-- readme-test: parse -->` must parse (bash -n; YAML must also pass `portico validate`),
// `<!-- readme-test: run -->` is run as it stands from the repository root, and `<!-- readme-test: dev -->`
// is run line by line in a second shell while `npx portico dev --examples` runs in the first, as a newcomer
// would, once with real Envoy and once with --no-envoy (the dev gateway); `<!-- readme-test: dev-envoy -->`
// blocks (HTTPS) are run so only against real Envoy. The curls written in the comments of examples/*.yaml run against the same `portico dev`. A curl's
// trailing comment says what it shows (curl-claims.ts) and is checked. `npx portico` needs the compiled bin,
// which `npm ci` builds; a stale build is rebuilt first.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { commentedCurls, curlClaim } from './curl-claims.js';

const REPO = join(import.meta.dirname, '..', '..');

interface Block {
  mode: 'parse' | 'run' | 'dev' | 'dev-envoy';
  lang: string;
  body: string;
  line: number;
}

export function readmeBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const re = /<!-- readme-test: (parse|run|dev-envoy|dev) -->\n```(\w*)\n([\s\S]*?)\n```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    blocks.push({
      mode: m[1] as Block['mode'],
      lang: m[2],
      body: m[3],
      line: text.slice(0, m.index).split('\n').length,
    });
  }
  return blocks;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const bin = join(REPO, 'dist', 'operator', 'cli.js');
  let built = 0;
  try {
    built = statSync(bin).mtimeMs;
  } catch {
    // not built yet
  }
  if (built < newestMtime(join(REPO, 'operator'))) {
    const r = spawnSync('npm', ['run', 'build'], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  }
  const link = spawnSync('npm', ['run', 'link-bin'], { cwd: REPO, encoding: 'utf8' });
  if (link.status !== 0) throw new Error(`npm run link-bin failed: ${link.stderr}`);
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv = {}): { code: number; out: string } {
  const r = spawnSync('bash', ['-c', script], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** Whether any process of the group led by pid is still running. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command until `ok(output)` holds (the operator and gateway converge asynchronously). */
async function until(cmd: string, cwd: string, env: NodeJS.ProcessEnv, ok: (out: string) => boolean): Promise<string> {
  let last = '';
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(200)) {
    const r = bash(cmd, cwd, env);
    last = r.out;
    if (r.code === 0 && ok(r.out)) return r.out;
  }
  throw new Error(`"${cmd}" never gave the expected output; last:\n${last}`);
}

/** What the lines of the dev walkthrough without a curl claim must show, keyed by a fragment of the command. */
const DEV_EXPECTATIONS: Array<[string, (out: string) => boolean]> = [
  [
    'kubectl get mappings',
    (o) =>
      /usermapping\s+\/user\/\s+usersvc\s+\/\s+True/.test(o) &&
      /gruemapping\s+\/grue\/\s+gruesvc\s+\/grue\/\s+True/.test(o),
  ],
  ['kubectl get configmaps', (o) => /portico-envoy-[0-9a-f]{10}/.test(o)],
  ['/portico/v1/mappings', (o) => JSON.parse(o).count >= 2],
  ['kubectl delete mapping', (o) => o.includes('deleted')],
];

const EXAMPLES = join(REPO, 'examples');

describe('README', function () {
  this.timeout(120_000);
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const blocks = readmeBlocks(readme);

  it('marks its command blocks for testing', () => {
    expect(blocks.map((b) => b.mode)).to.include.members(['parse', 'run', 'dev']);
    const unmarked = [...readme.matchAll(/(?<!-->)\n```(sh|bash)\n/g)].length;
    expect(unmarked, 'every sh block carries a readme-test marker').to.equal(0);
  });

  for (const block of blocks.filter((b) => b.mode !== 'dev' && b.mode !== 'dev-envoy')) {
    it(`line ${block.line}: ${block.lang} block ${block.mode === 'run' ? 'runs' : 'parses'}`, function () {
      if (block.lang === 'yaml') {
        const docs = yaml.loadAll(block.body);
        expect(docs.length).to.be.greaterThan(0);
        ensureBuilt();
        const r = spawnSync('npx', ['portico', 'validate', '-f', '-'], {
          cwd: REPO,
          input: block.body,
          encoding: 'utf8',
        });
        expect(r.status, r.stdout + r.stderr).to.equal(0);
        return;
      }
      const syntax = spawnSync('bash', ['-n'], { input: block.body, encoding: 'utf8' });
      expect(syntax.status, syntax.stderr).to.equal(0);
      if (block.mode === 'run') {
        ensureBuilt();
        const r = bash(`set -euo pipefail\n${block.body}`, REPO);
        expect(r.code, r.out).to.equal(0);
      }
    });
  }

  // As the README says: real Envoy when there is one (here test/world/setup's, or envoy on PATH), and the dev
  // gateway with --no-envoy. The same walkthrough and example curls must work on both.
  const gateways: Array<{ args: string[]; says: string; modes: Array<Block['mode']>; ports: string }> = [
    {
      args: [],
      says: 'portico dev: gateway: real Envoy 1.40.0',
      modes: ['dev', 'dev-envoy'],
      ports: '8001, 8080, 8443, 8877',
    },
    {
      args: ['--no-envoy'],
      says: 'portico dev: gateway: the dev gateway, standing in for Envoy (--no-envoy)',
      modes: ['dev'],
      ports: '8001, 8080, 8877',
    },
  ];
  for (const gateway of gateways)
    describe(`the dev walkthrough, npx portico dev --examples${gateway.args.map((a) => ` ${a}`).join('')} (ports ${gateway.ports})`, () => {
      let dev: ChildProcess | undefined;
      let dir: string;
      let output = '';

      before(async function () {
        ensureBuilt();
        dir = mkdtempSync(join(tmpdir(), 'portico-readme-'));
        symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
        // detached: its own process group, so Ctrl-C can be sent to the group as a terminal does (npm exec does
        // not forward a SIGINT sent to its own pid)
        dev = spawn('npx', ['portico', 'dev', '--examples', ...gateway.args], {
          cwd: dir,
          detached: true,
          env: { ...process.env, KUBECACHEDIR: join(dir, 'kubecache') },
        });
        dev.stdout!.on('data', (c) => (output += c));
        dev.stderr!.on('data', (c) => (output += c));
        for (const deadline = Date.now() + 60_000; !output.includes('ready; press Ctrl-C'); await sleep(100)) {
          if (Date.now() > deadline || dev.exitCode !== null) throw new Error(`portico dev did not start:\n${output}`);
        }
      });
      after(async () => {
        if (dev && groupAlive(dev.pid!)) process.kill(-dev.pid!, 'SIGKILL');
        if (dir) rmSync(dir, { recursive: true, force: true });
      });

      it('says which gateway it runs', () => {
        expect(output).to.include(gateway.says);
      });

      it('prints the export line the README tells you to paste', () => {
        expect(output).to.include(`export KUBECONFIG=${join(dir, '.portico', 'kubeconfig')}`);
      });

      it('every curl in the comments of examples/*.yaml works as written and shows what it says', async () => {
        const env = { KUBECACHEDIR: join(dir, 'kubecache') };
        const files = readdirSync(EXAMPLES)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort();
        const curls = files.flatMap((f) =>
          commentedCurls(readFileSync(join(EXAMPLES, f), 'utf8')).map((c) => ({ file: f, curl: c })),
        );
        expect(
          curls.map((c) => c.file),
          'every example file shows what it does with a curl',
        ).to.include.members(files);
        for (const { file, curl } of curls) {
          const claim = curlClaim(curl);
          expect(claim, `${file}: the comment of "${curl}" says what it shows`).to.not.equal(undefined);
          await until(curl, dir, env, claim!).catch((err: Error) => {
            throw new Error(`examples/${file}: ${err.message}`);
          });
        }
      });

      it('every line of the walkthrough works as its comment says', async () => {
        const block = blocks.find((b) => b.mode === 'dev')!;
        const env = { KUBECACHEDIR: join(dir, 'kubecache'), PWD: dir };
        const lines = block.body.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
        const exported = lines.filter((l) => l.startsWith('export '));
        expect(exported).to.have.length(1);
        const more = blocks
          .filter((b) => b.mode !== 'dev' && gateway.modes.includes(b.mode))
          .flatMap((b) => b.body.split('\n').filter((l) => l.trim() && !l.startsWith('#')));
        if (gateway.modes.includes('dev-envoy'))
          expect(more.length, 'the README shows HTTPS through real Envoy').to.be.greaterThan(0);
        for (const line of [...lines.filter((l) => !l.startsWith('export ')), ...more]) {
          const check = curlClaim(line) ?? DEV_EXPECTATIONS.find(([fragment]) => line.includes(fragment))?.[1];
          expect(check, `an expectation for: ${line}`).to.not.equal(undefined);
          await until(`${exported[0]}\n${line}`, dir, env, check!);
        }
      });

      it('stops cleanly on Ctrl-C', async () => {
        process.kill(-dev!.pid!, 'SIGINT');
        for (const deadline = Date.now() + 20_000; groupAlive(dev!.pid!); await sleep(100)) {
          if (Date.now() > deadline) throw new Error(`portico dev still running 20 s after Ctrl-C:\n${output}`);
        }
        expect(output).to.include('SIGINT: shutting down');
        expect(output).to.include('released the leader Lease');
      });
    });
});
