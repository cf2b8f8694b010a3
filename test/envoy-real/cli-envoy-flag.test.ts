// `portico validate|render --envoy[=PATH]`, spawned as a user's CI runs them: real Envoy accepts the examples;
// a rejection is printed in Envoy's words on the object it came from (made real by a wrapper that damages the
// certificate files before handing them to the real Envoy); no Envoy on the machine is one line and the proto
// check alone.
import { expect } from 'chai';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { envoyBinary } from './support/envoy-pool.js';
import { portico } from './support/portico-cli.js';

describe('portico validate|render --envoy (CLI, real Envoy)', function () {
  this.timeout(120_000);
  const envoy = envoyBinary();
  const dir = mkdtempSync(join(tmpdir(), 'portico-cli-envoy-'));
  // Cuts every certificate in half, then runs the real Envoy on the config as given.
  const damaging = join(dir, 'damaging-envoy');
  writeFileSync(
    damaging,
    `#!/bin/sh\nfor a in "$@"; do case "$prev" in -c) cfg="$a";; esac; prev="$a"; done\n` +
      `if [ -n "$cfg" ]; then for f in "$(dirname "$cfg")"/certs/*.crt; do head -c 300 "$f" > "$f.cut" && mv "$f.cut" "$f"; done; fi\n` +
      `exec '${envoy}' "$@"\n`,
  );
  chmodSync(damaging, 0o755);
  const noEnvoyPath = { ...process.env, PATH: dirname(process.execPath) };
  const withEnvoyOnPath = { ...process.env, PATH: `${dirname(envoy)}:${dirname(process.execPath)}` };

  it('validate --envoy=PATH: real Envoy accepts the examples, and says so', () => {
    const r = portico(['validate', '-f', 'examples/', `--envoy=${envoy}`]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(
      new RegExp(`portico validate: Envoy 1\\.40\\.0 \\(--envoy=${envoy}\\) accepts the configuration \\(\\d+ ms\\)`),
    );
  });

  it('bare --envoy finds envoy on PATH (render prints the config)', () => {
    const r = portico(['render', '-f', 'examples/', '--envoy'], withEnvoyOnPath);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).static_resources.listeners.length).to.be.at.least(2);
    expect(r.stderr).to.include('Envoy 1.40.0 (envoy on PATH) accepts the configuration');
  });

  // The README (GitOps CI) shows this very line.
  it("a rejection names the object, in Envoy's words, with the pod's paths; exit 1", () => {
    const v = portico(['validate', '-f', 'examples/', `--envoy=${damaging}`]);
    expect(v.code).to.equal(1);
    expect(v.stdout).to.equal(
      'TLSContext/default/example-tls Envoy 1.40.0 refuses the configuration: Failed to load certificate chain from /etc/portico/certs/default_example-local-tls.crt\n',
    );
    expect(v.stderr).to.include('portico validate: 5 object(s) checked, 1 rejected');
    const r = portico(['render', '-f', 'examples/', `--envoy=${damaging}`]);
    expect(r.code).to.equal(1);
    expect(r.stdout, 'no config is printed when Envoy refuses it').to.equal('');
    expect(r.stderr).to.include(
      'TLSContext/default/example-tls Envoy 1.40.0 refuses the configuration: Failed to load certificate chain',
    );
  });

  it('without Envoy: one line, then the proto check as before', () => {
    const v = portico(['validate', '-f', 'examples/', '--envoy'], noEnvoyPath);
    expect(v.code, v.stderr).to.equal(0);
    expect(v.stderr.split('\n').filter((l) => l.includes('--envoy'))).to.deep.equal([
      "portico validate: --envoy: there is no envoy on PATH; checked against Envoy's protos only",
    ]);
    const r = portico(['render', '-f', 'examples/', `--envoy=${join(dir, 'nope')}`], noEnvoyPath);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include(
      `portico render: --envoy: --envoy=${join(dir, 'nope')} is not an executable file and there is no envoy on PATH; checked against Envoy's protos only`,
    );
    expect(JSON.parse(r.stdout).static_resources).to.be.an('object');
  });

  it('an Envoy that cannot check is an error, not a pass', () => {
    const broken = join(dir, 'broken-envoy');
    writeFileSync(broken, '#!/bin/sh\necho "segmentation fault" >&2\nexit 139\n');
    chmodSync(broken, 0o755);
    const v = portico(['validate', '-f', 'examples/', `--envoy=${broken}`]);
    expect(v.code).to.equal(1);
    expect(v.stderr).to.include('portico validate: --envoy: envoy exited with code 139: segmentation fault');
    expect(v.stderr).to.include('is Envoy (unknown version), not the release Portico is pinned to (1.40.0)');
  });
});
