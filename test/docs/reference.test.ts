// docs/reference.md is generated from crds/*.yaml and must not drift: it is regenerated here and compared, its
// examples must pass the CRD schema, and a schema field without an example fails the generator.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { loadCrds } from '../../operator/api/crds.js';
import {
  validateMappingObject,
  validateReferenceGrantObject,
  validateTLSContextObject,
  type FieldError,
} from '../../operator/api/validators.js';
import { expectedReference, REFERENCE_PATH, REGENERATE_COMMAND } from '../../docs/generate-reference.js';
import { EXAMPLES, type KindExamples } from '../../docs/reference-examples.js';
import { collectFields, renderReference } from '../../docs/reference-render.js';
import { EMISSARY_MAPPING_NAMES } from '../../operator/migrate/mapping-fields.js';
import { EMISSARY_TLSCONTEXT_NAMES } from '../../operator/migrate/convert-tls.js';

const VALIDATORS: Record<string, (obj: unknown) => FieldError[]> = {
  Mapping: validateMappingObject,
  TLSContext: validateTLSContextObject,
  PorticoReferenceGrant: validateReferenceGrantObject,
};

/** A copy of obj with the dotted path set to value; a `list[]` step sets it in every item of that list. */
function withField(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj);
  const set = (node: any, steps: string[]): void => {
    const [step, ...rest] = steps;
    if (step.endsWith('[]')) {
      for (const item of (node[step.slice(0, -2)] as unknown[]) ?? []) set(item, rest);
      return;
    }
    if (rest.length === 0) node[step] = value;
    else set((node[step] ??= {}), rest);
  };
  set(copy, path.split('.'));
  return copy;
}

/** The object a field's examples are validated in (KindExamples.fieldHosts). */
const hostOf = (examples: KindExamples, path: string): Record<string, unknown> =>
  examples.fieldHosts?.[path] ?? examples.fieldHosts?.[''] ?? examples.object;

/** `spec.from[0].kind` → `spec.from[].kind`, to compare error fields with example paths. */
const itemless = (field: string): string => field.replace(/\[\d+\]/g, '[]');

describe('docs/reference.md', () => {
  it('is up to date with crds/*.yaml', () => {
    const committed = readFileSync(REFERENCE_PATH, 'utf8');
    const expected = expectedReference();
    if (committed !== expected) {
      const a = committed.split('\n');
      const b = expected.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(
        `docs/reference.md is stale (first difference at line ${line + 1}: ` +
          `${JSON.stringify(a[line])} vs ${JSON.stringify(b[line])}). Regenerate it with: ${REGENERATE_COMMAND}`,
      );
    }
  });

  it('documents every spec field of every CRD', () => {
    const reference = readFileSync(REFERENCE_PATH, 'utf8');
    for (const crd of loadCrds()) {
      const schema = crd.spec.versions[0].schema.openAPIV3Schema;
      const fields = collectFields(schema.properties!.spec, 'spec');
      expect(fields.length, crd.metadata.name).to.be.greaterThan(1);
      for (const f of fields) expect(reference, `${crd.spec.names.kind} ${f.path}`).to.contain(`| \`${f.path}\` |`);
      if (schema.properties!.spec.properties) {
        for (const [name, s] of Object.entries(schema.properties!.spec.properties)) {
          if (s.default !== undefined)
            expect(reference).to.contain(`| \`spec.${name}\` | `).and.contain(JSON.stringify(s.default));
        }
      }
    }
  });

  for (const [kind, examples] of Object.entries(EXAMPLES)) {
    describe(`${kind} examples pass the CRD schema`, () => {
      const validate = VALIDATORS[kind];

      it('the full object with its example status', () => {
        expect(validate(examples.object)).to.deep.equal([]);
        expect(validate({ ...examples.object, status: examples.status })).to.deep.equal([]);
      });

      it('every example field value, in place', () => {
        for (const [path, values] of Object.entries(examples.fields)) {
          for (const value of values) {
            expect(
              validate(withField(hostOf(examples, path), path, value)),
              `${path} = ${JSON.stringify(value)}`,
            ).to.deep.equal([]);
          }
        }
      });

      it('and the schema check is real: a wrong type in each field is rejected', () => {
        for (const path of Object.keys(examples.fields)) {
          // An object where a scalar belongs, and a string where an object belongs: one of them is a wrong type.
          const errors = [
            ...validate(withField(hostOf(examples, path), path, { not: 'valid' })),
            ...validate(withField(hostOf(examples, path), path, 'not valid')),
          ];
          expect(
            errors.map((e) => itemless(e.field)),
            path,
          ).to.include(path);
        }
      });
    });
  }

  it("names Emissary's field for every Mapping field, and only for fields the CRDs have", () => {
    const fieldsOf = (kind: string) =>
      collectFields(
        loadCrds().find((c) => c.spec.names.kind === kind)!.spec.versions[0].schema.openAPIV3Schema.properties!.spec,
        'spec',
      ).map((f) => f.path);
    const mapping = fieldsOf('Mapping');
    expect(
      mapping.filter((p) => !(p in EMISSARY_MAPPING_NAMES)),
      'Mapping fields without an Emissary name',
    ).to.deep.equal([]);
    expect(Object.keys(EMISSARY_MAPPING_NAMES).filter((p) => !mapping.includes(p))).to.deep.equal([]);
    expect(Object.keys(EMISSARY_TLSCONTEXT_NAMES).filter((p) => !fieldsOf('TLSContext').includes(p))).to.deep.equal([]);
    const reference = readFileSync(REFERENCE_PATH, 'utf8');
    expect(reference).to.contain('| `spec.timeout` | `timeout_ms` | string |');
  });

  it('the generator refuses a schema field without an example, naming it', () => {
    const crds = loadCrds();
    const mapping = crds.find((c) => c.spec.names.kind === 'Mapping')!;
    mapping.spec.versions[0].schema.openAPIV3Schema.properties!.spec.properties!.timeoutMs = { type: 'integer' };
    expect(() => renderReference(crds, EXAMPLES)).to.throw(/Mapping field spec\.timeoutMs has no example/);
  });

  it('the generator refuses an example for a field the CRD does not have', () => {
    const examples = structuredClone(EXAMPLES);
    examples.TLSContext.fields['spec.cipherSuites'] = [['ECDHE-RSA-AES128-GCM-SHA256']];
    expect(() => renderReference(loadCrds(), examples)).to.throw(
      /TLSContext has examples for fields not in the CRD: spec\.cipherSuites/,
    );
  });
});
