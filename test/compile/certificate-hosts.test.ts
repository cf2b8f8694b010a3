// Which hosts a certificate covers: subjectAltName DNS names as Node prints them, matched as TLS clients match.
import { expect } from 'chai';
import { certificateCovers, parseSubjectAltName } from '../../operator/compile/certificate-hosts.js';

describe('certificate hosts', () => {
  it('reads the DNS entries of subjectAltName, quoted ones included, and ignores the others', () => {
    expect(parseSubjectAltName('DNS:a.test, DNS:*.B.test, IP Address:10.0.0.1, email:x@y')).to.deep.equal([
      'a.test',
      '*.b.test',
    ]);
    expect(parseSubjectAltName('DNS:"evil.test, DNS:good.test", DNS:c.test')).to.deep.equal([
      'evil.test, dns:good.test',
      'c.test',
    ]);
    expect(parseSubjectAltName('')).to.deep.equal([]);
  });

  const cases: Array<[string[], string, boolean]> = [
    [['a.test'], 'a.test', true],
    [['a.test'], 'A.TEST', true],
    [['a.test'], 'b.test', false],
    [['*.a.test'], 'x.a.test', true],
    [['*.a.test'], 'a.test', false], // a wildcard never covers its parent
    [['*.a.test'], 'y.x.a.test', false], // nor two labels
    [['*.a.test'], '*.a.test', true],
    [['x.a.test'], '*.a.test', false], // a wildcard host needs the wildcard in the certificate
    [['*.test'], '*.a.test', false],
    [[], 'a.test', false],
  ];
  for (const [names, host, want] of cases) {
    it(`[${names.join(', ')}] ${want ? 'covers' : 'does not cover'} ${host}`, () =>
      expect(certificateCovers(names, host)).to.equal(want));
  }
});
