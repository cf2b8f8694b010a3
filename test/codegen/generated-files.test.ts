// operator/api/types.ts and operator/api/crd-documents.ts are generated from crds/*.yaml (operator/codegen/):
// the committed files must be what the CRDs give, so a CRD change without `npm run generate:api` fails here.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles } from '../../operator/codegen/generate.js';
import { renderApiTypes } from '../../operator/codegen/api-types-source.js';
import { readCrdFiles } from '../../operator/codegen/crd-files.js';
import { loadCrds } from '../../operator/api/crds.js';

const REPO = join(import.meta.dirname, '..', '..');

describe('api: files generated from crds/', () => {
  for (const { path, text } of generatedFiles(REPO)) {
    it(`${path} is current (npm run generate:api)`, () => {
      expect(
        readFileSync(join(REPO, path), 'utf8') === text,
        `${path} differs from what crds/ gives: run npm run generate:api`,
      ).to.equal(true);
    });
  }

  it('the CRDs the operator reads are crds/*.yaml', () => {
    expect(loadCrds()).to.deep.equal(readCrdFiles(join(REPO, 'crds')));
  });

  it('a field added to a CRD is a field of the generated type, with its description and optionality', () => {
    const crds = readCrdFiles(join(REPO, 'crds'));
    const mapping = crds.find((c) => c.spec.names.kind === 'Mapping')!;
    const spec = mapping.spec.versions[0].schema.openAPIV3Schema.properties!.spec!;
    spec.properties!.weight = { type: 'integer', description: 'Share of the traffic.' };
    spec.properties!.methods = { type: 'array', items: { type: 'string', enum: ['GET', 'POST'] } };
    const text = renderApiTypes(crds);
    expect(text).to.include('  /** Share of the traffic. */\n  weight?: number;\n');
    expect(text).to.include("  methods?: Array<'GET' | 'POST'>;\n");
    spec.required = [...(spec.required ?? []), 'weight'];
    expect(renderApiTypes(crds)).to.include('  weight: number;\n');
  });

  it('refuses two shapes under one type name', () => {
    const crds = readCrdFiles(join(REPO, 'crds'));
    const tls = crds.find((c) => c.spec.names.kind === 'TLSContext')!;
    tls.spec.versions[0].schema.openAPIV3Schema.properties!.spec!.properties!.maxTlsVersion.enum = [
      'v1.2',
      'v1.3',
      'v1.4',
    ];
    expect(() => renderApiTypes(crds)).to.throw(/TlsVersion is declared twice with different shapes/);
  });
});
