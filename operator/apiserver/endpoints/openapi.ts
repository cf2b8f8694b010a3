// A minimal /openapi/v3: enough for kubectl's apply (it checks that PATCH supports the fieldValidation query
// parameter, then lets the server validate) and for `kubectl explain` of custom resources (their schemas).
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from '../registry/registry.js';
import type { ResourceType } from '../registry/resource-types.js';

// No strategic-merge-patch here: advertising it would make kubectl send SMP to custom resources (415).
const PATCH_TYPES = {
  'application/json-patch+json': {},
  'application/merge-patch+json': {},
  'application/apply-patch+yaml': {},
};

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function schemaName(r: ResourceType): string {
  const reversed = (r.group || 'core').split('.').reverse().join('.');
  return `${reversed}.${r.version}.${r.kind}`;
}

function resourceSchema(r: ResourceType): object {
  const gvk = [{ group: r.group, version: r.version, kind: r.kind }];
  const base = r.schema?.openAPIV3Schema ?? { type: 'object' };
  const props = { ...(base as any).properties };
  props.apiVersion ??= {
    type: 'string',
    description: 'APIVersion defines the versioned schema of this representation of an object.',
  };
  props.kind ??= {
    type: 'string',
    description: 'Kind is a string value representing the REST resource this object represents.',
  };
  props.metadata = {
    type: 'object',
    description:
      "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  };
  return { ...base, type: 'object', properties: props, 'x-kubernetes-group-version-kind': gvk };
}

export function groupVersionDocument(registry: ResourceRegistry, group: string, version: string): object | undefined {
  const types = registry.all().filter((r) => r.group === group && r.version === version);
  if (types.length === 0) return undefined;
  const paths: Record<string, object> = {};
  const schemas: Record<string, object> = {};
  for (const r of types) {
    const prefix = `/${gvPath(group, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const ref = { $ref: `#/components/schemas/${schemaName(r)}` };
    const json = { 'application/json': { schema: ref } };
    const fieldValidation = { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } };
    paths[`${prefix}/{name}`] = {
      get: {
        'x-kubernetes-group-version-kind': gvk,
        'x-kubernetes-action': 'get',
        responses: { '200': { content: json } },
      },
      put: {
        'x-kubernetes-group-version-kind': gvk,
        'x-kubernetes-action': 'put',
        parameters: [fieldValidation],
        requestBody: { content: { '*/*': { schema: ref } } },
      },
      patch: {
        'x-kubernetes-group-version-kind': gvk,
        'x-kubernetes-action': 'patch',
        parameters: [fieldValidation],
        requestBody: { content: PATCH_TYPES },
      },
    };
    paths[prefix] = {
      post: {
        'x-kubernetes-group-version-kind': gvk,
        'x-kubernetes-action': 'post',
        parameters: [fieldValidation],
        requestBody: { content: { '*/*': { schema: ref } } },
      },
    };
    schemas[schemaName(r)] = resourceSchema(r);
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths, components: { schemas } };
}

export function openapiRoot(registry: ResourceRegistry): object {
  const paths: Record<string, object> = {};
  for (const { group, versions } of registry.groupVersions()) {
    for (const v of versions) {
      const doc = groupVersionDocument(registry, group, v);
      const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 64).toUpperCase();
      paths[gvPath(group, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, v)}?hash=${hash}` };
    }
  }
  return { paths };
}
