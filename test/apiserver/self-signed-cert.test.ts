// portico dev's self-signed certificates (API server, HTTPS echoes) load in OpenSSL every time. The serial is
// 16 random bytes; one that starts with 0x00 and then a byte below 0x80 was written with a redundant leading
// zero, which OpenSSL refuses ("illegal padding"): 1 certificate in 512, so portico dev failed to start about
// that often. 1,500 certificates meet that case with a probability of 95%.
import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { selfSignedCertificate } from '../../operator/apiserver/index.js';

describe('apiserver: self-signed certificates', function () {
  this.timeout(60_000);

  it('load in OpenSSL every time, whatever the random serial', () => {
    const refused: string[] = [];
    for (let i = 0; i < 1_500; i++) {
      const c = selfSignedCertificate();
      try {
        const cert = new X509Certificate(c.cert);
        tls.createSecureContext({ cert: c.cert, key: c.key });
        expect(cert.serialNumber).to.match(/^[0-9A-F]+$/);
      } catch (err) {
        refused.push((err as Error).message);
      }
    }
    expect(refused).to.deep.equal([]);
  });
});
