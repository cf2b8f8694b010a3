// The state-of-the-world ADS protocol of one stream: first requests answered, ACKs and NACKs recorded, stale
// nonces ignored, a NACKed version not pushed again, named types answered with the names asked for, pushes of a
// new snapshot in make-before-break order, and which snapshot an Envoy serves.
import { expect } from 'chai';
import { AdsStream, type AdsRequest } from '../../operator/xds/ads-stream.js';
import type { XdsResource, XdsSnapshot, XdsTypeSet } from '../../operator/xds/published-resources.js';
import { XdsTypes } from '../../operator/xds/resource-types.js';

const res = (name: string, v = 1): XdsResource => ({ name, json: { name, v }, text: JSON.stringify({ name, v }) });
const set = (version: string, ...resources: XdsResource[]): XdsTypeSet => ({
  version,
  resources: new Map(resources.map((r) => [r.name, r])),
});
const snapshot = (
  hash: string,
  v: { cds: string; lds: string; rds: string },
  routes = ['http/default'],
): XdsSnapshot => ({
  hash,
  types: {
    [XdsTypes.cluster]: set(v.cds, res('c1')),
    [XdsTypes.endpoint]: set('e0'),
    [XdsTypes.secret]: set('s0'),
    [XdsTypes.listener]: set(v.lds, res('http')),
    [XdsTypes.route]: set(v.rds, ...routes.map((r) => res(r))),
  } as XdsSnapshot['types'],
});
const req = (typeUrl: string, over: Partial<AdsRequest> = {}): AdsRequest => ({
  typeUrl,
  versionInfo: '',
  responseNonce: '',
  resourceNames: [],
  ...over,
});

describe('xds: one ADS stream (state of the world)', () => {
  const s1 = snapshot('h1', { cds: 'c1', lds: 'l1', rds: 'r1' });
  const s2 = snapshot('h2', { cds: 'c1', lds: 'l1', rds: 'r2' });

  /** A stream that has ACKed h1 for CDS, LDS and RDS. */
  function onH1(): { stream: AdsStream; nonce: Record<string, string> } {
    const stream = new AdsStream(s1);
    const nonce: Record<string, string> = {};
    for (const [t, names] of [
      [XdsTypes.cluster, []],
      [XdsTypes.listener, []],
      [XdsTypes.route, ['http/default']],
    ] as const) {
      const [r] = stream.onRequest(req(t, { resourceNames: [...names], node: { id: 'envoy-1' } }));
      nonce[t] = r.nonce;
      expect(
        stream.onRequest(req(t, { versionInfo: r.versionInfo, responseNonce: r.nonce, resourceNames: [...names] })),
      ).to.deep.equal([]);
    }
    return { stream, nonce };
  }

  it('answers the first request of each type, and an ACK with nothing', () => {
    const { stream } = onH1();
    expect(stream.node.id).to.equal('envoy-1');
    expect(stream.serves(s1)).to.equal(true);
    expect(stream.serves(s2)).to.equal(false);
  });

  it('pushes only the types whose version changed, and serves the new snapshot once each is ACKed', () => {
    const { stream } = onH1();
    const pushed = stream.onSnapshot(s2);
    expect(pushed.map((p) => p.typeUrl)).to.deep.equal([XdsTypes.route]);
    expect(stream.serves(s2)).to.equal(false);
    stream.onRequest(
      req(XdsTypes.route, { versionInfo: 'r2', responseNonce: pushed[0].nonce, resourceNames: ['http/default'] }),
    );
    expect(stream.serves(s2)).to.equal(true);
  });

  it('pushes in make-before-break order: clusters before listeners before routes', () => {
    const { stream } = onH1();
    const pushed = stream.onSnapshot(snapshot('h3', { cds: 'c3', lds: 'l3', rds: 'r3' }));
    expect(pushed.map((p) => p.typeUrl)).to.deep.equal([XdsTypes.cluster, XdsTypes.listener, XdsTypes.route]);
  });

  it('records a NACK with Envoy’s message, keeps the ACKed version, and does not push the refused version again', () => {
    const { stream } = onH1();
    const [push] = stream.onSnapshot(s2);
    expect(
      stream.onRequest(
        req(XdsTypes.route, {
          versionInfo: 'r1',
          responseNonce: push.nonce,
          resourceNames: ['http/default'],
          errorDetail: { message: 'no way' },
        }),
      ),
    ).to.deep.equal([]);
    expect(stream.nacks()).to.deep.equal([{ typeUrl: XdsTypes.route, version: 'r2', message: 'no way' }]);
    expect(stream.serves(s1)).to.equal(true);
    expect(stream.onSnapshot(s2)).to.deep.equal([]);
    // A newer version is pushed, and its ACK clears the NACK.
    const [next] = stream.onSnapshot(snapshot('h4', { cds: 'c1', lds: 'l1', rds: 'r4' }));
    stream.onRequest(
      req(XdsTypes.route, { versionInfo: 'r4', responseNonce: next.nonce, resourceNames: ['http/default'] }),
    );
    expect(stream.nacks()).to.deep.equal([]);
  });

  it('ignores a request carrying a nonce that is not the latest sent for its type', () => {
    const { stream, nonce } = onH1();
    const [push] = stream.onSnapshot(s2);
    expect(
      stream.onRequest(
        req(XdsTypes.route, {
          versionInfo: 'r1',
          responseNonce: nonce[XdsTypes.route],
          resourceNames: ['http/default'],
          errorDetail: { message: 'late' },
        }),
      ),
    ).to.deep.equal([]);
    expect(stream.nacks()).to.deep.equal([]);
    expect(push.versionInfo).to.equal('r2');
  });

  it('answers a named type with the resources asked for, again when the names change', () => {
    const s = snapshot('h5', { cds: 'c1', lds: 'l1', rds: 'r5' }, ['http/default', 'https/default']);
    const stream = new AdsStream(s);
    const [first] = stream.onRequest(req(XdsTypes.route, { resourceNames: ['http/default', 'missing'] }));
    expect(first.resources.map((r) => r.name)).to.deep.equal(['http/default']);
    const [second] = stream.onRequest(
      req(XdsTypes.route, {
        versionInfo: 'r5',
        responseNonce: first.nonce,
        resourceNames: ['http/default', 'https/default'],
      }),
    );
    expect(second.resources.map((r) => r.name)).to.deep.equal(['http/default', 'https/default']);
  });

  it('waits with the first answer until there is a snapshot', () => {
    const stream = new AdsStream(undefined);
    expect(stream.onRequest(req(XdsTypes.cluster))).to.deep.equal([]);
    expect(stream.onSnapshot(s1).map((p) => p.typeUrl)).to.deep.equal([XdsTypes.cluster]);
  });
});
