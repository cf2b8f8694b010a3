import { expect } from 'chai';
import { parseServiceRef, type ServiceRef } from '../../operator/compile/service-ref.js';

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
  for (const [input, why] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      const r = parseServiceRef(input, 'home');
      expect(r.ok).to.equal(false);
      if (!r.ok) expect(r.message).to.match(why).and.to.include(JSON.stringify(input));
    });
  }
});
