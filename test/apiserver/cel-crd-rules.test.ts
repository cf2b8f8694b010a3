// The embedded API server evaluates CRD x-kubernetes-validations with the CEL subset (operator/api/cel.ts): a CRD
// whose rule is outside it is refused with a 422 naming the rule, and a rule inside it is enforced on objects.
import { expect } from 'chai';
import { startTestCluster } from '../support/test-cluster.js';

describe('CEL subset in the embedded API server', function () {
  this.timeout(30_000);
  it('refuses a CRD whose rule is outside the subset, naming the rule, with a 422', async () => {
    const c = await startTestCluster({ crds: [] });
    try {
      const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: evens.example.portico.dev}
spec:
  group: example.portico.dev
  scope: Namespaced
  names: {kind: Even, plural: evens, singular: even, listKind: EvenList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                count: {type: integer, x-kubernetes-validations: [{rule: "self % 2 == 0", message: must be even}]}
`;
      const r = await c.kubectl(['apply', '-f', '-'], { stdin: crd });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.contain('The CustomResourceDefinition "evens.example.portico.dev" is invalid');
      expect(r.stderr).to.contain(
        'the operator "%" (at openAPIV3Schema.properties[spec].properties[count].x-kubernetes-validations[0]) at column 6',
      );
      const ok = await c.kubectl(['apply', '-f', '-'], {
        stdin: crd.replace('self % 2 == 0', 'self >= 0').replace('must be even', 'must not be negative'),
      });
      expect(ok.code, ok.stderr).to.equal(0);
      const neg = await c.kubectl(['apply', '-f', '-'], {
        stdin: 'apiVersion: example.portico.dev/v1\nkind: Even\nmetadata: {name: e}\nspec: {count: -1}\n',
      });
      expect(neg.stderr).to.contain('The Even "e" is invalid: spec.count: Invalid value: -1: must not be negative');
    } finally {
      await c.stop();
    }
  });
});
