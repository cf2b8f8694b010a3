// portico dev's self-signed certificates (API server, HTTPS echoes) load in OpenSSL whatever their random
// serial. A serial that starts with 0x00 and then a byte below 0x80 was written with a redundant leading zero,
// which OpenSSL refuses ("illegal padding"): 1 certificate in 512, so portico dev failed to start about that
// often. The serials here are the edge cases of the shortest DER INTEGER.
import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { selfSignedCertificate } from '../../operator/apiserver/index.js';

const serial = (...head: number[]): Buffer => Buffer.concat([Buffer.from(head), Buffer.alloc(16 - head.length, 0x11)]);

describe('apiserver: self-signed certificates', () => {
  const cases: Array<[string, Buffer, string]> = [
    ['a leading zero, then a byte below 0x80', serial(0x00, 0x12), `12${'11'.repeat(14)}`],
    ['two leading zeros, then a byte from 0x80', serial(0x00, 0x00, 0x80), `80${'11'.repeat(13)}`],
    ['a first byte from 0x80 (a zero is prepended)', serial(0x80), `80${'11'.repeat(15)}`],
    ['a first byte below 0x80', serial(0x12), `12${'11'.repeat(15)}`],
  ];
  for (const [what, bytes, expected] of cases) {
    it(`loads in OpenSSL with the serial in its shortest form: ${what}`, () => {
      const c = selfSignedCertificate(365, new Date(), bytes);
      expect(new X509Certificate(c.cert).serialNumber.toLowerCase()).to.equal(expected);
      expect(() => tls.createSecureContext({ cert: c.cert, key: c.key })).to.not.throw();
    });
  }
});
