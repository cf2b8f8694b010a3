// The xDS channel's small CA: what it issues chains to it, carries the usages and names asked for, and is due
// for renewal once a third of its lifetime is left.
import { expect } from 'chai';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, renewalDue } from '../../operator/xds/x509.js';

describe('xds: the channel CA', () => {
  const from = new Date('2026-01-01T00:00:00Z');
  const to = new Date('2026-01-31T00:00:00Z');
  const ca = createCertificateAuthority('test CA', from, to);
  const server = issueCertificate(ca, {
    commonName: 'op',
    dnsNames: ['portico-operator.ns.svc'],
    usage: 'server',
    notBefore: from,
    notAfter: to,
  });
  const client = issueCertificate(ca, { commonName: 'envoy', usage: 'client', notBefore: from, notAfter: to });

  it('issues certificates signed by the CA, for the names asked for', () => {
    const c = new X509Certificate(server.certPem);
    expect(c.verify(createPublicKey(ca.keyPem))).to.equal(true);
    expect(c.checkIssued(new X509Certificate(ca.certPem))).to.equal(true);
    expect(c.subjectAltName).to.equal('DNS:portico-operator.ns.svc');
    expect(c.checkHost('portico-operator.ns.svc')).to.equal('portico-operator.ns.svc');
    expect(new Date(c.validTo).toISOString()).to.equal(to.toISOString());
    expect(new X509Certificate(ca.certPem).ca).to.equal(true);
    expect(c.ca).to.equal(false);
  });

  it('marks server and client certificates for their purpose, as openssl reads them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-x509-'));
    try {
      for (const [f, pem] of Object.entries({
        'ca.pem': ca.certPem,
        'server.pem': server.certPem,
        'client.pem': client.certPem,
      }))
        writeFileSync(join(dir, f), pem);
      const verify = (purpose: string, file: string) =>
        execFileSync(
          'openssl',
          [
            'verify',
            '-attime',
            String(from.getTime() / 1000 + 3600),
            '-CAfile',
            join(dir, 'ca.pem'),
            '-purpose',
            purpose,
            join(dir, file),
          ],
          { encoding: 'utf8', stdio: 'pipe' },
        );
      expect(verify('sslserver', 'server.pem')).to.include('OK');
      expect(verify('sslclient', 'client.pem')).to.include('OK');
      expect(() => verify('sslserver', 'client.pem')).to.throw();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is due for renewal once a third of the lifetime is left', () => {
    expect(renewalDue(server.certPem, new Date('2026-01-20T23:00:00Z'))).to.equal(false);
    expect(renewalDue(server.certPem, new Date('2026-01-21T01:00:00Z'))).to.equal(true);
  });
});
