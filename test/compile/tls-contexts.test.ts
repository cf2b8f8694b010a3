// TLSContext hosts, decided host by host and oldest first (issue 12 §2, §6; 19 §1): the older context keeps an
// overlapping host and the newer one loses only that host; a host the certificate does not cover is refused
// (host ownership on) or served with a warning (open). Through compileSnapshot, with the golden test certificates.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { Secret, TLSContext } from '../../operator/api/types.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import type { ObjectStatus } from '../../operator/compile/types.js';
import { tlsChains } from '../../operator/compile/ir-queries.js';

const NOW = '2030-01-01T00:00:00Z';
// ab-cert covers a.test and b.test; bc-cert b.test and c.test; other-cert only other.test.
const secrets = (
  yaml.loadAll(readFileSync(new URL('../golden/tls-host-conflicts/input.yaml', import.meta.url), 'utf8')) as Array<
    Secret & { kind?: string }
  >
).filter((d) => d?.kind === 'Secret');
const ctx = (name: string, hosts: string[], secret: string, created?: string): TLSContext => ({
  apiVersion: 'portico.dev/v1alpha1',
  kind: 'TLSContext',
  metadata: { name, namespace: 'default', generation: 1, ...(created ? { creationTimestamp: created } : {}) },
  spec: { hosts, secret },
});
const compile = (contexts: TLSContext[], options = {}) =>
  compileSnapshot({ mappings: [], services: [], tlsContexts: contexts, secrets, now: NOW }, options);
const statusOf = (statuses: ObjectStatus[], name: string) => statuses.find((s) => s.ref.name === name)!;
const served = (r: ReturnType<typeof compile>) =>
  Object.fromEntries(tlsChains(r.ir).map((c) => [c.name, c.serverNames]));

describe('TLSContext hosts', () => {
  const older = ctx('zz-older', ['a.test', 'b.test'], 'ab-cert', '2026-01-01T00:00:00Z');
  const newer = ctx('aa-newer', ['b.test', 'c.test'], 'bc-cert', '2026-02-01T00:00:00Z');

  it('the oldest keeps an overlapping host, whatever the names and the input order; the newer keeps its other hosts', () => {
    for (const order of [
      [older, newer],
      [newer, older],
    ]) {
      const r = compile(order);
      expect(served(r)).to.deep.equal({ 'default/aa-newer': ['c.test'], 'default/zz-older': ['a.test', 'b.test'] });
      const s = statusOf(r.statuses, 'aa-newer');
      expect(s.inConfig).to.equal(true);
      expect(s.conditions[0]).to.include({ type: 'Accepted', status: 'True' });
      expect(s.conditions[0].message).to.equal(
        'Serving c.test; refused 1 of 2 hosts: spec.hosts[0]: host b.test is already served by TLSContext default/zz-older, which came first (created 2026-01-01T00:00:00Z)',
      );
      expect(s.warnings).to.deep.equal([
        {
          reason: 'Conflicted',
          message:
            'spec.hosts[0]: host b.test is already served by TLSContext default/zz-older, which came first (created 2026-01-01T00:00:00Z)',
        },
      ]);
      expect(statusOf(r.statuses, 'zz-older').conditions[0].message).to.equal('Accepted');
      expect(statusOf(r.statuses, 'zz-older').warnings).to.equal(undefined);
    }
  });

  it('swapping the creation times swaps the outcome (age decides, not names)', () => {
    const r = compile([
      { ...older, metadata: { ...older.metadata, creationTimestamp: '2026-03-01T00:00:00Z' } },
      newer,
    ]);
    expect(served(r)).to.deep.equal({ 'default/aa-newer': ['b.test', 'c.test'], 'default/zz-older': ['a.test'] });
  });

  it('a context that loses every host is rejected, naming the holder of each', () => {
    const r = compile([older, ctx('late', ['a.test', 'b.test'], 'ab-cert', '2026-05-01T00:00:00Z')]);
    const s = statusOf(r.statuses, 'late');
    expect(s.inConfig).to.equal(false);
    expect(s.conditions[0]).to.include({ status: 'False', reason: 'Conflicted' });
    expect(s.conditions[0].message).to.match(
      /^spec\.hosts: no host is left to serve: spec\.hosts\[0\]: host a\.test is already served by TLSContext default\/zz-older.*spec\.hosts\[1\]: host b\.test/,
    );
  });

  it('a host the certificate does not cover is refused on it and never blocks another context from serving it', () => {
    const wrongCert = ctx('aa-first', ['b.test', 'c.test'], 'ab-cert', '2025-01-01T00:00:00Z'); // ab-cert does not cover c.test
    const r = compile([wrongCert, newer]);
    expect(served(r)).to.deep.equal({ 'default/aa-first': ['b.test'], 'default/aa-newer': ['c.test'] });
    const s = statusOf(r.statuses, 'aa-first');
    expect(s.conditions[0].message).to.equal(
      'Serving b.test; refused 1 of 2 hosts: spec.hosts[1]: host c.test is not covered by the certificate in Secret default/ab-cert (its DNS names: a.test, b.test)',
    );
    expect(s.warnings?.map((w) => w.reason)).to.deep.equal(['HostNotInCertificate']);
  });

  it('a certificate that covers none of its hosts: every host refused, and the status says so (host ownership on)', () => {
    const s = statusOf(compile([ctx('wrong', ['y.test', 'z.test'], 'other-cert')]).statuses, 'wrong');
    expect(s.inConfig).to.equal(false);
    expect(s.conditions[0]).to.include({ status: 'False', reason: 'HostNotInCertificate' });
    expect(s.conditions[0].message).to.equal(
      'spec.hosts: the certificate in Secret default/other-cert (DNS names: other.test) covers none of y.test, z.test, so every host is refused and this TLSContext serves nothing',
    );
  });

  it('with --host-ownership=open an uncovered host is served, with the warning in the message and as a Warning datum', () => {
    const r = compile([ctx('wrong', ['y.test'], 'other-cert'), ctx('partly', ['a.test', 'x.test'], 'ab-cert')], {
      hostOwnership: 'open',
    });
    expect(served(r)).to.deep.equal({ 'default/partly': ['a.test', 'x.test'], 'default/wrong': ['y.test'] });
    const wrong = statusOf(r.statuses, 'wrong');
    expect(wrong.conditions[0]).to.include({ status: 'True' });
    expect(wrong.conditions[0].message).to.include(
      'covers none of the hosts it serves, so clients will reject it for every one; they are served anyway because the operator runs with --host-ownership=open',
    );
    expect(wrong.warnings).to.deep.equal([
      {
        reason: 'HostNotInCertificate',
        message:
          'spec.hosts[0]: host y.test is not covered by the certificate in Secret default/other-cert (its DNS names: other.test): clients will reject the certificate for it',
      },
    ]);
    expect(statusOf(r.statuses, 'partly').conditions[0].message).to.match(
      /^Serving a\.test, x\.test; warning: spec\.hosts\[1\]: host x\.test is not covered/,
    );
  });

  it('two default certificates: the older is served', () => {
    const r = compile([
      ctx('b', [], 'other-cert', '2026-01-01T00:00:00Z'),
      ctx('a', [], 'other-cert', '2026-02-01T00:00:00Z'),
    ]);
    expect(Object.keys(served(r))).to.deep.equal(['default/b']);
    expect(statusOf(r.statuses, 'a').conditions[0].message).to.match(
      /^spec\.hosts: the default certificate \(no spec\.hosts\) is already served by TLSContext default\/b/,
    );
  });
});
