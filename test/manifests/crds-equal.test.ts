// The CRDs that manifests/ installs are crds/*.yaml, unchanged: kustomize takes them from crds/ (through
// crds/kustomization.yaml), and nothing may patch or forget one.
import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { renderKustomization, repoRoot } from './render-manifests.js';

describe('manifests: CRDs', () => {
  it('installs exactly the CRDs in crds/, deep-equal', async () => {
    const dir = path.join(repoRoot, 'crds');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    const fromDisk = await Promise.all(
      files.map(async (f) => yaml.load(await readFile(path.join(dir, f), 'utf8')) as any),
    );
    const rendered = (await renderKustomization('manifests')).filter((o) => o.kind === 'CustomResourceDefinition');
    const byName = (list: any[]) => Object.fromEntries(list.map((o) => [o.metadata.name, o]));
    expect(fromDisk.length, 'CRD files in crds/').to.be.at.least(2);
    expect(byName(rendered)).to.deep.equal(byName(fromDisk));
  });

  it('crds/kustomization.yaml lists every CRD file', async () => {
    const dir = path.join(repoRoot, 'crds');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
    const k = yaml.load(await readFile(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect([...k.resources].sort()).to.deep.equal(files);
  });
});
