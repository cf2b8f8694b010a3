// Fails when operator/api/types.ts and crds/*.yaml drift apart. Two halves (see operator/api/schema-shape.ts):
// 1. schema-shape.ts must type-check: its `satisfies ShapeOf<T>` ties each shape literal to the TS type, so a
//    changed type breaks compilation. We run the real TypeScript compiler here, and also show that it does
//    catch drift by compiling deliberately mutated copies of types.ts.
// 2. The shapes must equal the CRD schemas (keys, required, JSON types, enums): a changed CRD fails here.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { crdSchema, packageRoot, type JsonSchema } from '../../operator/api/crds.js';
import {
  CONDITION_SHAPE,
  CONDITION_STATUSES,
  MAPPING_SPEC_SHAPE,
  MAPPING_STATUS_SHAPE,
  GRANT_FROM_KINDS,
  GRANT_TO_KINDS,
  REFERENCE_GRANT_FROM_SHAPE,
  REFERENCE_GRANT_SPEC_SHAPE,
  REFERENCE_GRANT_TO_SHAPE,
  TLS_VERSIONS,
  TLSCONTEXT_SPEC_SHAPE,
  TLSCONTEXT_STATUS_SHAPE,
  type FieldShape,
} from '../../operator/api/schema-shape.js';

const root = packageRoot();
const shapeFile = join(root, 'operator/api/schema-shape.ts');
const typesFile = join(root, 'operator/api/types.ts');

function typeCheck(typesOverride?: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  if (typesOverride !== undefined) {
    const original = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, lang, ...rest) =>
      fileName === typesFile ? ts.createSourceFile(fileName, typesOverride, lang) : original(fileName, lang, ...rest);
  }
  const program = ts.createProgram([shapeFile], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

function compareShape(schema: JsonSchema | undefined, shape: Record<string, FieldShape>, where: string): void {
  expect(schema, where).to.be.an('object');
  const props = schema!.properties ?? {};
  expect(Object.keys(props).sort(), `${where}: field names (CRD vs types.ts)`).to.deep.equal(Object.keys(shape).sort());
  const required = Object.entries(shape)
    .filter(([, f]) => f.required)
    .map(([k]) => k)
    .sort();
  expect([...(schema!.required ?? [])].sort(), `${where}: required fields (CRD vs types.ts)`).to.deep.equal(required);
  for (const [key, f] of Object.entries(shape)) {
    expect(props[key].type, `${where}.${key}: type`).to.equal(f.type);
    if (f.items) expect(props[key].items?.type, `${where}.${key}[]: item type`).to.equal(f.items);
  }
}

describe('API types vs CRD schemas (drift)', function () {
  this.timeout(60000);
  const mapping = crdSchema('Mapping');
  const tls = crdSchema('TLSContext');

  it('Mapping spec and status match types.ts', () => {
    compareShape(mapping.properties?.spec, MAPPING_SPEC_SHAPE, 'Mapping.spec');
    compareShape(mapping.properties?.status, MAPPING_STATUS_SHAPE, 'Mapping.status');
    compareShape(mapping.properties?.status?.properties?.conditions?.items, CONDITION_SHAPE, 'Mapping.status.conditions[]');
  });

  it('TLSContext spec and status match types.ts', () => {
    compareShape(tls.properties?.spec, TLSCONTEXT_SPEC_SHAPE, 'TLSContext.spec');
    compareShape(tls.properties?.status, TLSCONTEXT_STATUS_SHAPE, 'TLSContext.status');
    compareShape(tls.properties?.status?.properties?.conditions?.items, CONDITION_SHAPE, 'TLSContext.status.conditions[]');
  });

  it('PorticoReferenceGrant spec, from[] and to[] match types.ts', () => {
    const grant = crdSchema('PorticoReferenceGrant');
    compareShape(grant.properties?.spec, REFERENCE_GRANT_SPEC_SHAPE, 'PorticoReferenceGrant.spec');
    compareShape(grant.properties?.spec?.properties?.from?.items, REFERENCE_GRANT_FROM_SHAPE, 'PorticoReferenceGrant.spec.from[]');
    compareShape(grant.properties?.spec?.properties?.to?.items, REFERENCE_GRANT_TO_SHAPE, 'PorticoReferenceGrant.spec.to[]');
    expect(grant.properties?.spec?.properties?.from?.items?.properties?.kind.enum).to.deep.equal([...GRANT_FROM_KINDS]);
    expect(grant.properties?.spec?.properties?.to?.items?.properties?.kind.enum).to.deep.equal([...GRANT_TO_KINDS]);
    expect(grant.properties?.status, 'a grant has no status').to.equal(undefined);
  });

  it('enums match the TS unions', () => {
    const spec = tls.properties!.spec!.properties!;
    expect(spec.minTlsVersion.enum).to.deep.equal([...TLS_VERSIONS]);
    expect(spec.maxTlsVersion.enum).to.deep.equal([...TLS_VERSIONS]);
    for (const s of [mapping, tls]) {
      const status = s.properties!.status!.properties!.conditions!.items!.properties!.status;
      expect(status.enum).to.deep.equal([...CONDITION_STATUSES]);
    }
  });

  it('schema-shape.ts type-checks against types.ts', () => {
    expect(typeCheck()).to.deep.equal([]);
  });

  it('the type check really catches drift in types.ts', () => {
    const original = readFileSync(typesFile, 'utf8');
    const mutations: Array<[string, string]> = [
      ['  host?: string;\n}', '  host?: string;\n  weight?: number;\n}'], // a new field
      ['  rewrite?: string;', '  rewrite: string;'], // optional → required
      ['  redirectCleartext?: boolean;', '  redirectCleartext?: string;'], // type change
      ["export type TlsVersion = 'v1.2'", "export type TlsVersion = 'v1.1' | 'v1.2'"], // enum widened
      ['  notAfter?: string;\n', ''], // a removed status field
      ["  kind: 'Service' | 'Secret' | 'Host';", "  kind: 'Service' | 'Secret' | 'Host' | 'ConfigMap';"], // a grant target kind added
      ['  name?: string;\n}\n\nexport interface PorticoReferenceGrantSpec', '}\n\nexport interface PorticoReferenceGrantSpec'], // to.name removed
    ];
    for (const [from, to] of mutations) {
      expect(original.includes(from), `mutation anchor ${JSON.stringify(from)} still in types.ts`).to.equal(true);
      const errors = typeCheck(original.replace(from, to));
      expect(errors.length, `mutation ${JSON.stringify(to)} must break the type check`).to.be.greaterThan(0);
    }
  });
});
