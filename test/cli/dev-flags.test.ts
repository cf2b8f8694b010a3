// `portico dev`'s flags (node:util parseArgs): defaults, the gateway choice flags, and one-line errors.
import { expect } from 'chai';
import { parseFlags, type DevFlags } from '../../operator/cli/dev-flags.js';

const flags = (...argv: string[]) => parseFlags(argv) as DevFlags;
const error = (...argv: string[]): string => {
  try {
    parseFlags(argv);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};

describe('portico dev: flags', () => {
  it('has the documented defaults', () => {
    expect(flags()).to.deep.equal({
      port: 8001,
      examples: false,
      persist: true,
      operator: true,
      operatorPort: 8877,
      gateway: true,
      gatewayPort: 8080,
      httpsPort: 8443,
      envoy: undefined,
      noEnvoy: false,
      upstreams: new Map(),
    });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const f = flags(
      '--port',
      '0',
      '--operator-port=1',
      '--gateway-port',
      '2',
      '--https-port=3',
      '--examples',
      '--no-persist',
      '--no-operator',
      '--no-gateway',
      '--upstream',
      'usersvc.default=http://127.0.0.1:3000',
      '--upstream=gruesvc.team=http://127.0.0.1:3001/',
    );
    expect(f).to.include({
      port: 0,
      operatorPort: 1,
      gatewayPort: 2,
      httpsPort: 3,
      examples: true,
      persist: false,
      operator: false,
      gateway: false,
    });
    expect([...f.upstreams].map(([k, v]) => `${k}=${v.href}`)).to.deep.equal([
      'usersvc.default=http://127.0.0.1:3000/',
      'gruesvc.team=http://127.0.0.1:3001/',
    ]);
  });

  it('--envoy PATH, --envoy=PATH, a bare --envoy (envoy on PATH), --no-envoy', () => {
    expect(flags('--envoy', '/opt/envoy', '--examples').envoy).to.equal('/opt/envoy');
    expect(flags('--envoy=/opt/envoy').envoy).to.equal('/opt/envoy');
    expect(flags('--envoy').envoy).to.equal('');
    expect(flags('--envoy', '--examples')).to.include({ envoy: '', examples: true });
    expect(flags('--no-envoy')).to.include({ envoy: undefined, noEnvoy: true });
    expect(error('--envoy', '/opt/envoy', '--no-envoy')).to.equal('--envoy and --no-envoy: choose one');
  });

  it('says what is wrong in one line (with the usage for an unknown flag or argument)', () => {
    expect(error('--bogus')).to.match(/^unknown flag "--bogus"\n\nusage: portico dev/);
    expect(error('examples')).to.match(/^unexpected argument examples\n\nusage: portico dev/);
    expect(error('--port', 'http')).to.equal('--port: "http" is not a port number (0-65535)');
    expect(error('--https-port=70000')).to.equal('--https-port: "70000" is not a port number (0-65535)');
    expect(error('--gateway-port')).to.equal('--gateway-port needs a value');
    expect(error('--examples=yes')).to.equal('--examples takes no value');
    expect(error('--upstream', 'usersvc=http://x')).to.equal(
      '--upstream: "usersvc=http://x" is not <service>.<namespace>=<url>',
    );
    expect(error('--upstream', 'usersvc.default=not a url')).to.equal('--upstream: "not a url" is not a URL');
  });

  it('-h and --help print the usage', () => {
    expect(parseFlags(['-h']))
      .to.match(/^usage: portico dev/)
      .and.contain('--https-port N')
      .and.contain('--envoy PATH')
      .and.contain('--no-envoy');
    expect(parseFlags(['--examples', '--help'])).to.equal(parseFlags(['-h']));
  });
});
