// The operator image cannot be built here (no Docker engine), so the Dockerfile is checked by reading it:
// multi-stage, production-only dependencies, non-root, an entrypoint that `npm run build` produces, and COPY
// sources that exist in the build context.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { parseCopy, parseDockerfile, parseExecForm, type Stage } from './parse-dockerfile.js';
import { repoRoot } from './render-manifests.js';

const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const tsconfig = JSON.parse(readFileSync(path.join(repoRoot, 'tsconfig.json'), 'utf8'));

function all(stage: Stage, keyword: string) {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** The source file that tsc compiles to this output file (tsconfig rootDir/outDir, .js → .ts). */
function sourceOf(outputFile: string): string {
  const outDir = path.normalize(tsconfig.compilerOptions.outDir);
  const rootDir = path.normalize(tsconfig.compilerOptions.rootDir);
  const rel = path.relative(outDir, path.normalize(outputFile));
  if (rel.startsWith('..')) throw new Error(`${outputFile} is not under tsconfig outDir ${outDir}`);
  return path.join(rootDir, rel.replace(/\.js$/, '.ts'));
}

describe('Dockerfile (operator image)', () => {
  const stages = parseDockerfile(dockerfile);
  const final = stages.at(-1)!;

  it('is multi-stage with a small Node 20 final base', () => {
    expect(stages.length).to.be.at.least(2);
    expect(final.image).to.match(/^node:20(\.\d+)*-(alpine|slim)/);
    expect(
      all(final, 'RUN')
        .map((r) => r.args)
        .join('\n'),
    ).to.not.match(/npm run build|tsc/);
  });

  it('builds with npm ci + npm run build, and ships production dependencies only', () => {
    const runs = stages.slice(0, -1).flatMap((s) => all(s, 'RUN').map((r) => r.args));
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).to.equal(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).to.equal(true);
    const finalRuns = all(final, 'RUN').map((r) => r.args);
    expect(finalRuns.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).to.equal(true);
  });

  it('runs as a numeric non-root user, the one the Deployment asks for', () => {
    const users = all(final, 'USER');
    expect(users).to.have.length.greaterThan(0);
    const [uid] = users.at(-1)!.args.split(':');
    expect(uid).to.match(/^\d+$/);
    expect(Number(uid)).to.be.above(0);
    const deployment = yaml.load(
      readFileSync(path.join(repoRoot, 'manifests/base/operator/deployment.yaml'), 'utf8'),
    ) as any;
    expect(deployment.spec.template.spec.securityContext.runAsUser).to.equal(Number(uid));
  });

  it('enters through the compiled CLI, whose source exists, with `run` as the default command', () => {
    const entrypoint = parseExecForm('ENTRYPOINT', all(final, 'ENTRYPOINT').at(-1)!.args);
    expect(entrypoint[0]).to.equal('node');
    const source = sourceOf(entrypoint[1]);
    expect(existsSync(path.join(repoRoot, source)), `${entrypoint[1]} is compiled from ${source}`).to.equal(true);
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(path.normalize(pkg.bin.portico)).to.equal(path.normalize(entrypoint[1]));
    expect(parseExecForm('CMD', all(final, 'CMD').at(-1)!.args)).to.deep.equal(['run']);
    // The final stage has the compiled output where the entrypoint looks for it.
    const workdir = all(final, 'WORKDIR').at(-1)!.args;
    const copiesDist = all(final, 'COPY')
      .map((c) => parseCopy(c.args))
      .some(
        (c) =>
          c.from &&
          c.sources.some((s) => path.basename(s) === tsconfig.compilerOptions.outDir) &&
          path.resolve(workdir, c.dest) === path.resolve(workdir, tsconfig.compilerOptions.outDir),
      );
    expect(copiesDist, `a COPY --from=<build> of ${tsconfig.compilerOptions.outDir}/ into ${workdir}`).to.equal(true);
  });

  it('copies only files that exist in the repository and that .dockerignore lets through', () => {
    const copies = stages.flatMap((s) => all(s, 'COPY').map((c) => ({ ...parseCopy(c.args), line: c.line })));
    const fromContext = copies.filter((c) => !c.from);
    expect(fromContext.length).to.be.at.least(3);
    for (const c of fromContext) {
      for (const src of c.sources) {
        expect(existsSync(path.join(repoRoot, src)), `line ${c.line}: COPY source ${src}`).to.equal(true);
        const top = src.replace(/^\.\//, '').split('/')[0];
        expect(dockerignore, `line ${c.line}: ${src} is excluded by .dockerignore`).to.not.include(top);
      }
    }
    // Copies between stages name a stage that exists.
    const stageNames = stages.map((s) => s.name).filter(Boolean);
    for (const c of copies.filter((x) => x.from)) expect(stageNames, `line ${c.line}`).to.include(c.from);
  });
});
