// The parts of apiextensions.k8s.io/v1 CustomResourceDefinition, and of its structural schema, that Portico reads.

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; [key: string]: unknown };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: {
      kind: string;
      listKind?: string;
      plural: string;
      singular?: string;
      shortNames?: string[];
      categories?: string[];
    };
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      subresources?: { status?: Record<string, never>; scale?: unknown };
      additionalPrinterColumns?: Array<{
        name: string;
        type: string;
        jsonPath: string;
        priority?: number;
        description?: string;
        format?: string;
      }>;
      schema: { openAPIV3Schema: JsonSchema };
    }>;
  };
}

/** A structural OpenAPI v3 schema node (the subset used by CRDs). */
export interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  [key: string]: unknown;
}
