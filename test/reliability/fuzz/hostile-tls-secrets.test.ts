// Hostile TLS Secrets (issue 7 §4), fuzzed with fast-check: each bad kind from the real openssl test PKI
// (garbage PEM, a key not matching, expired or not-yet-valid, RSA-1024, chain in the wrong order, a 5 MB
// certificate) plus random mutations of a good chain (truncation, flipped characters, shuffled or foreign
// blocks, wrong types and shapes). Beside them, a valid TLSContext and a Mapping must still be served, the
// output must validate, the bad ones must be rejected naming spec.secret, and no status may carry Secret data.
import fc from 'fast-check';
import { secretPieces } from '../../support/pki.js';
import { checkTlsSecret } from '../../../operator/compile/tls-secret.js';
import { SCALE, checkInvariants, fuzz, runs, type Expectation } from './fuzz-harness.js';
import { NS, hostileTlsCorpus } from './hostile-tls-arbitraries.js';

describe('fuzz: hostile TLS Secrets', function () {
  this.timeout(120_000 * SCALE);

  const { now, badSecret, snapshotOf } = hostileTlsCorpus();

  it('bad Secrets beside a good TLSContext: no throw, spec.secret named, good one served, no Secret data in statuses', () => {
    fuzz('hostile-tls-secrets', fc.array(badSecret, { minLength: 1, maxLength: 3 }), runs(1200), (bads) => {
      const { secrets, snapshot } = snapshotOf(bads);
      const expectations: Expectation[] = [
        { kind: 'TLSContext', namespace: NS, name: 'good' },
        { kind: 'Mapping', namespace: NS, name: 'web' },
        ...secrets.map((s): Expectation => ({
          kind: 'TLSContext',
          namespace: NS,
          name: s.metadata.name,
          badField: 'spec.secret',
        })),
      ];
      // checkTlsSecret itself must not throw either (compile also guards it, which would hide a throw here).
      for (const s of secrets) checkTlsSecret(s, `${NS}/${s.metadata.name}`, now);
      const statuses = checkInvariants(snapshot, expectations);
      const text = JSON.stringify(statuses);
      for (const s of secrets) {
        if (typeof s.data !== 'object' || s.data === null) continue;
        const strings = Object.fromEntries(
          Object.entries(s.data).filter(([, v]) => typeof v === 'string' && v.length < 100_000),
        );
        for (const piece of secretPieces({ ...s, data: strings }))
          if (text.includes(piece)) throw new Error(`Secret data in a status: ${piece}`);
      }
    });
  });
});
