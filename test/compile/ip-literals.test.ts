// IP literals as resolvers read them (inet_aton's loose IPv4 forms, IPv6 with embedded IPv4), and which of
// them the gateway must never connect to.
import { expect } from 'chai';
import { forbiddenIpProblem, formatIp, parseIpLiteral } from '../../operator/compile/ip-literals.js';

describe('IP literals', () => {
  const same: Array<[string, string]> = [
    ['127.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['127.0.1', '127.0.0.1'],
    ['0x7f.0.0.1', '127.0.0.1'],
    ['0x7F.1', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0', '0.0.0.0'],
    ['169.254.169.254', '169.254.169.254'],
    ['2852039166', '169.254.169.254'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
    ['::ffff:7f00:1', '::ffff:7f00:1'],
    ['fd00:ec2::254', 'fd00:ec2::254'],
    ['FD00:0EC2:0:0:0:0:0:0254', 'fd00:ec2::254'],
    ['2001:db8::1', '2001:db8::1'],
  ];
  for (const [text, canonical] of same) {
    it(`${text} is ${canonical}`, () => {
      const ip = parseIpLiteral(text);
      expect(ip, text).to.not.equal(undefined);
      expect(formatIp(ip!)).to.equal(canonical);
    });
  }

  for (const text of [
    'example.com',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.256',
    '08.1.1.1',
    '4294967296',
    '1..2',
    '',
    '::1::',
    '1:2:3:4:5:6:7:8:9',
    'fe80::1%eth0',
    '0xg',
  ]) {
    it(`${JSON.stringify(text)} is not an address`, () => expect(parseIpLiteral(text)).to.equal(undefined));
  }

  const forbidden: Array<[string, RegExp]> = [
    ['127.1', /loopback/],
    ['0x7f.0.0.1', /loopback/],
    ['2130706433', /loopback/],
    ['::ffff:127.0.0.1', /loopback.*IPv6/],
    ['::127.0.0.1', /loopback/],
    ['64:ff9b::7f00:1', /loopback/],
    ['::1', /loopback/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['169.254.169.254', /link-local/],
    ['::ffff:169.254.169.254', /link-local/],
    ['fe80::1', /link-local/],
    ['febf::1', /link-local/],
    ['100.100.100.200', /metadata/],
    ['fd00:ec2::254', /metadata/],
    ['255.255.255.255', /broadcast/],
    ['ff02::1', /multicast/],
  ];
  for (const [text, why] of forbidden) {
    it(`${text} is refused (${why.source})`, () => expect(forbiddenIpProblem(parseIpLiteral(text)!)).to.match(why));
  }
  for (const text of [
    '203.0.113.7',
    '10.1.2.3',
    '100.100.100.201',
    '2001:db8::1',
    'fd00:ec2::253',
    '::ffff:203.0.113.7',
  ]) {
    it(`${text} is an ordinary address`, () => expect(forbiddenIpProblem(parseIpLiteral(text)!)).to.equal(undefined));
  }
});
