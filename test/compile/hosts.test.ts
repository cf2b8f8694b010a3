import { expect } from 'chai';
import {
  compareDomains,
  coveringPatterns,
  hostCovers,
  hostMatchServes,
  hostsOverlap,
} from '../../operator/compile/hosts.js';

describe('host patterns', () => {
  const covers: Array<[string, string, boolean]> = [
    ['a.example.com', 'a.example.com', true],
    ['*.example.com', 'a.example.com', true],
    ['*.example.com', 'x.a.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', '*.a.example.com', true],
    ['*.a.example.com', '*.example.com', false],
    ['a.example.com', '*.example.com', false],
    ['*.example.com', '*', false],
    ['*', 'anything', true],
    ['b.example.com', 'a.example.com', false],
  ];
  for (const [pattern, domain, want] of covers) {
    it(`${pattern} ${want ? 'covers' : 'does not cover'} ${domain}`, () => {
      expect(hostCovers(pattern, domain)).to.equal(want);
    });
  }

  it('coveringPatterns lists the domain and each parent wildcard', () => {
    expect(coveringPatterns('a.b.example.com')).to.deep.equal([
      'a.b.example.com',
      '*.b.example.com',
      '*.example.com',
      '*.com',
    ]);
    expect(coveringPatterns('*.b.example.com')).to.deep.equal(['*.b.example.com', '*.example.com', '*.com']);
    expect(coveringPatterns('*')).to.deep.equal([]);
  });

  it('orders vhosts exact, then longer wildcards, then *', () => {
    const sorted = ['*', '*.example.com', 'b.example.com', '*.eu.example.com', 'a.example.com'].sort(compareDomains);
    expect(sorted).to.deep.equal(['a.example.com', 'b.example.com', '*.eu.example.com', '*.example.com', '*']);
  });

  // An SNI name and a vhost domain overlap when some host name matches both (which vhosts an SNI chain carries).
  const overlaps: Array<[string, string, boolean]> = [
    ['a.com', 'a.com', true],
    ['a.com', 'b.com', false],
    ['a.com', '*', true],
    ['*.a.com', 'x.a.com', true],
    ['*.a.com', 'a.com', false],
    ['*.a.com', 'x.b.com', false],
    ['x.a.com', '*.a.com', true],
    ['a.com', '*.a.com', false],
    ['*.a.com', '*.x.a.com', true],
    ['*.x.a.com', '*.a.com', true],
    ['*.a.com', '*.b.com', false],
    ['*.a.com', '*.ba.com', false],
  ];
  for (const [name, domain, overlap] of overlaps) {
    it(`${name} ${overlap ? 'overlaps' : 'does not overlap'} ${domain}`, () => {
      expect(hostsOverlap(name, domain)).to.equal(overlap);
      expect(hostsOverlap(domain, name)).to.equal(overlap);
    });
  }

  it('a route host match serves its names, minus its exceptions', () => {
    expect(hostMatchServes({ kind: 'exact', host: 'a.com' }, 'a.com')).to.equal(true);
    expect(hostMatchServes({ kind: 'exact', host: 'a.com' }, '*')).to.equal(false);
    const wild = { kind: 'wildcard', pattern: '*.a.com', except: ['x.a.com'] } as const;
    expect(['*.a.com', 'y.a.com', 'x.a.com', 'a.com', '*'].map((d) => hostMatchServes(wild, d))).to.deep.equal([
      true,
      true,
      false,
      false,
      false,
    ]);
    const any = { kind: 'any', except: ['b.com'] } as const;
    expect(['*', 'a.com', 'b.com'].map((d) => hostMatchServes(any, d))).to.deep.equal([true, true, false]);
  });
});
