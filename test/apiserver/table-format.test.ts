// Pure pieces of `kubectl get` output: kubectl's human durations and the JSONPath subset printer columns use.
import { expect } from 'chai';
import { humanDuration } from '../../operator/apiserver/encoding/human-age.js';
import { evaluateJsonPath, parseJsonPath } from '../../operator/apiserver/encoding/jsonpath.js';

describe('apiserver: table formatting', () => {
  it('renders ages like kubectl (apimachinery duration.HumanDuration)', () => {
    const s = 1000;
    const cases: Array<[number, string]> = [
      [-5 * s, '<invalid>'],
      [-500, '0s'],
      [0, '0s'],
      [119 * s, '119s'],
      [120 * s, '2m'],
      [330 * s, '5m30s'],
      [600 * s, '10m'],
      [179 * 60 * s, '179m'],
      [3 * 3600 * s, '3h'],
      [(3 * 60 + 7) * 60 * s, '3h7m'],
      [8 * 3600 * s, '8h'],
      [47 * 3600 * s, '47h'],
      [48 * 3600 * s, '2d'],
      [(2 * 24 + 5) * 3600 * s, '2d5h'],
      [8 * 86400 * s, '8d'],
      [729 * 86400 * s, '729d'],
      [730 * 86400 * s, '2y'],
      [(3 * 365 + 10) * 86400 * s, '3y10d'],
      [9 * 365 * 86400 * s, '9y'],
    ];
    for (const [ms, want] of cases) expect(humanDuration(ms), `${ms}ms`).to.equal(want);
  });

  it('evaluates fields, indexes, wildcards and equality filters', () => {
    const obj = {
      status: {
        conditions: [
          { type: 'Accepted', status: 'True' },
          { type: 'Programmed', status: 'False' },
        ],
      },
      spec: { 'a.b': 1, list: [1, 2, 3] },
    };
    expect(evaluateJsonPath(parseJsonPath('.status.conditions[?(@.type=="Programmed")].status'), obj)).to.deep.equal([
      'False',
    ]);
    expect(evaluateJsonPath(parseJsonPath(".status.conditions[?(@.type!='Programmed')].type"), obj)).to.deep.equal([
      'Accepted',
    ]);
    expect(evaluateJsonPath(parseJsonPath('{.spec.list[*]}'), obj)).to.deep.equal([1, 2, 3]);
    expect(evaluateJsonPath(parseJsonPath('.spec.list[-1]'), obj)).to.deep.equal([3]);
    expect(evaluateJsonPath(parseJsonPath(".spec['a.b']"), obj)).to.deep.equal([1]);
    expect(evaluateJsonPath(parseJsonPath('.spec.missing.deeper'), obj)).to.deep.equal([]);
    expect(() => parseJsonPath('.spec[?(@.a > 1)]')).to.throw('unsupported JSONPath filter');
  });
});
