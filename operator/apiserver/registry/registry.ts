// The resource registry: built-ins plus the custom resources that established CRDs define. Discovery,
// openapi and the router all read from it, so a CRD appears everywhere the moment it is created.
import { builtinResources } from './builtin-resources.js';
import { compileCrSchema } from '../schemas/cr-schema.js';
import { customResourceFieldLabels } from './field-labels.js';
import type { ResourceType } from './resource-types.js';
import type { PrinterColumn } from '../encoding/table.js';

export class ResourceRegistry {
  private readonly builtins = builtinResources();
  /** CRD name → the resource types (one per served version) it defines. */
  private readonly custom = new Map<string, ResourceType[]>();

  all(): ResourceType[] {
    return [...this.builtins, ...[...this.custom.values()].flat()];
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find((r) => r.group === group && r.version === version && r.plural === plural);
  }

  /** Group versions in discovery order: core first, then built-in groups, then CRD groups. */
  groupVersions(): Array<{ group: string; versions: string[] }> {
    const out: Array<{ group: string; versions: string[] }> = [];
    for (const r of this.all()) {
      let g = out.find((x) => x.group === r.group);
      if (!g) out.push((g = { group: r.group, versions: [] }));
      if (!g.versions.includes(r.version)) g.versions.push(r.version);
    }
    return out;
  }

  /** Registers (or re-registers) a CRD's served versions. Throws with a message naming the bad field. */
  registerCrd(crd: Record<string, any>): ResourceType[] {
    const spec = crd.spec ?? {};
    const names = spec.names ?? {};
    const types: ResourceType[] = [];
    const versions: any[] = [...(spec.versions ?? [])];
    // The storage version first, as the real server orders preferred versions.
    versions.sort((a, b) => Number(b.storage === true) - Number(a.storage === true));
    for (const v of versions) {
      if (v.served === false) continue;
      const cols: PrinterColumn[] = (v.additionalPrinterColumns ?? []).map((c: any) => ({
        name: c.name,
        type: c.type,
        jsonPath: c.jsonPath,
        format: c.format,
        description: c.description,
        priority: c.priority ?? 0,
      }));
      types.push({
        group: spec.group,
        version: v.name,
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        plural: names.plural,
        singular: names.singular ?? String(names.kind).toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        statusSubresource: !!v.subresources?.status,
        allowUnconditionalUpdate: false,
        allowCreateOnUpdate: false,
        generation: 'tracked',
        custom: true,
        schema: compileCrSchema(
          v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        ),
        printerColumns:
          cols.length > 0 ? cols : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
        fieldLabels: customResourceFieldLabels(spec.scope !== 'Cluster', v.selectableFields),
      });
    }
    this.custom.set(crd.metadata.name, types);
    return types;
  }

  unregisterCrd(name: string): ResourceType[] {
    const types = this.custom.get(name) ?? [];
    this.custom.delete(name);
    return types;
  }
}
