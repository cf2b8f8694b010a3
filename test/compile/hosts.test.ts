import { expect } from 'chai';
import { compareDomains, coveringPatterns, hostCovers } from '../../operator/compile/hosts.js';

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
    expect(coveringPatterns('a.b.example.com')).to.deep.equal(['a.b.example.com', '*.b.example.com', '*.example.com', '*.com']);
    expect(coveringPatterns('*.b.example.com')).to.deep.equal(['*.b.example.com', '*.example.com', '*.com']);
    expect(coveringPatterns('*')).to.deep.equal([]);
  });

  it('orders vhosts exact, then longer wildcards, then *', () => {
    const sorted = ['*', '*.example.com', 'b.example.com', '*.eu.example.com', 'a.example.com'].sort(compareDomains);
    expect(sorted).to.deep.equal(['a.example.com', 'b.example.com', '*.eu.example.com', '*.example.com', '*']);
  });
});
