// Smoke test of the benchmark harness (no timing assertions): `tsx bench/compile.ts --quick` runs end to end
// and writes a well-formed result file plus latest.json, into a temp results folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';

const REPO = join(import.meta.dirname, '..', '..');

describe('bench/compile.ts --quick', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'portico-bench-results-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one well-formed JSON result per run and a latest.json summary', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/compile.ts', '--quick'], {
      cwd: REPO,
      env: { ...process.env, PORTICO_BENCH_RESULTS: dir },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/compileSnapshot \+ renderEnvoyConfig/);

    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    const runFile = files.find((f) => /^\d{4}-\d{2}-\d{2}T\d{6}Z-compile-quick\.json$/.test(f));
    expect(runFile, files.join(', ')).to.be.a('string');
    expect(files).to.include('latest.json');

    const result = JSON.parse(readFileSync(join(dir, runFile!), 'utf8'));
    expect(result).to.include({ benchmark: 'compile', quick: true });
    expect(result.machine.nproc).to.be.a('number').greaterThan(0);
    expect(result.machine.node).to.equal(process.version);
    expect(Date.parse(result.finishedAt)).to.be.at.least(Date.parse(result.startedAt));
    const rows = result.data.rows as any[];
    expect(rows.map((x) => x.n)).to.deep.equal([100, 1000]);
    for (const row of rows) {
      expect(row.error, `N=${row.n}`).to.equal(null);
      expect(row.runs).to.equal(3);
      expect(row.totalMs.median).to.be.a('number').greaterThan(0);
      expect(row.totalMs.p95).to.be.at.least(row.totalMs.median);
      expect(row.maxRssMiB).to.be.greaterThan(0);
      expect(row.configBytes).to.be.greaterThan(row.n * 100); // at least a route's worth of JSON per Mapping
      expect(row.routeEntries).to.be.at.least(row.n * 0.9);
      expect(row.validationIssues).to.equal(0); // the generated mix renders a config Envoy accepts
    }
    expect(result.goals.map((g: any) => g.measure)).to.have.length(2);

    const latest = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'));
    expect(latest.results.compile.file).to.equal(runFile);
    expect(latest.results.compile.data.rows).to.deep.equal(rows);
  });
});
