import { expect } from 'chai';
import { selectGarbage, type PublishedObject } from '../../operator/publish/garbage-collection.js';
import {
  deploymentApplyFor,
  planPublication,
  publishedObjects,
  type Publication,
} from '../../operator/publish/publication.js';
import { referencedNames, templateHash } from '../../operator/publish/template-refs.js';
import { unpackConfig } from '../../operator/publish/config-chunks.js';

function generation(hash: string, minute: number): PublishedObject[] {
  const publishedAt = `2025-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
  return [
    { kind: 'ConfigMap', name: `portico-envoy-${hash}`, hash, publishedAt },
    { kind: 'Secret', name: `portico-certs-${hash}`, hash, publishedAt },
  ];
}

describe('operator: publish plan and garbage collection', () => {
  const plan = (config: { hash: string; json: string; certFiles: Record<string, string> }): Publication => {
    const r = planPublication(config);
    if (!r.ok) throw new Error(r.message);
    return r.publication;
  };

  it('builds an immutable, labelled, content-addressed head ConfigMap and certs Secret for a small config', () => {
    const config = { hash: 'abc1234567', json: '{"a":1}', certFiles: { 'b.key': 'KEY', 'a.crt': 'CRT' } };
    const objects = publishedObjects(plan(config), 'portico-system', '2025-01-01T00:00:00.000Z') as any[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([
      'Secret/portico-certs-abc1234567',
      'ConfigMap/portico-envoy-abc1234567',
    ]);
    const [secret, cm] = objects;
    expect(cm.immutable).to.equal(true);
    expect(Object.keys(cm.data)).to.deep.equal(['envoy.json.parts', 'envoy.json.sha256']);
    expect(Object.keys(cm.binaryData)).to.deep.equal(['envoy.json.gz.000']);
    const files = new Map<string, Buffer | string>([
      ...Object.entries(cm.data as Record<string, string>),
      ['envoy.json.gz.000', Buffer.from(cm.binaryData['envoy.json.gz.000'], 'base64')],
    ]);
    expect(unpackConfig(files)).to.equal('{"a":1}');
    expect(cm.metadata.labels).to.deep.equal({
      'app.kubernetes.io/managed-by': 'portico',
      'portico.dev/config-hash': 'abc1234567',
    });
    expect(secret.immutable).to.equal(true);
    expect(Object.keys(secret.data)).to.deep.equal(['a.crt', 'b.key']);
    expect(Buffer.from(secret.data['b.key'], 'base64').toString()).to.equal('KEY');
  });

  it('reads back the hash only when the annotation and every volume source agree', () => {
    const d = deploymentApplyFor('portico-envoy', 'portico-system', plan({ hash: 'h1', json: '{}', certFiles: {} }));
    expect(templateHash(d)).to.equal('h1');
    expect(referencedNames(d).sort()).to.deep.equal([
      'portico-certs-h1',
      'portico-certs-h1',
      'portico-envoy-h1',
      'portico-envoy-h1',
    ]);
    const skewed = structuredClone(d);
    const configSources = (d: typeof skewed) =>
      d.spec.template.spec.volumes[0].projected.sources as Array<{ configMap: { name: string } }>;
    configSources(skewed)[0].configMap.name = 'portico-envoy-h0';
    expect(templateHash(skewed)).to.equal(undefined);
    expect(referencedNames(skewed)).to.include('portico-envoy-h0');
    const foreignPart = structuredClone(d);
    configSources(foreignPart).push({ configMap: { name: 'portico-envoy-h0-1' } });
    expect(templateHash(foreignPart)).to.equal(undefined);
    expect(templateHash(undefined)).to.equal(undefined);
  });

  it('keeps the newest three generations', () => {
    const all = [
      ...generation('h1', 1),
      ...generation('h2', 2),
      ...generation('h3', 3),
      ...generation('h4', 4),
      ...generation('h5', 5),
    ];
    expect(selectGarbage(all, new Set()).map((o) => o.name)).to.deep.equal([
      'portico-certs-h1',
      'portico-certs-h2',
      'portico-envoy-h1',
      'portico-envoy-h2',
    ]);
  });

  it('never deletes a generation a Deployment or live ReplicaSet references, even by one of its objects', () => {
    const all = [
      ...generation('h1', 1),
      ...generation('h2', 2),
      ...generation('h3', 3),
      ...generation('h4', 4),
      ...generation('h5', 5),
    ];
    const garbage = selectGarbage(all, new Set(['portico-envoy-h1']));
    expect(garbage.map((o) => o.name)).to.deep.equal(['portico-certs-h2', 'portico-envoy-h2']);
  });

  it('collects a generation cut short before its head ConfigMap, unless something references it', () => {
    const partial: PublishedObject[] = [
      { kind: 'Secret', name: 'portico-certs-h9', hash: 'h9', publishedAt: '2026-01-01T00:00:09Z' },
      { kind: 'ConfigMap', name: 'portico-envoy-h9-1', hash: 'h9', publishedAt: '2026-01-01T00:00:09Z' },
    ];
    const all = [...generation('h1', 1), ...generation('h2', 2), ...partial];
    expect(selectGarbage(all, new Set()).map((o) => o.name)).to.deep.equal(['portico-certs-h9', 'portico-envoy-h9-1']);
    expect(selectGarbage(all, new Set(['portico-envoy-h9-1']))).to.deep.equal([]);
  });

  it('has nothing to collect with few generations', () => {
    expect(selectGarbage([...generation('h1', 1), ...generation('h2', 2)], new Set())).to.deep.equal([]);
  });
});
