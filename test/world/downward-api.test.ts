// The test world's kubelet computes resourceFieldRef and $(VAR) as a real kubelet does (the Envoy pod's
// --concurrency and heap limit come from them).
import { expect } from 'chai';
import { expandVars, parseQuantity, resourceFieldValue } from './kubelet/downward-api.js';

const NODE = { cpu: '2', memory: '24Gi' };

describe('test world: the downward API of its kubelet', () => {
  it('parses quantities', () => {
    expect([
      parseQuantity('100m'),
      parseQuantity('1.5'),
      parseQuantity('1Gi'),
      parseQuantity('128Mi'),
      parseQuantity('1G'),
    ]).to.deep.equal([0.1, 1.5, 2 ** 30, 128 * 2 ** 20, 1e9]);
    expect(() => parseQuantity('1e3')).to.throw(/not supported/);
  });

  for (const [resources, field, divisor, want] of [
    [{ requests: { cpu: '100m' } }, 'requests.cpu', undefined, '1'],
    [{ requests: { cpu: '1500m' } }, 'requests.cpu', undefined, '2'],
    [{ requests: { cpu: '2' } }, 'requests.cpu', undefined, '2'],
    [{ requests: { cpu: '250m' } }, 'requests.cpu', '1m', '250'],
    [{ requests: { cpu: '250m' } }, 'requests.cpu', '0', '1'],
    [{ limits: { cpu: '3' } }, 'requests.cpu', undefined, '3'],
    [{}, 'requests.cpu', undefined, '0'],
    [{}, 'limits.cpu', undefined, '2'],
    [{ limits: { memory: '1Gi' } }, 'limits.memory', undefined, String(2 ** 30)],
    [{ limits: { memory: '1Gi' } }, 'limits.memory', '1Mi', '1024'],
    [{}, 'limits.memory', undefined, String(24 * 2 ** 30)],
  ] as const) {
    it(`${field}${divisor ? ` / ${divisor}` : ''} of ${JSON.stringify(resources)} is ${want}`, () => {
      expect(resourceFieldValue(resources, field, divisor, NODE)).to.equal(want);
    });
  }

  it('expands $(VAR) when defined, keeps it when not, and reads $$ as $', () => {
    expect(expandVars('--concurrency=$(N) $(MISSING) $$(N) $$', { N: '2' })).to.equal(
      '--concurrency=2 $(MISSING) $(N) $',
    );
  });
});
