// Host ownership: the namespace that named a host first owns it (its own claim or a covering wildcard's), ties
// by namespace/name; others need the owner's Host grant; open mode owns nothing.
import { expect } from 'chai';
import type { PorticoReferenceGrant } from '../../operator/api/types.js';
import { buildHostOwnership, type HostClaim } from '../../operator/compile/host-ownership.js';
import { indexReferenceGrants } from '../../operator/compile/reference-grants.js';

const T = (iso?: string) => (iso ? Date.parse(iso) : Infinity);
const claim = (
  namespace: string,
  host: string,
  created?: string,
  kind: HostClaim['kind'] = 'Mapping',
  name = 'x',
): HostClaim => ({ namespace, name, host, kind, createdAtMs: T(created) });
const hostGrant = (
  namespace: string,
  fromNs: string,
  kind: 'Mapping' | 'TLSContext',
  host?: string,
): PorticoReferenceGrant => ({
  apiVersion: 'portico.dev/v1alpha1',
  kind: 'PorticoReferenceGrant',
  metadata: { name: `g-${fromNs}-${host ?? 'all'}`, namespace },
  spec: { from: [{ kind, namespace: fromNs }], to: [{ kind: 'Host', ...(host ? { name: host } : {}) }] },
});
const none = indexReferenceGrants([]);

describe('host ownership', () => {
  it('the oldest claim owns a host, whatever the names; without timestamps namespace/name decides', () => {
    const o = buildHostOwnership(
      'namespace',
      [claim('aaa', 'api.test', '2026-02-01T00:00:00Z'), claim('zzz', 'api.test', '2026-01-01T00:00:00Z')],
      none,
    );
    expect(o.ownerOf('api.test')?.namespace).to.equal('zzz');
    expect(o.refusal('Mapping', 'aaa', 'api.test')).to.match(
      /^host api\.test belongs to namespace zzz, which named it first \(created 2026-01-01T00:00:00Z\); a PorticoReferenceGrant in namespace zzz/,
    );
    expect(o.refusal('Mapping', 'zzz', 'api.test')).to.equal(undefined);
    const untimed = buildHostOwnership('namespace', [claim('b', 'api.test'), claim('a', 'api.test')], none);
    expect(untimed.ownerOf('api.test')?.namespace).to.equal('a');
    // A timestamped claim is older than one without.
    expect(
      buildHostOwnership(
        'namespace',
        [claim('a', 'api.test'), claim('b', 'api.test', '2026-01-01T00:00:00Z')],
        none,
      ).ownerOf('api.test')?.namespace,
    ).to.equal('b');
  });

  it('a wildcard named first owns the names under it; a name named first keeps it against a later wildcard', () => {
    const o = buildHostOwnership(
      'namespace',
      [
        claim('wild', '*.example.com', '2026-01-01T00:00:00Z'),
        claim('late', 'api.example.com', '2026-02-01T00:00:00Z'),
        claim('early', 'old.example.com', '2025-01-01T00:00:00Z'),
      ],
      none,
    );
    expect(o.ownerOf('api.example.com')?.namespace).to.equal('wild');
    expect(o.ownerOf('new.example.com')?.namespace).to.equal('wild');
    expect(o.ownerOf('old.example.com')?.namespace).to.equal('early');
    expect(o.ownerOf('example.com')).to.equal(undefined);
    expect(o.refusal('Mapping', 'late', 'api.example.com')).to.include('which named *.example.com first');
    // api.example.com's only claim is refused, so it needs no virtual host of its own.
    expect(o.ownedDomains).to.deep.equal(['*.example.com', 'old.example.com']);
  });

  it('the owner shares a host with a Host grant: by name, by covering wildcard, or all its hosts; per referring kind', () => {
    const claims = [claim('owner', '*.example.com', '2026-01-01T00:00:00Z')];
    const grants = indexReferenceGrants([
      hostGrant('owner', 'exact', 'Mapping', 'api.example.com'),
      hostGrant('owner', 'wild', 'TLSContext', '*.example.com'),
      hostGrant('owner', 'all', 'Mapping'),
    ]);
    const o = buildHostOwnership('namespace', claims, grants);
    expect(o.refusal('Mapping', 'exact', 'api.example.com')).to.equal(undefined);
    expect(o.refusal('Mapping', 'exact', 'web.example.com')).to.be.a('string');
    expect(o.refusal('Mapping', 'exact', '*.example.com')).to.be.a('string'); // an exact grant does not cover the wildcard
    expect(o.refusal('TLSContext', 'wild', 'x.y.example.com')).to.equal(undefined);
    expect(o.refusal('Mapping', 'wild', 'x.example.com')).to.be.a('string'); // granted to its TLSContexts only
    expect(o.refusal('Mapping', 'all', 'anything.example.com')).to.equal(undefined);
    expect([...o.audience('api.example.com')!].sort()).to.deep.equal(['all', 'exact', 'owner']);
    expect([...o.audience('*.example.com')!].sort()).to.deep.equal(['all', 'owner']);
    expect(o.audience('unowned.test')).to.equal(undefined);
    // A grant in a namespace that does not own the host shares nothing.
    const foreign = buildHostOwnership(
      'namespace',
      claims,
      indexReferenceGrants([hostGrant('someone-else', 'exact', 'Mapping', 'api.example.com')]),
    );
    expect(foreign.refusal('Mapping', 'exact', 'api.example.com')).to.be.a('string');
  });

  it('open mode owns nothing and refuses nothing', () => {
    const o = buildHostOwnership('open', [claim('a', 'api.test', '2026-01-01T00:00:00Z')], none);
    expect(o.enforced).to.equal(false);
    expect(o.ownerOf('api.test')).to.equal(undefined);
    expect(o.refusal('Mapping', 'b', 'api.test')).to.equal(undefined);
    expect(o.audience('api.test')).to.equal(undefined);
    expect(o.ownedDomains).to.deep.equal([]);
  });
});
