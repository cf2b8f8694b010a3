// CompileOptions: safe defaults, and flag values checked with an error naming the flag.
import { expect } from 'chai';
import {
  DEFAULT_COMPILE_OPTIONS,
  parseCompileOptionFlags,
  resolveCompileOptions,
} from '../../operator/compile/options.js';

describe('compile options', () => {
  it('default to host ownership by namespace, no ExternalName Services, cluster.local', () => {
    expect(DEFAULT_COMPILE_OPTIONS).to.deep.equal({
      hostOwnership: 'namespace',
      externalNameServices: 'deny',
      clusterDomain: 'cluster.local',
    });
    expect(resolveCompileOptions(undefined)).to.deep.equal(DEFAULT_COMPILE_OPTIONS);
    expect(parseCompileOptionFlags({})).to.deep.equal(DEFAULT_COMPILE_OPTIONS);
  });

  it('fall back to the safe value for anything unknown (compile never throws)', () => {
    expect(
      resolveCompileOptions({
        hostOwnership: 'Open' as 'open',
        externalNameServices: 'yes' as 'allow',
        clusterDomain: 'not a domain',
      }),
    ).to.deep.equal(DEFAULT_COMPILE_OPTIONS);
    expect(
      resolveCompileOptions({ hostOwnership: 'open', externalNameServices: 'allow', clusterDomain: 'Corp.Internal.' }),
    ).to.deep.equal({ hostOwnership: 'open', externalNameServices: 'allow', clusterDomain: 'corp.internal' });
  });

  it('parse flag values, naming the flag on a bad one', () => {
    expect(
      parseCompileOptionFlags({
        hostOwnership: 'open',
        externalNameServices: 'allow',
        clusterDomain: 'k8s.example.internal',
      }),
    ).to.deep.equal({ hostOwnership: 'open', externalNameServices: 'allow', clusterDomain: 'k8s.example.internal' });
    expect(() => parseCompileOptionFlags({ hostOwnership: 'shared' })).to.throw(
      '--host-ownership: expected namespace or open, got "shared"',
    );
    expect(() => parseCompileOptionFlags({ externalNameServices: 'on' })).to.throw(
      '--external-name-services: expected deny or allow',
    );
    expect(() => parseCompileOptionFlags({ clusterDomain: 'bad_domain' })).to.throw('--cluster-domain');
  });
});
