// The compiler never mutates its input: the operator hands it the informers' cached objects without copying.
// Every object is deep-frozen, so a write would throw in this strict-mode module; and since the compiler turns
// internal errors into conditions instead of throwing, the output is also compared with an unfrozen run.
import { expect } from 'chai';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { readManifests } from '../../operator/cli/manifest-files.js';
import type { Snapshot } from '../../operator/compile/types.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const NOW = '2030-01-01T00:00:00Z';

describe('compile: purity', () => {
  for (const dir of ['examples/', 'test/golden/']) {
    it(`compiles deep-frozen input from ${dir} to the same output as unfrozen input`, () => {
      const input = (): Snapshot => ({ ...readManifests([dir]), now: NOW });
      const expected = compileSnapshot(input());
      const frozen = deepFreeze(input());
      const actual = compileSnapshot(frozen);
      expect(actual.statuses).to.deep.equal(expected.statuses);
      expect(renderEnvoyConfig(actual.ir).json).to.equal(renderEnvoyConfig(expected.ir).json);
      expect(frozen.mappings.length).to.be.greaterThan(0);
    });
  }
});
