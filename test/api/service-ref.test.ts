import { expect } from 'chai';
import { parseServiceRef, type ServiceRef } from '../../operator/api/service-ref.js';

describe('parseServiceRef', () => {
  const ok: Array<[string, ServiceRef]> = [
    ['usersvc', { scheme: 'http', name: 'usersvc', namespace: 'home', port: undefined }],
    ['usersvc:8080', { scheme: 'http', name: 'usersvc', namespace: 'home', port: 8080 }],
    ['usersvc:http', { scheme: 'http', name: 'usersvc', namespace: 'home', port: 'http' }],
    ['usersvc.team-a', { scheme: 'http', name: 'usersvc', namespace: 'team-a', port: undefined }],
    ['usersvc.team-a:80', { scheme: 'http', name: 'usersvc', namespace: 'team-a', port: 80 }],
    ['usersvc.team-a:grpc-web', { scheme: 'http', name: 'usersvc', namespace: 'team-a', port: 'grpc-web' }],
    ['http://usersvc', { scheme: 'http', name: 'usersvc', namespace: 'home', port: undefined }],
    ['https://usersvc.team-a:443', { scheme: 'https', name: 'usersvc', namespace: 'team-a', port: 443 }],
    // name.namespace that looks like an external host: dnsLike lets messages say how those are reached.
    ['example.com:443', { scheme: 'http', name: 'example', namespace: 'com', port: 443, dnsLike: 'example.com' }],
    ['api.internal', { scheme: 'http', name: 'api', namespace: 'internal', port: undefined, dnsLike: 'api.internal' }],
    ['HTTPS://usersvc', { scheme: 'https', name: 'usersvc', namespace: 'home', port: undefined }],
    ['usersvc.team-a.svc', { scheme: 'http', name: 'usersvc', namespace: 'team-a', port: undefined }],
    ['usersvc.team-a.svc.cluster.local:80', { scheme: 'http', name: 'usersvc', namespace: 'team-a', port: 80 }],
    ['a:1', { scheme: 'http', name: 'a', namespace: 'home', port: 1 }],
    ['a:65535', { scheme: 'http', name: 'a', namespace: 'home', port: 65535 }],
  ];
  for (const [input, want] of ok) {
    it(`accepts ${JSON.stringify(input)}`, () => {
      expect(parseServiceRef(input, 'home')).to.deep.equal({ ok: true, value: want });
    });
  }

  const bad: Array<[string, RegExp]> = [
    ['', /must not be empty/],
    [' usersvc', /spaces/],
    ['ftp://usersvc', /unsupported scheme "ftp"/],
    ['usersvc/path', /without a path/],
    ['http://usersvc/x', /without a path/],
    ['usersvc?x=1', /without a path/],
    ['user@usersvc', /without a path, query, user/],
    ['usersvc:', /empty port/],
    ['usersvc:0', /out of range/],
    ['usersvc:65536', /out of range/],
    ['usersvc:Http', /neither a number nor a valid Service port name/],
    ['usersvc:a--b', /neither a number/],
    ['usersvc:averyveryverylongportname', /neither a number/],
    ['usersvc:1:2', /more than one ":"/],
    ['UserSvc', /not a valid Service name/],
    ['1usersvc', /not a valid Service name/],
    ['user_svc', /not a valid Service name/],
    ['a.b.c', /expected name or name.namespace/],
    ['example.com.evil.org', /expected name or name.namespace/],
    ['usersvc.Team', /not a valid namespace/],
    ['.team', /missing the Service name/],
    ['[::1]:80', /IP addresses are not supported/],
    ['http://', /missing the Service name/],
  ];
  it('takes the cluster domain as an input', () => {
    expect(parseServiceRef('usersvc.team-a.svc.corp.internal:80', 'home', 'corp.internal')).to.deep.equal({
      ok: true,
      value: { scheme: 'http', name: 'usersvc', namespace: 'team-a', port: 80 },
    });
    const other = parseServiceRef('usersvc.team-a.svc.cluster.local', 'home', 'corp.internal');
    expect(other.ok).to.equal(false);
  });

  it('marks a name that reads as an external host, so the message can say how those are reached', () => {
    const r = parseServiceRef('api.example.com:443', 'home');
    expect(r).to.deep.include({ ok: false, externalHost: 'api.example.com' });
    expect(parseServiceRef('a.b.c.svc', 'home')).to.not.have.property('externalHost');
  });

  for (const [input, why] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      const r = parseServiceRef(input, 'home');
      expect(r.ok).to.equal(false);
      if (!r.ok) expect(r.message).to.match(why).and.to.include(JSON.stringify(input));
    });
  }
});
