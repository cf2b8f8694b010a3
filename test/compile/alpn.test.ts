// ALPN protocol names Envoy cannot take are refused on their TLSContext (Accepted=False, naming the field);
// a good TLSContext beside it is still served.
import { expect } from 'chai';
import type { TLSContext } from '../../operator/api/types.js';
import { alpnProblem } from '../../operator/compile/alpn.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { tlsSecret } from '../support/objects.js';
import { pkiTimes, testPki } from '../support/pki.js';
import { tlsChains } from '../../operator/compile/ir-queries.js';

describe('TLSContext alpnProtocols', () => {
  it('byte length and commas, as Envoy reads them', () => {
    expect(alpnProblem(['h2', 'http/1.1'])).to.equal(undefined);
    expect(alpnProblem(['x'.repeat(255), 'é'.repeat(127)])).to.equal(undefined);
    expect(alpnProblem(['h2', 'é'.repeat(128)])).to.equal(
      'spec.alpnProtocols[1]: Invalid value: is 256 bytes in UTF-8; an ALPN protocol name is at most 255 bytes, and Envoy refuses longer ones',
    );
    expect(alpnProblem(['h2,http/1.1'])).to.match(/^spec\.alpnProtocols\[0\]: Invalid value: must not contain ","/);
  });

  it('refuses such a TLSContext on its own', function () {
    this.timeout(30_000);
    const pki = testPki();
    const secret = tlsSecret('default', 'cert', pki.pem['leaf.crt'], pki.pem['leaf.key']);
    const ctx = (name: string, alpnProtocols: string[], hosts: string[]): TLSContext => ({
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'TLSContext',
      metadata: { name, namespace: 'default' },
      spec: { secret: 'cert', hosts, alpnProtocols },
    });
    const { ir, statuses } = compileSnapshot({
      mappings: [],
      tlsContexts: [ctx('long', ['é'.repeat(200)], ['a.test']), ctx('good', ['h2'], ['secure.test'])],
      services: [],
      secrets: [secret],
      now: pkiTimes(pki).valid,
    });
    const long = statuses.find((s) => s.ref.name === 'long')!;
    expect(long.inConfig).to.equal(false);
    expect(long.conditions[0]).to.include({ status: 'False', reason: 'Invalid' });
    expect(long.conditions[0].message).to.match(/^spec\.alpnProtocols\[0\]: /);
    expect(tlsChains(ir).map((c) => c.name)).to.deep.equal(['default/good']);
  });
});
